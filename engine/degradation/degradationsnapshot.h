#pragma once

#include "degradation/degradationlevel.h"
#include "degradation/degradationpolicy.h"
#include "degradation/featuremap.h"

#include <QList>
#include <QMetaType>

namespace Shivx {

// The degradation state as of one moment, copied to the API thread, the console and the
// CLI's answers. Plain value; safe to copy across threads.
struct DegradationSnapshot
{
    DegradationLevel level = DegradationLevel::Normal; // in effect
    DegradationLevel automaticLevel = DegradationLevel::Normal; // the score's, after hysteresis
    bool hasScore = false;
    double score = 0; // the last score seen (meaningful when hasScore)
    qint64 sinceMs = 0; // when `level` began, epoch ms
    Message reason; // why `level` is in effect ("score 45.0 below 50", "no score yet")
    DegradationOverride pin; // pin.active when an operator pinned the level
    qint64 recoverySinceMs = 0; // a better level is being held since then (0 = none)
    DegradationLevel recoveryTarget = DegradationLevel::Normal;
    qint64 recoveryHoldMs = 0;
    quint64 transitions = 0; // level changes since the engine started
    QList<FeatureState> features; // every configured feature at `level`

    // The named feature's state; unknown features are enabled at full quality.
    FeatureState feature(const QString &name) const
    {
        for (const FeatureState &f : features)
            if (f.name == name)
                return f;
        return { name, true, 1.0 };
    }
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::DegradationSnapshot)
Q_DECLARE_METATYPE(Shivx::DegradationTransition)
