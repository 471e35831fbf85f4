#include "recovery/recoveryapi.h"

#include "api/apibody.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "recovery/recoveryservice.h"
#include "telemetry/metricregistry.h"

#include <QSet>

#include <QJsonArray>
#include <QJsonDocument>

namespace Shivx::RecoveryApi {

QJsonObject breakerJson(const BreakerSnapshot &b)
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
        { QStringLiteral("reason"), b.lastReason.text }, { QStringLiteral("config"), config } };
}

QJsonObject processJson(const ProcessSnapshot &s, qint64 nowMs)
{
    const bool running = s.state == ProcessState::Running && s.startedAtMs > 0;
    QJsonObject o { { QStringLiteral("name"), s.name },
        { QStringLiteral("state"), toString(s.state) },
        { QStringLiteral("pid"), s.pid > 0 ? QJsonValue(s.pid) : QJsonValue() },
        { QStringLiteral("uptime_ms"), running ? QJsonValue(nowMs - s.startedAtMs) : QJsonValue() },
        { QStringLiteral("restarts"), s.restarts },
        { QStringLiteral("crash_loop"), s.state == ProcessState::CrashLoop },
        { QStringLiteral("restarts_in_window"), s.restartsInWindow },
        { QStringLiteral("log"), s.logPath } };
    o.insert(QStringLiteral("started_at"),
        s.startedAtMs > 0 ? QJsonValue(TimeUtil::toRfc3339(s.startedAtMs)) : QJsonValue());
    o.insert(QStringLiteral("next_start_at"),
        s.nextStartAtMs > 0 ? QJsonValue(TimeUtil::toRfc3339(s.nextStartAtMs)) : QJsonValue());
    if (s.hasExited) {
        o.insert(QStringLiteral("last_exit"),
            QJsonObject { { QStringLiteral("code"),
                              s.lastExitSignal ? QJsonValue() : QJsonValue(s.lastExitCode) },
                { QStringLiteral("signal"),
                    s.lastExitSignal ? QJsonValue(s.lastExitSignal) : QJsonValue() },
                { QStringLiteral("at"), TimeUtil::toRfc3339(s.lastExitMs) } });
    } else {
        o.insert(QStringLiteral("last_exit"), QJsonValue());
    }
    if (!s.lastError.isEmpty())
        o.insert(QStringLiteral("error"), s.lastError);
    return o;
}

namespace {

ApiReply listBreakers(const RecoveryService *service)
{
    QJsonArray list;
    for (const BreakerSnapshot &b : service->breakers())
        list.append(breakerJson(b));
    return ApiReply::json(200, QJsonObject { { QStringLiteral("breakers"), list } });
}

// POST /api/breakers/NAME/force {"state": "open"|"closed"|"auto", "actor"?}
ApiReply forceBreaker(RecoveryService *service, const ApiRequest &request)
{
    // pathTail is "NAME/force"; a breaker name never contains '/' (target names cannot).
    const QString tail = request.pathTail;
    const int slash = tail.indexOf(QLatin1Char('/'));
    if (slash <= 0 || tail.mid(slash + 1) != QLatin1String("force"))
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("%1: expected /api/breakers/NAME/force").arg(request.path.left(200)));
    const QString name = tail.left(slash);
    const auto body = ApiBody::object(request, { QStringLiteral("state"), QStringLiteral("actor") },
        QStringLiteral("{\"state\":\"open\"}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const QJsonValue state = body->value(QStringLiteral("state"));
    BreakerForce force = BreakerForce::Auto;
    if (!state.isString() || !parseBreakerForce(state.toString(), &force))
        return ApiReply::error(400, QStringLiteral("bad_request"),
            QStringLiteral("state: expected \"open\", \"closed\" or \"auto\", got %1")
                .arg(state.isUndefined()
                        ? QStringLiteral("nothing")
                        : QString::fromUtf8(
                            QJsonDocument(QJsonArray { state }).toJson(QJsonDocument::Compact))
                              .mid(1)
                              .chopped(1)
                              .left(64)));
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const Result<BreakerSnapshot> result = service->forceBreaker(name, force, *actor);
    if (!result)
        return ApiReply::error(404, QStringLiteral("not_found"), result.error().message);
    return ApiReply::json(
        200, QJsonObject { { QStringLiteral("breaker"), breakerJson(result.value()) } });
}

ApiReply listProcesses(const RecoveryService *service, Clock *clock)
{
    QJsonArray items;
    const qint64 now = clock->nowMs();
    for (const ProcessSnapshot &s : service->processes())
        items.append(processJson(s, now));
    return ApiReply::json(200, { { QStringLiteral("processes"), items } });
}

// POST /api/processes/NAME/start|stop|restart [{"actor"?}]
ApiReply controlProcess(RecoveryService *service, Clock *clock, const ApiRequest &request)
{
    const QStringList parts = request.pathTail.split(QLatin1Char('/'));
    if (parts.size() != 2 || parts.at(0).isEmpty())
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("expected /api/processes/NAME/start|stop|restart"));
    const QString &name = parts.at(0);
    const QString &action = parts.at(1);
    Result<void> (RecoveryService::*op)(const QString &, const QString &) = nullptr;
    if (action == QLatin1String("start"))
        op = &RecoveryService::startProcess;
    else if (action == QLatin1String("stop"))
        op = &RecoveryService::stopProcess;
    else if (action == QLatin1String("restart"))
        op = &RecoveryService::restartProcess;
    else
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("\"%1\" is not an action (start, stop, restart)").arg(action.left(64)));
    const auto body = ApiBody::object(request, { QStringLiteral("actor") });
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    if (const Result<void> r = (service->*op)(name, *actor); !r)
        return r.error().code == QLatin1String("recovery.unknown_process")
            ? ApiReply::error(404, QStringLiteral("unknown_process"), r.error().message)
            : ApiReply::error(503, QStringLiteral("not_running"), r.error().message);
    // The request is queued to the supervisor thread; the reply says it was accepted.
    return ApiReply::json(202,
        { { QStringLiteral("process"), name }, { QStringLiteral("action"), action },
            { QStringLiteral("accepted"), true },
            { QStringLiteral("at"), TimeUtil::toRfc3339(clock->nowMs()) } });
}

} // namespace

