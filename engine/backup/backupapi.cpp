#include "backup/backupapi.h"

#include "api/apibody.h"
#include "backup/backupservice.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "telemetry/metricregistry.h"

#include <QJsonArray>

namespace Shivx::BackupApi {

namespace {

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(TimeUtil::toRfc3339(ms)) : QJsonValue(QJsonValue::Null);
}

// Errors of the service's commands: a conflict is 409, a missing thing 404, the rest 400.
ApiReply failure(const Error &e)
{
    const int status
        = e.code == QLatin1String("backup.busy") || e.code == QLatin1String("backup.finished") ? 409
        : e.code == QLatin1String("backup.no_operation") || e.code == QLatin1String("backup.no_set")
        ? 404
        : e.code == QLatin1String("engine.not_running")
            || e.code.startsWith(QLatin1String("executor."))
        ? 503
        : 400;
    return ApiReply::error(status, e.code, e.message);
}

ApiReply queued(const Result<BackupOperation> &op)
{
    if (!op)
        return failure(op.error());
    return ApiReply::json(202, operationJson(*op));
}

Result<bool> flag(const QJsonObject &body, const char *name)
{
    const QJsonValue v = body.value(QLatin1String(name));
    if (v.isUndefined() || v.isNull())
        return false;
    if (!v.isBool())
        return makeError(
            "bad_request", QStringLiteral("%1: expected true or false").arg(QLatin1String(name)));
    return v.toBool();
}

// Reads the body's known fields and the actor, then hands over to `act`.
ApiReply withBody(const ApiRequest &req, QStringList known,
    const std::function<ApiReply(const QJsonObject &, const QString &actor)> &act)
{
    known << QStringLiteral("actor");
    const auto body = ApiBody::object(req, known);
    if (!body)
        return ApiBody::badRequest(body.error());
    const auto actor = ApiBody::actor(*body);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    return act(*body, *actor);
}

ApiReply restore(BackupService *service, Clock *clock, const ApiRequest &req)
{
    return withBody(req,
        { QStringLiteral("set"), QStringLiteral("snapshot"), QStringLiteral("at"),
            QStringLiteral("path"), QStringLiteral("target"), QStringLiteral("dry_run") },
        [&](const QJsonObject &body, const QString &actor) {
            BackupRestoreRequest r;
            for (const auto &[name, out] : { std::pair<const char *, QString *> { "set", &r.set },
                     { "snapshot", &r.snapshot }, { "path", &r.path } }) {
                const auto v = ApiBody::string(body, name, false);
                if (!v)
                    return ApiBody::badRequest(v.error());
                *out = *v;
            }
            const auto target = ApiBody::string(body, "target", true);
            if (!target)
                return ApiBody::badRequest(target.error());
            r.target = *target;
            const auto at = ApiBody::string(body, "at", false);
            if (!at)
                return ApiBody::badRequest(at.error());
            if (!at->isEmpty()) {
                const auto ms = TimeUtil::parseTimePoint(*at, clock->nowMs());
                if (!ms)
                    return ApiBody::badRequest(
                        makeError("bad_request", QStringLiteral("at: %1").arg(ms.error().message)));
                r.atMs = *ms;
            }
            const auto dry = flag(body, "dry_run");
            if (!dry)
                return ApiBody::badRequest(dry.error());
            r.dryRun = *dry;
            return queued(service->restore(r, actor));
        });
}

ApiReply snapshots(BackupService *service, const ApiRequest &req)
{
    const auto list = service->snapshots(req.query.queryItemValue(QStringLiteral("set")));
    if (!list)
        return failure(list.error());
    QJsonArray rows;
    for (const CatalogueSnapshot &s : *list)
        rows.append(QJsonObject { { QStringLiteral("id"), s.id }, { QStringLiteral("set"), s.set },
            { QStringLiteral("time"), TimeUtil::toRfc3339(s.timeMs) },
            { QStringLiteral("type"), s.type }, { QStringLiteral("host"), s.host },
            { QStringLiteral("files"), s.files }, { QStringLiteral("bytes"), s.bytes },
            { QStringLiteral("new_bytes"), s.newBytes },
            { QStringLiteral("duration_ms"), s.durationMs } });
    return ApiReply::json(200, { { QStringLiteral("snapshots"), rows } });
}

ApiReply history(BackupService *service, const ApiRequest &req)
{
    bool ok = true;
    const QString limitText = req.query.queryItemValue(QStringLiteral("limit"));
    const int limit = limitText.isEmpty() ? 100 : limitText.toInt(&ok);
    if (!ok || limit < 1 || limit > 10000)
        return ApiReply::error(400, QStringLiteral("bad_request"),
            QStringLiteral("limit: expected 1 to 10000, got %1").arg(limitText.left(32)));
    const auto runs = service->history(limit, req.query.queryItemValue(QStringLiteral("kind")));
    if (!runs)
        return failure(runs.error());
    QJsonArray rows;
    for (const BackupOperation &op : *runs)
        rows.append(operationJson(op));
    return ApiReply::json(200, { { QStringLiteral("operations"), rows } });
}

} // namespace

