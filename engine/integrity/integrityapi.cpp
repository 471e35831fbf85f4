#include "integrity/integrityapi.h"

#include "api/apibody.h"
#include "core/timeutil.h"
#include "integrity/integrityservice.h"
#include "integrity/ownfiles.h"

#include <QJsonArray>

namespace Shivx::IntegrityApi {

namespace {

QJsonValue time(qint64 ms)
{
    return ms > 0 ? QJsonValue(TimeUtil::toRfc3339(ms)) : QJsonValue(QJsonValue::Null);
}

QJsonValue stateJson(const FileState &f)
{
    if (f.path.isEmpty())
        return QJsonValue(QJsonValue::Null);
    QJsonObject o { { QStringLiteral("type"), toString(f.kind) },
        { QStringLiteral("sha256"), QString::fromLatin1(f.sha256.toHex()) },
        { QStringLiteral("size"), f.size },
        { QStringLiteral("mode"),
            QStringLiteral("%1").arg(f.mode & 07777, 4, 8, QLatin1Char('0')) },
        { QStringLiteral("uid"), qint64(f.uid) }, { QStringLiteral("gid"), qint64(f.gid) },
        { QStringLiteral("inode"), QString::number(f.inode) },
        { QStringLiteral("mtime_ns"), QString::number(f.mtimeNs) },
        { QStringLiteral("ctime_ns"), QString::number(f.ctimeNs) } };
    if (!f.error.isEmpty())
        o.insert(QStringLiteral("error"), f.error);
    // Baseline records of `protect: restore` sets: the id of the copy a restore would use.
    if (!f.snapshot.isEmpty())
        o.insert(QStringLiteral("snapshot"), QString::fromLatin1(f.snapshot.toHex()));
    return o;
}

// 503 when the engine is not running, 409 when the state forbids it now, else 400.
ApiReply errorReply(const Error &e)
{
    int status = 400;
    if (e.code == QLatin1String("engine.not_running"))
        status = 503;
    else if (e.code == QLatin1String("integrity.busy") || e.code == QLatin1String("integrity.idle")
        || e.code == QLatin1String("integrity.not_configured")
        || e.code.startsWith(QLatin1String("integrity.baseline_"))
        || e.code == QLatin1String("integrity.no_baseline")
        || e.code == QLatin1String("integrity.snapshot_tampered"))
        status = 409;
    else if (e.code == QLatin1String("integrity.restore_io")
        || e.code == QLatin1String("integrity.snapshot_store"))
        status = 500;
    return ApiReply::error(status, e.code, e.message);
}

Result<QJsonObject> body(const ApiRequest &req, const QStringList &known)
{
    return ApiBody::object(req, known);
}

ApiReply init(IntegrityService *service, const ApiRequest &req)
{
    const auto b = body(req, { QStringLiteral("reason"), QStringLiteral("actor") });
    if (!b)
        return ApiBody::badRequest(b.error());
    const auto reason = ApiBody::string(*b, "reason", false);
    if (!reason)
        return ApiBody::badRequest(reason.error());
    const auto actor = ApiBody::actor(*b);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->init(*actor, reason->isEmpty() ? QStringLiteral("init") : *reason);
    if (!r)
        return errorReply(r.error());
    return ApiReply::json(202, { { QStringLiteral("started"), QStringLiteral("init") } });
}

ApiReply check(IntegrityService *service, const ApiRequest &req)
{
    const auto b = body(req, { QStringLiteral("mode"), QStringLiteral("actor") });
    if (!b)
        return ApiBody::badRequest(b.error());
    const auto modeText = ApiBody::string(*b, "mode", false);
    if (!modeText)
        return ApiBody::badRequest(modeText.error());
    const auto mode
        = modeText->isEmpty() ? std::optional(IntegrityMode::Fast) : parseIntegrityMode(*modeText);
    if (!mode)
        return ApiReply::error(400, QStringLiteral("bad_request"),
            QStringLiteral("mode: \"%1\" is not a mode (fast, full)").arg(modeText->left(32)));
    const auto actor = ApiBody::actor(*b);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->check(*mode, *actor);
    if (!r)
        return errorReply(r.error());
    return ApiReply::json(202,
        { { QStringLiteral("started"), QStringLiteral("check") },
            { QStringLiteral("mode"), toString(*mode) } });
}

ApiReply cancel(IntegrityService *service, const ApiRequest &req)
{
    const auto b = body(req, { QStringLiteral("actor") });
    if (!b)
        return ApiBody::badRequest(b.error());
    const auto actor = ApiBody::actor(*b);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = service->cancel(*actor);
    if (!r)
        return errorReply(r.error());
    return ApiReply::json(200, { { QStringLiteral("cancelling"), true } });
}

// accept and restore take the same body: {"paths": [...], "reason": "...", "actor": "..."}.
ApiReply pathsCommand(IntegrityService *service, const ApiRequest &req,
    Result<IntegrityResult> (IntegrityService::*command)(
        const QStringList &, const QString &, const QString &))
{
    const auto b
        = body(req, { QStringLiteral("paths"), QStringLiteral("reason"), QStringLiteral("actor") });
    if (!b)
        return ApiBody::badRequest(b.error());
    QStringList paths;
    const QJsonValue pathsValue = b->value(QStringLiteral("paths"));
    if (!pathsValue.isUndefined() && !pathsValue.isNull()) {
        if (!pathsValue.isArray())
            return ApiReply::error(400, QStringLiteral("bad_request"),
                QStringLiteral("paths: expected a list of absolute paths"));
        const QJsonArray a = pathsValue.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const QString p = a.at(i).toString();
            if (!a.at(i).isString() || !p.startsWith(QLatin1Char('/')))
                return ApiReply::error(400, QStringLiteral("bad_request"),
                    QStringLiteral("paths[%1]: expected an absolute path").arg(i));
            paths.append(p);
        }
    }
    const auto reason = ApiBody::string(*b, "reason", true);
    if (!reason)
        return ApiBody::badRequest(reason.error());
    const auto actor = ApiBody::actor(*b);
    if (!actor)
        return ApiBody::badRequest(actor.error());
    const auto r = (service->*command)(paths, *reason, *actor);
    if (!r)
        return errorReply(r.error());
    return ApiReply::json(200, resultJson(*r, true));
}

ApiReply accept(IntegrityService *service, const ApiRequest &req)
{
    return pathsCommand(service, req, &IntegrityService::accept);
}

ApiReply restore(IntegrityService *service, const ApiRequest &req)
{
    return pathsCommand(service, req, &IntegrityService::restore);
}

QJsonObject statusJson(IntegrityService *service)
{
    QJsonObject o { { QStringLiteral("baseline"), baselineJson(service->baselineStatus()) },
        { QStringLiteral("progress"), progressJson(service->progress()) },
        { QStringLiteral("busy"), service->isBusy() } };
    const auto last = service->lastCheck();
    o.insert(QStringLiteral("last_check"),
        last ? QJsonValue(resultJson(*last, false)) : QJsonValue(QJsonValue::Null));
    const auto op = service->lastOperation();
    o.insert(QStringLiteral("last_operation"),
        op ? QJsonValue(resultJson(*op, false)) : QJsonValue(QJsonValue::Null));
    o.insert(QStringLiteral("snapshot_warnings"),
        QJsonArray::fromStringList(service->snapshotWarnings()));
    const QString store = service->snapshotStore();
    o.insert(QStringLiteral("snapshot_store"),
        store.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(store));
    return o;
}

} // namespace

