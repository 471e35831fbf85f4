#pragma once

#include "telemetry/historystore.h"
#include "telemetry/metricregistry.h"

#include <QHash>
#include <QObject>

class QTimer;

namespace Shivx {

class Clock;

// Copies the metric registry into the SQLite history every interval: counters and gauges as
// one series each, histograms as _count, _sum and the family's history quantiles over the
// observations since the previous copy (docs/metrics.md, "History"). Lives on the core
// thread; the points go to HistoryWriter::record through historyPoints().
class MetricHistoryFeed : public QObject
{
    Q_OBJECT
public:
    MetricHistoryFeed(
        const MetricRegistry *registry, Clock *clock, int intervalMs, QObject *parent = nullptr);

    // The history series name of one series: the Prometheus series notation,
    // `name{label="value",...}` in the family's label order, `name` alone without labels.
    // `extra` labels (quantile) come last.
    static QString seriesName(const QString &name, const QStringList &labelNames,
        const QStringList &labelValues, const QList<QPair<QString, QString>> &extra = {});
    // The points one copy of `families` gives at `tsMs`. `previous` holds the cumulative
    // buckets of the last copy per histogram series and is updated.
    static QList<SamplePoint> points(const QList<FamilySnapshot> &families, qint64 tsMs,
        QHash<QString, QList<quint64>> &previous);
    // The q-quantile of a histogram's (non-cumulative difference of) cumulative buckets,
    // linearly interpolated inside the bucket like PromQL's histogram_quantile(); NaN when
    // there are no observations.
    static double quantile(double q, const QList<double> &bounds, const QList<quint64> &cumulative);

public Q_SLOTS:
    void start();
    void stop();
    // One copy now (the timer's slot; tests call it directly).
    void feed();

Q_SIGNALS:
    void historyPoints(const QList<Shivx::SamplePoint> &points);

private:
    const MetricRegistry *m_registry;
    Clock *m_clock;
    int m_intervalMs;
    QTimer *m_timer = nullptr;
    QHash<QString, QList<quint64>> m_previous;
};

} // namespace Shivx