QJsonObject operationJson(const BackupOperation &op)
{
    return { { QStringLiteral("id"), op.id }, { QStringLiteral("kind"), op.kind },
        { QStringLiteral("set"), op.set }, { QStringLiteral("type"), op.type },
        { QStringLiteral("trigger"), op.trigger }, { QStringLiteral("actor"), op.actor },
        { QStringLiteral("state"), op.state }, { QStringLiteral("queued_at"), time(op.queuedMs) },
        { QStringLiteral("started_at"), time(op.startedMs) },
        { QStringLiteral("finished_at"), time(op.finishedMs) },
        { QStringLiteral("done_bytes"), qint64(op.doneBytes) },
        { QStringLiteral("total_bytes"), qint64(op.totalBytes) },
        { QStringLiteral("done_items"), qint64(op.doneItems) },
        { QStringLiteral("total_items"), qint64(op.totalItems) },
        { QStringLiteral("eta_seconds"),
            op.etaMs >= 0 ? QJsonValue(double(op.etaMs) / 1000.0) : QJsonValue(QJsonValue::Null) },
        { QStringLiteral("error"),
            op.errorCode.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(op.errorCode) },
        { QStringLiteral("message"), op.errorMessage }, { QStringLiteral("result"), op.result } };
}

QJsonObject stateJson(const BackupState &state, qint64 nowMs)
{
    QJsonArray sets;
    for (const BackupSetState &s : state.sets) {
        sets.append(QJsonObject { { QStringLiteral("name"), s.name },
            { QStringLiteral("schedule"), s.schedule },
            { QStringLiteral("next_run"), time(s.nextRunMs) },
            { QStringLiteral("snapshots"), s.snapshots },
            { QStringLiteral("last_success"), time(s.lastSuccessMs) },
            { QStringLiteral("last_success_age_seconds"),
                s.lastSuccessMs ? QJsonValue(double(nowMs - s.lastSuccessMs) / 1000.0)
                                : QJsonValue(QJsonValue::Null) },
            { QStringLiteral("last_type"), s.lastType },
            { QStringLiteral("last_duration_ms"), s.lastDurationMs },
            { QStringLiteral("last_bytes"), qint64(s.lastBytes) },
            { QStringLiteral("last_added_bytes"), qint64(s.lastAddedBytes) },
            { QStringLiteral("dedup_ratio"), s.lastDedupRatio },
            { QStringLiteral("last_error"), s.lastError },
            { QStringLiteral("last_drill"), time(s.lastDrillMs) },
            { QStringLiteral("last_drill_ok"), s.lastDrillOk },
            { QStringLiteral("last_drill_rto_ms"), s.lastDrillRtoMs },
            { QStringLiteral("last_drill_rpo_ms"), s.lastDrillRpoMs } });
    }
    QJsonArray ops;
    for (const BackupOperation &op : state.operations)
        ops.append(operationJson(op));
    return { { QStringLiteral("running"), state.running },
        { QStringLiteral("repository"), state.repository },
        { QStringLiteral("problem"), state.problem }, { QStringLiteral("sets"), sets },
        { QStringLiteral("operations"), ops },
        { QStringLiteral("last_verify"), time(state.lastVerifyMs) },
        { QStringLiteral("last_verify_ok"),
            state.lastVerifyOk < 0 ? QJsonValue(QJsonValue::Null)
                                   : QJsonValue(state.lastVerifyOk == 1) },
        { QStringLiteral("last_verify_mode"), state.lastVerifyMode } };
}

