#pragma once

#include <QStringList>
#include <QtGlobal>

namespace YAML {
class Node;
}

namespace Shivx {

struct TargetSpec;

namespace Internal {
class ConfigReader;
}

// Thresholds of the health score; see docs/health-score.md for the formula.
struct ScoreConfig
{
    double cpuWarnPercent = 70, cpuMaxPenalty = 15;
    double memoryWarnPercent = 80, memoryMaxPenalty = 20;
    double diskWarnPercent = 85, diskMaxPenalty = 15;
    double targetsMaxPenalty = 50;
    double watchdogPenalty = 25;
    double criticalDownCap = 49;
};

// The `sampler:` and `score:` sections (docs/configuration.md). Durations in milliseconds.
struct HealthConfig
{
    qint64 sampleIntervalMs = 1000;
    // Filesystem types to skip besides the built-in pseudo ones.
    QStringList ignoreFsTypes;
    // A sampler or probe thread silent this long counts as stalled.
    qint64 watchdogStallMs = 5000;
    ScoreConfig score;
};

namespace Internal {

// Keys of a target entry that the health module reads.
QStringList healthTargetKeys();
// Reads `sampler:` and `score:` (undefined or null nodes keep the defaults).
void readHealthConfig(
    ConfigReader &r, const YAML::Node &sampler, const YAML::Node &score, HealthConfig *out);
// Reads what health probes of one target entry ("targets[2]"): name, type and the type's
// keys, interval, timeout, weight, criticality and thresholds.
void readTargetProbe(ConfigReader &r, const YAML::Node &entry, const QString &path, TargetSpec *t);
// A sampler interval longer than the watchdog's stall limit would make readiness flap.
void validateHealthConfig(ConfigReader &r, const YAML::Node &sampler, const HealthConfig &c);

} // namespace Internal
} // namespace Shivx
