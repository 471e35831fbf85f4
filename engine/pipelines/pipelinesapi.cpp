#include "pipelines/pipelinesapi.h"

#include "api/apibody.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "pipelines/pipelineservice.h"
#include "telemetry/metricregistry.h"

#include <QFile>
#include <QJsonArray>

namespace Shivx::PipelinesApi {

namespace {

QJsonValue timeOrNull(qint64 ms)
{
    return ms > 0 ? QJsonValue(TimeUtil::toRfc3339(ms)) : QJsonValue();
}

QJsonObject stageDefinitionJson(const StageDefinition &s)
{
    return { { QStringLiteral("name"), s.name }, { QStringLiteral("command"), s.command },
        { QStringLiteral("args"), QJsonArray::fromStringList(s.args) },
        { QStringLiteral("needs"), QJsonArray::fromStringList(s.needs) },
        { QStringLiteral("when"), toString(s.when) }, { QStringLiteral("retries"), s.retries },
        { QStringLiteral("timeout_ms"), double(s.timeoutMs) },
        { QStringLiteral("artifacts"), s.artifacts }, { QStringLiteral("line"), s.line } };
}

QJsonObject stageJson(const StageRecord &s)
{
    return { { QStringLiteral("stage"), s.stage }, { QStringLiteral("state"), toString(s.state) },
        { QStringLiteral("attempts"), s.attempts }, { QStringLiteral("failures"), s.failures },
        { QStringLiteral("next_attempt_at"), timeOrNull(s.nextAttemptMs) } };
}

QJsonObject attemptJson(const AttemptRecord &a)
{
    QJsonObject o { { QStringLiteral("id"), double(a.id) }, { QStringLiteral("stage"), a.stage },
        { QStringLiteral("attempt"), a.attempt }, { QStringLiteral("state"), toString(a.state) },
        { QStringLiteral("pid"), a.pid > 0 ? QJsonValue(double(a.pid)) : QJsonValue() },
        { QStringLiteral("started_at"), timeOrNull(a.startedMs) },
        { QStringLiteral("finished_at"), timeOrNull(a.finishedMs) },
        { QStringLiteral("stdout"), a.stdoutPath }, { QStringLiteral("stderr"), a.stderrPath } };
    if (a.state != AttemptState::Running) {
        o.insert(QStringLiteral("exit_code"), a.signal ? QJsonValue() : QJsonValue(a.exitCode));
        o.insert(QStringLiteral("signal"), a.signal ? QJsonValue(a.signal) : QJsonValue());
    }
    if (a.scheduleDelayUs >= 0)
        o.insert(QStringLiteral("schedule_delay_us"), double(a.scheduleDelayUs));
    if (a.slotWaitUs >= 0)
        o.insert(QStringLiteral("slot_wait_us"), double(a.slotWaitUs));
    if (!a.artifactsDir.isEmpty())
        o.insert(QStringLiteral("artifacts_dir"), a.artifactsDir);
    if (!a.error.isEmpty())
        o.insert(QStringLiteral("error"), a.error);
    return o;
}

ApiReply errorReply(const Error &e)
{
    int status = 400;
    if (e.code == QLatin1String("engine.not_running") || e.code == QLatin1String("pipeline.store"))
        status = 503;
    else if (e.code == QLatin1String("pipeline.unknown")
        || e.code == QLatin1String("pipeline.unknown_run"))
        status = 404;
    else if (e.code == QLatin1String("pipeline.not_active")
        || e.code == QLatin1String("pipeline.not_dead_letter"))
        status = 409;
    return ApiReply::error(status, e.code.mid(e.code.indexOf(QLatin1Char('.')) + 1), e.message);
}

ApiReply listPipelines(PipelineService *service)
{
    const auto list = service->pipelines();
    if (!list)
        return errorReply(list.error());
    QJsonArray items;
    for (const PipelineInfo &p : *list)
        items.append(pipelineJson(p, false));
    QJsonArray errors;
    if (const auto errs = service->definitionErrors())
        for (const Error &e : *errs)
            errors.append(e.message);
    return ApiReply::json(
        200, { { QStringLiteral("pipelines"), items }, { QStringLiteral("errors"), errors } });
}

ApiReply listRuns(PipelineService *service, const ApiRequest &req, bool deadLetterOnly)
{
    RunFilter f;
    f.pipeline = req.query.queryItemValue(QStringLiteral("pipeline"));
    if (deadLetterOnly) {
        f.states = { RunState::DeadLetter };
    } else if (const QString state = req.query.queryItemValue(QStringLiteral("state"));
               !state.isEmpty()) {
        RunState s;
        if (!parseRunState(state, &s))
            return ApiBody::badRequest(makeError("bad_request",
                QStringLiteral("state: expected queued, running, succeeded, dead_letter, "
                               "cancelled or discarded, got \"%1\"")
                    .arg(state.left(40))));
        f.states = { s };
    }
    if (const QString limit = req.query.queryItemValue(QStringLiteral("limit")); !limit.isEmpty()) {
        bool ok = false;
        f.limit = limit.toInt(&ok);
        if (!ok || f.limit < 1 || f.limit > 10000)
            return ApiBody::badRequest(makeError("bad_request",
                QStringLiteral("limit: expected 1-10000, got \"%1\"").arg(limit.left(40))));
    }
    const auto runs = service->runs(f);
    if (!runs)
        return errorReply(runs.error());
    QJsonArray items;
    for (const RunRecord &r : *runs)
        items.append(runJson(r));
    return ApiReply::json(200, { { QStringLiteral("runs"), items } });
}

// GET /api/pipelines/runs/ID/log?stage=S[&attempt=N][&stream=stdout|stderr][&tail=BYTES]
ApiReply attemptLog(PipelineService *service, qint64 runId, const ApiRequest &req)
{
    const auto detail = service->runDetail(runId);
    if (!detail)
        return errorReply(detail.error());
    const QString stage = req.query.queryItemValue(QStringLiteral("stage"));
    const int attempt = req.query.queryItemValue(QStringLiteral("attempt")).toInt();
    const QString stream = req.query.queryItemValue(QStringLiteral("stream"));
    if (!stream.isEmpty() && stream != QLatin1String("stdout") && stream != QLatin1String("stderr"))
        return ApiBody::badRequest(
            makeError("bad_request", QStringLiteral("stream: expected stdout or stderr")));
    const AttemptRecord *found = nullptr;
    for (const AttemptRecord &a : detail->attempts)
        if (a.stage == stage && (attempt == 0 || a.attempt == attempt))
            found = &a;
    if (!found)
        return ApiReply::error(404, QStringLiteral("not_found"),
            QStringLiteral("run %1 has no attempt %2 of stage \"%3\"")
                .arg(runId)
                .arg(attempt == 0 ? QStringLiteral("at all") : QString::number(attempt))
                .arg(stage.left(80)));
    qint64 tail = req.query.queryItemValue(QStringLiteral("tail")).toLongLong();
    if (tail <= 0 || tail > 4 * 1024 * 1024)
        tail = 256 * 1024;
    QFile f(stream == QLatin1String("stderr") ? found->stderrPath : found->stdoutPath);
    QByteArray text;
    bool truncated = false;
    if (f.open(QIODevice::ReadOnly)) {
        truncated = f.size() > tail;
        if (truncated)
            f.seek(f.size() - tail);
        text = f.read(tail);
    }
    if (req.query.queryItemValue(QStringLiteral("format")) == QLatin1String("json"))
        return ApiReply::json(200,
            { { QStringLiteral("stage"), found->stage },
                { QStringLiteral("attempt"), found->attempt },
                { QStringLiteral("stream"), stream.isEmpty() ? QStringLiteral("stdout") : stream },
                { QStringLiteral("truncated"), truncated },
                { QStringLiteral("text"), QString::fromUtf8(text) } });
    ApiReply r;
    r.contentType = "text/plain; charset=utf-8";
    r.body = text;
    return r;
}

ApiReply getUnder(PipelineService *service, const ApiRequest &req)
{
    const QStringList parts = req.pathTail.split(QLatin1Char('/'));
    if (parts.size() == 1 && parts.at(0) == QLatin1String("runs"))
        return listRuns(service, req, false);
    if (parts.size() == 1 && parts.at(0) == QLatin1String("dlq"))
        return listRuns(service, req, true);
    if (parts.at(0) == QLatin1String("runs") && parts.size() <= 3) {
        bool ok = false;
        const qint64 id = parts.at(1).toLongLong(&ok);
        if (!ok)
            return ApiReply::error(404, QStringLiteral("not_found"),
                QStringLiteral("\"%1\" is not a run id").arg(parts.at(1).left(40)));
        if (parts.size() == 3) {
            if (parts.at(2) != QLatin1String("log"))
                return ApiReply::error(404, QStringLiteral("not_found"),
                    QStringLiteral(
                        "expected /api/pipelines/runs/ID or /api/pipelines/runs/ID/log"));
            return attemptLog(service, id, req);
        }
        const auto detail = service->runDetail(id);
        if (!detail)
            return errorReply(detail.error());
        return ApiReply::json(200, runDetailJson(*detail));
    }
    if (parts.size() == 1) {
        const auto list = service->pipelines();
        if (!list)
            return errorReply(list.error());
        for (const PipelineInfo &p : *list)
            if (p.definition.name == parts.at(0))
                return ApiReply::json(200, pipelineJson(p, true));
        return ApiReply::error(404, QStringLiteral("unknown"),
            QStringLiteral("there is no pipeline \"%1\"").arg(parts.at(0).left(80)));
    }
    return ApiReply::error(404, QStringLiteral("not_found"),
        QStringLiteral("no endpoint at %1").arg(req.path.left(200)));
}

// POST /api/pipelines/run {"pipeline": NAME, "params"?: {K: V}, "actor"?}
ApiReply startRun(PipelineService *service, const ApiRequest &req)
{
    const auto body = ApiBody::object(req,
        { QStringLiteral("pipeline"), QStringLiteral("params"), QStringLiteral("actor") },
        QStringLiteral("{\"pipeline\":\"ml-sample\",\"params\":{\"rows\":\"5000\"}}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto pipeline = ApiBody::string(*body, "pipeline", true);
    if (!pipeline)
        return ApiBody::badRequest(pipeline.error());
    QMap<QString, QString> params;
    const QJsonValue p = body->value(QStringLiteral("params"));
    if (!p.isUndefined() && !p.isNull()) {
        if (!p.isObject())
            return ApiBody::badRequest(
                makeError("bad_request", QStringLiteral("params: expected an object of strings")));
        const QJsonObject o = p.toObject();
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!it.value().isString())
                return ApiBody::badRequest(makeError("bad_request",
                    QStringLiteral("params.%1: expected a string").arg(it.key().left(80))));
            params.insert(it.key(), it.value().toString());
        }
    }
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto id = service->run(*pipeline, params, *actor);
    if (!id)
        return errorReply(id.error());
    return ApiReply::json(
        201, { { QStringLiteral("run"), double(*id) }, { QStringLiteral("pipeline"), *pipeline } });
}

// POST /api/pipelines/cancel|dlq/retry|dlq/discard {"run": ID, "actor"?}
ApiReply runAction(PipelineService *service, const ApiRequest &req,
    Result<void> (PipelineService::*op)(qint64, const QString &), const char *what)
{
    const auto body = ApiBody::object(
        req, { QStringLiteral("run"), QStringLiteral("actor") }, QStringLiteral("{\"run\":12}"));
    if (!body)
        return ApiBody::badRequest(body.error());
    const QJsonValue run = body->value(QStringLiteral("run"));
    const double id = run.toDouble(-1);
    if (!run.isDouble() || id < 1 || id != double(qint64(id)))
        return ApiBody::badRequest(makeError(
            "bad_request", QStringLiteral("run: expected a run id (a positive integer)")));
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    if (const auto r = (service->*op)(qint64(id), *actor); !r)
        return errorReply(r.error());
    return ApiReply::json(
        200, { { QStringLiteral("run"), id }, { QStringLiteral("action"), QLatin1String(what) } });
}

} // namespace

QJsonObject pipelineJson(const PipelineInfo &info, bool withStages)
{
    const PipelineDefinition &d = info.definition;
    QJsonObject params;
    for (auto it = d.params.begin(); it != d.params.end(); ++it)
        params.insert(it.key(), it.value());
    QJsonObject o { { QStringLiteral("name"), d.name },
        { QStringLiteral("description"), d.description }, { QStringLiteral("file"), d.file },
        { QStringLiteral("version"), d.version },
        { QStringLiteral("stages"), int(d.stages.size()) },
        { QStringLiteral("schedule"),
            d.schedule.isEmpty() ? QJsonValue() : QJsonValue(d.schedule) },
        { QStringLiteral("background"), d.background }, { QStringLiteral("external"), d.external },
        { QStringLiteral("concurrency"), d.concurrency },
        { QStringLiteral("max_active_runs"), d.maxActiveRuns },
        { QStringLiteral("params"), params }, { QStringLiteral("paused"), info.paused },
        { QStringLiteral("missed"), toString(d.missed) },
        { QStringLiteral("next_fire_at"), timeOrNull(info.nextFireMs) } };
    if (info.lastRunId > 0)
        o.insert(QStringLiteral("last_run"),
            QJsonObject { { QStringLiteral("id"), double(info.lastRunId) },
                { QStringLiteral("state"), toString(info.lastRunState) },
                { QStringLiteral("created_at"), timeOrNull(info.lastRunMs) } });
    else
        o.insert(QStringLiteral("last_run"), QJsonValue());
    if (withStages) {
        QJsonArray stages;
        for (const StageDefinition &s : d.stages)
            stages.append(stageDefinitionJson(s));
        o.insert(QStringLiteral("stages"), stages);
    }
    return o;
}

QJsonObject runJson(const RunRecord &r)
{
    QJsonObject params;
    for (auto it = r.params.begin(); it != r.params.end(); ++it)
        params.insert(it.key(), it.value());
    QJsonObject o { { QStringLiteral("id"), double(r.id) },
        { QStringLiteral("pipeline"), r.pipeline }, { QStringLiteral("version"), r.version },
        { QStringLiteral("state"), toString(r.state) }, { QStringLiteral("trigger"), r.trigger },
        { QStringLiteral("actor"), r.actor }, { QStringLiteral("params"), params },
        { QStringLiteral("created_at"), timeOrNull(r.createdMs) },
        { QStringLiteral("started_at"), timeOrNull(r.startedMs) },
        { QStringLiteral("finished_at"), timeOrNull(r.finishedMs) } };
    if (!r.error.isEmpty())
        o.insert(QStringLiteral("error"), r.error);
    if (!r.failedStage.isEmpty())
        o.insert(QStringLiteral("failed_stage"), r.failedStage);
    return o;
}

QJsonObject runDetailJson(const RunDetail &d)
{
    QJsonObject o = runJson(d.run);
    QJsonArray stages;
    for (const StageDefinition &def : d.definition.stages) {
        QJsonObject s = stageDefinitionJson(def);
        for (const StageRecord &rec : d.stages)
            if (rec.stage == def.name) {
                const QJsonObject state = stageJson(rec);
                for (auto it = state.begin(); it != state.end(); ++it)
                    s.insert(it.key(), it.value());
            }
        QJsonArray attempts;
        for (const AttemptRecord &a : d.attempts)
            if (a.stage == def.name)
                attempts.append(attemptJson(a));
        s.insert(QStringLiteral("attempt_list"), attempts);
        QJsonArray artifacts;
        for (const ArtifactRecord &a : d.artifacts)
            if (a.stage == def.name)
                artifacts.append(QJsonObject { { QStringLiteral("path"), a.path },
                    { QStringLiteral("sha256"), a.sha256 },
                    { QStringLiteral("size"), double(a.size) } });
        s.insert(QStringLiteral("artifacts"), artifacts);
        stages.append(s);
    }
    o.insert(QStringLiteral("stages"), stages);
    return o;
}

QList<ApiRoute> routes(PipelineService *service, Clock *)
{
    QList<ApiRoute> r;
    // The POST paths come first: the GET prefix below would match them too.
    r.append(ApiRoute { QStringLiteral("/api/pipelines/run"), false, { "POST" }, true,
        [service](const ApiRequest &req) { return startRun(service, req); },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/pipelines/cancel"), false, { "POST" }, true,
        [service](const ApiRequest &req) {
            return runAction(service, req, &PipelineService::cancel, "cancel");
        },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/pipelines/dlq/retry"), false, { "POST" }, true,
        [service](const ApiRequest &req) {
            return runAction(service, req, &PipelineService::retryDeadLetter, "retry");
        },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/pipelines/dlq/discard"), false, { "POST" }, true,
        [service](const ApiRequest &req) {
            return runAction(service, req, &PipelineService::discardDeadLetter, "discard");
        },
        ApiRoute::jsonBodyLimit });
    r.append(ApiRoute { QStringLiteral("/api/pipelines"), false, { "GET" }, false,
        [service](const ApiRequest &) { return listPipelines(service); } });
    r.append(ApiRoute { QStringLiteral("/api/pipelines/"), true, { "GET" }, false,
        [service](const ApiRequest &req) { return getUnder(service, req); } });
    return r;
}

void registerMetrics(MetricRegistry &registry, std::function<PipelineCounters()> counters)
{
    MetricRegistry &r = registry;
    Counter created = r.counter(QStringLiteral("shivx_pipeline_runs_created_total"),
                           QStringLiteral("Pipeline runs created."))
                          ->counter();
    MetricFamily *finished = r.counter(QStringLiteral("shivx_pipeline_runs_finished_total"),
        QStringLiteral("Pipeline runs that finished, by final state."),
        { QStringLiteral("state") });
    MetricFamily *attempts = r.counter(QStringLiteral("shivx_pipeline_stage_attempts_total"),
        QStringLiteral("Stage attempts that ended, by result."), { QStringLiteral("result") });
    Gauge stagesRunning = r.gauge(QStringLiteral("shivx_pipeline_stages_running"),
                               QStringLiteral("Stage processes running now."))
                              ->gauge();
    Gauge runsActive = r.gauge(QStringLiteral("shivx_pipeline_runs_active"),
                            QStringLiteral("Pipeline runs in progress."))
                           ->gauge();
    Gauge runsQueued = r.gauge(QStringLiteral("shivx_pipeline_runs_queued"),
                            QStringLiteral("Pipeline runs waiting for their pipeline's "
                                           "max_active_runs."))
                           ->gauge();
    Gauge deadLetter = r.gauge(QStringLiteral("shivx_pipeline_dead_letter_runs"),
                            QStringLiteral("Runs in the dead-letter queue."))
                           ->gauge();
    Gauge definitionErrors
        = r.gauge(QStringLiteral("shivx_pipeline_definition_errors"),
               QStringLiteral("Pipeline files in the pipelines directory that did not load."))
              ->gauge();
    // The runner keeps totals, not observations: summaries with _sum and _count only.
    Summary scheduleDelay
        = r.summary(QStringLiteral("shivx_pipeline_schedule_delay_seconds"),
               QStringLiteral("From a stage's last dependency finishing to its process starting."),
               {}, {})
              ->summary();
    Summary slotWait = r.summary(QStringLiteral("shivx_pipeline_slot_wait_seconds"),
                            QStringLiteral("Of the schedule delay, the part spent waiting for a "
                                           "free slot (the limits)."),
                            {}, {})
                           ->summary();
    // Every state and result from the start, so that rate() sees the first one happen.
    QList<QPair<QString, Counter>> byState, byResult;
    for (const char *state : { "succeeded", "dead_letter", "cancelled" })
        byState.append({ QLatin1String(state), finished->counter({ QLatin1String(state) }) });
    for (const char *result : { "succeeded", "failed", "timed_out", "interrupted", "cancelled" })
        byResult.append({ QLatin1String(result), attempts->counter({ QLatin1String(result) }) });
    r.addCollector([=, counters = std::move(counters)]() mutable {
        const PipelineCounters c = counters();
        created.advanceTo(double(c.runsCreated));
        for (auto &[state, counter] : byState)
            counter.advanceTo(double(c.runsFinished.value(state)));
        for (auto &[result, counter] : byResult)
            counter.advanceTo(double(c.attemptsFinished.value(result)));
        stagesRunning.set(c.stagesRunning);
        runsActive.set(c.runsActive);
        runsQueued.set(c.runsQueued);
        deadLetter.set(double(c.deadLetter));
        definitionErrors.set(c.definitionErrors);
        scheduleDelay.set(quint64(c.scheduleDelayCount), c.scheduleDelaySumS);
        slotWait.set(quint64(c.scheduleDelayCount), c.slotWaitSumS);
    });
}

} // namespace Shivx::PipelinesApi