QList<ApiRoute> routes(RecoveryService *service, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    return {
        ApiRoute { QStringLiteral("/api/breakers"), false, { "GET" }, false,
            [service](const ApiRequest &) { return listBreakers(service); } },
        ApiRoute { QStringLiteral("/api/breakers/"), true, { "POST" }, true,
            [service](const ApiRequest &r) { return forceBreaker(service, r); },
            ApiRoute::jsonBodyLimit },
        ApiRoute { QStringLiteral("/api/processes"), false, { "GET" }, false,
            [service, clock](const ApiRequest &) { return listProcesses(service, clock); } },
        ApiRoute { QStringLiteral("/api/processes/"), true, { "POST" }, true,
            // The action is in the path; the body is {} or {"actor": ...}.
            [service, clock](const ApiRequest &r) { return controlProcess(service, clock, r); },
            ApiRoute::jsonBodyLimit },
    };
}

void registerMetrics(MetricRegistry &registry, const RecoveryService *service)
{
    MetricRegistry &r = registry;
    const QStringList breaker { QStringLiteral("breaker") };
    const QStringList process { QStringLiteral("process") };
    MetricFamily *state = r.gauge(QStringLiteral("shivx_breaker_state"),
        QStringLiteral("1 for the circuit breaker's current state (closed, open, half_open)."),
        breaker + QStringList { QStringLiteral("state") });
    MetricFamily *forced = r.gauge(QStringLiteral("shivx_breaker_forced"),
        QStringLiteral("1 while an operator has forced the breaker open or closed."), breaker);
    MetricFamily *calls = r.counter(QStringLiteral("shivx_breaker_calls_total"),
        QStringLiteral("Calls the circuit breaker let through."), breaker);
    MetricFamily *failures = r.counter(QStringLiteral("shivx_breaker_failures_total"),
        QStringLiteral("Calls through the circuit breaker that failed."), breaker);
    MetricFamily *rejections = r.counter(QStringLiteral("shivx_breaker_rejections_total"),
        QStringLiteral("Calls the circuit breaker rejected while open."), breaker);
    MetricFamily *up = r.gauge(QStringLiteral("shivx_supervised_process_up"),
        QStringLiteral("1 when the supervised process is running, else 0."), process);
    MetricFamily *restarts = r.counter(QStringLiteral("shivx_supervised_process_restarts_total"),
        QStringLiteral("Starts of the supervised process after its first, for any reason."),
        process);
    MetricFamily *started = r.gauge(QStringLiteral("shivx_supervised_process_start_time_seconds"),
        QStringLiteral("Unix time the supervised process last started (0 = never)."), process);

    r.addCollector([=] {
        QSet<QString> breakers;
        for (const BreakerSnapshot &b : service->breakers()) {
            breakers.insert(b.name);
            for (BreakerState st :
                { BreakerState::Closed, BreakerState::Open, BreakerState::HalfOpen })
                state->gauge({ b.name, toString(st) }).set(b.state == st ? 1 : 0);
            forced->gauge({ b.name }).set(b.force == BreakerForce::Auto ? 0 : 1);
            calls->counter({ b.name }).advanceTo(double(b.calls));
            failures->counter({ b.name }).advanceTo(double(b.failures));
            rejections->counter({ b.name }).advanceTo(double(b.rejections));
        }
        const auto knownBreaker
            = [&](const QStringList &v) { return breakers.contains(v.first()); };
        for (MetricFamily *f : { state, forced, calls, failures, rejections })
            f->retain(knownBreaker);
        QSet<QString> processes;
        for (const ProcessSnapshot &p : service->processes()) {
            processes.insert(p.name);
            up->gauge({ p.name }).set(p.state == ProcessState::Running ? 1 : 0);
            restarts->counter({ p.name }).advanceTo(p.restarts);
            started->gauge({ p.name }).set(double(p.startedAtMs) / 1000.0);
        }
        const auto knownProcess
            = [&](const QStringList &v) { return processes.contains(v.first()); };
        for (MetricFamily *f : { up, restarts, started })
            f->retain(knownProcess);
    });
}

} // namespace Shivx::RecoveryApi
