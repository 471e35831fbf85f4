#include "pipelines/jobstorerows.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace Shivx::Internal {

QString storeText(const QString &s)
{
    return s.isNull() ? QStringLiteral("") : s;
}

Error storeError(const QSqlQuery &q, const char *what)
{
    return makeError("pipeline.store",
        QStringLiteral("job store: %1: %2").arg(QLatin1String(what), q.lastError().text()));
}

QString paramsJson(const QMap<QString, QString> &params)
{
    QJsonObject o;
    for (auto it = params.begin(); it != params.end(); ++it)
        o.insert(it.key(), it.value());
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

QMap<QString, QString> paramsOf(const QString &json)
{
    QMap<QString, QString> params;
    const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
    for (auto it = o.begin(); it != o.end(); ++it)
        params.insert(it.key(), it.value().toString());
    return params;
}

const QString RunColumns = QStringLiteral(
    "id, pipeline, version, file, params, state, triggered_by, actor, created_ms, started_ms, "
    "finished_ms, error, failed_stage");

RunRecord runOf(const QSqlQuery &q, bool withDefinition)
{
    RunRecord r;
    r.id = q.value(0).toLongLong();
    r.pipeline = q.value(1).toString();
    r.version = q.value(2).toString();
    r.file = q.value(3).toString();
    r.params = paramsOf(q.value(4).toString());
    parseRunState(q.value(5).toString(), &r.state);
    r.trigger = q.value(6).toString();
    r.actor = q.value(7).toString();
    r.createdMs = q.value(8).toLongLong();
    r.startedMs = q.value(9).toLongLong();
    r.finishedMs = q.value(10).toLongLong();
    r.error = q.value(11).toString();
    r.failedStage = q.value(12).toString();
    if (withDefinition)
        r.definition = q.value(13).toByteArray();
    return r;
}

const QString AttemptColumns = QStringLiteral(
    "id, run_id, stage, attempt, state, lease_owner, lease_until_ms, pid, pgid, start_ticks, "
    "boot_id, started_ms, finished_ms, schedule_delay_us, exit_code, signal, error, stdout_path, "
    "stderr_path, status_path, artifacts_dir, slot_wait_us");

AttemptRecord attemptOf(const QSqlQuery &q)
{
    AttemptRecord a;
    a.id = q.value(0).toLongLong();
    a.runId = q.value(1).toLongLong();
    a.stage = q.value(2).toString();
    a.attempt = q.value(3).toInt();
    parseAttemptState(q.value(4).toString(), &a.state);
    a.leaseOwner = q.value(5).toString();
    a.leaseUntilMs = q.value(6).toLongLong();
    a.pid = q.value(7).toLongLong();
    a.pgid = q.value(8).toLongLong();
    a.startTicks = q.value(9).toULongLong();
    a.bootId = q.value(10).toString();
    a.startedMs = q.value(11).toLongLong();
    a.finishedMs = q.value(12).toLongLong();
    a.scheduleDelayUs = q.value(13).toLongLong();
    a.exitCode = q.value(14).toInt();
    a.signal = q.value(15).toInt();
    a.error = q.value(16).toString();
    a.stdoutPath = q.value(17).toString();
    a.stderrPath = q.value(18).toString();
    a.statusPath = q.value(19).toString();
    a.artifactsDir = q.value(20).toString();
    a.slotWaitUs = q.value(21).toLongLong();
    return a;
}

const QString StageUpdate = QStringLiteral(
    "UPDATE pipeline_stage SET state = ?, attempts = ?, failures = ?, next_attempt_ms = ? "
    "WHERE run_id = ? AND stage = ?");

bool execStage(QSqlQuery &q, const StageRecord &s)
{
    q.addBindValue(toString(s.state));
    q.addBindValue(s.attempts);
    q.addBindValue(s.failures);
    q.addBindValue(s.nextAttemptMs);
    q.addBindValue(s.runId);
    q.addBindValue(storeText(s.stage));
    return q.exec();
}

const QString FireClaim = QStringLiteral(
    "INSERT INTO pipeline_schedule (pipeline, last_fired_ms) VALUES (?, ?) ON CONFLICT (pipeline) "
    "DO UPDATE SET last_fired_ms = excluded.last_fired_ms WHERE pipeline_schedule.last_fired_ms < "
    "excluded.last_fired_ms");

const QString AttemptUpdate = QStringLiteral(
    "UPDATE pipeline_attempt SET state = ?, pid = ?, pgid = ?, start_ticks = ?, boot_id = ?, "
    "started_ms = ?, finished_ms = ?, schedule_delay_us = ?, slot_wait_us = ?, exit_code = ?, "
    "signal = ?, error = ? WHERE id = ?");

bool execAttemptEnd(QSqlQuery &q, const AttemptRecord &a)
{
    q.addBindValue(toString(a.state));
    q.addBindValue(a.pid);
    q.addBindValue(a.pgid);
    q.addBindValue(qint64(a.startTicks));
    q.addBindValue(storeText(a.bootId));
    q.addBindValue(a.startedMs);
    q.addBindValue(a.finishedMs);
    q.addBindValue(a.scheduleDelayUs);
    q.addBindValue(a.slotWaitUs);
    q.addBindValue(a.exitCode);
    q.addBindValue(a.signal);
    q.addBindValue(storeText(a.error));
    q.addBindValue(a.id);
    return q.exec();
}

} // namespace Shivx::Internal
