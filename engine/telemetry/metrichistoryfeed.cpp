#include "telemetry/metrichistoryfeed.h"

#include "core/clock.h"
#include "telemetry/prometheusexposition.h"

#include <QTimer>

#include <cmath>

namespace Shivx {

MetricHistoryFeed::MetricHistoryFeed(
    const MetricRegistry *registry, Clock *clock, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_registry(registry)
    , m_clock(clock ? clock : Clock::system())
    , m_intervalMs(intervalMs)
{
}

QString MetricHistoryFeed::seriesName(const QString &name, const QStringList &labelNames,
    const QStringList &labelValues, const QList<QPair<QString, QString>> &extra)
{
    if (labelNames.isEmpty() && extra.isEmpty())
        return name;
    QString out = name + QLatin1Char('{');
    bool first = true;
    const auto append = [&](const QString &label, const QString &value) {
        if (!first)
            out += QLatin1Char(',');
        first = false;
        out += label + QStringLiteral("=\"")
            + QString::fromUtf8(PrometheusWriter::escapeLabelValue(value)) + QLatin1Char('"');
    };
    for (int i = 0; i < labelNames.size(); ++i)
        append(labelNames.at(i), labelValues.value(i));
    for (const auto &e : extra)
        append(e.first, e.second);
    return out + QLatin1Char('}');
}

double MetricHistoryFeed::quantile(
    double q, const QList<double> &bounds, const QList<quint64> &cumulative)
{
    if (cumulative.isEmpty() || cumulative.last() == 0)
        return qQNaN();
    const double rank = q * double(cumulative.last());
    int i = 0;
    while (i < cumulative.size() - 1 && double(cumulative.at(i)) < rank)
        ++i;
    if (i >= bounds.size()) // in the +Inf bucket: the highest finite bound, as PromQL does
        return bounds.isEmpty() ? qQNaN() : bounds.last();
    const double upper = bounds.at(i);
    const double lower = i == 0 ? (upper > 0 ? 0 : upper) : bounds.at(i - 1);
    const double below = i == 0 ? 0 : double(cumulative.at(i - 1));
    const double inBucket = double(cumulative.at(i)) - below;
    if (inBucket <= 0)
        return upper;
    return lower + (upper - lower) * (rank - below) / inBucket;
}

QList<SamplePoint> MetricHistoryFeed::points(
    const QList<FamilySnapshot> &families, qint64 tsMs, QHash<QString, QList<quint64>> &previous)
{
    QList<SamplePoint> out;
    for (const FamilySnapshot &f : families) {
        for (const SeriesValue &s : f.series) {
            if (f.type == MetricType::Counter || f.type == MetricType::Gauge) {
                out.append({ seriesName(f.name, f.labelNames, s.labelValues), tsMs, s.value });
                continue;
            }
            out.append({ seriesName(f.name + QStringLiteral("_count"), f.labelNames, s.labelValues),
                tsMs, double(s.count) });
            out.append({ seriesName(f.name + QStringLiteral("_sum"), f.labelNames, s.labelValues),
                tsMs, s.sum });
            const auto quantilePoint = [&](double q, double v) {
                if (std::isfinite(v)) // nothing observed: no point
                    out.append({ seriesName(f.name, f.labelNames, s.labelValues,
                                     { { QStringLiteral("quantile"),
                                         QString::fromLatin1(PrometheusWriter::formatValue(q)) } }),
                        tsMs, v });
            };
            if (f.type == MetricType::Summary) {
                // The component's own estimate, over the window it keeps (not the interval).
                for (int i = 0; i < f.historyQuantiles.size(); ++i)
                    quantilePoint(f.historyQuantiles.at(i), s.quantileValues.value(i, qQNaN()));
                continue;
            }
            const QString key = seriesName(f.name, f.labelNames, s.labelValues);
            QList<quint64> delta = s.cumulativeBuckets;
            const QList<quint64> before = previous.value(key);
            if (before.size() == delta.size())
                for (int i = 0; i < delta.size(); ++i)
                    delta[i] = delta.at(i) >= before.at(i) ? delta.at(i) - before.at(i) : 0;
            previous.insert(key, s.cumulativeBuckets);
            for (double q : f.historyQuantiles) // the interval's observations only
                quantilePoint(q, quantile(q, f.bounds, delta));
        }
    }
    return out;
}

void MetricHistoryFeed::start()
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, &MetricHistoryFeed::feed);
    }
    m_timer->start(m_intervalMs);
}

void MetricHistoryFeed::stop()
{
    if (m_timer)
        m_timer->stop();
}

void MetricHistoryFeed::feed()
{
    const QList<SamplePoint> p = points(m_registry->collect(), m_clock->nowMs(), m_previous);
    if (!p.isEmpty())
        Q_EMIT historyPoints(p);
}

} // namespace Shivx
