#pragma once

#include "recovery/circuitbreaker.h"
#include "recovery/retrypolicy.h"
#include "recovery/superviseconfig.h"

#include <QList>

#include <QtGlobal>

namespace YAML {
class Node;
}

namespace Shivx {

struct TargetSpec;

namespace Internal {
class ConfigReader;
}

// The `recovery:` section: defaults for every breaker, retry policy and blocking operation,
// which each target may override with its own `breaker:`, `retry:` and `timeout:` keys.
struct RecoveryDefaults
{
    BreakerConfig breaker;
    RetryConfig retry;
    // Timeout of a blocking operation that has none of its own (a target without
    // `timeout:` gets this, capped at its interval).
    qint64 timeoutMs = 30'000;
};

// What the recovery module reads: the `recovery:` section and the supervision keys of every
// target entry (docs/configuration.md, docs/supervisor.md).
struct RecoveryConfig
{
    RecoveryDefaults defaults; // already applied to each target's breaker, retry and timeout
    // Targets with supervise: or restart_command:, in configuration order.
    QList<RecoverySpec> supervised;
};

namespace Internal {

// Reads the `recovery:` mapping at `node` into `out`.
void readRecoverySection(ConfigReader &r, const YAML::Node &node, RecoveryDefaults *out);

// Gives `target` the defaults, then reads the target's own `breaker:` and `retry:` keys
// (`targetNode` is the target's mapping, `path` its key such as "targets[2]") and applies
// the default timeout, capped at the target's interval, when the target has no `timeout:`.
void readRecoveryTarget(ConfigReader &r, const YAML::Node &targetNode, const QString &path,
    const RecoveryDefaults &defaults, TargetSpec *target);

} // namespace Internal
} // namespace Shivx