QList<ApiRoute> routes(BackupService *service, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    const auto post = [](const char *path, std::function<ApiReply(const ApiRequest &)> h) {
        return ApiRoute { QLatin1String(path), false, { "POST" }, true, std::move(h),
            ApiRoute::jsonBodyLimit };
    };
    QList<ApiRoute> r;
    r.append(ApiRoute { QStringLiteral("/api/backup"), false, { "GET" }, false,
        [service, clock](const ApiRequest &) {
            return ApiReply::json(200, stateJson(*service->statePtr(), clock->nowMs()));
        } });
    r.append(ApiRoute { QStringLiteral("/api/backup/snapshots"), false, { "GET" }, false,
        [service](const ApiRequest &req) { return snapshots(service, req); } });
    r.append(ApiRoute { QStringLiteral("/api/backup/history"), false, { "GET" }, false,
        [service](const ApiRequest &req) { return history(service, req); } });
    r.append(ApiRoute { QStringLiteral("/api/backup/operations/"), true, { "GET" }, false,
        [service](const ApiRequest &req) {
            bool ok = false;
            const qint64 id = req.pathTail.toLongLong(&ok);
            const auto op = ok
                ? service->operation(id)
                : Result<BackupOperation>(makeError("backup.no_operation",
                    QStringLiteral("%1 is not an operation id").arg(req.pathTail.left(32))));
            return op ? ApiReply::json(200, operationJson(*op)) : failure(op.error());
        } });
    r.append(post("/api/backup/run", [service](const ApiRequest &req) {
        return withBody(req, { QStringLiteral("set"), QStringLiteral("type") },
            [&](const QJsonObject &body, const QString &actor) {
                const auto set = ApiBody::string(body, "set", true);
                if (!set)
                    return ApiBody::badRequest(set.error());
                const auto type = ApiBody::string(body, "type", false);
                if (!type)
                    return ApiBody::badRequest(type.error());
                return queued(service->backupNow(*set, *type, actor));
            });
    }));
    r.append(post("/api/backup/verify", [service](const ApiRequest &req) {
        return withBody(
            req, { QStringLiteral("mode") }, [&](const QJsonObject &body, const QString &actor) {
                const auto mode = ApiBody::string(body, "mode", false);
                if (!mode)
                    return ApiBody::badRequest(mode.error());
                if (!mode->isEmpty() && *mode != QLatin1String("quick")
                    && *mode != QLatin1String("full"))
                    return ApiBody::badRequest(makeError("bad_request",
                        QStringLiteral("mode: \"%1\" is not quick or full").arg(mode->left(32))));
                return queued(service->verify(*mode != QLatin1String("full"), actor));
            });
    }));
    r.append(post("/api/backup/restore",
        [service, clock](const ApiRequest &req) { return restore(service, clock, req); }));
    r.append(post("/api/backup/prune", [service](const ApiRequest &req) {
        return withBody(
            req, { QStringLiteral("dry_run") }, [&](const QJsonObject &body, const QString &actor) {
                const auto dry = flag(body, "dry_run");
                if (!dry)
                    return ApiBody::badRequest(dry.error());
                return queued(service->prune(*dry, actor));
            });
    }));
    r.append(post("/api/backup/drill", [service](const ApiRequest &req) {
        return withBody(
            req, { QStringLiteral("set") }, [&](const QJsonObject &body, const QString &actor) {
                const auto set = ApiBody::string(body, "set", true);
                if (!set)
                    return ApiBody::badRequest(set.error());
                return queued(service->drill(*set, actor));
            });
    }));
    r.append(post("/api/backup/cancel", [service](const ApiRequest &req) {
        return withBody(req, { QStringLiteral("operation") },
            [&](const QJsonObject &body, const QString &actor) {
                const QJsonValue id = body.value(QStringLiteral("operation"));
                if (!id.isDouble())
                    return ApiBody::badRequest(makeError("bad_request",
                        QStringLiteral("operation: expected the operation's id (a number)")));
                const auto op = service->cancel(id.toInteger(), actor);
                return op ? ApiReply::json(200, operationJson(*op)) : failure(op.error());
            });
    }));
    r.append(post("/api/backup/catalogue/sync", [service](const ApiRequest &req) {
        return withBody(req, {}, [&](const QJsonObject &, const QString &actor) {
            return queued(service->syncCatalogue(actor));
        });
    }));
    return r;
}

