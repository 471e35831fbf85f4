#pragma once

#include "degradation/featuremap.h"

#include <QtGlobal>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

// The `degradation:` and `features:` sections (docs/configuration.md, docs/degradation.md).
struct DegradationConfig
{
    // The lowest health score that still counts as each level: a score >= normalMin is
    // NORMAL, >= level1Min LEVEL_1, >= level2Min LEVEL_2, >= level3Min LEVEL_3, below that
    // EMERGENCY. Strictly decreasing.
    double normalMin = 80;
    double level1Min = 60;
    double level2Min = 50;
    double level3Min = 30;
    // How long the score must stay good enough before the level improves (hysteresis).
    qint64 recoveryHoldMs = 60'000;
    // The longest pin an operator may set; every pin expires by itself.
    qint64 maxPinMs = 7LL * 86'400'000;
    FeatureMap features = FeatureMap::defaults();

    // The level a score implies, before hysteresis.
    DegradationLevel levelForScore(double score) const;
    // The lowest score of `level` (0 for EMERGENCY).
    double minScoreOf(DegradationLevel level) const;
};

namespace Internal {
// Reads both sections (either node may be undefined or null = defaults). Errors go to `r`
// as "file:line: key: message". A `features:` section replaces the default map whole.
void readDegradationConfig(ConfigReader &r, const YAML::Node &degradation,
    const YAML::Node &features, DegradationConfig *out);
} // namespace Internal

} // namespace Shivx
