#include "recovery/breakerroutes.h"

#include "core/timeutil.h"
#include "recovery/breakerregistry.h"
#include "telemetry/prometheusexposition.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

namespace Shivx {

QJsonObject breakerToJson(const BreakerSnapshot &b)
{
    const QJsonObject config { { QStringLiteral("failure_threshold"), b.config.failureThreshold },
        { QStringLiteral("failure_rate"), b.config.failureRatePercent },
        { QStringLiteral("window"), b.config.windowSize },
        { QStringLiteral("recovery_timeout_ms"), double(b.config.recoveryTimeoutMs) },
        { QStringLiteral("half_open_calls"), b.config.halfOpenMaxCalls } };
    return QJsonObject { { QStringLiteral("name"), b.name },
        { QStringLiteral("state"), toString(b.state) },
        { QStringLiteral("force"), toString(b.force) },
        { QStringLiteral("calls"), double(b.calls) },
        { QStringLiteral("failures"), double(b.failures) },
        { QStringLiteral("rejections"), double(b.rejections) },
        { QStringLiteral("consecutive_failures"), b.consecutiveFailures },
        { QStringLiteral("window_calls"), b.windowCalls },
        { QStringLiteral("window_failures"), b.windowFailures },
        { QStringLiteral("last_transition"), TimeUtil::toRfc3339(b.lastTransitionMs) },
        { QStringLiteral("time_in_state_ms"), double(b.timeInStateMs) },
        { QStringLiteral("reason"), b.lastReason }, { QStringLiteral("config"), config } };
}

namespace {

ApiReply listBreakers(BreakerRegistry *registry)
{
    QJsonArray list;
    const QList<BreakerSnapshot> snapshots = registry->snapshots();
    for (const BreakerSnapshot &b : snapshots)
        list.append(breakerToJson(b));
    return ApiReply::json(200, QJsonObject { { QStringLiteral("breakers"), list } });
}

ApiReply forceBreaker(BreakerRegistry *registry, const ApiRequest &request)
{
    // pathTail is "NAME/force"; a breaker name never contains '/' (target names cannot).
    const QString tail = request.pathTail;
    const int slash = tail.indexOf(QLatin1Char('/'));
    if (slash <= 0 || tail.mid(slash + 1) != QLatin1String("force"))
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("%1: expected /api/breakers/NAME/force").arg(request.path));
    const QString name = tail.left(slash);

    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
    if (!doc.isObject())
        return ApiReply::error(400, QStringLiteral("bad_request"),
            QStringLiteral("body: expected a JSON object such as {\"state\":\"open\"} (%1)")
                .arg(parseError.error == QJsonParseError::NoError ? QStringLiteral("not an object")
                                                                  : parseError.errorString()));
    const QJsonObject body = doc.object();
    const QJsonValue state = body.value(QStringLiteral("state"));
    BreakerForce force = BreakerForce::Auto;
    if (!state.isString() || !parseBreakerForce(state.toString(), &force))
        return ApiReply::error(400, QStringLiteral("bad_request"),
            QStringLiteral("state: expected \"open\", \"closed\" or \"auto\", got %1")
                .arg(state.isUndefined()
                        ? QStringLiteral("nothing")
                        : QString::fromUtf8(
                            QJsonDocument(QJsonArray { state }).toJson(QJsonDocument::Compact))
                              .mid(1)
                              .chopped(1)));
    // Clients that act for a person say who ("cli:alice", "console:bob"); anything else is "api".
    QString actor = QStringLiteral("api");
    const QJsonValue claimed = body.value(QStringLiteral("actor"));
    if (!claimed.isUndefined()) {
        static const QRegularExpression pattern(
            QStringLiteral("^(cli|console):[A-Za-z0-9_.@-]{1,64}$"));
        if (!claimed.isString() || !pattern.match(claimed.toString()).hasMatch())
            return ApiReply::error(400, QStringLiteral("bad_request"),
                QStringLiteral("actor: expected \"cli:USER\" or \"console:USER\""));
        actor = claimed.toString();
    }
    const Result<BreakerSnapshot> result = registry->force(name, force, actor);
    if (!result)
        return ApiReply::error(404, QStringLiteral("not_found"), result.error().message);
    return ApiReply::json(
        200, QJsonObject { { QStringLiteral("breaker"), breakerToJson(result.value()) } });
}

} // namespace

QList<ApiRoute> breakerRoutes(BreakerRegistry *registry)
{
    return {
        ApiRoute { QStringLiteral("/api/breakers"), false, { "GET" }, false,
            [registry](const ApiRequest &) { return listBreakers(registry); } },
        ApiRoute { QStringLiteral("/api/breakers/"), true, { "POST" }, true,
            [registry](const ApiRequest &r) { return forceBreaker(registry, r); },
            ApiRoute::jsonBodyLimit },
    };
}

QByteArray renderBreakerMetrics(const QList<BreakerSnapshot> &breakers)
{
    PrometheusWriter w;
    using L = PrometheusWriter::Labels;
    const QString label = QStringLiteral("breaker");
    w.family("shivx_breaker_state", "gauge",
        "1 for the circuit breaker's current state (closed, open, half_open).");
    for (const auto &b : breakers) {
        for (BreakerState st : { BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen })
            w.sample("shivx_breaker_state",
                L { { label, b.name }, { QStringLiteral("state"), toString(st) } },
                b.state == st ? 1 : 0);
    }
    w.family("shivx_breaker_forced", "gauge",
        "1 while an operator has forced the breaker open or closed.");
    for (const auto &b : breakers)
        w.sample(
            "shivx_breaker_forced", L { { label, b.name } }, b.force == BreakerForce::Auto ? 0 : 1);
    w.family("shivx_breaker_calls_total", "counter", "Calls the circuit breaker let through.");
    for (const auto &b : breakers)
        w.sample("shivx_breaker_calls_total", L { { label, b.name } }, double(b.calls));
    w.family("shivx_breaker_failures_total", "counter",
        "Calls through the circuit breaker that failed.");
    for (const auto &b : breakers)
        w.sample("shivx_breaker_failures_total", L { { label, b.name } }, double(b.failures));
    w.family("shivx_breaker_rejections_total", "counter",
        "Calls the circuit breaker rejected while open.");
    for (const auto &b : breakers)
        w.sample("shivx_breaker_rejections_total", L { { label, b.name } }, double(b.rejections));
    return w.take();
}

} // namespace Shivx
