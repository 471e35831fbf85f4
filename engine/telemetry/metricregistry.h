#pragma once

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QPair>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace Shivx {

enum class MetricType { Counter, Gauge, Histogram, Summary };

namespace Internal {

// One series' value. Updated lock-free from any thread: increments are a compare-and-swap
// loop on the double's bits (std::atomic<double>::fetch_add is C++20), which stays one
// uncontended CAS on the hot path.
struct ValueCell
{
    std::atomic<double> value { 0 };
    void add(double delta)
    {
        double old = value.load(std::memory_order_relaxed);
        while (!value.compare_exchange_weak(old, old + delta, std::memory_order_relaxed))
            ;
    }
};

struct HistogramCell
{
    explicit HistogramCell(size_t buckets)
        : counts(buckets + 1)
    {
    }
    std::vector<std::atomic<quint64>> counts; // per bucket (not cumulative), last is +Inf
    ValueCell sum;
    std::atomic<quint64> count { 0 };
};

struct SummaryCell
{
    explicit SummaryCell(size_t quantileCount)
        : quantiles(quantileCount)
    {
    }
    std::vector<std::atomic<double>> quantiles; // in the family's quantile order
    std::atomic<double> sum { 0 };
    std::atomic<quint64> count { 0 };
};

} // namespace Internal

// A handle on one labelled series (the label lookup is done once, when the handle is taken);
// every method is thread-safe and lock-free. A default-constructed handle does nothing.
// Handles stay valid when the family drops the series (MetricFamily::retain): they then
// update a series that is no longer exported.
class Counter
{
public:
    Counter() = default;
    explicit Counter(std::shared_ptr<Internal::ValueCell> cell)
        : m_cell(std::move(cell))
    {
    }
    // `delta` must be >= 0 (a counter never goes down; negative deltas are ignored).
    void inc(double delta = 1)
    {
        if (m_cell && delta > 0)
            m_cell->add(delta);
    }
    // For counters mirrored from a component that keeps its own cumulative total (a breaker's
    // calls): moves the counter up to `total`, never down.
    void advanceTo(double total);
    double value() const { return m_cell ? m_cell->value.load(std::memory_order_relaxed) : 0; }

private:
    std::shared_ptr<Internal::ValueCell> m_cell;
};

class Gauge
{
public:
    Gauge() = default;
    explicit Gauge(std::shared_ptr<Internal::ValueCell> cell)
        : m_cell(std::move(cell))
    {
    }
    void set(double v)
    {
        if (m_cell)
            m_cell->value.store(v, std::memory_order_relaxed);
    }
    void add(double delta)
    {
        if (m_cell)
            m_cell->add(delta);
    }
    double value() const { return m_cell ? m_cell->value.load(std::memory_order_relaxed) : 0; }

private:
    std::shared_ptr<Internal::ValueCell> m_cell;
};

class Histogram
{
public:
    Histogram() = default;
    Histogram(std::shared_ptr<Internal::HistogramCell> cell, const QList<double> *bounds)
        : m_cell(std::move(cell))
        , m_bounds(bounds)
    {
    }
    // One observation, in the family's base unit (seconds, bytes).
    void observe(double v);

private:
    std::shared_ptr<Internal::HistogramCell> m_cell;
    const QList<double> *m_bounds = nullptr; // the family's, which lives as long as the registry
};

// A summary mirrored from a component that keeps its own quantile estimator (the executor's
// wait and run times) or only a count and a sum (the pipelines' schedule delay): set() copies
// the component's values at a collection, from a collector. New measurements belong in a
// Histogram, which the registry itself aggregates; a Summary exists so that families that were
// summaries on /metrics keep their name and type. Lock-free; the three values are stored one
// by one, which a collector (the only writer, under the registry's collection lock) makes safe.
class Summary
{
public:
    Summary() = default;
    explicit Summary(std::shared_ptr<Internal::SummaryCell> cell)
        : m_cell(std::move(cell))
    {
    }
    // `quantileValues` in the family's quantile order (missing ones are NaN), in the family's
    // base unit; `count` and `sum` cover every observation since the component started.
    void set(quint64 count, double sum, const QList<double> &quantileValues = {});

private:
    std::shared_ptr<Internal::SummaryCell> m_cell;
};

// What a family holds at one moment (MetricRegistry::collect()): for counters and gauges one
// value per series; for histograms the cumulative bucket counts (one per bound, then +Inf),
// the sum and the count; for summaries the quantile values, the sum and the count.
struct SeriesValue
{
    QStringList labelValues; // in the family's label-name order
    double value = 0;
    QList<quint64> cumulativeBuckets;
    QList<double> quantileValues; // summaries: in FamilySnapshot::historyQuantiles order
    double sum = 0;
    quint64 count = 0;
};

struct FamilySnapshot
{
    QString name;
    QString help;
    MetricType type = MetricType::Gauge;
    QStringList labelNames;
    QList<double> bounds; // histograms: upper bounds, ascending, without +Inf
    // Histograms: the quantiles stored in the history; summaries: the quantiles exposed (and
    // stored).
    QList<double> historyQuantiles;
    QList<SeriesValue> series; // ordered by label values
};

// One metric family: a name, help, type and fixed label names, and its series by label values.
class MetricFamily
{
public:
    const QString &name() const { return m_name; }
    MetricType type() const { return m_type; }
    const QStringList &labelNames() const { return m_labelNames; }

    // The handle of the series with these label values (in labelNames() order), created on
    // first use. A lookup takes the family's lock: take handles once and keep them. Wrong
    // arity is a programming error: it logs and returns a handle that does nothing.
    Counter counter(const QStringList &labelValues = {});
    Gauge gauge(const QStringList &labelValues = {});
    Histogram histogram(const QStringList &labelValues = {});
    Summary summary(const QStringList &labelValues = {});

    // Drops the series whose label values `keep` rejects (targets removed by a reload).
    void retain(const std::function<bool(const QStringList &labelValues)> &keep);
    // Drops every series.
    void clear();

    FamilySnapshot snapshot() const;

private:
    friend class MetricRegistry;
    MetricFamily(QString name, QString help, MetricType type, QStringList labelNames,
        QList<double> bounds, QList<double> quantiles);
    std::shared_ptr<void> cell(const QStringList &labelValues);

    QString m_name;
    QString m_help;
    MetricType m_type;
    QStringList m_labelNames;
    QList<double> m_bounds;
    QList<double> m_quantiles;
    mutable QMutex m_lock;
    std::map<QStringList, std::shared_ptr<void>> m_series; // Value-, Histogram- or SummaryCell
};

// The engine's metric families (counters, gauges, histograms with labels), rendered at
// /metrics in the Prometheus text format and fed into the SQLite history
// (MetricHistoryFeed). One per Engine, offered to modules as ModuleHost::metrics().
//
// Threads: every method is thread-safe. Register families while preparing (a name can be
// registered once; registering it again with the same type and labels returns the same
// family, so two Engines in one process or a restart are harmless). Updates through handles
// never lock; collect() and render() lock each family briefly while copying.
//
// Components that already keep their own snapshot (EngineStatus, a breaker list) mirror it
// with a collector: a function run before every collect(), on the collecting thread (the API
// thread for /metrics, the storage thread for the history), that sets gauges and advances
// counters from that snapshot. It must only read thread-safe state.
class MetricRegistry
{
public:
    MetricRegistry();
    ~MetricRegistry();
    MetricRegistry(const MetricRegistry &) = delete;
    MetricRegistry &operator=(const MetricRegistry &) = delete;

    // `name` is the full Prometheus name (shivx_<area>_..., base units, counters end in
    // _total); `labelNames` are fixed for the family. Returns null (and logs) when the name
    // is taken with another type or other labels, or is not a valid metric name.
    MetricFamily *counter(const QString &name, const QString &help, const QStringList &labels = {});
    MetricFamily *gauge(const QString &name, const QString &help, const QStringList &labels = {});
    // `bounds`: bucket upper bounds, ascending; `historyQuantiles`: what the history stores
    // besides _count and _sum (each in (0, 1)).
    MetricFamily *histogram(const QString &name, const QString &help, const QStringList &labels,
        const QList<double> &bounds, const QList<double> &historyQuantiles = { 0.5, 0.9, 0.99 });
    // A mirrored summary (see Summary): `quantiles` (each in (0, 1)) are exposed as
    // `name{quantile="q"}` and stored in the history like a histogram's; may be empty (only
    // _sum and _count).
    MetricFamily *summary(const QString &name, const QString &help, const QStringList &labels,
        const QList<double> &quantiles);

    void addCollector(std::function<void()> collector);

    // Runs the collectors, then copies every family, in registration order.
    QList<FamilySnapshot> collect() const;
    // The Prometheus text exposition (0.0.4) of collect().
    QByteArray render() const;

    static QByteArray render(const QList<FamilySnapshot> &families);
    static bool isValidName(const QString &name);

    // Bucket bounds in seconds for request and probe durations: 1 ms to 10 s.
    static QList<double> durationBuckets();
    // Bucket bounds in bytes for request and response sizes: 64 B to 4 MiB.
    static QList<double> sizeBuckets();

private:
    MetricFamily *add(const QString &name, const QString &help, MetricType type,
        const QStringList &labels, const QList<double> &bounds, const QList<double> &quantiles);

    mutable QMutex m_lock; // m_families, m_collectors
    mutable QMutex m_collectLock; // one collection at a time, so collectors never interleave
    std::vector<std::unique_ptr<MetricFamily>> m_families;
    QList<std::function<void()>> m_collectors;
};

QString toString(MetricType type);

} // namespace Shivx
