#pragma once

#include "alerting/alertingsnapshot.h"
#include "alerting/notificationpayload.h"
#include "alerting/notifierconfig.h"
#include "recovery/circuitbreaker.h"
#include "recovery/retrypolicy.h"

#include <QHash>
#include <QObject>

#include <atomic>
#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace Shivx {

class AuditSink;
class Clock;

// Sends one receiver's notifications (webhook, PagerDuty, Alertmanager): groups alerts by the
// notifier's group_by labels, waits group_wait before a new group's first message, repeats a
// still-firing group every repeat_interval, and tells resolutions (send_resolved). Each
// request goes through the notifier's circuit breaker (engine/recovery) and is retried with
// exponential backoff; a group that could not be delivered stays due and is tried again on
// the next tick. Inhibited and silenced alerts are not sent. Lives on the alerting thread.
// The secret (URL or routing key) stays in this object: logs and audit name the notifier only.
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    AlertNotifier(NotifierConfig config, QString secret, Clock *clock, AuditSink *audit,
        QObject *parent = nullptr);
    ~AlertNotifier() override;

    const NotifierConfig &config() const { return m_config; }
    BreakerSnapshot breaker() const { return m_breaker->snapshot(); }
    // Any thread.
    quint64 sent() const { return m_sent.load(); }
    quint64 failed() const { return m_failed.load(); }

public Q_SLOTS:
    void start();
    void stop();
    // The alerts in effect (from the controller's snapshot).
    void onSnapshot(const Shivx::AlertingSnapshot &snapshot);
    // Resolutions to tell.
    void onTransitions(const QList<Shivx::AlertTransition> &transitions);
    // Sends every group that is due (the timer's slot).
    void tick();

Q_SIGNALS:
    // After a delivery (or its last failed attempt); `ok` false: it stays due.
    void delivered(const QString &groupKey, bool ok, int httpStatus);

private:
    struct Group
    {
        QMap<QString, AlertInstance> firing; // by fingerprint
        QList<AlertInstance> resolved;
        QSet<QString> sentFiring; // fingerprints in the last delivered message
        qint64 dueSinceMs = 0; // 0: nothing new
        qint64 lastSentMs = 0;
        bool inFlight = false;
    };
    QString groupKey(const AlertInstance &a) const;
    void send(const QString &key);
    void attempt(const QString &key, Notification n, QList<QByteArray> bodies, int attemptNo);
    void finish(const QString &key, const Notification &n, bool ok, int status);

    NotifierConfig m_config;
    QString m_secret;
    Clock *m_clock;
    AuditSink *m_audit;
    std::unique_ptr<CircuitBreaker> m_breaker;
    RetryPolicy m_retry;
    QNetworkAccessManager *m_nam = nullptr;
    QTimer *m_timer = nullptr;
    QHash<QString, Group> m_groups;
    std::atomic<quint64> m_sent { 0 };
    std::atomic<quint64> m_failed { 0 };
};

} // namespace Shivx
