#pragma once

#include "health/target.h"

#include <QList>
#include <QString>

namespace Shivx {

// Turns a stream of probe results into the state of one target. Pure: time comes only from
// ProbeResult::finishedAtMs, so tests drive it with timestamps instead of sleeping.
//
//   no probe yet                                      -> UNKNOWN
//   success, latency <= slowThresholdMs (or 0 = off)  -> UP
//   success, latency > slowThresholdMs                -> DEGRADED "slow"
//   success while flapping                            -> DEGRADED "flapping"
//   failure, consecutive failures < failureThreshold  -> DEGRADED
//   failure, consecutive failures >= failureThreshold -> DOWN
//
// Flapping: a success would make the state change more than flapMaxChanges times within
// flapWindowMs. Changes out of UNKNOWN do not count; discovering a target is not instability.
// Not thread-safe; the monitor owns one per target on its thread.
class TargetStateMachine
{
public:
    static constexpr int DefaultFlapMaxChanges = 4;
    static constexpr qint64 DefaultFlapWindowMs = 5 * 60 * 1000;

    struct Transition
    {
        bool changed = false;
        TargetState from = TargetState::Unknown;
        TargetState to = TargetState::Unknown;
        Message reason; // why the target is in `to` now; also set when !changed
    };

    explicit TargetStateMachine(const TargetSpec &spec = {},
        int flapMaxChanges = DefaultFlapMaxChanges, qint64 flapWindowMs = DefaultFlapWindowMs);

    // Takes the new thresholds, name, weight and criticality; keeps state and counters.
    void setSpec(const TargetSpec &spec);
    const TargetSpec &spec() const { return m_spec; }

    // Puts the target in `state` with fresh consecutive counters, as when its process was just
    // restarted (UNKNOWN) or is known to be down (DOWN); totals and the flap history stay.
    Transition reset(TargetState state, qint64 nowMs, const Message &reason);

    // Feeds one probe result. Results must arrive in time order.
    Transition apply(const ProbeResult &result);
    // No probe was sent because the target's circuit breaker refused it: the target is DOWN
    // with ProbeMessages::circuitOpen(last probe error) as its error ("connection refused;
    // circuit open", or "circuit open" when the last probe succeeded: a breaker forced open).
    // Probe and failure counters do not move.
    Transition applyRejected(qint64 nowMs);

    // lastError is the reason for the current state while it is not UP (the probe error, or
    // "slow: ..." / "flapping: ..."), and empty while UP.
    const TargetStatus &status() const { return m_status; }

private:
    int changesInWindow(qint64 nowMs);
    void changeTo(TargetState to, qint64 nowMs, Transition *transition);

    TargetSpec m_spec;
    TargetStatus m_status;
    int m_flapMaxChanges;
    qint64 m_flapWindowMs;
    QList<qint64> m_changeTimesMs; // state changes between known states, oldest first
    Message m_lastProbeError; // of the last probe if it failed; what the breaker opened on
};

} // namespace Shivx
