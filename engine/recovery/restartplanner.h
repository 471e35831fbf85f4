#pragma once

#include "recovery/superviseconfig.h"

#include <QList>

#include <functional>

namespace Shivx {

// Decides what a supervisor does after its process exits: restart after an exponential
// backoff, enter a crash loop (pause for a jittered cooldown), or leave it stopped. Pure:
// time comes in as arguments and randomness from an injected source, so the tests drive it
// with a ManualClock's timestamps and a fixed random source. Not thread-safe.
//
//   delay of the n-th automatic restart in a row = min(initial * 2^(n-1), max)
//   a run that lasted at least `stableRunMs` resets n (the process started fine)
//   `crashLoopRestarts` automatic restarts within `crashLoopWindowMs` -> crash loop:
//       no restart for cooldown + jitter, jitter uniform in [0, cooldown / 5]
//   after the cooldown the process is tried again; the window then counts afresh
//   operator restarts are not counted and reset the backoff
class RestartPlanner
{
public:
    // Returns a uniformly distributed value in [0, bound] (inclusive).
    using Random = std::function<qint64(qint64 bound)>;

    struct Decision
    {
        enum Kind { Restart, CrashLoop, Stay };
        Kind kind = Stay;
        qint64 delayMs = 0; // until the restart (Restart) or the retry (CrashLoop)
        int attempt = 0; // automatic restarts in a row, this one included
        int restartsInWindow = 0;
    };

    explicit RestartPlanner(
        const RecoverySpec &spec = {}, qint64 stableRunMs = 10'000, Random random = {});

    // The process exited at `nowMs` after running since `startedAtMs`; `failed` is a
    // non-zero exit code or a signal. `byProbe` marks a kill the supervisor itself did
    // because the health probe failed: it counts like a crash whatever the policy says.
    Decision onExit(qint64 nowMs, qint64 startedAtMs, bool failed, bool byProbe = false);
    // The operator asked for a (re)start: fresh backoff, crash loop lifted, not counted.
    void onOperatorStart();

    qint64 backoffDelayMs(int attempt) const;
    int consecutiveRestarts() const { return m_consecutive; }

private:
    RecoverySpec m_spec;
    qint64 m_stableRunMs;
    Random m_random;
    int m_consecutive = 0;
    QList<qint64> m_restartTimesMs; // automatic restarts decided, oldest first
};

} // namespace Shivx
