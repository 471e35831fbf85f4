#pragma once

#include "core/message.h"

#include <QMetaType>
#include <QMutex>
#include <QString>

#include <atomic>
#include <functional>
#include <memory>

namespace Shivx {

class Clock;

enum class BreakerState { Closed, Open, HalfOpen };
// "closed", "open", "half_open": stable codes for the API, metrics and the audit log.
QString toString(BreakerState state);

// Who decides the state: the breaker itself (Auto), or an operator who pinned it.
enum class BreakerForce { Auto, Open, Closed };
QString toString(BreakerForce force);
// Accepts "auto", "open", "closed"; returns false for anything else.
bool parseBreakerForce(const QString &text, BreakerForce *out);

// Thresholds of one breaker. Durations in milliseconds.
struct BreakerConfig
{
    // OPEN after this many failures in a row.
    int failureThreshold = 5;
    // OPEN when at least this share of the last `windowSize` calls failed (percent, 1-100;
    // 0 = off). Judged only once the window is full, so three calls cannot open it.
    int failureRatePercent = 50;
    int windowSize = 20;
    // How long OPEN rejects before letting trial calls through (HALF_OPEN).
    qint64 recoveryTimeoutMs = 60'000;
    // Trial calls let through in HALF_OPEN; all must succeed to close again.
    int halfOpenMaxCalls = 1;

    static constexpr int MaxWindowSize = 1000;

    bool operator==(const BreakerConfig &o) const
    {
        return failureThreshold == o.failureThreshold && failureRatePercent == o.failureRatePercent
            && windowSize == o.windowSize && recoveryTimeoutMs == o.recoveryTimeoutMs
            && halfOpenMaxCalls == o.halfOpenMaxCalls;
    }
    bool operator!=(const BreakerConfig &o) const { return !(*this == o); }
};

// A copy of one breaker's state and counters, safe to pass across threads.
struct BreakerSnapshot
{
    QString name;
    BreakerState state = BreakerState::Closed;
    BreakerForce force = BreakerForce::Auto;
    BreakerConfig config;
    quint64 calls = 0; // calls let through
    quint64 failures = 0;
    quint64 rejections = 0; // calls refused while OPEN (or HALF_OPEN with no trial left)
    int consecutiveFailures = 0;
    int windowCalls = 0; // calls in the sliding window so far (at most windowSize)
    int windowFailures = 0;
    qint64 lastTransitionMs = 0; // epoch ms of the last state change (creation at first)
    qint64 timeInStateMs = 0; // at the time of the snapshot
    Message lastReason; // why the breaker is in its state ("5 consecutive failures")

    bool operator==(const BreakerSnapshot &o) const;
    bool operator!=(const BreakerSnapshot &o) const { return !(*this == o); }
};

struct BreakerTransition
{
    QString name;
    BreakerState from = BreakerState::Closed;
    BreakerState to = BreakerState::Closed;
    Message reason;
    qint64 atMs = 0;
};

// CLOSED -> OPEN after `failureThreshold` failures in a row or a failure rate over the window;
// OPEN rejects until `recoveryTimeoutMs` has passed, then HALF_OPEN lets `halfOpenMaxCalls`
// trials through: all succeed -> CLOSED, one fails -> OPEN again.
//
// Thread-safe. A call is tryAcquire(), then exactly one of recordSuccess(), recordFailure()
// or release() (the call was abandoned without an outcome). In CLOSED, tryAcquire() and the
// record calls touch only atomics, so a hot path through a healthy breaker never takes a lock;
// state changes take the mutex. The transition callback runs on the calling thread, after the
// mutex is released.
class CircuitBreaker
{
public:
    using TransitionCallback = std::function<void(const BreakerTransition &)>;

    CircuitBreaker(QString name, const BreakerConfig &config, Clock *clock = nullptr,
        TransitionCallback onTransition = {});
    ~CircuitBreaker();

    CircuitBreaker(const CircuitBreaker &) = delete;
    CircuitBreaker &operator=(const CircuitBreaker &) = delete;

    const QString &name() const { return m_name; }

