#include "telemetry/metricregistry.h"

#include "telemetry/prometheusexposition.h"

#include <QLoggingCategory>
#include <QMutexLocker>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

Q_LOGGING_CATEGORY(lcMetrics, "shivx.telemetry.metrics")

namespace Shivx {

QString toString(MetricType type)
{
    switch (type) {
    case MetricType::Counter:
        return QStringLiteral("counter");
    case MetricType::Gauge:
        return QStringLiteral("gauge");
    case MetricType::Histogram:
        return QStringLiteral("histogram");
    case MetricType::Summary:
        return QStringLiteral("summary");
    }
    return QString();
}

void Counter::advanceTo(double total)
{
    if (!m_cell)
        return;
    double old = m_cell->value.load(std::memory_order_relaxed);
    while (
        total > old && !m_cell->value.compare_exchange_weak(old, total, std::memory_order_relaxed))
        ;
}

void Histogram::observe(double v)
{
    if (!m_cell || !std::isfinite(v))
        return;
    const auto it = std::lower_bound(m_bounds->cbegin(), m_bounds->cend(), v);
    m_cell->counts[size_t(it - m_bounds->cbegin())].fetch_add(1, std::memory_order_relaxed);
    m_cell->sum.add(v);
    m_cell->count.fetch_add(1, std::memory_order_relaxed);
}

void Summary::set(quint64 count, double sum, const QList<double> &quantileValues)
{
    if (!m_cell)
        return;
    for (size_t i = 0; i < m_cell->quantiles.size(); ++i)
        m_cell->quantiles[i].store(
            qsizetype(i) < quantileValues.size() ? quantileValues.at(qsizetype(i)) : qQNaN(),
            std::memory_order_relaxed);
    m_cell->sum.store(sum, std::memory_order_relaxed);
    m_cell->count.store(count, std::memory_order_relaxed);
}

MetricFamily::MetricFamily(QString name, QString help, MetricType type, QStringList labelNames,
    QList<double> bounds, QList<double> quantiles)
    : m_name(std::move(name))
    , m_help(std::move(help))
    , m_type(type)
    , m_labelNames(std::move(labelNames))
    , m_bounds(std::move(bounds))
    , m_quantiles(std::move(quantiles))
{
}

std::shared_ptr<void> MetricFamily::cell(const QStringList &labelValues)
{
    if (labelValues.size() != m_labelNames.size()) {
        qCWarning(lcMetrics) << "metric" << m_name << "takes labels" << m_labelNames << "not"
                             << labelValues;
        return {};
    }
    QMutexLocker l(&m_lock);
    auto it = m_series.find(labelValues);
    if (it != m_series.end())
        return it->second;
    std::shared_ptr<void> made;
    if (m_type == MetricType::Histogram)
        made = std::make_shared<Internal::HistogramCell>(size_t(m_bounds.size()));
    else if (m_type == MetricType::Summary)
        made = std::make_shared<Internal::SummaryCell>(size_t(m_quantiles.size()));
    else
        made = std::make_shared<Internal::ValueCell>();
    m_series.emplace(labelValues, made);
    return made;
}

Counter MetricFamily::counter(const QStringList &labelValues)
{
    if (m_type != MetricType::Counter)
        return {};
    return Counter(std::static_pointer_cast<Internal::ValueCell>(cell(labelValues)));
}

Gauge MetricFamily::gauge(const QStringList &labelValues)
{
    if (m_type != MetricType::Gauge)
        return {};
    return Gauge(std::static_pointer_cast<Internal::ValueCell>(cell(labelValues)));
}

Histogram MetricFamily::histogram(const QStringList &labelValues)
{
    if (m_type != MetricType::Histogram)
        return {};
    auto c = std::static_pointer_cast<Internal::HistogramCell>(cell(labelValues));
    return c ? Histogram(std::move(c), &m_bounds) : Histogram();
}

Summary MetricFamily::summary(const QStringList &labelValues)
{
    if (m_type != MetricType::Summary)
        return {};
    return Summary(std::static_pointer_cast<Internal::SummaryCell>(cell(labelValues)));
}

void MetricFamily::retain(const std::function<bool(const QStringList &)> &keep)
{
    QMutexLocker l(&m_lock);
    for (auto it = m_series.begin(); it != m_series.end();) {
        if (keep(it->first))
            ++it;
        else
            it = m_series.erase(it);
    }
}

void MetricFamily::clear()
{
    QMutexLocker l(&m_lock);
    m_series.clear();
}

FamilySnapshot MetricFamily::snapshot() const
{
    FamilySnapshot s { m_name, m_help, m_type, m_labelNames, m_bounds, m_quantiles, {} };
    QMutexLocker l(&m_lock);
    s.series.reserve(qsizetype(m_series.size()));
    for (const auto &[labels, cell] : m_series) {
        SeriesValue v;
        v.labelValues = labels;
        if (m_type == MetricType::Histogram) {
            const auto *h = static_cast<const Internal::HistogramCell *>(cell.get());
            quint64 running = 0;
            for (const auto &c : h->counts) {
                running += c.load(std::memory_order_relaxed);
                v.cumulativeBuckets.append(running);
            }
            // The count is the +Inf bucket, so that the exposition stays consistent even when
            // an observation lands between the two loads.
            v.count = running;
            v.sum = h->sum.value.load(std::memory_order_relaxed);
        } else if (m_type == MetricType::Summary) {
            const auto *c = static_cast<const Internal::SummaryCell *>(cell.get());
            for (const auto &q : c->quantiles)
                v.quantileValues.append(q.load(std::memory_order_relaxed));
            v.sum = c->sum.load(std::memory_order_relaxed);
            v.count = c->count.load(std::memory_order_relaxed);
        } else {
            v.value = static_cast<const Internal::ValueCell *>(cell.get())
                          ->value.load(std::memory_order_relaxed);
        }
        s.series.append(std::move(v));
    }
    return s;
}

MetricRegistry::MetricRegistry() = default;
MetricRegistry::~MetricRegistry() = default;

bool MetricRegistry::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
    return re.match(name).hasMatch();
}

