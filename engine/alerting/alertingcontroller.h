#pragma once

#include "alerting/alertevaluator.h"
#include "alerting/alertingconfig.h"
#include "alerting/alertingsnapshot.h"
#include "alerting/alertstore.h"
#include "core/result.h"

#include <QMutex>
#include <QObject>

#include <memory>

class QTimer;

namespace Shivx {

class AuditSink;
class Clock;
class MetricRegistry;

// Runs the alert rules on its own thread (`shivx-alerting`): every interval it collects the
// metric registry once, evaluates every rule (AlertEvaluator), records the transitions in
// SQLite (AlertStore) and the audit chain, and publishes a snapshot. Silences and
// acknowledgements are commands run on its thread (the facade calls them blocking).
class AlertingController : public QObject
{
    Q_OBJECT
public:
    AlertingController(AlertingConfig config, QString databasePath, const MetricRegistry *registry,
        Clock *clock, AuditSink *audit, QObject *parent = nullptr);
    ~AlertingController() override;

    // The degradation levels the forecast projects onto (from the degradation section).
    void setForecastLevels(
        std::function<QString(double)> levelForScore, QList<QPair<QString, double>> levelMins);

    // Families evaluated beside the registry's (the series scraped from `prometheus` targets,
    // TargetMonitor::scrapedFamilies); called on the controller thread at every evaluation, so
    // it must be thread-safe. Call before start().
    void setExtraFamilies(std::function<QList<FamilySnapshot>()> extra);

    // Thread-safe.
    std::shared_ptr<const AlertingSnapshot> snapshotPtr() const;

    // Controller thread. Errors: alerting.bad_silence, alerting.storage.
    Result<AlertSilence> silence(const QMap<QString, QString> &matchers, qint64 durationMs,
        const QString &comment, const QString &actor);
    Result<void> expireSilence(const QString &id, const QString &actor);
    Result<AlertInstance> acknowledge(const QString &fingerprint, const QString &actor);
    Result<QList<AlertHistoryEntry>> history(int limit, const QString &rule);
    // An alert another module raises (the guardian's `notify` policies), as Alertmanager takes
    // alerts from other sources: `labels` must hold alertname and severity. It fires at once,
    // goes to the notifiers with the rules' alerts (silences apply), and resolves `holdMs`
    // after its last push; pushing it again (same labels) refreshes it. Audited; not in the
    // alert store (a rule restored from it must exist).
    void pushAlert(const QMap<QString, QString> &labels, const QString &summary,
        const QString &description, qint64 holdMs);
    // Replaces the rules (a configuration reload): alerts of rules that are gone resolve at the
    // next evaluation, which runs at once; every window starts again from the stored history.
    void setRules(const QList<AlertRule> &rules);

public Q_SLOTS:
    // Opens the store, restores the alerts it kept, seeds the rules' windows from the metric
    // history (seedWindows) and starts evaluating.
    void start();
    void stop();
    // One evaluation now (the timer's slot).
    void evaluate();

Q_SIGNALS:
    // Controller thread: the transitions of one evaluation (not emitted when there are none).
    void transitioned(const QList<Shivx::AlertTransition> &transitions);
    void snapshotChanged(const Shivx::AlertingSnapshot &snapshot);

private:
    // Fills each rule's windows with what the metric history holds for their span, so that a
    // restart or a reload does not start `avg_over_time` over 10 min (or a `for` on top of it)
    // from one sample. Bounded, since it runs inside the engine's start: at most
    // MaxSeedSeries series of MaxSeedPoints points (older ranges as rollups), and it stops
    // after MaxSeedMs, leaving the rest to fill as evaluations come.
    void seedWindows();
    static constexpr int MaxSeedSeries = 5000;
    static constexpr int MaxSeedPoints = 1000;
    static constexpr qint64 MaxSeedMs = 2000;
    void publish();
    void recordTransitions(const QList<AlertTransition> &transitions, bool store);
    struct Pushed
    {
        AlertInstance alert;
        qint64 untilMs = 0;
    };
    QMap<QString, Pushed> m_pushed; // by fingerprint
    void audit(const QString &actor, const QString &action, const QJsonObject &data);

    AlertingConfig m_config;
    QString m_databasePath;
    const MetricRegistry *m_registry;
    std::function<QList<FamilySnapshot>()> m_extraFamilies;
    Clock *m_clock;
    AuditSink *m_audit;
    AlertEvaluator m_evaluator;
    std::unique_ptr<AlertStore> m_store;
    QList<AlertSilence> m_silences;
    QTimer *m_timer = nullptr;
    qint64 m_evaluatedAtMs = 0;
    mutable QMutex m_snapshotLock;
    std::shared_ptr<const AlertingSnapshot> m_snapshot;
};

} // namespace Shivx