    // True: the call may go ahead (and must be followed by a record or release).
    // False: rejected, counted as a rejection.
    // Inline: the CLOSED path is a load, a load of a thread-local and one uncontended add.
    bool tryAcquire()
    {
        if (m_state.load(std::memory_order_acquire) == int(BreakerState::Closed)) {
            m_calls[stripeOfThisThread()].count.fetch_add(1, std::memory_order_relaxed);
            return true;
        }
        return acquireSlow();
    }
    // Inline: for a healthy CLOSED breaker only loads.
    void recordSuccess()
    {
        if (m_state.load(std::memory_order_acquire) == int(BreakerState::Closed)
            && m_consecutiveFailures.load(std::memory_order_relaxed) == 0 && windowNeedsNoSuccess())
            return;
        successSlow();
    }
    void recordFailure();
    void release();

    // Operator override. Open: every call is rejected; Closed: every call is let through and
    // failures never open it; Auto: back to CLOSED with a fresh failure count.
    void force(BreakerForce force);
    // New thresholds; state and counters are kept (the window restarts if its size changed).
    void retune(const BreakerConfig &config);

    BreakerState state() const { return BreakerState(m_state.load(std::memory_order_acquire)); }
    BreakerSnapshot snapshot() const;

private:
    // Callers hold m_mutex; the returned transition is handed to notify() after unlocking.
    BreakerTransition transitionLocked(BreakerState to, const Message &reason);
    void notify(const BreakerTransition &t) const;
    bool acquireSlow();
    void successSlow();
    void recordWindow(bool failure);
    void resetWindowLocked();
    bool rateExceeded() const;
    void openFromClosed(const Message &reason);

    const QString m_name;
    Clock *m_clock;
    TransitionCallback m_onTransition;

    // Read on the hot path, so atomics; written under m_mutex.
    std::atomic<int> m_state { int(BreakerState::Closed) };
    std::atomic<int> m_force { int(BreakerForce::Auto) };
    std::atomic<int> m_failureThreshold;
    std::atomic<int> m_failureRatePercent;
    std::atomic<int> m_windowSize;

    // Calls let through, striped per thread: the one write every call makes then lands on
    // a cache line of its own thread instead of one line bounced between all cores.
    struct alignas(64) CallStripe
    {
        std::atomic<quint64> count { 0 };
    };
    static constexpr int CallStripes = 16;
    static int stripeOfThisThread() { return s_stripe >= 0 ? s_stripe : assignStripe(); }
    static int assignStripe();
    // initial-exec: the engine is built -fPIC, and the default TLS model would make every
    // call go through __tls_get_addr, costing more than the rest of the hot path.
    static thread_local int s_stripe __attribute__((tls_model("initial-exec")));
    // A success into a full window without failures changes nothing it can tell (every slot
    // is 0 already), so a healthy breaker records it without writing. Under concurrent
    // failures this may skip a success; the rate is then judged on a slightly older window,
    // which is within what a sampled rate means anyway.
    bool windowNeedsNoSuccess() const
    {
        return m_failureRatePercent.load(std::memory_order_relaxed) == 0
            || (m_windowFailures.load(std::memory_order_relaxed) == 0
                && m_windowNext.load(std::memory_order_relaxed)
                        - m_windowStart.load(std::memory_order_relaxed)
                    >= quint64(m_windowSize.load(std::memory_order_relaxed)));
    }
    std::unique_ptr<CallStripe[]> m_calls;
    std::atomic<quint64> m_failures { 0 };
    std::atomic<quint64> m_rejections { 0 };
    std::atomic<int> m_consecutiveFailures { 0 };

    // Count-based sliding window: slot i holds 1 for a failure, 0 for a success. Swapping a
    // slot with exchange() keeps m_windowFailures equal to the sum of the slots without a lock.
    std::unique_ptr<std::atomic<quint8>[]> m_window;
    std::atomic<quint64> m_windowNext { 0 }; // calls recorded into the window, ever
    std::atomic<quint64> m_windowStart { 0 }; // m_windowNext when the window last restarted
    std::atomic<int> m_windowFailures { 0 };

    std::atomic<qint64> m_lastTransitionMs { 0 };

    mutable QMutex m_mutex; // guards the fields below and every state change
    qint64 m_recoveryTimeoutMs;
    int m_halfOpenMaxCalls;
    int m_trialsInFlight = 0;
    int m_trialSuccesses = 0;
    Message m_lastReason;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::BreakerSnapshot)
Q_DECLARE_METATYPE(Shivx::BreakerState)
Q_DECLARE_METATYPE(Shivx::BreakerTransition)
Q_DECLARE_METATYPE(Shivx::BreakerConfig)
