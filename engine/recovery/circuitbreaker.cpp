#include "recovery/circuitbreaker.h"

#include "core/clock.h"
#include "core/timeutil.h"

#include <QMutexLocker>

#include <optional>

namespace Shivx {

QString toString(BreakerState state)
{
    switch (state) {
    case BreakerState::Closed:
        return QStringLiteral("closed");
    case BreakerState::Open:
        return QStringLiteral("open");
    case BreakerState::HalfOpen:
        return QStringLiteral("half_open");
    }
    return {};
}

QString toString(BreakerForce force)
{
    switch (force) {
    case BreakerForce::Auto:
        return QStringLiteral("auto");
    case BreakerForce::Open:
        return QStringLiteral("open");
    case BreakerForce::Closed:
        return QStringLiteral("closed");
    }
    return {};
}

bool parseBreakerForce(const QString &text, BreakerForce *out)
{
    for (BreakerForce f : { BreakerForce::Auto, BreakerForce::Open, BreakerForce::Closed }) {
        if (text == toString(f)) {
            *out = f;
            return true;
        }
    }
    return false;
}

bool BreakerSnapshot::operator==(const BreakerSnapshot &o) const
{
    return name == o.name && state == o.state && force == o.force && config == o.config
        && calls == o.calls && failures == o.failures && rejections == o.rejections
        && consecutiveFailures == o.consecutiveFailures && windowCalls == o.windowCalls
        && windowFailures == o.windowFailures && lastTransitionMs == o.lastTransitionMs
        && timeInStateMs == o.timeInStateMs && lastReason == o.lastReason;
}

CircuitBreaker::CircuitBreaker(
    QString name, const BreakerConfig &config, Clock *clock, TransitionCallback onTransition)
    : m_name(std::move(name))
    , m_clock(clock ? clock : Clock::system())
    , m_onTransition(std::move(onTransition))
    , m_failureThreshold(qMax(1, config.failureThreshold))
    , m_failureRatePercent(qBound(0, config.failureRatePercent, 100))
    , m_windowSize(qBound(1, config.windowSize, BreakerConfig::MaxWindowSize))
    , m_calls(new CallStripe[CallStripes])
    , m_window(new std::atomic<quint8>[BreakerConfig::MaxWindowSize])
    , m_recoveryTimeoutMs(qMax<qint64>(0, config.recoveryTimeoutMs))
    , m_halfOpenMaxCalls(qMax(1, config.halfOpenMaxCalls))
{
    for (int i = 0; i < BreakerConfig::MaxWindowSize; ++i)
        m_window[i].store(0, std::memory_order_relaxed);
    m_lastTransitionMs.store(m_clock->nowMs());
}

CircuitBreaker::~CircuitBreaker() = default;

thread_local int CircuitBreaker::s_stripe = -1;

int CircuitBreaker::assignStripe()
{
    // Threads take stripes round-robin on first use; more threads than stripes share, which
    // only costs contention, never counts (fetch_add either way).
    static std::atomic<int> next { 0 };
    s_stripe = next.fetch_add(1, std::memory_order_relaxed) % CallStripes;
    return s_stripe;
}

Q_NEVER_INLINE bool CircuitBreaker::acquireSlow()
{
    std::optional<BreakerTransition> changed;
    bool allowed = false;
    {
        QMutexLocker lock(&m_mutex);
        const auto state = BreakerState(m_state.load());
        if (state == BreakerState::Closed) {
            allowed = true;
        } else if (state == BreakerState::Open) {
            const bool pinned = BreakerForce(m_force.load()) == BreakerForce::Open;
            if (!pinned && m_clock->nowMs() - m_lastTransitionMs.load() >= m_recoveryTimeoutMs) {
                changed = transitionLocked(BreakerState::HalfOpen,
                    makeMessage("breaker.recovery_timeout_passed", { m_recoveryTimeoutMs },
                        QStringLiteral("recovery timeout of %1 passed")
                            .arg(TimeUtil::formatDurationMs(m_recoveryTimeoutMs))));
                m_trialsInFlight = 1;
                allowed = true;
            }
        } else if (m_trialsInFlight + m_trialSuccesses < m_halfOpenMaxCalls) {
            ++m_trialsInFlight;
            allowed = true;
        }
        if (allowed)
            m_calls[stripeOfThisThread()].count.fetch_add(1, std::memory_order_relaxed);
        else
            m_rejections.fetch_add(1, std::memory_order_relaxed);
    }
    if (changed)
        notify(*changed);
    return allowed;
}

// Everything recordSuccess() does not finish inline: a CLOSED breaker with failures to
// forget or a window to fill, and the HALF_OPEN trials.
Q_NEVER_INLINE void CircuitBreaker::successSlow()
{
    if (m_state.load(std::memory_order_acquire) == int(BreakerState::Closed)) {
        if (m_consecutiveFailures.load(std::memory_order_relaxed) != 0)
            m_consecutiveFailures.store(0, std::memory_order_relaxed);
        if (!windowNeedsNoSuccess())
            recordWindow(false);
        return;
    }
    std::optional<BreakerTransition> changed;
    {
        QMutexLocker lock(&m_mutex);
        if (BreakerState(m_state.load()) != BreakerState::HalfOpen)
            return; // a call let through before the breaker opened
        m_trialsInFlight = qMax(0, m_trialsInFlight - 1);
        if (++m_trialSuccesses >= m_halfOpenMaxCalls)
            changed = transitionLocked(BreakerState::Closed,
                makeMessage("breaker.trials_succeeded", { m_halfOpenMaxCalls },
                    m_halfOpenMaxCalls == 1
                        ? QStringLiteral("trial call succeeded")
                        : QStringLiteral("%1 trial calls succeeded").arg(m_halfOpenMaxCalls)));
    }
    if (changed)
        notify(*changed);
}

void CircuitBreaker::recordFailure()
{
    m_failures.fetch_add(1, std::memory_order_relaxed);
    if (m_state.load(std::memory_order_acquire) == int(BreakerState::Closed)) {
        const int inARow = m_consecutiveFailures.fetch_add(1, std::memory_order_relaxed) + 1;
        recordWindow(true);
        if (BreakerForce(m_force.load(std::memory_order_relaxed)) == BreakerForce::Closed)
            return;
        if (inARow >= m_failureThreshold.load(std::memory_order_relaxed))
            openFromClosed(makeMessage("breaker.consecutive_failures", { inARow },
                QStringLiteral("%1 consecutive failures").arg(inARow)));
        else if (rateExceeded()) {
            const int failed = m_windowFailures.load();
            const int window = m_windowSize.load();
            openFromClosed(makeMessage("breaker.failure_rate", { failed, window },
                QStringLiteral("%1 of the last %2 calls failed").arg(failed).arg(window)));
        }
        return;
    }
    std::optional<BreakerTransition> changed;
    {
        QMutexLocker lock(&m_mutex);
        if (BreakerState(m_state.load()) != BreakerState::HalfOpen)
            return;
        m_trialsInFlight = qMax(0, m_trialsInFlight - 1);
        changed = transitionLocked(BreakerState::Open,
            makeMessage("breaker.trial_failed", {}, QStringLiteral("trial call failed")));
    }
    notify(*changed);
}

void CircuitBreaker::release()
{
    if (m_state.load(std::memory_order_acquire) == int(BreakerState::Closed))
        return;
    QMutexLocker lock(&m_mutex);
    if (BreakerState(m_state.load()) == BreakerState::HalfOpen)
        m_trialsInFlight = qMax(0, m_trialsInFlight - 1);
}

void CircuitBreaker::openFromClosed(const Message &reason)
{
    std::optional<BreakerTransition> changed;
    {
        QMutexLocker lock(&m_mutex);
        // Another thread may have opened it, or an operator pinned it, since the check.
        if (BreakerState(m_state.load()) != BreakerState::Closed
            || BreakerForce(m_force.load()) != BreakerForce::Auto)
            return;
        changed = transitionLocked(BreakerState::Open, reason);
    }
    notify(*changed);
}

void CircuitBreaker::force(BreakerForce force)
{
    std::optional<BreakerTransition> changed;
    {
        QMutexLocker lock(&m_mutex);
        m_force.store(int(force));
        const auto state = BreakerState(m_state.load());
        switch (force) {
        case BreakerForce::Open: {
            const Message reason
                = makeMessage("breaker.forced_open", {}, QStringLiteral("forced open"));
            if (state != BreakerState::Open)
                changed = transitionLocked(BreakerState::Open, reason);
            else
                m_lastReason = reason;
            break;
        }
        case BreakerForce::Closed:
        case BreakerForce::Auto: {
            const Message reason = force == BreakerForce::Closed
                ? makeMessage("breaker.forced_closed", {}, QStringLiteral("forced closed"))
                : makeMessage("breaker.automatic", {}, QStringLiteral("returned to automatic"));
            if (state != BreakerState::Closed) {
                changed = transitionLocked(BreakerState::Closed, reason);
            } else {
                m_lastReason = reason;
                m_consecutiveFailures.store(0);
                resetWindowLocked();
            }
            break;
        }
        }
    }
    if (changed)
        notify(*changed);
}

void CircuitBreaker::retune(const BreakerConfig &config)
{
    QMutexLocker lock(&m_mutex);
    m_failureThreshold.store(qMax(1, config.failureThreshold));
    m_failureRatePercent.store(qBound(0, config.failureRatePercent, 100));
    const int size = qBound(1, config.windowSize, BreakerConfig::MaxWindowSize);
    if (size != m_windowSize.load()) {
        m_windowSize.store(size);
        resetWindowLocked();
    }
    m_recoveryTimeoutMs = qMax<qint64>(0, config.recoveryTimeoutMs);
    m_halfOpenMaxCalls = qMax(1, config.halfOpenMaxCalls);
}

BreakerSnapshot CircuitBreaker::snapshot() const
{
    BreakerSnapshot s;
    s.name = m_name;
    QMutexLocker lock(&m_mutex);
    s.state = BreakerState(m_state.load());
    s.force = BreakerForce(m_force.load());
    s.config.failureThreshold = m_failureThreshold.load();
    s.config.failureRatePercent = m_failureRatePercent.load();
    s.config.windowSize = m_windowSize.load();
    s.config.recoveryTimeoutMs = m_recoveryTimeoutMs;
    s.config.halfOpenMaxCalls = m_halfOpenMaxCalls;
    for (int i = 0; i < CallStripes; ++i)
        s.calls += m_calls[i].count.load();
    s.failures = m_failures.load();
    s.rejections = m_rejections.load();
    s.consecutiveFailures = m_consecutiveFailures.load();
    s.windowCalls = int(
        qMin<quint64>(m_windowNext.load() - m_windowStart.load(), quint64(s.config.windowSize)));
    s.windowFailures = qMax(0, m_windowFailures.load());
    s.lastTransitionMs = m_lastTransitionMs.load();
    s.timeInStateMs = qMax<qint64>(0, m_clock->nowMs() - s.lastTransitionMs);
    s.lastReason = m_lastReason;
    return s;
}

BreakerTransition CircuitBreaker::transitionLocked(BreakerState to, const Message &reason)
{
    BreakerTransition t;
    t.name = m_name;
    t.from = BreakerState(m_state.load());
    t.to = to;
    t.reason = reason;
    t.atMs = m_clock->nowMs();
    m_lastReason = reason;
    m_lastTransitionMs.store(t.atMs);
    m_trialsInFlight = 0;
    m_trialSuccesses = 0;
    if (to == BreakerState::Closed) {
        // A closed breaker starts over: old failures must not reopen it at once.
        m_consecutiveFailures.store(0);
        resetWindowLocked();
    }
    m_state.store(int(to), std::memory_order_release);
    return t;
}

void CircuitBreaker::notify(const BreakerTransition &t) const
{
    if (m_onTransition)
        m_onTransition(t);
}

Q_NEVER_INLINE void CircuitBreaker::recordWindow(bool failure)
{
    if (m_failureRatePercent.load(std::memory_order_relaxed) == 0)
        return;
    const int size = m_windowSize.load(std::memory_order_relaxed);
    const quint64 index = m_windowNext.fetch_add(1, std::memory_order_relaxed);
    const quint8 old
        = m_window[index % quint64(size)].exchange(failure ? 1 : 0, std::memory_order_relaxed);
    if (old != quint8(failure))
        m_windowFailures.fetch_add(failure ? 1 : -1, std::memory_order_relaxed);
}

void CircuitBreaker::resetWindowLocked()
{
    m_windowStart.store(m_windowNext.load());
    for (int i = 0; i < BreakerConfig::MaxWindowSize; ++i) {
        if (m_window[i].exchange(0, std::memory_order_relaxed) != 0)
            m_windowFailures.fetch_sub(1, std::memory_order_relaxed);
    }
}

bool CircuitBreaker::rateExceeded() const
{
    const int percent = m_failureRatePercent.load(std::memory_order_relaxed);
    if (percent == 0)
        return false;
    const int size = m_windowSize.load(std::memory_order_relaxed);
    if (m_windowNext.load(std::memory_order_relaxed) - m_windowStart.load(std::memory_order_relaxed)
        < quint64(size))
        return false;
    return qint64(m_windowFailures.load(std::memory_order_relaxed)) * 100 >= qint64(percent) * size;
}

} // namespace Shivx
