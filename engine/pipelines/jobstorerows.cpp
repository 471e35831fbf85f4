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

const QString RunInsert = QStringLiteral(
    "INSERT INTO pipeline_run (pipeline, version, file, definition, params, state, triggered_by, "
    "actor, created_ms, started_ms, finished_ms, error, failed_stage) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

bool execRunInsert(QSqlQuery &q, const RunRecord &run)
{
    q.addBindValue(storeText(run.pipeline));
    q.addBindValue(storeText(run.version));
    q.addBindValue(storeText(run.file));
    q.addBindValue(run.definition.isNull() ? QByteArray("") : run.definition);
    q.addBindValue(paramsJson(run.params));
    q.addBindValue(toString(run.state));
    q.addBindValue(storeText(run.trigger));
    q.addBindValue(storeText(run.actor));
    q.addBindValue(run.createdMs);
    q.addBindValue(run.startedMs);
    q.addBindValue(run.finishedMs);
    q.addBindValue(storeText(run.error));
    q.addBindValue(storeText(run.failedStage));
    return q.exec();
}

const QString StageInsert
    = QStringLiteral("INSERT INTO pipeline_stage (run_id, stage, state) VALUES (?, ?, 'pending')");

const QString RunUpdate
    = QStringLiteral("UPDATE pipeline_run SET state = ?, started_ms = ?, "
                     "finished_ms = ?, error = ?, failed_stage = ? WHERE id = ?");

const QString RunEnd = RunUpdate + QStringLiteral(" AND state IN ('queued', 'running')");

bool execRunUpdate(QSqlQuery &q, const RunRecord &run)
{
    q.addBindValue(toString(run.state));
    q.addBindValue(run.startedMs);
    q.addBindValue(run.finishedMs);
    q.addBindValue(storeText(run.error));
    q.addBindValue(storeText(run.failedStage));
    q.addBindValue(run.id);
    return q.exec();
}

const QString AttemptInsert = QStringLiteral(
    "INSERT INTO pipeline_attempt (run_id, stage, attempt, state, lease_owner, lease_until_ms, "
    "schedule_delay_us, stdout_path, stderr_path, status_path, artifacts_dir) "
    "VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)");

bool execAttemptInsert(QSqlQuery &q, const AttemptRecord &a)
{
    q.addBindValue(a.runId);
    q.addBindValue(storeText(a.stage));
    q.addBindValue(a.attempt);
    q.addBindValue(storeText(a.leaseOwner));
    q.addBindValue(a.leaseUntilMs);
    q.addBindValue(a.scheduleDelayUs);
    q.addBindValue(storeText(a.stdoutPath));
    q.addBindValue(storeText(a.stderrPath));
    q.addBindValue(storeText(a.statusPath));
    q.addBindValue(storeText(a.artifactsDir));
    return q.exec();
}

bool execArtifact(QSqlQuery &q, const ArtifactRecord &r)
{
    q.addBindValue(r.runId);
    q.addBindValue(storeText(r.stage));
    q.addBindValue(storeText(r.path));
    q.addBindValue(storeText(r.sha256));
    q.addBindValue(r.size);
    return q.exec();
}

const QString LeaseRenewal = QStringLiteral(
    "UPDATE pipeline_attempt SET lease_until_ms = ? WHERE lease_owner = ? AND state = 'running'");

bool execLeaseRenewal(QSqlQuery &q, const QString &owner, qint64 untilMs)
{
    q.addBindValue(untilMs);
    q.addBindValue(storeText(owner));
    return q.exec();
}

const QString TakeOver = QStringLiteral(
    "UPDATE pipeline_attempt SET lease_owner = ?, lease_until_ms = ? WHERE id = ? AND "
    "state = 'running' AND lease_until_ms <= ?");

bool execTakeOver(
    QSqlQuery &q, qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
{
    q.addBindValue(storeText(owner));
    q.addBindValue(untilMs);
    q.addBindValue(attemptId);
    q.addBindValue(nowMs);
    return q.exec();
}

Error leaseHeld(const AttemptRecord &a, const QSqlQuery &row)
{
    return makeError("pipeline.lease_held",
        QStringLiteral("run %1 stage %2 is leased by %3 until %4")
            .arg(a.runId)
            .arg(a.stage, row.value(0).toString())
            .arg(row.value(1).toLongLong()));
}

const QString RunSelect = QStringLiteral("SELECT ") + RunColumns
    + QStringLiteral(", definition FROM pipeline_run WHERE id = ?");

Result<RunRecord> readRun(QSqlQuery &q, qint64 id)
{
    q.addBindValue(id);
    if (!q.exec())
        return storeError(q, "read run");
    if (!q.next()) {
        q.finish();
        return makeError(
            "pipeline.unknown_run", QStringLiteral("there is no run %1").arg(id), { id });
    }
    RunRecord r = runOf(q, true);
    q.finish();
    return r;
}

QString runsQuery(const RunFilter &filter, const QVariant &noLimit, QVariantList *binds)
{
    QString sql = QStringLiteral("SELECT ") + RunColumns
        + (filter.withDefinition ? QStringLiteral(", definition") : QString())
        + QStringLiteral(" FROM pipeline_run WHERE 1 = 1");
    if (!filter.pipeline.isEmpty()) {
        sql += QStringLiteral(" AND pipeline = ?");
        binds->append(filter.pipeline);
    }
    if (!filter.states.isEmpty()) {
        QStringList marks;
        for (RunState s : filter.states) {
            marks.append(QStringLiteral("?"));
            binds->append(toString(s));
        }
        sql += QStringLiteral(" AND state IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    binds->append(filter.limit > 0 ? QVariant(filter.limit) : noLimit);
    return sql;
}

Result<QList<RunRecord>> readRuns(QSqlQuery &q, const QVariantList &binds, bool withDefinition)
{
    for (const QVariant &v : binds)
        q.addBindValue(v);
    if (!q.exec())
        return storeError(q, "list runs");
    QList<RunRecord> list;
    while (q.next())
        list.append(runOf(q, withDefinition));
    q.finish();
    return list;
}

const QString StageSelect = QStringLiteral("SELECT stage, state, attempts, failures, "
                                           "next_attempt_ms FROM pipeline_stage WHERE run_id = ?");

Result<QList<StageRecord>> readStages(QSqlQuery &q, qint64 runId)
{
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(q, "read stages");
    QList<StageRecord> list;
    while (q.next()) {
        StageRecord s;
        s.runId = runId;
        s.stage = q.value(0).toString();
        parseStageState(q.value(1).toString(), &s.state);
        s.attempts = q.value(2).toInt();
        s.failures = q.value(3).toInt();
        s.nextAttemptMs = q.value(4).toLongLong();
        list.append(s);
    }
    q.finish();
    return list;
}

QString attemptSelect(const QString &where)
{
    return QStringLiteral("SELECT ") + AttemptColumns
        + QStringLiteral(" FROM pipeline_attempt WHERE ") + where + QStringLiteral(" ORDER BY id");
}

Result<QList<AttemptRecord>> readAttempts(QSqlQuery &q, const QVariant &value)
{
    if (value.isValid())
        q.addBindValue(value);
    if (!q.exec())
        return storeError(q, "read attempts");
    QList<AttemptRecord> list;
    while (q.next())
        list.append(attemptOf(q));
    q.finish();
    return list;
}

const QString ArtifactSelect
    = QStringLiteral("SELECT stage, path, sha256, size FROM pipeline_artifact WHERE run_id = ? "
                     "ORDER BY stage, path");

Result<QList<ArtifactRecord>> readArtifacts(QSqlQuery &q, qint64 runId)
{
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(q, "read artifacts");
    QList<ArtifactRecord> list;
    while (q.next())
        list.append({ runId, q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toLongLong() });
    q.finish();
    return list;
}

const QString LastFiredSelect
    = QStringLiteral("SELECT last_fired_ms FROM pipeline_schedule WHERE pipeline = ?");

Result<qint64> readLastFired(QSqlQuery &q, const QString &pipeline)
{
    q.addBindValue(storeText(pipeline));
    if (!q.exec())
        return storeError(q, "read schedule");
    const qint64 ms = q.next() ? q.value(0).toLongLong() : qint64(0);
    q.finish();
    return ms;
}

const QString PruneCandidates = QStringLiteral(
    "SELECT id, created_ms FROM pipeline_run WHERE pipeline = ? AND state IN ('succeeded', "
    "'cancelled', 'discarded') ORDER BY id DESC");

Result<QList<qint64>> readPruneCandidates(
    QSqlQuery &q, const QString &pipeline, int keepRuns, qint64 createdBeforeMs)
{
    q.addBindValue(storeText(pipeline));
    if (!q.exec())
        return storeError(q, "prune runs");
    QList<qint64> doomed;
    int kept = 0;
    while (q.next()) {
        const bool tooMany = keepRuns > 0 && kept >= keepRuns;
        const bool tooOld = createdBeforeMs > 0 && q.value(1).toLongLong() < createdBeforeMs;
        if (tooMany || tooOld)
            doomed.append(q.value(0).toLongLong());
        else
            ++kept;
    }
    q.finish();
    return doomed;
}

} // namespace Shivx::Internal
