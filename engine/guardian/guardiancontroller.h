#pragma once

#include "core/result.h"
#include "guardian/defensemodemachine.h"
#include "guardian/detectors/resourceabuse.h"
#include "guardian/detectors/threatscore.h"
#include "guardian/guardianconfig.h"
#include "guardian/guardiansnapshot.h"
#include "guardian/sourcematcher.h"
#include "guardian/threatevent.h"

#include <QMutex>
#include <QObject>

#include <memory>

class QProcess;
class QTimer;

namespace Shivx {

class AuditSink;
class Clock;
class GuardianApiGuard;
class ThreatStore;
struct HostSample;
struct WatcherHit;

// The guardian's logic on its engine thread (`shivx-guardian`): takes threat events, stores
// them (ThreatStore, aggregated), records them on the `security` audit stream, moves the
// defense mode (DefenseModeMachine), applies the policies (isolate, raise the mode, run a
// command) and keeps the API guard's mode and isolations current. Publishes an immutable
// GuardianSnapshot after every change.
// The detectors end here too: log watchers' hits (watcherHit) and matched lines, the host
// sampler's readings for the resource-abuse detector (hostSampled), and the API guard's
// per-request signals, which feed the threat score (ThreatScore) that every event carries.
//
// Thread: every slot and command runs on the controller's thread (GuardianService calls it
// with blocking queued calls); snapshotPtr() is thread-safe. Parentless; its thread deletes it.
class GuardianController : public QObject
{
    Q_OBJECT
public:
    // `guard` may be null (API off). `dbPath` is the engine's database; opened in start().
    GuardianController(const GuardianConfig &config, const QString &dbPath, Clock *clock,
        AuditSink *audit, std::shared_ptr<GuardianApiGuard> guard, QObject *parent = nullptr);
    ~GuardianController() override;

    std::shared_ptr<const GuardianSnapshot> snapshotPtr() const;
    const GuardianConfig &config() const { return m_config; }

    // Opens the store, restores the mode and the isolations still in effect, starts the
    // once-a-second tick. A store that cannot open is logged and audited; the guardian then
    // works in memory (nothing survives a restart) rather than leave the API unguarded.
    void start();
    // Stops the tick and kills commands still running.
    void stop();

    // Counts `event` (ts 0 = now) and acts on it.
    void raise(ThreatEvent event);
    // Errors: guardian.bad_reason.
    Result<GuardianSnapshot> setMode(DefenseMode mode, const QString &reason, const QString &actor);
    // Errors: guardian.bad_source (not an address), guardian.bad_duration.
    Result<Isolation> isolate(
        const QString &source, qint64 durationMs, const QString &reason, const QString &actor);
    // Errors: guardian.bad_source, guardian.not_isolated.
    Result<GuardianSnapshot> release(const QString &source, const QString &actor);
    // Ends isolations that are over and steps the mode down when quiet; the tick calls it.
    void tick();

    // A log watcher's source crossed its threshold: an event `watcher.NAME` of the watcher's
    // severity, and for `action: isolate` an isolation of the source (not on the ignore list).
    void watcherHit(const WatcherHit &hit);
    // Every line a watcher matched: a signal of the threat score.
    void watcherMatched(const QString &watcher, const QString &source);
    // A host reading for the resource-abuse detector: `resource.cpu` / `resource.memory`
    // warnings naming the top processes when an episode has lasted `sustain`.
    void hostSampled(const HostSample &sample);
    // The current threat score of each source with its explanation (features and points).
    QList<ThreatAssessment> assess(const QStringList &sources);

Q_SIGNALS:
    // Controller's thread.
    void snapshotChanged(const Shivx::GuardianSnapshot &snapshot);
    void modeChanged(Shivx::DefenseMode mode, const Shivx::Message &reason);
    void threatRecorded(const Shivx::ThreatRecord &record);
    // A policy with `notify` matched `event`: the module hands it to alerting's notifiers.
    void notifyRequested(const Shivx::ThreatEvent &event);
    // A policy command ended: exit code, or -1 when it could not start or was killed.
    void commandFinished(const QStringList &argv, int exitCode);

private:
    void applyModeChange(const ModeChange &c);
    void applyPolicies(const ThreatEvent &event);
    // `source` as an address the guardian may isolate: normalized, not on the ignore list.
    std::optional<QString> isolatable(const QString &source) const;
    // Feeds the API guard's pending signals into the score.
    void takeApiSignals();
    void runCommand(const GuardianPolicy &policy, const QString &source, qint64 durationMs);
    bool addIsolation(const Isolation &isolation);
    void pushIsolationsToGuard();
    void publish();
    void storeFailed(const Error &error);

    const GuardianConfig m_config;
    const QString m_dbPath;
    Clock *const m_clock;
    AuditSink *const m_audit;
    const std::shared_ptr<GuardianApiGuard> m_guard;
    const SourceMatcher m_ignore;
    ThreatScore m_score;
    ResourceAbuse m_abuse;
    std::unique_ptr<ThreatStore> m_store;
    DefenseModeMachine m_machine;
    QList<Isolation> m_isolations;
    QList<QProcess *> m_commands;
    QTimer *m_tick = nullptr;
    qint64 m_lastPruneMs = 0;
    GuardianSnapshot m_counters; // the counters part, kept between publishes

    mutable QMutex m_mutex;
    std::shared_ptr<const GuardianSnapshot> m_snapshot;
};

} // namespace Shivx
