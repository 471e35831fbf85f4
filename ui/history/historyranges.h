#pragma once

#include "history/historypage.h"

#include <QList>
#include <QStringList>

#include <optional>

namespace Shivx::Ui::HistoryRanges {

// How far back a preset range reaches, in milliseconds; 0 for Range::Custom.
qint64 spanOf(HistoryPage::Range range);

struct Nearest
{
    HistoryPage::Range range = HistoryPage::Range::Custom;
    qint64 fromMs = 0; // for Range::Custom only, epoch milliseconds
    qint64 toMs = 0;
};

// The range to offer when `current` shows nothing of the `checked` series: the smallest
// preset other than `current` that reaches their newest point at `nowMs`, else a custom
// range around all their data (a minute either side, so no point sits on the chart's edge).
// Empty when the checked series have no data at all.
std::optional<Nearest> nearestWithData(const QList<SeriesInfo> &series, const QStringList &checked,
    HistoryPage::Range current, qint64 nowMs);

} // namespace Shivx::Ui::HistoryRanges
