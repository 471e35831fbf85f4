#pragma once

#include "core/result.h"
#include "guardian/detectors/threatscore.h"
#include "guardian/guardianconfig.h"
#include "guardian/guardiansnapshot.h"
#include "guardian/threatevent.h"

#include <QObject>

#include <atomic>
#include <memory>

namespace Shivx {

class GuardianController;

// The public face of the guardian (docs/guardian.md): the defense mode, the isolations in
// effect and the threat table; commands for the operator (mode, isolate, release) and for
// detectors (raise). Used by the API routes, the CLI (through the API) and the console's
// Guardian page. Lives on the Engine's thread for the Engine's lifetime. Getters are
// thread-safe and cheap; commands are thread-safe and wait for the guardian's thread (not to
// be called from it).
class GuardianService : public QObject
{
    Q_OBJECT
public:
    explicit GuardianService(GuardianConfig config, QObject *parent = nullptr);

    // Before start and after stop: NORMAL, not running.
    GuardianSnapshot snapshot() const;
    std::shared_ptr<const GuardianSnapshot> snapshotPtr() const;
    const GuardianConfig &config() const { return m_config; }

    // Hands a detector's event to the guardian (queued; returns at once). Any thread.
    // Errors: engine.not_running.
    Result<void> raise(const ThreatEvent &event);
    // Threat rows matching `filter`, newest first, read from the database on the caller's
    // thread. Errors: engine.not_running, guardian.storage.
    Result<QList<ThreatRecord>> threats(const ThreatFilter &filter) const;

    // The current threat score of each source, with its explanation (docs/threat-score.md);
    // waits for the guardian's thread. Errors: engine.not_running.
    Result<QList<ThreatAssessment>> assess(const QStringList &sources);

    // Errors: engine.not_running, guardian.bad_reason.
    Result<GuardianSnapshot> setMode(DefenseMode mode, const QString &reason, const QString &actor);
    // Errors: engine.not_running, guardian.bad_source, guardian.bad_duration, guardian.bad_reason.
    Result<Isolation> isolate(
        const QString &source, qint64 durationMs, const QString &reason, const QString &actor);
    // Errors: engine.not_running, guardian.bad_source, guardian.not_isolated.
    Result<GuardianSnapshot> release(const QString &source, const QString &actor);

    // The guardian runtime's part.
    void setController(GuardianController *controller, const QString &dbPath);

Q_SIGNALS:
    // Engine's thread.
    void changed(const Shivx::GuardianSnapshot &snapshot);
    void modeChanged(Shivx::DefenseMode mode, const Shivx::Message &reason);
    void threatRecorded(const Shivx::ThreatRecord &record);

private:
    template <class R, class Call> Result<R> onController(Call call);

    const GuardianConfig m_config;
    std::atomic<GuardianController *> m_controller { nullptr };
    QString m_dbPath; // set with the controller, on the Engine's thread, before it runs
    std::shared_ptr<const GuardianSnapshot> m_stopped;
};

} // namespace Shivx
