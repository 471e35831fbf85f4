#include "history/historyaxes.h"

#include <QDateTimeAxis>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <limits>

namespace Shivx::Ui::HistoryAxes {

namespace {
constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;
} // namespace

qint64 stepMs(Resolution r)
{
    switch (r) {
    case Resolution::Minute:
        return kMinuteMs;
    case Resolution::Hour:
        return kHourMs;
    case Resolution::Raw:
    case Resolution::Auto:
        break;
    }
    return 1000;
}

void fitValues(QValueAxis *axis, const QList<HistoryQueryResult> &shown)
{
    double lo = std::numeric_limits<double>::max();
    double hi = std::numeric_limits<double>::lowest();
    bool allPercent = !shown.isEmpty();
    for (const HistoryQueryResult &r : shown) {
        // The health score shares the 0-100 scale of the percentages.
        allPercent = allPercent
            && (r.series.endsWith(QLatin1String("percent"))
                || r.series == QLatin1String("health.score"));
        for (const HistoryPoint &p : r.points) {
            lo = std::min(lo, p.avg);
            hi = std::max(hi, p.avg);
        }
    }
    if (lo > hi) {
        axis->setRange(0, allPercent ? 100 : 1);
        return;
    }
    if (allPercent) {
        // Percentages read best on their natural scale unless they are all tiny.
        axis->setTickCount(6);
        axis->setRange(
            0, hi > 20 ? std::max(100.0, std::ceil(hi)) : std::max(1.0, std::ceil(hi * 1.2)));
        return;
    }
    const double pad = hi > lo ? (hi - lo) * 0.08 : std::max(1.0, std::abs(hi) * 0.1);
    axis->setRange(lo >= 0 ? std::max(0.0, lo - pad) : lo - pad, hi + pad);
    axis->applyNiceNumbers();
}

void followSpan(QDateTimeAxis *axis)
{
    QObject::connect(axis, &QDateTimeAxis::rangeChanged, axis,
        [axis](const QDateTime &min, const QDateTime &max) {
            const qint64 span = min.msecsTo(max);
            if (span <= 30 * kMinuteMs)
                axis->setFormat(QStringLiteral("HH:mm:ss"));
            else if (span <= 2 * kDayMs)
                axis->setFormat(QStringLiteral("HH:mm"));
            else
                axis->setFormat(QStringLiteral("MMM d HH:mm"));
        });
}

} // namespace Shivx::Ui::HistoryAxes
