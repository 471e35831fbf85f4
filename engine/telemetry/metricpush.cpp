#include "telemetry/metricpush.h"

#include "core/clock.h"
#include "telemetry/expositionparser.h"
#include "telemetry/historywriter.h"
#include "telemetry/metrichistoryfeed.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace Shivx {

namespace {

// A timestamp this far ahead of the engine's clock is a unit mistake (seconds for ms, or us).
constexpr qint64 maxFutureMs = 10 * 60 * 1000;

ApiReply badRequest(const QString &code, const QString &message)
{
    return ApiReply::error(400, code, message);
}

} // namespace

MetricPush::MetricPush(HistoryWriter *writer, Clock *clock, MetricPushLimits limits)
    : m_writer(writer)
    , m_clock(clock)
    , m_limits(limits)
{
}

ApiRoute MetricPush::route(std::shared_ptr<MetricPush> self)
{
    ApiRoute r;
    r.path = QStringLiteral("/api/metrics");
    r.methods = { "POST" };
    r.requiresToken = true;
    r.maxBodyBytes = self->m_limits.maxBodyBytes;
    r.handler = [self](const ApiRequest &request) { return self->push(request); };
    return r;
}

QString MetricPush::seriesName(
    const QString &job, const QString &name, QList<QPair<QString, QString>> labels)
{
    std::sort(labels.begin(), labels.end());
    labels.prepend({ QStringLiteral("job"), job });
    return MetricHistoryFeed::seriesName(name, {}, {}, labels);
}

ApiReply MetricPush::push(const ApiRequest &request)
{
    static const QRegularExpression jobPattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    const QString job = request.query.queryItemValue(QStringLiteral("job"));
    if (!jobPattern.match(job).hasMatch())
        return badRequest(QStringLiteral("bad_request"),
            QStringLiteral("?job=NAME is required: 1 to 64 of A-Z a-z 0-9 _ . -"));
    auto parsed = ExpositionParser::parse(request.body);
    if (!parsed)
        return badRequest(QStringLiteral("bad_exposition"), parsed.error().message);
    const qint64 now = m_clock->nowMs();
    QList<SamplePoint> points;
    QSet<QString> fresh; // series this push would create
    int skipped = 0;
    QSet<QString> &known = m_seriesByJob[job];
    for (const ExpositionSample &s : std::as_const(*parsed)) {
        if (s.name.startsWith(QLatin1String("shivx_")))
            return badRequest(QStringLiteral("bad_exposition"),
                QStringLiteral("line %1: %2: names starting with shivx_ are the engine's own")
                    .arg(s.line)
                    .arg(s.name));
        for (const auto &label : s.labels)
            if (label.first == QLatin1String("job"))
                return badRequest(QStringLiteral("bad_exposition"),
                    QStringLiteral("line %1: %2: the label job comes from ?job=")
                        .arg(s.line)
                        .arg(s.name));
        const qint64 ts = s.timestampMs.value_or(now);
        if (ts < 0 || ts > now + maxFutureMs)
            return badRequest(QStringLiteral("bad_exposition"),
                QStringLiteral("line %1: %2: timestamp %3 is not milliseconds since 1970 up to "
                               "now (+10 min)")
                    .arg(s.line)
                    .arg(s.name)
                    .arg(ts));
        if (!std::isfinite(s.value)) {
            ++skipped; // the history keeps finite values only (docs/storage.md)
            continue;
        }
        const QString series = seriesName(job, s.name, s.labels);
        if (!known.contains(series) && !fresh.contains(series)) {
            if (known.size() + fresh.size() >= m_limits.maxSeriesPerJob)
                return ApiReply::error(422, QStringLiteral("too_many_series"),
                    QStringLiteral("line %1: %2 would be series %3 of job %4; a job may have %5")
                        .arg(s.line)
                        .arg(s.name)
                        .arg(known.size() + fresh.size() + 1)
                        .arg(job)
                        .arg(m_limits.maxSeriesPerJob));
            if (m_seriesTotal + fresh.size() >= m_limits.maxSeriesTotal)
                return ApiReply::error(422, QStringLiteral("too_many_series"),
                    QStringLiteral("line %1: %2 would be pushed series %3; all jobs together may "
                                   "have %4")
                        .arg(s.line)
                        .arg(s.name)
                        .arg(m_seriesTotal + fresh.size() + 1)
                        .arg(m_limits.maxSeriesTotal));
            fresh.insert(series);
        }
        points.append({ series, ts, s.value });
    }
    // Only a push that is taken whole counts its series: a refused one changes nothing.
    known.unite(fresh);
    m_seriesTotal += int(fresh.size());
    if (!points.isEmpty()) {
        HistoryWriter *writer = m_writer;
        QMetaObject::invokeMethod(
            writer, [writer, points] { writer->record(points); }, Qt::QueuedConnection);
    }
    return ApiReply::json(200,
        { { QStringLiteral("job"), job }, { QStringLiteral("samples"), int(points.size()) },
            { QStringLiteral("new_series"), int(fresh.size()) },
            { QStringLiteral("skipped_not_finite"), skipped } });
}

} // namespace Shivx
