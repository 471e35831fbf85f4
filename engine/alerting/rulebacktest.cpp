#include "alerting/rulebacktest.h"

#include "alerting/slidingwindow.h"
#include "telemetry/historystore.h"

#include <cmath>

namespace Shivx {

std::optional<QPair<QString, QMap<QString, QString>>> RuleBacktest::parseSeriesName(
    const QString &name)
{
    // The history notation is a selector with only `=` matchers: the selector's parser reads
    // it (and rejects the dotted series, whose '.' is no name character).
    auto sel = SeriesSelector::parse(name);
    if (!sel)
        return std::nullopt;
    QMap<QString, QString> labels;
    for (const LabelMatcher &m : sel->matchers) {
        if (m.op != LabelMatcher::Op::Equal)
            return std::nullopt;
        labels.insert(m.label, m.value);
    }
    return qMakePair(sel->metric, labels);
}

void RuleBacktest::replay(const AlertRule &rule, BacktestSeries *series)
{
    SlidingWindow window(rule.windowMs, rule.function == WindowFunction::Quantile);
    series->values.clear();
    series->pending.clear();
    series->firing.clear();
    bool active = false;
    bool fired = false;
    qint64 activeSince = 0;
    qint64 lastTs = 0;
    const auto close = [&] {
        if (!active)
            return;
        if (fired)
            series->firing.last().toMs = lastTs;
        else
            series->pending.last().toMs = lastTs;
        active = fired = false;
    };
    for (const auto &[ts, v] : std::as_const(series->samples)) {
        window.add(ts, v);
        const double value = window.value(rule.function, rule.param);
        series->values.append({ ts, value });
        const bool condition = !std::isnan(value) && rule.compare(value);
        if (!condition) {
            close();
        } else {
            if (!active) {
                active = true;
                activeSince = ts;
                series->pending.append({ ts, ts });
            }
            if (!fired && ts - activeSince >= rule.forMs) {
                // The pending span ends where firing begins (a `for: 0s` rule has none).
                if (series->pending.last().fromMs == ts)
                    series->pending.removeLast();
                else
                    series->pending.last().toMs = ts;
                fired = true;
                series->firing.append({ ts, ts });
            }
            (fired ? series->firing : series->pending).last().toMs = ts;
        }
        lastTs = ts;
    }
    close();
}

Result<QList<BacktestSeries>> RuleBacktest::matchingSeries(
    HistoryStore &store, const AlertRule &rule, qint64 fromMs, qint64 toMs)
{
    auto all = store.listSeries();
    if (!all)
        return all.error();
    return matchingSeries(*all, rule, fromMs, toMs);
}

QList<BacktestSeries> RuleBacktest::matchingSeries(
    const QList<SeriesInfo> &all, const AlertRule &rule, qint64 fromMs, qint64 toMs)
{
    // A histogram's rules look at its observation count (as the evaluator does): the
    // history's `_count` series.
    const QString countName = rule.series.metric + QStringLiteral("_count");
    QList<BacktestSeries> matched;
    bool counts = false;
    for (const SeriesInfo &info : all) {
        if (info.lastMs < fromMs || info.firstMs > toMs)
            continue;
        auto parsed = parseSeriesName(info.name);
        if (!parsed)
            continue;
        const bool isCount = parsed->first == countName;
        if (parsed->first != rule.series.metric && !isCount)
            continue;
        const QStringList names = parsed->second.keys();
        const QStringList values = parsed->second.values();
        if (!rule.series.matches(names, values))
            continue;
        counts = counts || isCount;
        matched.append({ info.name, parsed->second, {}, {}, {}, {} });
    }
    if (counts) // the histogram's quantile series are not what the rule sees
        matched.removeIf([&](const BacktestSeries &s) {
            return !s.name.startsWith(countName + QLatin1Char('{')) && s.name != countName;
        });
    return matched;
}

Result<BacktestResult> RuleBacktest::run(HistoryStore &store, const AlertRule &rule, qint64 fromMs,
    qint64 toMs, const Progress &progress, int maxSeries, int maxPoints)
{
    if (rule.always)
        return makeError("alerting.bad_rules",
            QStringLiteral("alert %1 fires always: there is no series to preview").arg(rule.name));
    auto found = matchingSeries(store, rule, fromMs, toMs);
    if (!found)
        return found.error();
    QList<BacktestSeries> matched = std::move(*found);
    BacktestResult out;
    out.fromMs = fromMs;
    out.toMs = toMs;
    out.matched = int(matched.size());
    if (matched.size() > maxSeries)
        matched.resize(maxSeries);
    const auto cancelled
        = [&](int done) { return progress && !progress(done, int(matched.size())); };
    const auto cancelError = [] {
        return makeError("alerting.cancelled", QStringLiteral("the preview was cancelled"));
    };
    if (cancelled(0))
        return cancelError();
    for (BacktestSeries &s : matched) {
        // The window's warm-up: the points before `fromMs` that the first evaluation sees.
        auto points
            = store.query(s.name, fromMs - rule.windowMs, toMs, Resolution::Auto, maxPoints);
        if (!points)
            return points.error();
        s.samples.reserve(points->points.size());
        for (const HistoryPoint &p : points->points)
            s.samples.append({ p.tsMs, p.avg });
        replay(rule, &s);
        // Drop the warm-up from what is shown.
        const auto shownFrom = [fromMs](const QList<QPair<qint64, double>> &list) {
            qsizetype i = 0;
            while (i < list.size() && list.at(i).first < fromMs)
                ++i;
            return list.mid(i);
        };
        s.samples = shownFrom(s.samples);
        s.values = shownFrom(s.values);
        out.series.append(s);
        if (cancelled(int(out.series.size())))
            return cancelError();
    }
    return out;
}

} // namespace Shivx
