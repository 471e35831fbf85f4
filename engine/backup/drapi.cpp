#include "backup/drapi.h"

#include "api/apibody.h"
#include "backup/backupservice.h"
#include "core/messagejson.h"
#include "core/timeutil.h"

#include <QJsonArray>

namespace Shivx::DrApi {

namespace {

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(TimeUtil::toRfc3339(ms)) : QJsonValue(QJsonValue::Null);
}

ApiReply failure(const Error &e)
{
    const int status = e.code == QLatin1String("dr.busy") || e.code == QLatin1String("dr.finished")
        ? 409
        : e.code == QLatin1String("dr.no_plan") || e.code == QLatin1String("dr.no_run") ? 404
        : e.code == QLatin1String("engine.not_running")                                 ? 503
                                                                                        : 400;
    return ApiReply::error(status, e.code, e.message);
}

QJsonObject stepJson(const DrStep &s)
{
    QJsonObject o { { QStringLiteral("name"), s.name }, { QStringLiteral("action"), s.action },
        { QStringLiteral("timeout_ms"), s.timeoutMs },
        { QStringLiteral("on_failure"), toString(s.onFailure) } };
    for (const auto &[key, value] :
        { std::pair<const char *, QString> { "target", s.target }, { "set", s.set },
            { "snapshot", s.snapshot }, { "at", s.at }, { "path", s.path }, { "mode", s.mode },
            { "source", s.source }, { "level", s.level }, { "message", s.message } })
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    if (s.action == QLatin1String("restore") || s.action == QLatin1String("verify_restore"))
        o.insert(QStringLiteral("to"), s.to);
    if (!s.command.isEmpty())
        o.insert(QStringLiteral("command"), QJsonArray::fromStringList(s.command));
    return o;
}

} // namespace

QJsonObject planJson(const DrPlan &plan, bool withSteps)
{
    QJsonObject o { { QStringLiteral("name"), plan.name },
        { QStringLiteral("description"), plan.description }, { QStringLiteral("file"), plan.file },
        { QStringLiteral("step_count"), int(plan.steps.size()) } };
    if (withSteps) {
        QJsonArray steps;
        for (const DrStep &s : plan.steps)
            steps.append(stepJson(s));
        o.insert(QStringLiteral("steps"), steps);
    }
    return o;
}

QJsonObject runJson(const DrRun &run)
{
    QJsonArray steps;
    for (const DrStepRun &s : run.steps)
        steps.append(QJsonObject { { QStringLiteral("name"), s.name },
            { QStringLiteral("action"), s.action }, { QStringLiteral("on_failure"), s.onFailure },
            { QStringLiteral("state"), s.state },
            { QStringLiteral("started_at"), time(s.startedMs) },
            { QStringLiteral("finished_at"), time(s.finishedMs) },
            { QStringLiteral("duration_ms"),
                s.finishedMs ? QJsonValue(s.finishedMs - s.startedMs)
                             : QJsonValue(QJsonValue::Null) },
            { QStringLiteral("message"), s.message.text },
            { QStringLiteral("outcome"), messageToJson(s.message) },
            { QStringLiteral("log"), QJsonArray::fromStringList(s.log) } });
    return { { QStringLiteral("id"), run.id }, { QStringLiteral("plan"), run.plan },
        { QStringLiteral("dry_run"), run.dryRun }, { QStringLiteral("actor"), run.actor },
        { QStringLiteral("state"), run.state },
        { QStringLiteral("started_at"), time(run.startedMs) },
        { QStringLiteral("finished_at"), time(run.finishedMs) },
        { QStringLiteral("recovery_ms"),
            run.finishedMs ? QJsonValue(run.recoveryMs) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("current_step"), run.currentStep }, { QStringLiteral("steps"), steps } };
}