QJsonObject progressJson(const IntegrityProgress &p)
{
    return { { QStringLiteral("running"), p.running }, { QStringLiteral("operation"), p.operation },
        { QStringLiteral("mode"), toString(p.mode) }, { QStringLiteral("scheduled"), p.scheduled },
        { QStringLiteral("phase"), p.phase }, { QStringLiteral("files_done"), p.filesDone },
        { QStringLiteral("files_total"), p.filesTotal },
        { QStringLiteral("bytes_done"), p.bytesDone },
        { QStringLiteral("bytes_total"), p.bytesTotal },
        { QStringLiteral("started"), time(p.startedMs) },
        { QStringLiteral("eta_seconds"),
            p.etaMs >= 0 ? QJsonValue(double(p.etaMs) / 1000.0) : QJsonValue(QJsonValue::Null) } };
}

QJsonObject differenceJson(const IntegrityDifference &d)
{
    QJsonArray attrs;
    for (const QString &a : attributeNames(d.changed))
        attrs.append(a);
    return { { QStringLiteral("path"), d.path }, { QStringLiteral("set"), d.set },
        { QStringLiteral("kind"), toString(d.kind) }, { QStringLiteral("changed"), attrs },
        { QStringLiteral("before"), stateJson(d.before) },
        { QStringLiteral("after"), stateJson(d.after) } };
}

