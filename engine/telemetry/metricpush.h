#pragma once

#include "api/apiroute.h"

#include <QHash>
#include <QSet>
#include <QString>

namespace Shivx {

class Clock;
class HistoryWriter;

// Bounds of POST /api/metrics (docs/http-api.md, "Custom metrics"). The defaults are what
// `shivx serve` uses; tests shrink them.
struct MetricPushLimits
{
    qint64 maxBodyBytes = 1024 * 1024; // larger bodies answer 413 before they are read
    int maxSeriesPerJob = 1000; // distinct series one job may create while the engine runs
    int maxSeriesTotal = 10000; // all jobs together
};

// Custom metrics in: other programs push samples in the Prometheus text format with
// POST /api/metrics?job=NAME, and they go into the SQLite history as
// `NAME{job="JOB",label="value",...}` (the other labels sorted by name), charted like the
// engine's own series. Not re-exposed on /metrics: that page stays the engine's own families,
// which promtool and Prometheus' rules rely on; Prometheus users scrape the pushing program or
// a Pushgateway instead.
//
// Threads: the route runs on the API thread only; the series counts are that thread's. The
// history writer is reached with queued calls.
class MetricPush
{
public:
    MetricPush(HistoryWriter *writer, Clock *clock, MetricPushLimits limits = {});

    // The route; `self` must outlive it (the route keeps it).
    static ApiRoute route(std::shared_ptr<MetricPush> self);

    // The series name a pushed sample is stored under.
    static QString seriesName(
        const QString &job, const QString &name, QList<QPair<QString, QString>> labels);

    ApiReply push(const ApiRequest &request);

private:
    HistoryWriter *m_writer;
    Clock *m_clock;
    MetricPushLimits m_limits;
    QHash<QString, QSet<QString>> m_seriesByJob;
    int m_seriesTotal = 0;
};

} // namespace Shivx
