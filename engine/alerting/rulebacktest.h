#pragma once

#include "alerting/alertrule.h"
#include "core/result.h"

#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

namespace Shivx {

class HistoryStore;
struct SeriesInfo;

// One series of a backtest: the stored points the rule would have seen, the rule's value at
// each of them, and the spans during which its alert would have been pending or firing.
struct BacktestSeries
{
    struct Span
    {
        qint64 fromMs = 0;
        qint64 toMs = 0; // the last evaluation it still held at (== fromMs for a single one)
    };
    QString name; // the history series: shivx_target_up{target="web",type="http"}
    QMap<QString, QString> labels;
    QList<QPair<qint64, double>> samples; // (ms, stored value), ascending
    QList<QPair<qint64, double>> values; // (ms, the rule's function over its window); NaN gaps
    QList<Span> pending; // condition true, `for` not yet waited out
    QList<Span> firing;
};

struct BacktestResult
{
    QList<BacktestSeries> series; // matching series, by name, at most `maxSeries`
    int matched = 0; // series that matched (more than shown when capped)
    qint64 fromMs = 0;
    qint64 toMs = 0;
};

// Replays a rule over the metric history (docs/alerting.md, "Rule preview"): every stored
// point of a matching series is one evaluation, fed through the same SlidingWindow and `for`
// logic as the evaluator, so the console can show where the rule would have fired before it is
// saved. Points come from HistoryStore::query at Resolution::Auto (at most `maxPoints` a series:
// older ranges are minute or hour averages, so a short window over them is coarser than live).
// Blocking: call on a worker thread with that thread's own store.
class RuleBacktest
{
public:
    // Called after each series (and once before the first) with the series done and the total;
    // returning false cancels the run (error alerting.cancelled). Runs on the caller's thread.
    using Progress = std::function<bool(int done, int total)>;

    // Errors: the store's (history.*), alerting.bad_rules for an `always` rule (no series),
    // alerting.cancelled.
    static Result<BacktestResult> run(HistoryStore &store, const AlertRule &rule, qint64 fromMs,
        qint64 toMs, const Progress &progress = {}, int maxSeries = 20, int maxPoints = 4000);

    // The labels of a history series name in the Prometheus notation; nullopt for the dotted
    // series (health.score) and anything else that is not a metric series.
    static std::optional<QPair<QString, QMap<QString, QString>>> parseSeriesName(
        const QString &name);
    // The stored series `rule` selects that have points in [fromMs, toMs], by name, with their
    // labels (samples empty): a histogram's `_count` series when there is one, as the
    // evaluator looks at the observation count. Shared with the evaluator's window seeding.
    static Result<QList<BacktestSeries>> matchingSeries(
        HistoryStore &store, const AlertRule &rule, qint64 fromMs, qint64 toMs);
    // The same over a listing already read (HistoryStore::listSeries), for many rules at once.
    static QList<BacktestSeries> matchingSeries(
        const QList<SeriesInfo> &all, const AlertRule &rule, qint64 fromMs, qint64 toMs);
    // The replay of one series' points (exposed for tests).
    static void replay(const AlertRule &rule, BacktestSeries *series);
};

} // namespace Shivx
