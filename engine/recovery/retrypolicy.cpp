#include "recovery/retrypolicy.h"

#include <QRandomGenerator>

#include <cmath>

namespace Shivx {

RetryPolicy::RetryPolicy(const RetryConfig &config, RandomSource random)
    : m_config(config)
    , m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

qint64 RetryPolicy::baseDelayBeforeAttempt(int attempt) const
{
    if (attempt <= 1)
        return 0;
    const double cap = double(qMax<qint64>(0, m_config.maxDelayMs));
    // In double, so a large attempt number saturates at the cap instead of overflowing.
    const double raw = double(qMax<qint64>(0, m_config.initialDelayMs))
        * std::pow(qMax(1.0, m_config.multiplier), double(attempt - 2));
    return qint64(std::min(raw, cap));
}

qint64 RetryPolicy::delayBeforeAttempt(int attempt) const
{
    const qint64 base = baseDelayBeforeAttempt(attempt);
    const double jitter = qBound(0.0, m_config.jitter, 1.0);
    if (base == 0 || jitter == 0)
        return base;
    // "Equal jitter" shape: the delay keeps (1 - jitter) of itself for sure, so retries still
    // back off, and the rest is random.
    const double r = qBound(0.0, m_random(), 1.0);
    return base - qint64(std::floor(double(base) * jitter * r));
}

} // namespace Shivx
