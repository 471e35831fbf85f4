#include "health/targetstatemachine.h"

#include "health/probemessages.h"

#include <QtGlobal>

namespace Shivx {

TargetStateMachine::TargetStateMachine(
    const TargetSpec &spec, int flapMaxChanges, qint64 flapWindowMs)
    : m_flapMaxChanges(flapMaxChanges)
    , m_flapWindowMs(flapWindowMs)
{
    setSpec(spec);
}

void TargetStateMachine::setSpec(const TargetSpec &spec)
{
    m_spec = spec;
    m_status.name = spec.name;
    m_status.kind = spec.kind;
    m_status.critical = spec.critical;
    m_status.weight = spec.weight;
}

int TargetStateMachine::changesInWindow(qint64 nowMs)
{
    const qint64 cutoff = nowMs - m_flapWindowMs;
    while (!m_changeTimesMs.isEmpty() && m_changeTimesMs.constFirst() <= cutoff)
        m_changeTimesMs.removeFirst();
    return int(m_changeTimesMs.size());
}

void TargetStateMachine::changeTo(TargetState to, qint64 nowMs, Transition *transition)
{
    transition->from = m_status.state;
    transition->to = to;
    if (to == m_status.state)
        return;
    transition->changed = true;
    if (m_status.state != TargetState::Unknown)
        m_changeTimesMs.append(nowMs);
    m_status.state = to;
    m_status.lastChangeMs = nowMs;
}

TargetStateMachine::Transition TargetStateMachine::reset(
    TargetState state, qint64 nowMs, const Message &reason)
{
    Transition t;
    t.reason = reason;
    m_status.consecutiveFailures = 0;
    m_status.consecutiveSuccesses = 0;
    changeTo(state, nowMs, &t);
    m_status.lastError = state == TargetState::Up ? Message() : reason;
    m_status.transitionsLastMinutes = int(m_changeTimesMs.size());
    return t;
}

TargetStateMachine::Transition TargetStateMachine::apply(const ProbeResult &result)
{
    const qint64 now = result.finishedAtMs;
    Transition t;
    m_status.checks += 1;
    m_status.lastCheckMs = now;
    m_status.latencyMs = result.latencyMs;

    if (result.ok) {
        m_status.consecutiveFailures = 0;
        m_status.consecutiveSuccesses += 1;
        const int recent = changesInWindow(now);
        // Counting the change this success would cause: a target that keeps coming back
        // is reported as DEGRADED until it has been steady for a whole window.
        const bool wouldChange
            = m_status.state != TargetState::Up && m_status.state != TargetState::Unknown;
        const int changes = recent + (wouldChange ? 1 : 0);
        const bool slow
            = m_spec.slowThresholdMs > 0 && result.latencyMs > double(m_spec.slowThresholdMs);
        if (changes > m_flapMaxChanges) {
            t.reason = ProbeMessages::flapping(recent, m_flapWindowMs);
            changeTo(TargetState::Degraded, now, &t);
            m_status.lastError = t.reason;
        } else if (slow) {
            t.reason = ProbeMessages::slow(result.latencyMs, m_spec.slowThresholdMs);
            changeTo(TargetState::Degraded, now, &t);
            m_status.lastError = t.reason;
        } else {
            t.reason = ProbeMessages::probeSucceeded(result.latencyMs);
            changeTo(TargetState::Up, now, &t);
            m_status.lastError = {};
        }
        m_lastProbeError = {};
    } else {
        m_status.consecutiveSuccesses = 0;
        m_status.consecutiveFailures += 1;
        m_status.failures += 1;
        changesInWindow(now);
        const Message error = result.error.isEmpty() ? ProbeMessages::probeFailed() : result.error;
        const int threshold = qMax(1, m_spec.failureThreshold);
        if (m_status.consecutiveFailures >= threshold) {
            t.reason = ProbeMessages::consecutiveFailures(error, m_status.consecutiveFailures);
            changeTo(TargetState::Down, now, &t);
        } else {
            t.reason = ProbeMessages::failureOf(error, m_status.consecutiveFailures, threshold);
            changeTo(TargetState::Degraded, now, &t);
        }
        m_status.lastError = error;
        m_lastProbeError = error;
    }
    m_status.transitionsLastMinutes = int(m_changeTimesMs.size());
    return t;
}

TargetStateMachine::Transition TargetStateMachine::applyRejected(qint64 nowMs)
{
    Transition t;
    t.reason = ProbeMessages::circuitOpen(m_lastProbeError);
    m_status.lastCheckMs = nowMs;
    m_status.lastError = t.reason;
    changesInWindow(nowMs);
    changeTo(TargetState::Down, nowMs, &t);
    m_status.transitionsLastMinutes = int(m_changeTimesMs.size());
    return t;
}

} // namespace Shivx
