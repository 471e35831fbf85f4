// PostgresJobStore: reads, the scheduler's memory and retention.

#include "pipelines/jobstorerows.h"
#include "pipelines/postgresjobstore.h"
#include "pipelines/postgreswritescope.h"

#include <QSqlError>
#include <QVariant>

namespace Shivx {

using namespace Internal;

Result<QList<RunRecord>> PostgresJobStore::runs(const RunFilter &filter)
{
    QString sql = QStringLiteral("SELECT ") + RunColumns
        + (filter.withDefinition ? QStringLiteral(", definition") : QString())
        + QStringLiteral(" FROM pipeline_run WHERE 1 = 1");
    QVariantList binds;
    if (!filter.pipeline.isEmpty()) {
        sql += QStringLiteral(" AND pipeline = ?");
        binds.append(filter.pipeline);
    }
    if (!filter.states.isEmpty()) {
        QStringList marks;
        for (RunState s : filter.states) {
            marks.append(QStringLiteral("?"));
            binds.append(toString(s));
        }
        sql += QStringLiteral(" AND state IN (%1)").arg(marks.join(QLatin1Char(',')));
    }
    // LIMIT NULL is PostgreSQL's "no limit" (a negative limit is an error there).
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    binds.append(filter.limit > 0 ? QVariant(filter.limit) : QVariant(QMetaType(QMetaType::Int)));
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(sql);
    for (const QVariant &v : std::as_const(binds))
        q.addBindValue(v);
    if (!q.exec())
        return storeError(q, "list runs");
    QList<RunRecord> list;
    while (q.next())
        list.append(runOf(q, filter.withDefinition));
    return list;
}

Result<RunRecord> PostgresJobStore::run(qint64 id)
{
    QSqlQuery &q = prepared(QStringLiteral("SELECT ") + RunColumns
        + QStringLiteral(", definition FROM pipeline_run WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return storeError(q, "read run");
    if (!q.next())
        return makeError(
            "pipeline.unknown_run", QStringLiteral("there is no run %1").arg(id), { id });
    RunRecord r = runOf(q, true);
    q.finish();
    return r;
}

Result<QList<StageRecord>> PostgresJobStore::stages(qint64 runId)
{
    QSqlQuery &q = prepared(QStringLiteral("SELECT stage, state, attempts, failures, "
                                           "next_attempt_ms FROM pipeline_stage WHERE run_id = ?"));
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

Result<QList<AttemptRecord>> PostgresJobStore::selectAttempts(
    const QString &where, const QVariant &value)
{
    QSqlQuery &q = prepared(QStringLiteral("SELECT ") + AttemptColumns
        + QStringLiteral(" FROM pipeline_attempt WHERE ") + where + QStringLiteral(" ORDER BY id"));
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

Result<QList<AttemptRecord>> PostgresJobStore::attempts(qint64 runId)
{
    return selectAttempts(QStringLiteral("run_id = ?"), runId);
}

Result<QList<AttemptRecord>> PostgresJobStore::runningAttempts()
{
    return selectAttempts(QStringLiteral("state = 'running'"), {});
}

Result<QList<ArtifactRecord>> PostgresJobStore::artifacts(qint64 runId)
{
    QSqlQuery &q
        = prepared(QStringLiteral("SELECT stage, path, sha256, size FROM "
                                  "pipeline_artifact WHERE run_id = ? ORDER BY stage, path"));
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

Result<qint64> PostgresJobStore::lastFired(const QString &pipeline)
{
    QSqlQuery &q = prepared(
        QStringLiteral("SELECT last_fired_ms FROM pipeline_schedule WHERE pipeline = ?"));
    q.addBindValue(storeText(pipeline));
    if (!q.exec())
        return storeError(q, "read schedule");
    const qint64 ms = q.next() ? q.value(0).toLongLong() : qint64(0);
    q.finish();
    return ms;
}

Result<void> PostgresJobStore::setLastFired(const QString &pipeline, qint64 ms)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(QStringLiteral(
        "INSERT INTO pipeline_schedule (pipeline, last_fired_ms) VALUES (?, ?) ON CONFLICT "
        "(pipeline) DO UPDATE SET last_fired_ms = EXCLUDED.last_fired_ms"));
    q.addBindValue(storeText(pipeline));
    q.addBindValue(ms);
    if (!q.exec())
        return storeError(q, "write schedule");
    return t.commit();
}

Result<bool> PostgresJobStore::claimFire(const QString &pipeline, qint64 ms)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(FireClaim);
    q.addBindValue(storeText(pipeline));
    q.addBindValue(ms);
    if (!q.exec())
        return storeError(q, "write schedule");
    const bool moved = q.numRowsAffected() == 1;
    if (auto c = t.commit(); !c)
        return c.error();
    return moved;
}

Result<QList<qint64>> PostgresJobStore::prune(
    const QString &pipeline, int keepRuns, qint64 createdBeforeMs)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral(
        "SELECT id, created_ms FROM pipeline_run WHERE pipeline = ? AND state IN ('succeeded', "
        "'cancelled', 'discarded') ORDER BY id DESC"));
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
    if (doomed.isEmpty())
        return doomed;
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    // Stages, attempts and artifacts go with their run (ON DELETE CASCADE).
    q.prepare(QStringLiteral("DELETE FROM pipeline_run WHERE id = ?"));
    for (qint64 id : std::as_const(doomed)) {
        q.addBindValue(id);
        if (!q.exec())
            return storeError(q, "prune runs");
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return doomed;
}

} // namespace Shivx
