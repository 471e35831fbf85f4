#include "degradation/degradationapi.h"

#include "core/clock.h"
#include "core/timeutil.h"
#include "degradation/degradationcontroller.h"
#include "telemetry/prometheusexposition.h"

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

// The body of a POST as a JSON object; an empty body is an empty object.
std::optional<QJsonObject> bodyObject(const ApiRequest &req, ApiReply *error)
{
    if (req.body.trimmed().isEmpty())
        return QJsonObject();
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(req.body, &pe);
    if (!doc.isObject()) {
        *error = badRequest(
            QStringLiteral("body: expected a JSON object (%1)")
                .arg(doc.isNull() ? pe.errorString() : QStringLiteral("got another JSON value")));
        return std::nullopt;
    }
    return doc.object();
}

std::optional<QString> stringField(
    const QJsonObject &o, const char *name, bool required, ApiReply *error)
{
    const QJsonValue v = o.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull()) {
        if (required) {
            *error = badRequest(QStringLiteral("%1: required").arg(QLatin1String(name)));
            return std::nullopt;
        }
        return QString();
    }
    if (!v.isString()) {
        *error = badRequest(QStringLiteral("%1: expected a string").arg(QLatin1String(name)));
        return std::nullopt;
    }
    return v.toString();
}

ApiReply pin(DegradationController *controller, Clock *clock, const ApiRequest &req)
{
    ApiReply error;
    const auto body = bodyObject(req, &error);
    if (!body)
        return error;
    static const QStringList known = { QStringLiteral("level"), QStringLiteral("reason"),
        QStringLiteral("for"), QStringLiteral("actor") };
    for (auto it = body->begin(); it != body->end(); ++it)
        if (!known.contains(it.key()))
            return badRequest(QStringLiteral("%1: unknown field (known: actor, for, level, reason)")
                                  .arg(it.key().left(64)));
    const auto levelText = stringField(*body, "level", true, &error);
    if (!levelText)
        return error;
    const auto level = parseDegradationLevel(*levelText);
    if (!level)
        return badRequest(QStringLiteral(
            "level: \"%1\" is not a level (NORMAL, LEVEL_1, LEVEL_2, LEVEL_3, EMERGENCY)")
                              .arg(levelText->left(64)));
    const auto reason = stringField(*body, "reason", true, &error);
    if (!reason)
        return error;
    const auto forText = stringField(*body, "for", true, &error);
    if (!forText)
        return error;
    const auto duration = TimeUtil::parseDurationMs(*forText);
    if (!duration)
        return badRequest(QStringLiteral("for: %1").arg(duration.error().message));
    const auto actor = stringField(*body, "actor", false, &error);
    if (!actor)
        return error;
    const auto r = controller->pin(
        *level, *reason, *duration, actor->isEmpty() ? QStringLiteral("api") : *actor);
    if (!r)
        return badRequest(r.error().message);
    return ApiReply::json(200, stateJson(*r, clock->nowMs()));
}

ApiReply release(DegradationController *controller, Clock *clock, const ApiRequest &req)
{
    ApiReply error;
    const auto body = bodyObject(req, &error);
    if (!body)
        return error;
    for (auto it = body->begin(); it != body->end(); ++it)
        if (it.key() != QLatin1String("actor"))
            return badRequest(
                QStringLiteral("%1: unknown field (known: actor)").arg(it.key().left(64)));
    const auto actor = stringField(*body, "actor", false, &error);
    if (!actor)
        return error;
    bool released = false;
    const DegradationSnapshot s
        = controller->release(actor->isEmpty() ? QStringLiteral("api") : *actor, &released);
    QJsonObject o = stateJson(s, clock->nowMs());
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
        { QStringLiteral("reason"), s.reason },
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

QList<ApiRoute> routes(DegradationController *controller, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    QList<ApiRoute> r;
    r.append(ApiRoute { QStringLiteral("/api/degradation"), false, { "GET" }, false,
        [controller, clock](const ApiRequest &) {
            return ApiReply::json(200, stateJson(*controller->snapshotPtr(), clock->nowMs()));
        } });
    r.append(ApiRoute {
        QStringLiteral("/api/features"), false, { "GET" }, false, [controller](const ApiRequest &) {
            return ApiReply::json(200, featuresJson(*controller->snapshotPtr()));
        } });
    r.append(ApiRoute { QStringLiteral("/api/features/"), true, { "GET" }, false,
        [controller](const ApiRequest &req) {
            const auto s = controller->snapshotPtr();
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
        [controller, clock](const ApiRequest &req) { return pin(controller, clock, req); },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/degradation/release"), false, { "POST" }, true,
        [controller, clock](const ApiRequest &req) { return release(controller, clock, req); },
        ApiRoute::jsonBodyLimit });
    return r;
}

QByteArray metrics(const DegradationSnapshot &s)
{
    PrometheusWriter w;
    w.family("shivx_degradation_level", "gauge",
        "Degradation level in effect: 0 NORMAL, 1 LEVEL_1, 2 LEVEL_2, 3 LEVEL_3, 4 EMERGENCY.");
    w.sample("shivx_degradation_level", levelValue(s.level));
    w.family("shivx_degradation_state", "gauge",
        "1 for the degradation level in effect, 0 for the others.");
    for (DegradationLevel level : allDegradationLevels())
        w.sample("shivx_degradation_state", { { QStringLiteral("level"), toString(level) } },
            level == s.level ? 1 : 0);
    w.family("shivx_degradation_pinned", "gauge",
        "1 while an operator pin overrides the score's level.");
    w.sample("shivx_degradation_pinned", s.pin.active ? 1 : 0);
    w.family("shivx_degradation_transitions_total", "counter",
        "Degradation level changes since the engine started.");
    w.sample("shivx_degradation_transitions_total", double(s.transitions));
    w.family("shivx_feature_enabled", "gauge",
        "1 when the feature is enabled at the current degradation level.");
    for (const FeatureState &f : s.features)
        w.sample(
            "shivx_feature_enabled", { { QStringLiteral("feature"), f.name } }, f.enabled ? 1 : 0);
    w.family("shivx_feature_quality", "gauge",
        "Quality of the feature at the current degradation level (0-1).");
    for (const FeatureState &f : s.features)
        w.sample("shivx_feature_quality", { { QStringLiteral("feature"), f.name } }, f.quality);
    return w.take();
}

} // namespace Shivx::DegradationApi
