#pragma once

#include "degradation/degradationlevel.h"
#include "telemetry/historystore.h"

#include <QList>

namespace Shivx::Ui {

// One change of the degradation level, as the metric history tells it.
struct LevelChange
{
    qint64 tsMs = 0;
    DegradationLevel from = DegradationLevel::Normal;
    DegradationLevel to = DegradationLevel::Normal;
    bool hasScore = false;
    double score = 0; // the last health score at or before tsMs
};

// The changes in the `degradation.level` series, each with the `health.score` behind it
// (`score` may be null). For rollups a bucket counts as its worst (highest) level, so a
// change shorter than the resolution shows as one bucket at the worse level. Newest first.
QList<LevelChange> levelChanges(const HistoryQueryResult &level, const HistoryQueryResult *score);

} // namespace Shivx::Ui