MetricFamily *MetricRegistry::add(const QString &name, const QString &help, MetricType type,
    const QStringList &labels, const QList<double> &bounds, const QList<double> &quantiles)
{
    if (!isValidName(name)) {
        qCWarning(lcMetrics) << "not a metric name:" << name;
        return nullptr;
    }
    for (const QString &l : labels)
        if (!isValidName(l) || l.contains(QLatin1Char(':')) || l == QLatin1String("le")
            || l == QLatin1String("quantile")) {
            qCWarning(lcMetrics) << "metric" << name << ": not a label name:" << l;
            return nullptr;
        }
    QMutexLocker l(&m_lock);
    for (const auto &f : m_families) {
        if (f->name() != name)
            continue;
        if (f->type() == type && f->labelNames() == labels)
            return f.get();
        qCWarning(lcMetrics) << "metric" << name << "is registered already as"
                             << toString(f->type()) << f->labelNames();
        return nullptr;
    }
    m_families.push_back(std::unique_ptr<MetricFamily>(
        new MetricFamily(name, help, type, labels, bounds, quantiles)));
    return m_families.back().get();
}

MetricFamily *MetricRegistry::counter(
    const QString &name, const QString &help, const QStringList &labels)
{
    return add(name, help, MetricType::Counter, labels, {}, {});
}

MetricFamily *MetricRegistry::gauge(
    const QString &name, const QString &help, const QStringList &labels)
{
    return add(name, help, MetricType::Gauge, labels, {}, {});
}

MetricFamily *MetricRegistry::histogram(const QString &name, const QString &help,
    const QStringList &labels, const QList<double> &bounds, const QList<double> &historyQuantiles)
{
    QList<double> sorted = bounds;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    sorted.removeIf([](double b) { return !std::isfinite(b); });
    return add(name, help, MetricType::Histogram, labels, sorted, historyQuantiles);
}

MetricFamily *MetricRegistry::summary(const QString &name, const QString &help,
    const QStringList &labels, const QList<double> &quantiles)
{
    QList<double> sorted = quantiles;
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    sorted.removeIf([](double q) { return !(q > 0 && q < 1); });
    return add(name, help, MetricType::Summary, labels, {}, sorted);
}

void MetricRegistry::addCollector(std::function<void()> collector)
{
    QMutexLocker l(&m_lock);
    m_collectors.append(std::move(collector));
}

QList<FamilySnapshot> MetricRegistry::collect() const
{
    QMutexLocker collecting(&m_collectLock);
    QList<std::function<void()>> collectors;
    std::vector<MetricFamily *> families;
    {
        QMutexLocker l(&m_lock);
        collectors = m_collectors;
        for (const auto &f : m_families)
            families.push_back(f.get());
    }
    for (const auto &c : collectors)
        c();
    QList<FamilySnapshot> out;
    out.reserve(qsizetype(families.size()));
    for (const MetricFamily *f : families)
        out.append(f->snapshot());
    return out;
}

QByteArray MetricRegistry::render() const
{
    return render(collect());
}

QByteArray MetricRegistry::render(const QList<FamilySnapshot> &families)
{
    PrometheusWriter w;
    for (const FamilySnapshot &f : families) {
        const QByteArray name = f.name.toLatin1();
        w.family(
            name.constData(), toString(f.type).toLatin1().constData(), f.help.toUtf8().constData());
        for (const SeriesValue &s : f.series) {
            PrometheusWriter::Labels labels;
            for (int i = 0; i < f.labelNames.size(); ++i)
                labels.append({ f.labelNames.at(i), s.labelValues.value(i) });
            if (f.type == MetricType::Counter || f.type == MetricType::Gauge) {
                w.sample(name.constData(), labels, s.value);
                continue;
            }
            if (f.type == MetricType::Summary) {
                for (int i = 0; i < f.historyQuantiles.size(); ++i) {
                    PrometheusWriter::Labels withQuantile = labels;
                    withQuantile.append({ QStringLiteral("quantile"),
                        QString::fromLatin1(
                            PrometheusWriter::formatValue(f.historyQuantiles.at(i))) });
                    w.sample(name.constData(), withQuantile, s.quantileValues.value(i, qQNaN()));
                }
                w.sample((name + "_sum").constData(), labels, s.sum);
                w.sample((name + "_count").constData(), labels, double(s.count));
                continue;
            }
            const QByteArray bucket = name + "_bucket";
            for (int i = 0; i < s.cumulativeBuckets.size(); ++i) {
                PrometheusWriter::Labels withLe = labels;
                withLe.append({ QStringLiteral("le"),
                    i < f.bounds.size()
                        ? QString::fromLatin1(PrometheusWriter::formatValue(f.bounds.at(i)))
                        : QStringLiteral("+Inf") });
                w.sample(bucket.constData(), withLe, double(s.cumulativeBuckets.at(i)));
            }
            w.sample((name + "_sum").constData(), labels, s.sum);
            w.sample((name + "_count").constData(), labels, double(s.count));
        }
    }
    return w.take();
}

QList<double> MetricRegistry::durationBuckets()
{
    return { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
}

QList<double> MetricRegistry::sizeBuckets()
{
    return { 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304 };
}

} // namespace Shivx
