#include "recovery/recoveryconfig.h"

#include "core/configreader.h"
#include "health/target.h"

namespace Shivx::Internal {

namespace {

using Reader = ConfigReader;

void readBreaker(Reader &r, const YAML::Node &n, const QString &path, BreakerConfig *b)
{
    if (!r.checkKeys(n, path,
            { QStringLiteral("failure_threshold"), QStringLiteral("failure_rate"),
                QStringLiteral("window"), QStringLiteral("recovery_timeout"),
                QStringLiteral("half_open_calls") }))
        return;
    r.integer(n, path, "failure_threshold", &b->failureThreshold, 1, 1000);
    r.integer(n, path, "failure_rate", &b->failureRatePercent, 0, 100);
    r.integer(n, path, "window", &b->windowSize, 1, BreakerConfig::MaxWindowSize);
    r.timerDuration(n, path, "recovery_timeout", &b->recoveryTimeoutMs, 100);
    r.integer(n, path, "half_open_calls", &b->halfOpenMaxCalls, 1, 100);
}

void readRetry(Reader &r, const YAML::Node &n, const QString &path, RetryConfig *c)
{
    if (!r.checkKeys(n, path,
            { QStringLiteral("max_attempts"), QStringLiteral("initial_delay"),
                QStringLiteral("multiplier"), QStringLiteral("max_delay"),
                QStringLiteral("jitter") }))
        return;
    r.integer(n, path, "max_attempts", &c->maxAttempts, 1, 100);
    r.timerDuration(n, path, "initial_delay", &c->initialDelayMs, 0);
    r.number(n, path, "multiplier", &c->multiplier, 1, 100);
    r.timerDuration(n, path, "max_delay", &c->maxDelayMs, 0);
    r.number(n, path, "jitter", &c->jitter, 0, 1);
    if (!r.failed() && c->maxDelayMs < c->initialDelayMs)
        r.fail(n["max_delay"].IsDefined() ? n["max_delay"] : n,
            Reader::join(path, QStringLiteral("max_delay")),
            QStringLiteral("must not be shorter than initial_delay (%1)")
                .arg(TimeUtil::formatDurationMs(c->initialDelayMs)));
}

bool present(const YAML::Node &n)
{
    return n.IsDefined() && !n.IsNull();
}

} // namespace

void readRecoverySection(Reader &r, const YAML::Node &node, RecoveryDefaults *out)
{
    const QString path = QStringLiteral("recovery");
    if (!r.checkKeys(node, path,
            { QStringLiteral("timeout"), QStringLiteral("breaker"), QStringLiteral("retry") }))
        return;
    r.timerDuration(node, path, "timeout", &out->timeoutMs, 10);
    if (const YAML::Node b = node["breaker"]; !r.failed() && present(b))
        readBreaker(r, b, path + QStringLiteral(".breaker"), &out->breaker);
    if (const YAML::Node c = node["retry"]; !r.failed() && present(c))
        readRetry(r, c, path + QStringLiteral(".retry"), &out->retry);
}

void readRecoveryTarget(Reader &r, const YAML::Node &targetNode, const QString &path,
    const RecoveryDefaults &defaults, TargetSpec *target)
{
    target->breaker = defaults.breaker;
    target->retry = defaults.retry;
    if (!present(targetNode["timeout"]))
        target->timeoutMs = qMin(defaults.timeoutMs, target->intervalMs);
    if (const YAML::Node b = targetNode["breaker"]; present(b))
        readBreaker(r, b, path + QStringLiteral(".breaker"), &target->breaker);
    if (const YAML::Node c = targetNode["retry"]; !r.failed() && present(c))
        readRetry(r, c, path + QStringLiteral(".retry"), &target->retry);
}

} // namespace Shivx::Internal
