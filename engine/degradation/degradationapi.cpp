#include "degradation/degradationapi.h"

#include "api/apibody.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "degradation/degradationservice.h"
#include "telemetry/metricregistry.h"

#include <QJsonDocument>

namespace Shivx::DegradationApi {

namespace {

QJsonValue scoreValue(const DegradationSnapshot &s)
{
    return s.hasScore ? QJsonValue(s.score) : QJsonValue(QJsonValue::Null);
}

QJsonObject featureJson(const FeatureState &f)
{
    return { { QStringLiteral("enabled"), f.enabled }, { QStringLiteral("quality"), f.quality } };
}

ApiReply badRequest(const QString &message)
{
    return ApiReply::error(400, QStringLiteral("bad_request"), message);
}

ApiReply pin(DegradationService *service, Clock *clock, const ApiRequest &req)
{
    const auto body = ApiBody::object(req,
        { QStringLiteral("level"), QStringLiteral("reason"), QStringLiteral("for"),
            QStringLiteral("actor") });
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto levelText = ApiBody::string(*body, "level", true);
    if (!levelText)
        return ApiBody::badRequest(levelText.error());
    const auto level = parseDegradationLevel(*levelText);
    if (!level)
        return badRequest(QStringLiteral(
            "level: \"%1\" is not a level (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3, EMERGENCY)")
                              .arg(levelText->left(64)));
    const auto reason = ApiBody::string(*body, "reason", true);
    if (!reason)
        return ApiBody::badRequest(reason.error());
    const auto forText = ApiBody::string(*body, "for", true);
    if (!forText)
        return ApiBody::badRequest(forText.error());
    const auto duration = TimeUtil::parseDurationMs(*forText);
    if (!duration)
        return badRequest(QStringLiteral("for: %1").arg(duration.error().message));
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->pin(*level, *reason, *duration, *actor);
    if (!r)
        return badRequest(r.error().message);
    return ApiReply::json(200, stateJson(*r, clock->nowMs()));
}

ApiReply release(DegradationService *service, Clock *clock, const ApiRequest &req)
{
    const auto body = ApiBody::object(req, { QStringLiteral("actor") });
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->release(*actor);
    // Nothing pinned is not a failure of the request: the answer says so and shows the state.
    const bool released = r.ok();
    if (!released && r.error().code != QLatin1String("degradation.not_pinned"))
        return badRequest(r.error().message);
    QJsonObject o = stateJson(released ? *r : service->snapshot(), clock->nowMs());
    o.insert(QStringLiteral("released"), released);
    return ApiReply::json(200, o);
}

} // namespace

QJsonObject stateJson(const DegradationSnapshot &s, qint64 nowMs)
{
    QJsonObject o { { QStringLiteral("level"), toString(s.level) },
        { QStringLiteral("level_value"), levelValue(s.level) },
        { QStringLiteral("score"), scoreValue(s) },
        { QStringLiteral("since"), TimeUtil::toRfc3339(s.sinceMs) },
        { QStringLiteral("reason"), s.reason.text },
        { QStringLiteral("automatic_level"), toString(s.automaticLevel) },
        { QStringLiteral("transitions"), qint64(s.transitions) } };
    if (s.pin.active) {
        o.insert(QStringLiteral("override"),
            QJsonObject { { QStringLiteral("level"), toString(s.pin.level) },
                { QStringLiteral("reason"), s.pin.reason },
                { QStringLiteral("actor"), s.pin.actor },
                { QStringLiteral("since"), TimeUtil::toRfc3339(s.pin.sinceMs) },
                { QStringLiteral("until"), TimeUtil::toRfc3339(s.pin.untilMs) },
                { QStringLiteral("remaining_seconds"),
                    double(qMax<qint64>(0, s.pin.untilMs - nowMs)) / 1000.0 } });
    } else {
        o.insert(QStringLiteral("override"), QJsonValue(QJsonValue::Null));
    }
    if (s.recoverySinceMs > 0) {
        o.insert(QStringLiteral("recovery"),
            QJsonObject { { QStringLiteral("target"), toString(s.recoveryTarget) },
                { QStringLiteral("since"), TimeUtil::toRfc3339(s.recoverySinceMs) },
                { QStringLiteral("hold_seconds"), double(s.recoveryHoldMs) / 1000.0 } });
    } else {
        o.insert(QStringLiteral("recovery"), QJsonValue(QJsonValue::Null));
    }
    return o;
}

QJsonObject featuresJson(const DegradationSnapshot &s)
{
    QJsonObject features;
    for (const FeatureState &f : s.features)
        features.insert(f.name, featureJson(f));
    return { { QStringLiteral("level"), toString(s.level) },
        { QStringLiteral("features"), features } };
}

QList<ApiRoute> routes(DegradationService *service, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    QList<ApiRoute> r;
    r.append(ApiRoute { QStringLiteral("/api/degradation"), false, { "GET" }, false,
        [service, clock](const ApiRequest &) {
            return ApiReply::json(200, stateJson(*service->snapshotPtr(), clock->nowMs()));
        } });
    r.append(ApiRoute {
        QStringLiteral("/api/features"), false, { "GET" }, false, [service](const ApiRequest &) {
            return ApiReply::json(200, featuresJson(*service->snapshotPtr()));
        } });
    r.append(ApiRoute {
        QStringLiteral("/api/features/"), true, { "GET" }, false, [service](const ApiRequest &req) {
            const auto s = service->snapshotPtr();
            for (const FeatureState &f : s->features) {
                if (f.name == req.pathTail) {
                    QJsonObject o = featureJson(f);
                    o.insert(QStringLiteral("name"), f.name);
                    o.insert(QStringLiteral("level"), toString(s->level));
                    return ApiReply::json(200, o);
                }
            }
            return ApiReply::error(404, QStringLiteral("not_found"),
                QStringLiteral("no feature named \"%1\" in the feature map")
                    .arg(req.pathTail.left(64)));
        } });
    r.append(ApiRoute { QStringLiteral("/api/degradation/pin"), false, { "POST" }, true,
        [service, clock](const ApiRequest &req) { return pin(service, clock, req); },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/degradation/release"), false, { "POST" }, true,
        [service, clock](const ApiRequest &req) { return release(service, clock, req); },
        ApiRoute::jsonBodyLimit });
    return r;
}

void registerMetrics(MetricRegistry &registry, const DegradationService *service)
{
    MetricRegistry &r = registry;
    const QStringList feature { QStringLiteral("feature") };
    Gauge level = r.gauge(QStringLiteral("shivx_degradation_level"),
                       QStringLiteral("Degradation level in effect: 0 NORMAL, 1 LEVEL_1, 2 "
                                      "LEVEL_2, 3 LEVEL_3, 4 EMERGENCY."))
                      ->gauge();
    MetricFamily *state = r.gauge(QStringLiteral("shivx_degradation_state"),
        QStringLiteral("1 for the degradation level in effect, 0 for the others."),
        { QStringLiteral("level") });
    Gauge pinned = r.gauge(QStringLiteral("shivx_degradation_pinned"),
                        QStringLiteral("1 while an operator pin overrides the score's level."))
                       ->gauge();
    Counter transitions = r.counter(QStringLiteral("shivx_degradation_transitions_total"),
                               QStringLiteral("Degradation level changes since the engine "
                                              "started."))
                              ->counter();
    MetricFamily *enabled = r.gauge(QStringLiteral("shivx_feature_enabled"),
        QStringLiteral("1 when the feature is enabled at the current degradation level."), feature);
    MetricFamily *quality = r.gauge(QStringLiteral("shivx_feature_quality"),
        QStringLiteral("Quality of the feature at the current degradation level (0-1)."), feature);
    r.addCollector([=]() mutable {
        const auto s = service->snapshotPtr();
        level.set(levelValue(s->level));
        for (DegradationLevel l : allDegradationLevels())
            state->gauge({ toString(l) }).set(l == s->level ? 1 : 0);
        pinned.set(s->pin.active ? 1 : 0);
        transitions.advanceTo(double(s->transitions));
        for (const FeatureState &f : s->features) {
            enabled->gauge({ f.name }).set(f.enabled ? 1 : 0);
            quality->gauge({ f.name }).set(f.quality);
        }
    });
}

} // namespace Shivx::DegradationApi