QJsonObject resultJson(const IntegrityResult &r, bool withDifferences)
{
    QJsonObject o { { QStringLiteral("operation"), r.operation },
        { QStringLiteral("mode"), toString(r.mode) }, { QStringLiteral("actor"), r.actor },
        { QStringLiteral("scheduled"), r.scheduled }, { QStringLiteral("realtime"), r.realtime },
        { QStringLiteral("started"), time(r.startedMs) },
        { QStringLiteral("finished"), time(r.finishedMs) },
        { QStringLiteral("outcome"), toString(r.outcome) },
        { QStringLiteral("files"), r.filesChecked },
        { QStringLiteral("files_hashed"), r.filesHashed },
        { QStringLiteral("bytes_hashed"), r.bytesHashed },
        { QStringLiteral("added"), r.count(IntegrityDifference::Kind::Added) },
        { QStringLiteral("removed"), r.count(IntegrityDifference::Kind::Removed) },
        { QStringLiteral("changed"), r.count(IntegrityDifference::Kind::Changed) },
        { QStringLiteral("baseline_digest"), QString::fromLatin1(r.baselineDigest) } };
    if (r.outcome != IntegrityResult::Outcome::Ok)
        o.insert(QStringLiteral("error"),
            QJsonObject { { QStringLiteral("code"), r.error.code },
                { QStringLiteral("message"), r.error.message } });
    if (!r.walkErrors.isEmpty())
        o.insert(QStringLiteral("walk_errors"), QJsonArray::fromStringList(r.walkErrors));
    if (!r.skipped.isEmpty()) {
        QJsonArray skipped;
        for (const QString &path : r.skipped)
            skipped.append(QJsonObject { { QStringLiteral("path"), path },
                { QStringLiteral("reason"), OwnFiles::reason() } });
        o.insert(QStringLiteral("skipped"), skipped);
    }
    if (withDifferences) {
        QJsonArray diffs;
        for (const IntegrityDifference &d : r.differences)
            diffs.append(differenceJson(d));
        o.insert(QStringLiteral("differences"), diffs);
    }
    return o;
}

QJsonObject baselineJson(const IntegrityBaselineStatus &b)
{
    QJsonObject o { { QStringLiteral("exists"), b.exists },
        { QStringLiteral("verified"), b.verified }, { QStringLiteral("files"), b.files },
        { QStringLiteral("created"), time(b.createdMs) },
        { QStringLiteral("updated"), time(b.updatedMs) },
        { QStringLiteral("digest"), QString::fromLatin1(b.digest) } };
    if (!b.error.code.isEmpty())
        o.insert(QStringLiteral("error"),
            QJsonObject { { QStringLiteral("code"), b.error.code },
                { QStringLiteral("message"), b.error.message } });
    return o;
}

QList<ApiRoute> routes(IntegrityService *service)
{
    QList<ApiRoute> r;
    r.append(ApiRoute { QStringLiteral("/api/integrity"), false, { "GET" }, false,
        [service](const ApiRequest &) { return ApiReply::json(200, statusJson(service)); } });
    r.append(ApiRoute { QStringLiteral("/api/integrity/progress"), false, { "GET" }, false,
        [service](const ApiRequest &) {
            QJsonObject o = progressJson(service->progress());
            o.insert(QStringLiteral("busy"), service->isBusy());
            return ApiReply::json(200, o);
        } });
    r.append(ApiRoute { QStringLiteral("/api/integrity/differences"), false, { "GET" }, false,
        [service](const ApiRequest &) {
            const auto last = service->lastCheck();
            if (!last)
                return ApiReply::json(200,
                    { { QStringLiteral("last_check"), QJsonValue(QJsonValue::Null) },
                        { QStringLiteral("differences"), QJsonArray() } });
            QJsonObject o = resultJson(*last, true);
            return ApiReply::json(200, o);
        } });
    const auto post
        = [&r](const char *path, ApiReply (*handler)(IntegrityService *, const ApiRequest &),
              IntegrityService *s) {
              r.append(ApiRoute { QString::fromLatin1(path), false, { "POST" }, true,
                  [s, handler](const ApiRequest &req) { return handler(s, req); },
                  ApiRoute::jsonBodyLimit });
          };
    post("/api/integrity/init", &init, service);
    post("/api/integrity/check", &check, service);
    post("/api/integrity/cancel", &cancel, service);
    // A list of paths can be long; 1 MiB holds some thousands of them.
    post("/api/integrity/accept", &accept, service);
    r.last().maxBodyBytes = 1 << 20;
    post("/api/integrity/restore", &restore, service);
    r.last().maxBodyBytes = 1 << 20;
    return r;
}

} // namespace Shivx::IntegrityApi
