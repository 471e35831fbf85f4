#include "recovery/restartplanner.h"

#include <QRandomGenerator>

namespace Shivx {

RestartPlanner::RestartPlanner(const RecoverySpec &spec, qint64 stableRunMs, Random random)
    : m_spec(spec)
    , m_stableRunMs(stableRunMs)
    , m_random(std::move(random))
{
    if (!m_random) {
        m_random = [](qint64 bound) {
            return bound <= 0 ? 0 : QRandomGenerator::global()->bounded(bound + 1);
        };
    }
}

qint64 RestartPlanner::backoffDelayMs(int attempt) const
{
    qint64 delay = m_spec.backoffInitialMs;
    for (int i = 1; i < attempt && delay < m_spec.backoffMaxMs; ++i)
        delay = delay == 0 ? 0 : delay * 2;
    return qMin(delay, m_spec.backoffMaxMs);
}

RestartPlanner::Decision RestartPlanner::onExit(
    qint64 nowMs, qint64 startedAtMs, bool failed, bool byProbe)
{
    Decision d;
    if (!byProbe) {
        if (m_spec.restart == RestartPolicy::Never
            || (m_spec.restart == RestartPolicy::OnFailure && !failed))
            return d;
    }
    if (startedAtMs > 0 && nowMs - startedAtMs >= m_stableRunMs)
        m_consecutive = 0;

    const qint64 cutoff = nowMs - m_spec.crashLoopWindowMs;
    while (!m_restartTimesMs.isEmpty() && m_restartTimesMs.constFirst() <= cutoff)
        m_restartTimesMs.removeFirst();
    d.restartsInWindow = int(m_restartTimesMs.size());
    if (d.restartsInWindow >= m_spec.crashLoopRestarts) {
        d.kind = Decision::CrashLoop;
        const qint64 cooldown = m_spec.crashLoopCooldownMs;
        d.delayMs = cooldown + qBound<qint64>(0, m_random(cooldown / 5), cooldown / 5);
        // The retry after the cooldown starts a fresh count: the process gets a full
        // window of restarts again, and its backoff starts over.
        m_restartTimesMs.clear();
        m_consecutive = 0;
        return d;
    }
    m_consecutive += 1;
    m_restartTimesMs.append(nowMs);
    d.kind = Decision::Restart;
    d.attempt = m_consecutive;
    d.restartsInWindow += 1;
    d.delayMs = backoffDelayMs(m_consecutive);
    return d;
}

void RestartPlanner::onOperatorStart()
{
    m_consecutive = 0;
}

} // namespace Shivx
