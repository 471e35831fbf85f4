#include "health/scrapeseries.h"

#include "telemetry/expositionparser.h"
#include "telemetry/metrichistoryfeed.h"
#include "telemetry/prometheusexposition.h"

#include <algorithm>
#include <cmath>

namespace Shivx {

namespace {

using Labels = QList<QPair<QString, QString>>;

// The target first, then the sample's own labels by name (a `target` of its own renamed).
Labels withTarget(const QString &target, Labels labels)
{
    for (auto &label : labels)
        if (label.first == QLatin1String("target"))
            label.first = QStringLiteral("exported_target");
    std::sort(labels.begin(), labels.end());
    labels.prepend({ QStringLiteral("target"), target });
    return labels;
}

struct HistogramSeries
{
    Labels labels; // without le, target first
    QList<QPair<double, double>> buckets; // (le, cumulative count) as scraped
};

} // namespace

ScrapeSeries::ScrapeSeries(QString target, int maxSeries, const QStringList &metricPatterns)
    : m_target(std::move(target))
    , m_maxSeries(maxSeries)
{
    for (const QString &p : metricPatterns)
        m_patterns.append(QRegularExpression(QRegularExpression::anchoredPattern(p)));
}

QString ScrapeSeries::seriesName(
    const QString &target, const QString &name, Labels labels, const Labels &extra)
{
    return MetricHistoryFeed::seriesName(name, {}, {}, withTarget(target, labels) + extra);
}

bool ScrapeSeries::wanted(const QString &family) const
{
    if (m_patterns.isEmpty())
        return true;
    return std::any_of(m_patterns.cbegin(), m_patterns.cend(),
        [&](const QRegularExpression &re) { return re.match(family).hasMatch(); });
}

bool ScrapeSeries::admit(const QString &series)
{
    if (m_admitted.contains(series))
        return true;
    if (m_admitted.size() >= m_maxSeries)
        return false;
    m_admitted.insert(series);
    return true;
}

ScrapeOutcome ScrapeSeries::convert(const QList<ExpositionSample> &samples, qint64 tsMs)
{
    ScrapeOutcome out;
    QHash<QString, int> familyIndex; // name + label names -> index in out.families
    const auto store
        = [&](const QString &name, const Labels &labels, const Labels &extra, double value) {
              if (!std::isfinite(value))
                  return; // the history keeps finite values only (docs/storage.md)
              const Labels all = labels + extra;
              const QString series = MetricHistoryFeed::seriesName(name, {}, {}, all);
              if (!admit(series)) {
                  ++out.dropped;
                  return;
              }
              ++out.series;
              out.points.append({ series, tsMs, value });
              QStringList names, values;
              for (const auto &[label, v] : all) {
                  names.append(label);
                  values.append(v);
              }
              const QString key = name + QLatin1Char('\n') + names.join(QLatin1Char(','));
              auto it = familyIndex.find(key);
              if (it == familyIndex.end()) {
                  FamilySnapshot f;
                  f.name = name;
                  f.type = MetricType::Gauge;
                  f.labelNames = names;
                  out.families.append(f);
                  it = familyIndex.insert(key, int(out.families.size() - 1));
              }
              SeriesValue s;
              s.labelValues = values;
              s.value = value;
              out.families[*it].series.append(s);
          };

    QList<QString> histogramOrder;
    QHash<QString, HistogramSeries> histograms; // by series name of the family
    for (const ExpositionSample &s : samples) {
        if (!wanted(s.family))
            continue;
        if (s.type == QLatin1String("histogram") && s.name == s.family + QLatin1String("_bucket")) {
            Labels labels;
            double le = qQNaN();
            for (const auto &label : s.labels) {
                if (label.first == QLatin1String("le")) {
                    const QString v = label.second.toLower();
                    bool ok = v == QLatin1String("+inf");
                    le = ok ? qInf() : label.second.toDouble(&ok);
                    if (!ok)
                        le = qQNaN();
                } else {
                    labels.append(label);
                }
            }
            if (std::isnan(le))
                continue; // a bucket without a usable bound says nothing
            labels = withTarget(m_target, labels);
            const QString key = MetricHistoryFeed::seriesName(s.family, {}, {}, labels);
            auto it = histograms.find(key);
            if (it == histograms.end()) {
                it = histograms.insert(key, { labels, {} });
                histogramOrder.append(key);
            }
            it->buckets.append({ le, s.value });
            continue;
        }
        store(s.name, withTarget(m_target, s.labels), {}, s.value);
    }

    for (const QString &key : std::as_const(histogramOrder)) {
        HistogramSeries &h = histograms[key];
        std::sort(h.buckets.begin(), h.buckets.end(),
            [](const auto &a, const auto &b) { return a.first < b.first; });
        QList<double> bounds;
        QList<quint64> cumulative;
        for (const auto &[le, count] : std::as_const(h.buckets)) {
            if (std::isfinite(le))
                bounds.append(le);
            cumulative.append(std::isfinite(count) && count > 0 ? quint64(std::llround(count)) : 0);
        }
        if (h.buckets.isEmpty())
            continue;
        if (std::isfinite(h.buckets.last().first))
            cumulative.append(cumulative.last()); // no +Inf bucket written: nothing above
        QList<quint64> delta = cumulative;
        const QList<quint64> before = m_previousBuckets.value(key);
        if (before.size() == delta.size())
            for (int i = 0; i < delta.size(); ++i)
                delta[i] = delta.at(i) >= before.at(i) ? delta.at(i) - before.at(i) : 0;
        m_previousBuckets.insert(key, cumulative);
        const QString family = key.left(key.indexOf(QLatin1Char('{')));
        for (double q : historyQuantiles())
            store(family, h.labels,
                { { QStringLiteral("quantile"),
                    QString::fromLatin1(PrometheusWriter::formatValue(q)) } },
                MetricHistoryFeed::quantile(q, bounds, delta));
    }
    return out;
}

} // namespace Shivx
