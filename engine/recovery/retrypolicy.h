#pragma once

#include <QMetaType>
#include <QtGlobal>

#include <functional>

namespace Shivx {

// How often and how patiently to retry a failed call. Durations in milliseconds.
struct RetryConfig
{
    // Attempts in all, the first included: 1 = no retry.
    int maxAttempts = 1;
    // Delay before the 2nd attempt; each further retry multiplies it by `multiplier`.
    qint64 initialDelayMs = 200;
    double multiplier = 2.0;
    // No delay is longer than this, jitter included.
    qint64 maxDelayMs = 10'000;
    // Share of each delay that is random (0 = exact delays, 1 = anywhere from 0 to the
    // full delay), so that many clients failing together do not retry together.
    double jitter = 0.2;

    bool operator==(const RetryConfig &o) const
    {
        return maxAttempts == o.maxAttempts && initialDelayMs == o.initialDelayMs
            && multiplier == o.multiplier && maxDelayMs == o.maxDelayMs && jitter == o.jitter;
    }
    bool operator!=(const RetryConfig &o) const { return !(*this == o); }
};

// Exponential backoff with jitter and a cap. Pure apart from the random source, which tests
// replace to make the jitter deterministic. Copyable; not thread-safe (one per caller).
class RetryPolicy
{
public:
    // Returns a value in [0, 1).
    using RandomSource = std::function<double()>;

    explicit RetryPolicy(const RetryConfig &config = {}, RandomSource random = {});

    const RetryConfig &config() const { return m_config; }

    // Whether a call that has failed `attemptsMade` times may be tried again.
    bool shouldRetry(int attemptsMade) const { return attemptsMade < m_config.maxAttempts; }

    // Delay before attempt `attempt` (2 = the first retry): initial * multiplier^(attempt-2),
    // capped at maxDelayMs, then reduced by up to `jitter` of itself. 0 for attempt <= 1.
    qint64 delayBeforeAttempt(int attempt) const;
    // The same without jitter: the upper bound of delayBeforeAttempt().
    qint64 baseDelayBeforeAttempt(int attempt) const;

private:
    RetryConfig m_config;
    RandomSource m_random;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::RetryConfig)
