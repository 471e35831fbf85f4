#pragma once

#include "guardian/defensemode.h"
#include "guardian/detectors/resourceabuse.h"
#include "guardian/detectors/watcherconfig.h"
#include "guardian/threatevent.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace YAML {
class Node;
}

namespace Shivx {

// When the defense mode rises and falls by itself (DefenseModeMachine).
struct DefenseModeRules
{
    int elevateWarnings = 5; // this many warnings ...
    qint64 elevateWindowMs = 5 * 60'000; // ... within this window raise NORMAL to ELEVATED
    bool lockdownOnCritical = true; // any critical event raises to LOCKDOWN
    int elevateScore = 60; // an event with a score at or above raises to ELEVATED (0: never)
    int lockdownScore = 90; // ... at or above this, to LOCKDOWN (0: never)
    qint64 quietMs = 15 * 60'000; // no warning or critical this long: one level down
};

// The guard in front of the engine's own API (GuardianApiGuard).
struct ApiGuardRules
{
    qint64 windowMs = 60'000; // the sliding window of the request counters
    int warnRequests = 100; // requests per window from one source: a warning event
    int limitRequests = 500; // above this many: 429 with Retry-After
    qint64 tokenWindowMs = 10 * 60'000; // the window of failed token checks per source
    int tokenWarn = 5; // failed token checks per window: warning
    int tokenCritical = 10; // ... critical
    // Exempt from the rate limits (fail2ban's ignoreip): addresses and CIDR ranges.
    QStringList ignore { QStringLiteral("127.0.0.0/8"), QStringLiteral("::1") };
};

// What to do when an event of a type and severity arrives (guardian.policies[]).
struct GuardianPolicy
{
    QString type; // exact event type, or "*" for any
    ThreatSeverity minSeverity = ThreatSeverity::Warning;
    qint64 isolateMs = 0; // > 0: isolate the event's source this long
    std::optional<DefenseMode> raiseMode; // raise the mode to at least this
    // Run without a shell: program and arguments, then the source and the isolation in whole
    // seconds as the last two arguments (docs/guardian.md has the nftables example).
    QStringList command;
    qint64 commandTimeoutMs = 30'000; // killed after this long
    // Tell the operators through the alerting module's notifiers: an alert GuardianThreat
    // (labels type, source, severity) that resolves `notifyHoldMs` after the last such event.
    bool notify = false;
    static constexpr qint64 notifyHoldMs = 15 * 60'000;
};

// The `guardian:` section (docs/configuration.md).
struct GuardianConfig
{
    bool enabled = true;
    qint64 aggregateWindowMs = 60 * 60'000; // repeats within this window share one row
    qint64 retentionMs = 30LL * 86'400'000; // threat rows older than this are deleted
    DefenseModeRules mode;
    ApiGuardRules api;
    QList<GuardianPolicy> policies;
    // Supervised targets marked `external: true` (a key of the target entry): stopped while
    // the mode is LOCKDOWN, started again when it drops.
    QStringList externalTargets;
    // The detectors the guardian runs (docs/configuration.md, "guardian: detectors").
    QList<WatcherConfig> watchers;
    ResourceAbuseConfig resourceAbuse;
};

namespace Internal {
class ConfigReader;
void readGuardianConfig(ConfigReader &reader, const YAML::Node &node, GuardianConfig *out);
} // namespace Internal

} // namespace Shivx
