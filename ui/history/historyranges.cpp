#include "history/historyranges.h"

namespace Shivx::Ui::HistoryRanges {

namespace {

constexpr qint64 kMinuteMs = 60'000;
constexpr qint64 kHourMs = 60 * kMinuteMs;
constexpr qint64 kDayMs = 24 * kHourMs;

} // namespace

qint64 spanOf(HistoryPage::Range range)
{
    switch (range) {
    case HistoryPage::Range::Last15Minutes:
        return 15 * kMinuteMs;
    case HistoryPage::Range::LastHour:
        return kHourMs;
    case HistoryPage::Range::Last24Hours:
        return kDayMs;
    case HistoryPage::Range::Last7Days:
        return 7 * kDayMs;
    case HistoryPage::Range::Last30Days:
        return 30 * kDayMs;
    case HistoryPage::Range::Custom:
        break;
    }
    return 0;
}

std::optional<Nearest> nearestWithData(const QList<SeriesInfo> &series, const QStringList &checked,
    HistoryPage::Range current, qint64 nowMs)
{
    using Range = HistoryPage::Range;
    qint64 first = 0, last = 0;
    for (const SeriesInfo &s : series) {
        if (!checked.contains(s.name) || s.lastMs <= 0)
            continue;
        first = first == 0 ? s.firstMs : qMin(first, s.firstMs);
        last = qMax(last, s.lastMs);
    }
    if (last == 0)
        return std::nullopt;
    for (Range r : { Range::Last15Minutes, Range::LastHour, Range::Last24Hours, Range::Last7Days,
             Range::Last30Days })
        if (r != current && nowMs - last < spanOf(r))
            return Nearest { r, 0, 0 };
    return Nearest { Range::Custom, first - kMinuteMs, last + kMinuteMs };
}

} // namespace Shivx::Ui::HistoryRanges