QList<ApiRoute> routes(BackupService *service)
{
    QList<ApiRoute> r;
    r.append(ApiRoute { QStringLiteral("/api/backup/dr/plans"), false, { "GET" }, false,
        [service](const ApiRequest &) {
            const auto plans = service->drPlans();
            if (!plans)
                return failure(plans.error());
            QJsonArray list;
            for (const DrPlan &p : *plans)
                list.append(planJson(p, false));
            return ApiReply::json(200, { { QStringLiteral("plans"), list } });
        } });
    r.append(ApiRoute { QStringLiteral("/api/backup/dr/plans/"), true, { "GET" }, false,
        [service](const ApiRequest &req) {
            const auto plans = service->drPlans();
            if (!plans)
                return failure(plans.error());
            for (const DrPlan &p : *plans)
                if (p.name == req.pathTail)
                    return ApiReply::json(200, planJson(p, true));
            return failure(makeError(
                "dr.no_plan", QStringLiteral("no DR plan %1").arg(req.pathTail.left(64))));
        } });
    r.append(ApiRoute { QStringLiteral("/api/backup/dr/runs"), false, { "GET" }, false,
        [service](const ApiRequest &) {
            QJsonArray list;
            for (const DrRun &run : service->drRuns())
                list.append(runJson(run));
            return ApiReply::json(200, { { QStringLiteral("runs"), list } });
        } });
    r.append(ApiRoute { QStringLiteral("/api/backup/dr/runs/"), true, { "GET" }, false,
        [service](const ApiRequest &req) {
            for (const DrRun &run : service->drRuns())
                if (QString::number(run.id) == req.pathTail)
                    return ApiReply::json(200, runJson(run));
            return failure(makeError("dr.no_run",
                QStringLiteral("no DR run %1 among the newest stored").arg(req.pathTail.left(32))));
        } });
    r.append(ApiRoute { QStringLiteral("/api/backup/dr/activate"), false, { "POST" }, true,
        [service](const ApiRequest &req) {
            const auto body = ApiBody::object(req,
                { QStringLiteral("plan"), QStringLiteral("confirm"), QStringLiteral("dry_run"),
                    QStringLiteral("actor") });
            if (!body)
                return ApiBody::badRequest(body.error());
            const auto plan = ApiBody::string(*body, "plan", true);
            if (!plan)
                return ApiBody::badRequest(plan.error());
            const QJsonValue dry = body->value(QStringLiteral("dry_run"));
            if (!dry.isUndefined() && !dry.isNull() && !dry.isBool())
                return ApiBody::badRequest(
                    makeError("bad_request", QStringLiteral("dry_run: expected true or false")));
            // A real activation names the plan twice: a typo in a script cannot start the
            // wrong plan, as the console's confirmation asks for the name typed.
            const auto confirm = ApiBody::string(*body, "confirm", false);
            if (!confirm)
                return ApiBody::badRequest(confirm.error());
            if (!dry.toBool() && *confirm != *plan)
                return ApiBody::badRequest(makeError("bad_request",
                    QStringLiteral("confirm: type the plan's name (%1) to activate it")
                        .arg(*plan)));
            const auto actor = ApiBody::actor(*body);
            if (!actor)
                return ApiBody::badRequest(actor.error());
            const auto run = service->activateDr(*plan, dry.toBool(), *actor);
            return run ? ApiReply::json(202, runJson(*run)) : failure(run.error());
        },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/backup/dr/abort"), false, { "POST" }, true,
        [service](const ApiRequest &req) {
            const auto body
                = ApiBody::object(req, { QStringLiteral("run"), QStringLiteral("actor") });
            if (!body)
                return ApiBody::badRequest(body.error());
            if (!body->value(QStringLiteral("run")).isDouble())
                return ApiBody::badRequest(makeError(
                    "bad_request", QStringLiteral("run: expected the run's id (a number)")));
            const auto actor = ApiBody::actor(*body);
            if (!actor)
                return ApiBody::badRequest(actor.error());
            const auto run
                = service->abortDr(body->value(QStringLiteral("run")).toInteger(), *actor);
            return run ? ApiReply::json(200, runJson(*run)) : failure(run.error());
        },
        ApiRoute::jsonBodyLimit });
    return r;
}

} // namespace Shivx::DrApi
