#include "alerting/alertingapi.h"

#include "alerting/alertingservice.h"
#include "alerting/alertnotifier.h"
#include "api/apibody.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "telemetry/metricregistry.h"

#include <QJsonArray>

#include <cmath>

namespace Shivx::AlertingApi {

namespace {

QJsonObject labelsJson(const QMap<QString, QString> &labels)
{
    QJsonObject o;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(TimeUtil::toRfc3339(ms)) : QJsonValue();
}

QJsonObject silenceJson(const AlertSilence &s)
{
    return { { QStringLiteral("id"), s.id }, { QStringLiteral("matchers"), labelsJson(s.matchers) },
        { QStringLiteral("starts_at"), time(s.startsAtMs) },
        { QStringLiteral("ends_at"), time(s.endsAtMs) },
        { QStringLiteral("created_by"), s.createdBy }, { QStringLiteral("comment"), s.comment } };
}

ApiReply fail(const Error &e)
{
    if (e.code == QLatin1String("engine.not_running"))
        return ApiReply::error(503, e.code, e.message);
    if (e.code == QLatin1String("alerting.no_such_alert")
        || e.code == QLatin1String("alerting.no_such_silence"))
        return ApiReply::error(404, e.code, e.message);
    if (e.code == QLatin1String("alerting.storage"))
        return ApiReply::error(500, e.code, e.message);
    return ApiBody::badRequest(e);
}

ApiReply history(AlertingService *service, const ApiRequest &r)
{
    bool ok = true;
    int limit = 100;
    if (r.query.hasQueryItem(QStringLiteral("limit")))
        limit = r.query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
    if (!ok || limit < 1 || limit > 10000)
        return ApiBody::badRequest(
            makeError("bad_request", QStringLiteral("limit: expected 1-10000")));
    auto h = service->history(limit, r.query.queryItemValue(QStringLiteral("rule")));
    if (!h)
        return fail(h.error());
    QJsonArray out;
    for (const AlertHistoryEntry &e : *h)
        out.append(QJsonObject { { QStringLiteral("at"), time(e.tsMs) },
            { QStringLiteral("alert"), e.rule }, { QStringLiteral("fingerprint"), e.fingerprint },
            { QStringLiteral("labels"), labelsJson(e.labels) }, { QStringLiteral("from"), e.from },
            { QStringLiteral("to"), e.to }, { QStringLiteral("value"), e.value } });
    return ApiReply::json(200, { { QStringLiteral("history"), out } });
}

ApiReply addSilence(AlertingService *service, const ApiRequest &r)
{
    auto body = ApiBody::object(r,
        { QStringLiteral("matchers"), QStringLiteral("duration"), QStringLiteral("comment"),
            QStringLiteral("actor") },
        QStringLiteral("{\"matchers\":{\"alertname\":\"CpuHigh\"},\"duration\":\"2h\"}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const QJsonValue m = body->value(QStringLiteral("matchers"));
    if (!m.isObject() || m.toObject().isEmpty())
        return ApiBody::badRequest(makeError("bad_request",
            QStringLiteral("matchers: expected an object of label: value, at least one")));
    QMap<QString, QString> matchers;
    const QJsonObject mo = m.toObject();
    for (auto it = mo.begin(); it != mo.end(); ++it) {
        if (!it.value().isString())
            return ApiBody::badRequest(makeError(
                "bad_request", QStringLiteral("matchers.%1: expected a string").arg(it.key())));
        matchers.insert(it.key(), it.value().toString());
    }
    auto duration = ApiBody::string(*body, "duration", true);
    if (!duration)
        return ApiBody::badRequest(duration.error());
    const auto ms = TimeUtil::parseDurationMs(*duration);
    if (!ms)
        return ApiBody::badRequest(
            makeError("bad_request", QStringLiteral("duration: %1").arg(ms.error().message)));
    auto comment = ApiBody::string(*body, "comment", false);
    if (!comment)
        return ApiBody::badRequest(comment.error());
    auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    auto s = service->silence(matchers, *ms, *comment, *actor);
    if (!s)
        return fail(s.error());
    return ApiReply::json(201, silenceJson(*s));
}

ApiReply expireSilence(AlertingService *service, const ApiRequest &r)
{
    // The tail is "ID/expire".
    const QStringList parts = r.pathTail.split(QLatin1Char('/'));
    if (parts.size() != 2 || parts.at(1) != QLatin1String("expire") || parts.at(0).isEmpty())
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("expected /api/alerts/silences/ID/expire"));
    auto body = ApiBody::object(r, { QStringLiteral("actor") });
    if (!body)
        return ApiBody::badRequest(body.error());
    auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    if (auto e = service->expireSilence(parts.at(0), *actor); !e)
        return fail(e.error());
    return ApiReply::json(200, { { QStringLiteral("expired"), parts.at(0) } });
}

ApiReply acknowledge(AlertingService *service, const ApiRequest &r)
{
    auto body = ApiBody::object(r, { QStringLiteral("fingerprint"), QStringLiteral("actor") },
        QStringLiteral("{\"fingerprint\":\"0123abcd...\"}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    auto fp = ApiBody::string(*body, "fingerprint", true);
    if (!fp)
        return ApiBody::badRequest(fp.error());
    auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    auto a = service->acknowledge(*fp, *actor);
    if (!a)
        return fail(a.error());
    return ApiReply::json(200, alertJson(*a));
}

} // namespace

QJsonObject alertJson(const AlertInstance &a)
{
    return { { QStringLiteral("fingerprint"), a.fingerprint }, { QStringLiteral("alert"), a.rule },
        { QStringLiteral("severity"), a.severity }, { QStringLiteral("state"), toString(a.state) },
        { QStringLiteral("labels"), labelsJson(a.labels) },
        { QStringLiteral("value"), std::isfinite(a.value) ? QJsonValue(a.value) : QJsonValue() },
        { QStringLiteral("active_since"), time(a.activeSinceMs) },
        { QStringLiteral("fired_at"), time(a.firedAtMs) }, { QStringLiteral("summary"), a.summary },
        { QStringLiteral("description"), a.description },
        { QStringLiteral("inhibited"), a.inhibited },
        { QStringLiteral("silenced_by"),
            a.silencedBy.isEmpty() ? QJsonValue() : QJsonValue(a.silencedBy) },
        { QStringLiteral("acknowledged_by"),
            a.ackedBy.isEmpty() ? QJsonValue() : QJsonValue(a.ackedBy) },
        { QStringLiteral("acknowledged_at"), time(a.ackedAtMs) } };
}

QJsonObject snapshotJson(const AlertingSnapshot &s, qint64 nowMs)
{
    QJsonArray alerts;
    for (const AlertInstance &a : s.alerts)
        alerts.append(alertJson(a));
    QJsonArray silences;
    for (const AlertSilence &x : s.silences)
        if (x.endsAtMs > nowMs)
            silences.append(silenceJson(x));
    QJsonObject forecast { { QStringLiteral("likely"), s.forecast.likely },
        { QStringLiteral("score"), s.forecast.score },
        { QStringLiteral("slope_per_hour"), s.forecast.slopePerHour } };
    if (s.forecast.likely) {
        forecast.insert(QStringLiteral("level"), s.forecast.level);
        forecast.insert(QStringLiteral("eta_seconds"), double(s.forecast.etaMs) / 1000.0);
    }
    return { { QStringLiteral("running"), s.running }, { QStringLiteral("rules"), s.rules },
        { QStringLiteral("evaluated_at"), time(s.evaluatedAtMs) },
        { QStringLiteral("alerts"), alerts }, { QStringLiteral("silences"), silences },
        { QStringLiteral("forecast"), forecast } };
}

QList<ApiRoute> routes(AlertingService *service, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    return {
        ApiRoute { QStringLiteral("/api/alerts"), false, { "GET" }, false,
            [service, clock](const ApiRequest &) {
                return ApiReply::json(200, snapshotJson(service->snapshot(), clock->nowMs()));
            } },
        ApiRoute { QStringLiteral("/api/alerts/history"), false, { "GET" }, false,
            [service](const ApiRequest &r) { return history(service, r); } },
        ApiRoute { QStringLiteral("/api/alerts/silences"), false, { "POST" }, true,
            [service](const ApiRequest &r) { return addSilence(service, r); },
            ApiRoute::jsonBodyLimit },
        ApiRoute { QStringLiteral("/api/alerts/silences/"), true, { "POST" }, true,
            [service](const ApiRequest &r) { return expireSilence(service, r); },
            ApiRoute::jsonBodyLimit },
        ApiRoute { QStringLiteral("/api/alerts/ack"), false, { "POST" }, true,
            [service](const ApiRequest &r) { return acknowledge(service, r); },
            ApiRoute::jsonBodyLimit },
    };
}

void registerMetrics(MetricRegistry &registry, const AlertingService *service)
{
    MetricRegistry &r = registry;
    MetricFamily *alerts = r.gauge(QStringLiteral("shivx_alerts"),
        QStringLiteral("Alerts pending or firing, by state and severity."),
        { QStringLiteral("state"), QStringLiteral("severity") });
    Gauge rules
        = r.gauge(QStringLiteral("shivx_alerting_rules"), QStringLiteral("Alert rules loaded."))
              ->gauge();
    Gauge silences
        = r.gauge(QStringLiteral("shivx_alerting_silences"), QStringLiteral("Silences in effect."))
              ->gauge();
    MetricFamily *etaFamily = r.gauge(QStringLiteral("shivx_health_forecast_eta_seconds"),
        QStringLiteral("Seconds until the health score's trend reaches a worse degradation "
                       "level; absent when it does not within the horizon."));
    Gauge slope = r.gauge(QStringLiteral("shivx_health_forecast_slope_per_hour"),
                       QStringLiteral("Trend of the health score in points per hour."))
                      ->gauge();
    r.addCollector([=]() mutable {
        const AlertingSnapshot s = service->snapshot();
        QHash<QStringList, int> counts;
        for (const QString &state : { QStringLiteral("pending"), QStringLiteral("firing") })
            for (const QString &sev : { QStringLiteral("critical"), QStringLiteral("warning"),
                     QStringLiteral("info"), QStringLiteral("none") })
                counts.insert({ state, sev }, 0);
        for (const AlertInstance &a : s.alerts)
            ++counts[{ toString(a.state), a.severity }];
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            alerts->gauge(it.key()).set(it.value());
        rules.set(s.rules);
        silences.set(s.silences.size());
        slope.set(s.forecast.slopePerHour);
        if (s.forecast.likely)
            etaFamily->gauge().set(double(s.forecast.etaMs) / 1000.0);
        else
            etaFamily->clear();
    });
}

void registerNotifierMetrics(MetricRegistry &registry, const QList<AlertNotifier *> &notifiers)
{
    MetricFamily *sent = registry.counter(QStringLiteral("shivx_alerting_notifications_total"),
        QStringLiteral("Notifications delivered (ok) or given up after retries (failed)."),
        { QStringLiteral("notifier"), QStringLiteral("result") });
    MetricFamily *open = registry.gauge(QStringLiteral("shivx_alerting_notifier_breaker_open"),
        QStringLiteral("1 while the notifier's circuit breaker refuses to send."),
        { QStringLiteral("notifier") });
    registry.addCollector([=] {
        for (const AlertNotifier *n : notifiers) {
            sent->counter({ n->config().name, QStringLiteral("ok") }).advanceTo(double(n->sent()));
            sent->counter({ n->config().name, QStringLiteral("failed") })
                .advanceTo(double(n->failed()));
            open->gauge({ n->config().name })
                .set(n->breaker().state == BreakerState::Closed ? 0 : 1);
        }
    });
}

} // namespace Shivx::AlertingApi
