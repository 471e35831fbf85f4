#include "degradation/levelhistory.h"

#include <algorithm>
#include <cmath>

namespace Shivx::Ui {

QList<LevelChange> levelChanges(const HistoryQueryResult &level, const HistoryQueryResult *score)
{
    QList<LevelChange> out;
    if (level.points.isEmpty())
        return out;
    auto levelOf
        = [](const HistoryPoint &p) { return degradationLevelFromValue(int(std::lround(p.max))); };
    DegradationLevel previous = levelOf(level.points.first());
    for (qsizetype i = 1; i < level.points.size(); ++i) {
        const HistoryPoint &p = level.points.at(i);
        const DegradationLevel now = levelOf(p);
        if (now == previous)
            continue;
        LevelChange c { p.tsMs, previous, now, false, 0 };
        if (score && !score->points.isEmpty()) {
            // The score that caused a change is the one reported at or just before it.
            const auto it = std::upper_bound(score->points.cbegin(), score->points.cend(), p.tsMs,
                [](qint64 ts, const HistoryPoint &s) { return ts < s.tsMs; });
            if (it != score->points.cbegin()) {
                c.hasScore = true;
                // For a rollup bucket, the lowest score is the one that degraded it.
                c.score = std::prev(it)->min;
            }
        }
        out.prepend(c);
        previous = now;
    }
    return out;
}

} // namespace Shivx::Ui
