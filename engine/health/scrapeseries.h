#pragma once

#include "telemetry/historystore.h"
#include "telemetry/metricregistry.h"

#include <QHash>
#include <QList>
#include <QPair>
#include <QRegularExpression>
#include <QSet>
#include <QString>

namespace Shivx {

struct ExpositionSample;

// What one scrape of a `prometheus` target gives the history and the alert rules.
struct ScrapeOutcome
{
    QList<SamplePoint> points;
    // The stored series as gauges, grouped by name and label names, for alert rules to select
    // like the registry's own families.
    QList<FamilySnapshot> families;
    int series = 0; // series stored by this scrape
    int dropped = 0; // series this scrape had over the target's cap (not stored)
};

// Turns the samples of a `prometheus` target's scrapes into history series, as the engine
// stores its own registry (MetricHistoryFeed): counters, gauges, summaries and untyped samples
// one series each; histograms as _count, _sum and the quantiles 0.5, 0.9 and 0.99 of the
// observations since the previous scrape (from the buckets, which are not stored). Names are
// `name{target="TARGET",label="value",...}`: the target first, then the sample's labels by
// name; a scraped `target` label becomes `exported_target`, as Prometheus does with
// honor_labels: false (docs/metrics.md, "History").
//
// The cap: the first maxSeries series seen are admitted and stay admitted across scrapes, so
// the stored set is stable; series beyond it are dropped (counted in ScrapeOutcome::dropped).
// Only families whose name fully matches one of `metricPatterns` are kept (all when empty),
// before the cap. Not thread-safe: the target monitor keeps one per target on its thread.
class ScrapeSeries
{
public:
    ScrapeSeries(QString target, int maxSeries, const QStringList &metricPatterns);

    ScrapeOutcome convert(const QList<ExpositionSample> &samples, qint64 tsMs);

    // The history series name of one scraped series (`extra` labels, the quantile, come last).
    static QString seriesName(const QString &target, const QString &name,
        QList<QPair<QString, QString>> labels, const QList<QPair<QString, QString>> &extra = {});
    static QList<double> historyQuantiles() { return { 0.5, 0.9, 0.99 }; }

private:
    bool wanted(const QString &family) const;
    bool admit(const QString &series);

    QString m_target;
    int m_maxSeries;
    QList<QRegularExpression> m_patterns;
    QSet<QString> m_admitted;
    // Cumulative bucket counts of each histogram series at the previous scrape.
    QHash<QString, QList<quint64>> m_previousBuckets;
};

} // namespace Shivx
