#pragma once

#include "core/result.h"
#include "degradation/degradationpolicy.h"
#include "degradation/degradationsnapshot.h"
#include "health/healthreport.h"
#include "telemetry/historystore.h"

#include <QMutex>
#include <QObject>

#include <functional>
#include <memory>

class QTimer;

namespace Shivx {

class AuditSink;
class Clock;

// Runs the degradation policy inside the engine. Lives on the engine's core thread, fed by
// HealthAggregator::healthChanged; pin() and release() may be called from any thread (the
// API's, the console's). Every change is published as an immutable snapshot that snapshot()
// hands out without holding a lock for longer than a pointer copy, so that services may poll
// the API every second. Transitions, pins and releases are recorded in `audit` (may be null).
class DegradationController : public QObject
{
    Q_OBJECT
public:
    DegradationController(
        DegradationConfig config, Clock *clock, AuditSink *audit, QObject *parent = nullptr);
    ~DegradationController() override;

    // Thread-safe.
    DegradationSnapshot snapshot() const;
    std::shared_ptr<const DegradationSnapshot> snapshotPtr() const;
    const DegradationConfig &config() const { return m_config; }

    // Thread-safe. Pins `level` for `durationMs` (1 ms .. max_pin). `reason` and `actor` must
    // not be empty. Returns the snapshot after the pin, or an error naming the bad argument
    // ("degradation.bad_reason", "degradation.bad_duration").
    Result<DegradationSnapshot> pin(
        DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor);
    // Thread-safe. Ends the pin; `released` (may be null) says whether there was one.
    DegradationSnapshot release(const QString &actor, bool *released = nullptr);

public Q_SLOTS:
    // Starts the expiry timer; call on the controller's thread.
    void start();
    void stop();
    void onHealth(const Shivx::HealthReport &report);

Q_SIGNALS:
    // All emitted on the controller's (core) thread.
    void levelChanged(const Shivx::DegradationTransition &transition);
    // Anything but the score changed: level, pin, reason, recovery in progress.
    void snapshotChanged(const Shivx::DegradationSnapshot &snapshot);
    // `degradation.level` (0-4) at every health report and at every transition, for the
    // metric history.
    void historyPoints(const QList<Shivx::SamplePoint> &points);

private:
    // One policy step (a score, or the clock moving on) under the lock: publishes the new
    // snapshot, records a pin that expired on the way, audits and announces a transition.
    std::shared_ptr<const DegradationSnapshot> advance(
        const std::function<std::optional<DegradationTransition>()> &step);
    // Call with m_mutex held; returns the new snapshot.
    std::shared_ptr<const DegradationSnapshot> publishLocked();
    void record(const std::optional<DegradationTransition> &t);
    // Call with m_mutex held, after the policy dropped an expired pin.
    void recordExpiry(const DegradationOverride &pin);
    // Emits on the controller's thread, queued when called from another one.
    void announce(const std::optional<DegradationTransition> &t, bool changed);
    static bool sameState(const DegradationSnapshot &a, const DegradationSnapshot &b);

    const DegradationConfig m_config;
    Clock *m_clock;
    AuditSink *m_audit;
    QTimer *m_timer = nullptr;
    mutable QMutex m_mutex; // guards m_policy, m_transitions and m_snapshot
    DegradationPolicy m_policy;
    quint64 m_transitions = 0;
    std::shared_ptr<const DegradationSnapshot> m_snapshot;
};

} // namespace Shivx
