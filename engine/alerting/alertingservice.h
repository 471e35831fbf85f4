#pragma once

#include "alerting/alertingsnapshot.h"
#include "alerting/alertstore.h"
#include "core/result.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace Shivx {

class AlertingController;

// The public face of alerting (docs/alerting.md): the pending and firing alerts, silences,
// the health forecast; silence, expire, acknowledge and history commands. Used by the API,
// the CLI (through the API) and the console. Lives on the Engine's thread for the Engine's
// lifetime; getters are thread-safe; commands run blocking on the alerting thread, so call
// them from any thread but that one. Before start and after stop: engine.not_running.
class AlertingService : public QObject
{
    Q_OBJECT
public:
    explicit AlertingService(QObject *parent = nullptr);

    AlertingSnapshot snapshot() const;
    HealthForecast forecast() const { return snapshot().forecast; }

    // Silences alerts whose labels match every matcher, for `durationMs` (1 s - 30 d).
    // Errors: engine.not_running, alerting.bad_silence, alerting.storage.
    Result<AlertSilence> silence(const QMap<QString, QString> &matchers, qint64 durationMs,
        const QString &comment, const QString &actor);
    // Errors: engine.not_running, alerting.no_such_silence.
    Result<void> expireSilence(const QString &id, const QString &actor);
    // Errors: engine.not_running, alerting.no_such_alert.
    Result<AlertInstance> acknowledge(const QString &fingerprint, const QString &actor);
    // The newest transitions first; `rule` empty = every rule.
    Result<QList<AlertHistoryEntry>> history(int limit, const QString &rule = QString());

    // Raises an alert from another module (AlertingController::pushAlert): queued, returns at
    // once. Any thread. Errors: engine.not_running (alerting off or stopped).
    Result<void> pushAlert(const QMap<QString, QString> &labels, const QString &summary,
        const QString &description, qint64 holdMs);

    void setController(AlertingController *controller) { m_controller.store(controller); }

Q_SIGNALS:
    // Engine's thread.
    void changed(const Shivx::AlertingSnapshot &snapshot);
    void transitioned(const QList<Shivx::AlertTransition> &transitions);

private:
    template <class T, class Call> Result<T> onController(Call call);
    std::atomic<AlertingController *> m_controller { nullptr };
};

} // namespace Shivx