void registerMetrics(MetricRegistry &registry, const BackupService *service, Clock *clock)
{
    clock = clock ? clock : Clock::system();
    MetricRegistry &r = registry;
    const QStringList set { QStringLiteral("set") };
    MetricFamily *lastTime = r.gauge(QStringLiteral("shivx_backup_last_success_timestamp_seconds"),
        QStringLiteral("Time of the newest snapshot of the set (Unix seconds)."), set);
    MetricFamily *age = r.gauge(QStringLiteral("shivx_backup_last_success_age_seconds"),
        QStringLiteral("Seconds since the newest snapshot of the set was taken (a scheduled set "
                       "without one: since it was first configured)."),
        set);
    MetricFamily *duration = r.gauge(QStringLiteral("shivx_backup_last_duration_seconds"),
        QStringLiteral("How long the newest snapshot of the set took."), set);
    MetricFamily *size = r.gauge(QStringLiteral("shivx_backup_last_size_bytes"),
        QStringLiteral("Bytes of every file in the newest snapshot of the set."), set);
    MetricFamily *added = r.gauge(QStringLiteral("shivx_backup_last_added_bytes"),
        QStringLiteral("Raw bytes the newest snapshot of the set added to the repository."), set);
    MetricFamily *dedup = r.gauge(QStringLiteral("shivx_backup_dedup_ratio"),
        QStringLiteral("Fraction of the newest snapshot's bytes already in the repository (0-1)."),
        set);
    MetricFamily *snapshots = r.gauge(QStringLiteral("shivx_backup_snapshots"),
        QStringLiteral("Snapshots of the set in the repository."), set);
    MetricFamily *drillOk = r.gauge(QStringLiteral("shivx_backup_drill_success"),
        QStringLiteral("1 when the set's last restore drill matched its manifest, else 0."), set);
    MetricFamily *rto = r.gauge(QStringLiteral("shivx_backup_drill_rto_seconds"),
        QStringLiteral("Measured restore and compare time of the set's last drill."), set);
    MetricFamily *rpo = r.gauge(QStringLiteral("shivx_backup_drill_rpo_seconds"),
        QStringLiteral("Age of the snapshot the set's last drill restored, when it ran."), set);
    Gauge verifyOk = r.gauge(QStringLiteral("shivx_backup_verify_success"),
                          QStringLiteral("1 when the last verify found no problem, 0 when it "
                                         "found some, -1 before the first verify."))
                         ->gauge();
    Gauge verifyTime = r.gauge(QStringLiteral("shivx_backup_verify_timestamp_seconds"),
                            QStringLiteral("When the last verify finished (Unix seconds)."))
                           ->gauge();
    Gauge running = r.gauge(QStringLiteral("shivx_backup_operations_running"),
                         QStringLiteral("Backup operations running now."))
                        ->gauge();
    Gauge queuedOps = r.gauge(QStringLiteral("shivx_backup_operations_queued"),
                           QStringLiteral("Backup operations waiting (paused ones included)."))
                          ->gauge();
    MetricFamily *offsiteTime
        = r.gauge(QStringLiteral("shivx_backup_offsite_last_success_timestamp_seconds"),
            QStringLiteral("When the last verified off-site copy to the remote finished (Unix "
                           "seconds)."),
            { QStringLiteral("remote") });
    MetricFamily *offsiteFailed = r.gauge(QStringLiteral("shivx_backup_offsite_failing"),
        QStringLiteral("1 when the last off-site copy to the remote failed, else 0."),
        { QStringLiteral("remote") });
    r.addCollector([=]() mutable {
        const auto s = service->statePtr();
        const qint64 now = clock->nowMs();
        QSet<QString> names;
        for (const BackupSetState &st : s->sets) {
            names.insert(st.name);
            snapshots->gauge({ st.name }).set(st.snapshots);
            if (st.lastSuccessMs > 0) {
                lastTime->gauge({ st.name }).set(double(st.lastSuccessMs) / 1000.0);
                age->gauge({ st.name }).set(double(now - st.lastSuccessMs) / 1000.0);
                duration->gauge({ st.name }).set(double(st.lastDurationMs) / 1000.0);
                size->gauge({ st.name }).set(double(st.lastBytes));
                added->gauge({ st.name }).set(double(st.lastAddedBytes));
                dedup->gauge({ st.name }).set(st.lastDedupRatio);
            } else if (!st.schedule.isEmpty() && st.knownSinceMs > 0) {
                // A scheduled set that never had a backup is as old as its configuration, so
                // that BackupOverdue fires when its first scheduled backup never comes. A
                // manual-only set without a snapshot has nothing due: no series.
                age->gauge({ st.name }).set(double(now - st.knownSinceMs) / 1000.0);
            }
            if (st.lastDrillMs > 0) {
                drillOk->gauge({ st.name }).set(st.lastDrillOk ? 1 : 0);
                rto->gauge({ st.name }).set(double(st.lastDrillRtoMs) / 1000.0);
                rpo->gauge({ st.name }).set(double(st.lastDrillRpoMs) / 1000.0);
            }
        }
        const auto keep
            = [&names](const QStringList &labels) { return names.contains(labels.value(0)); };
        for (MetricFamily *f :
            { lastTime, age, duration, size, added, dedup, snapshots, drillOk, rto, rpo })
            f->retain(keep);
        verifyOk.set(s->lastVerifyOk);
        verifyTime.set(double(s->lastVerifyMs) / 1000.0);
        int run = 0, wait = 0;
        for (const BackupOperation &op : s->operations) {
            run += op.state == QLatin1String("running");
            wait += op.state == QLatin1String("queued");
        }
        running.set(run);
        queuedOps.set(wait);
        // The finished come newest first: the first finished copy of a remote is its last.
        QSet<QString> seen;
        for (const BackupOperation &op : s->operations) {
            if (op.kind != QLatin1String("offsite") || !op.finished() || seen.contains(op.type))
                continue;
            seen.insert(op.type);
            const bool ok = op.state == QLatin1String("succeeded");
            offsiteFailed->gauge({ op.type }).set(ok ? 0 : 1);
            if (ok)
                offsiteTime->gauge({ op.type }).set(double(op.finishedMs) / 1000.0);
        }
    });
}

} // namespace Shivx::BackupApi
