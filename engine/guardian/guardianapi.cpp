#include "guardian/guardianapi.h"

#include "api/apibody.h"
#include "core/clock.h"
#include "core/messagejson.h"
#include "core/timeutil.h"
#include "guardian/guardianapiguard.h"
#include "guardian/guardianservice.h"

#include <QJsonArray>

#include <cmath>

namespace Shivx::GuardianApi {

namespace {

ApiReply badRequest(const QString &message)
{
    return ApiReply::error(400, QStringLiteral("bad_request"), message);
}

// A command's error: 503 when the engine is not running, 404 for what is not there, else 400.
ApiReply commandError(const Error &e)
{
    if (e.code == QLatin1String("engine.not_running"))
        return ApiReply::error(503, e.code, e.message);
    if (e.code == QLatin1String("guardian.not_isolated"))
        return ApiReply::error(404, e.code, e.message);
    return badRequest(e.message);
}

ApiReply threats(GuardianService *service, Clock *clock, const ApiRequest &req)
{
    const QUrlQuery &q = req.query;
    static const QStringList known = { QStringLiteral("type"), QStringLiteral("severity"),
        QStringLiteral("source"), QStringLiteral("since"), QStringLiteral("until"),
        QStringLiteral("limit"), QStringLiteral("before") };
    for (const auto &item : q.queryItems())
        if (!known.contains(item.first))
            return badRequest(QStringLiteral("%1: unknown parameter (known: %2)")
                                  .arg(item.first.left(64), known.join(QStringLiteral(", "))));
    ThreatFilter f;
    f.type = q.queryItemValue(QStringLiteral("type"), QUrl::FullyDecoded);
    f.source = q.queryItemValue(QStringLiteral("source"), QUrl::FullyDecoded);
    if (q.hasQueryItem(QStringLiteral("severity"))) {
        const QString s = q.queryItemValue(QStringLiteral("severity"));
        const auto sev = parseThreatSeverity(s);
        if (!sev)
            return badRequest(QStringLiteral("severity: \"%1\" is not info, warning or critical")
                                  .arg(s.left(64)));
        f.minSeverity = sev;
    }
    const qint64 now = clock->nowMs();
    for (const auto &[name, out] : { std::pair<const char *, qint64 *> { "since", &f.sinceMs },
             std::pair<const char *, qint64 *> { "until", &f.untilMs } }) {
        const QString key = QLatin1String(name);
        if (!q.hasQueryItem(key))
            continue;
        const auto t = TimeUtil::parseTimePoint(q.queryItemValue(key, QUrl::FullyDecoded), now);
        if (!t)
            return badRequest(QStringLiteral("%1: %2").arg(key, t.error().message));
        *out = *t;
    }
    if (q.hasQueryItem(QStringLiteral("before"))) {
        bool ok = false;
        const qint64 v = q.queryItemValue(QStringLiteral("before")).toLongLong(&ok);
        if (!ok || v < 1)
            return badRequest(QStringLiteral("before: expected a row id"));
        f.beforeId = v;
    }
    if (q.hasQueryItem(QStringLiteral("limit"))) {
        bool ok = false;
        const int v = q.queryItemValue(QStringLiteral("limit")).toInt(&ok);
        if (!ok || v < 1 || v > 10'000)
            return badRequest(QStringLiteral("limit: expected 1 to 10000"));
        f.limit = v;
    }
    const auto rows = service->threats(f);
    if (!rows)
        return rows.error().code == QLatin1String("engine.not_running")
            ? commandError(rows.error())
            : ApiReply::error(500, rows.error().code, rows.error().message);
    QJsonArray out;
    QStringList sources;
    for (const ThreatRecord &r : *rows) {
        out.append(threatJson(r));
        if (!r.source.isEmpty() && !sources.contains(r.source))
            sources.append(r.source);
    }
    // Each source's score as of now, with the points of each feature: the rows keep the
    // highest score an event carried, this says why the source stands where it stands now.
    QJsonObject scores;
    if (const auto assessed = service->assess(sources))
        for (const ThreatAssessment &a : *assessed)
            scores.insert(a.source, assessmentJson(a));
    return ApiReply::json(
        200, { { QStringLiteral("threats"), out }, { QStringLiteral("scores"), scores } });
}

ApiReply setMode(GuardianService *service, Clock *clock, const ApiRequest &req)
{
    const auto body = ApiBody::object(req,
        { QStringLiteral("mode"), QStringLiteral("reason"), QStringLiteral("actor") },
        QStringLiteral("{\"mode\":\"ELEVATED\",\"reason\":\"scan from 203.0.113.9\"}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto modeText = ApiBody::string(*body, "mode", true);
    if (!modeText)
        return ApiBody::badRequest(modeText.error());
    const auto mode = parseDefenseMode(*modeText);
    if (!mode)
        return badRequest(QStringLiteral("mode: \"%1\" is not NORMAL, ELEVATED or LOCKDOWN")
                              .arg(modeText->left(64)));
    const auto reason = ApiBody::string(*body, "reason", true);
    if (!reason)
        return ApiBody::badRequest(reason.error());
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->setMode(*mode, *reason, *actor);
    if (!r)
        return commandError(r.error());
    return ApiReply::json(200, statusJson(*r, clock->nowMs()));
}

ApiReply isolate(GuardianService *service, Clock *clock, const ApiRequest &req)
{
    const auto body = ApiBody::object(req,
        { QStringLiteral("source"), QStringLiteral("for"), QStringLiteral("reason"),
            QStringLiteral("actor") },
        QStringLiteral("{\"source\":\"203.0.113.9\",\"for\":\"1h\",\"reason\":\"scan\"}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto source = ApiBody::string(*body, "source", true);
    if (!source)
        return ApiBody::badRequest(source.error());
    const auto forText = ApiBody::string(*body, "for", true);
    if (!forText)
        return ApiBody::badRequest(forText.error());
    const auto duration = TimeUtil::parseDurationMs(*forText);
    if (!duration)
        return badRequest(QStringLiteral("for: %1").arg(duration.error().message));
    const auto reason = ApiBody::string(*body, "reason", true);
    if (!reason)
        return ApiBody::badRequest(reason.error());
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->isolate(*source, *duration, *reason, *actor);
    if (!r)
        return commandError(r.error());
    return ApiReply::json(200, isolationJson(*r, clock->nowMs()));
}

ApiReply release(GuardianService *service, Clock *clock, const ApiRequest &req)
{
    const auto body = ApiBody::object(req, { QStringLiteral("source"), QStringLiteral("actor") },
        QStringLiteral("{\"source\":\"203.0.113.9\"}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto source = ApiBody::string(*body, "source", true);
    if (!source)
        return ApiBody::badRequest(source.error());
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->release(*source, *actor);
    if (!r)
        return commandError(r.error());
    return ApiReply::json(200, statusJson(*r, clock->nowMs()));
}

} // namespace

QJsonObject isolationJson(const Isolation &i, qint64 nowMs)
{
    return { { QStringLiteral("source"), i.source },
        { QStringLiteral("since"), TimeUtil::toRfc3339(i.sinceMs) },
        { QStringLiteral("until"), TimeUtil::toRfc3339(i.untilMs) },
        { QStringLiteral("remaining_seconds"), double(qMax<qint64>(0, i.untilMs - nowMs)) / 1000 },
        { QStringLiteral("reason"), i.reason }, { QStringLiteral("actor"), i.actor } };
}

QJsonObject statusJson(const GuardianSnapshot &s, qint64 nowMs)
{
    QJsonArray isolations;
    for (const Isolation &i : s.isolations)
        isolations.append(isolationJson(i, nowMs));
    return { { QStringLiteral("running"), s.running }, { QStringLiteral("mode"), toString(s.mode) },
        { QStringLiteral("mode_value"), int(s.mode) },
        { QStringLiteral("floor"), toString(s.floor) },
        { QStringLiteral("reason"), messageToJson(s.reason) }, { QStringLiteral("actor"), s.actor },
        { QStringLiteral("since"), TimeUtil::toRfc3339(s.changedMs) },
        { QStringLiteral("next_step_down"),
            s.nextStepDownMs > 0 ? QJsonValue(TimeUtil::toRfc3339(s.nextStepDownMs))
                                 : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("isolations"), isolations },
        { QStringLiteral("events"),
            QJsonObject { { QStringLiteral("info"), s.eventsInfo },
                { QStringLiteral("warning"), s.eventsWarning },
                { QStringLiteral("critical"), s.eventsCritical } } } };
}

QJsonObject threatJson(const ThreatRecord &r)
{
    return { { QStringLiteral("id"), r.id }, { QStringLiteral("type"), r.type },
        { QStringLiteral("severity"), toString(r.severity) },
        { QStringLiteral("source"), r.source }, { QStringLiteral("evidence"), r.evidence },
        { QStringLiteral("score"), r.score }, { QStringLiteral("count"), r.count },
        { QStringLiteral("first_seen"), TimeUtil::toRfc3339(r.firstMs) },
        { QStringLiteral("last_seen"), TimeUtil::toRfc3339(r.lastMs) } };
}

QJsonObject assessmentJson(const ThreatAssessment &a)
{
    QJsonArray features;
    for (const ThreatFeature &f : a.features)
        features.append(QJsonObject { { QStringLiteral("name"), f.name },
            { QStringLiteral("points"), std::round(f.points * 10) / 10 },
            { QStringLiteral("max_points"), f.maxPoints },
            { QStringLiteral("detail"), messageToJson(f.detail) } });
    return { { QStringLiteral("score"), std::round(a.score * 10) / 10 },
        { QStringLiteral("class"), a.sourceClass },
        { QStringLiteral("at"), TimeUtil::toRfc3339(a.timestampMs) },
        { QStringLiteral("features"), features } };
}

QList<ApiRoute> routes(GuardianService *service, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    QList<ApiRoute> r;
    r.append(ApiRoute { QStringLiteral("/api/guardian"), false, { "GET" }, false,
        [service, clock](const ApiRequest &) {
            return ApiReply::json(200, statusJson(*service->snapshotPtr(), clock->nowMs()));
        } });
    r.append(ApiRoute { QStringLiteral("/api/guardian/threats"), false, { "GET" }, false,
        [service, clock](const ApiRequest &req) { return threats(service, clock, req); } });
    r.append(ApiRoute { QStringLiteral("/api/guardian/mode"), false, { "POST" }, true,
        [service, clock](const ApiRequest &req) { return setMode(service, clock, req); },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/guardian/isolate"), false, { "POST" }, true,
        [service, clock](const ApiRequest &req) { return isolate(service, clock, req); },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/guardian/release"), false, { "POST" }, true,
        [service, clock](const ApiRequest &req) { return release(service, clock, req); },
        ApiRoute::jsonBodyLimit });
    return r;
}

} // namespace Shivx::GuardianApi
