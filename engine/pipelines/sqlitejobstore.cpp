#include "pipelines/sqlitejobstore.h"

#include "pipelines/jobstorerows.h"
#include "storage/database.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <optional>

namespace Shivx {

using namespace Internal;

// One write of several statements: its own transaction, or a savepoint inside the open batch,
// so that a failed write leaves the batch as it was before the write.
class SqliteJobStore::WriteScope
{
public:
    explicit WriteScope(SqliteJobStore &store)
        : m_store(store)
        , m_inBatch(store.m_batchOpen)
    {
        if (m_inBatch) {
            m_begin = m_store.execPrepared(QStringLiteral("SAVEPOINT job_write"));
            m_open = m_begin.ok();
        } else {
            m_transaction.emplace(m_store.m_db);
            m_begin = m_transaction->begin();
        }
    }
    ~WriteScope()
    {
        if (m_inBatch && m_open) {
            m_store.execPrepared(QStringLiteral("ROLLBACK TO job_write"));
            m_store.execPrepared(QStringLiteral("RELEASE job_write"));
        }
    }
    WriteScope(const WriteScope &) = delete;
    WriteScope &operator=(const WriteScope &) = delete;

    const Result<void> &begin() const { return m_begin; }
    Result<void> commit()
    {
        if (!m_inBatch)
            return m_transaction->commit();
        auto r = m_store.execPrepared(QStringLiteral("RELEASE job_write"));
        if (r.ok())
            m_open = false;
        return r;
    }

private:
    SqliteJobStore &m_store;
    bool m_inBatch;
    bool m_open = false;
    Result<void> m_begin;
    std::optional<Transaction> m_transaction;
};

Result<std::unique_ptr<SqliteJobStore>> SqliteJobStore::open(
    const QString &databasePath, const QString &connectionName)
{
    auto db = Database::open(databasePath, connectionName);
    if (!db)
        return db.error();
    return std::unique_ptr<SqliteJobStore>(new SqliteJobStore(*db, connectionName));
}

SqliteJobStore::SqliteJobStore(QSqlDatabase db, QString connectionName)
    : m_db(std::move(db))
    , m_connection(std::move(connectionName))
{
}

SqliteJobStore::~SqliteJobStore()
{
    commitBatch();
    m_prepared.clear();
    m_db = QSqlDatabase();
    Database::close(m_connection);
}

QSqlQuery &SqliteJobStore::prepared(const QString &sql)
{
    std::unique_ptr<QSqlQuery> &q = m_prepared[sql];
    if (!q) {
        q = std::make_unique<QSqlQuery>(m_db);
        q->setForwardOnly(true);
        q->prepare(sql);
    }
    return *q;
}

Result<void> SqliteJobStore::execPrepared(const QString &sql)
{
    QSqlQuery &q = prepared(sql);
    if (!q.exec())
        return storeError(q, "transaction");
    q.finish();
    return {};
}

Result<void> SqliteJobStore::beginBatch()
{
    if (m_batchOpen)
        return {};
    auto r = execPrepared(QStringLiteral("BEGIN IMMEDIATE"));
    m_batchOpen = r.ok();
    return r;
}

Result<void> SqliteJobStore::commitBatch()
{
    if (!m_batchOpen)
        return {};
    m_batchOpen = false;
    auto r = execPrepared(QStringLiteral("COMMIT"));
    if (!r)
        execPrepared(QStringLiteral("ROLLBACK")); // the connection stays usable
    return r;
}

Result<qint64> SqliteJobStore::createRun(const RunRecord &run, const QStringList &stages)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO pipeline_run (pipeline, version, file, definition, "
                             "params, state, triggered_by, "
                             "actor, created_ms, started_ms, finished_ms, error, failed_stage) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
    if (!q.exec())
        return storeError(q, "create run");
    const qint64 id = q.lastInsertId().toLongLong();
    q.prepare(QStringLiteral(
        "INSERT INTO pipeline_stage (run_id, stage, state) VALUES (?, ?, 'pending')"));
    for (const QString &stage : stages) {
        q.addBindValue(id);
        q.addBindValue(storeText(stage));
        if (!q.exec())
            return storeError(q, "create stage");
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return id;
}

Result<void> SqliteJobStore::updateRun(const RunRecord &run)
{
    QSqlQuery &q
        = prepared(QStringLiteral("UPDATE pipeline_run SET state = ?, started_ms = ?, "
                                  "finished_ms = ?, error = ?, failed_stage = ? WHERE id = ?"));
    q.addBindValue(toString(run.state));
    q.addBindValue(run.startedMs);
    q.addBindValue(run.finishedMs);
    q.addBindValue(storeText(run.error));
    q.addBindValue(storeText(run.failedStage));
    q.addBindValue(run.id);
    if (!q.exec())
        return storeError(q, "update run");
    return {};
}

Result<void> SqliteJobStore::updateStage(const StageRecord &stage)
{
    QSqlQuery &q = prepared(StageUpdate);
    if (!execStage(q, stage))
        return storeError(q, "update stage");
    return {};
}

Result<qint64> SqliteJobStore::claimAttempt(
    const AttemptRecord &a, const StageRecord &stage, qint64 nowMs)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &leases
        = prepared(QStringLiteral("SELECT lease_owner, lease_until_ms FROM pipeline_attempt WHERE "
                                  "run_id = ? AND stage = ? AND state = 'running'"));
    leases.addBindValue(a.runId);
    leases.addBindValue(storeText(a.stage));
    if (!leases.exec())
        return storeError(leases, "claim attempt");
    while (leases.next()) {
        if (leases.value(0).toString() != a.leaseOwner && leases.value(1).toLongLong() > nowMs) {
            const Error held = makeError("pipeline.lease_held",
                QStringLiteral("run %1 stage %2 is leased by %3 until %4")
                    .arg(a.runId)
                    .arg(a.stage, leases.value(0).toString())
                    .arg(leases.value(1).toLongLong()));
            leases.finish();
            return held;
        }
    }
    leases.finish();
    QSqlQuery &q = prepared(QStringLiteral(
        "INSERT INTO pipeline_attempt (run_id, stage, attempt, state, lease_owner, "
        "lease_until_ms, schedule_delay_us, stdout_path, stderr_path, status_path, artifacts_dir) "
        "VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)"));
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
    if (!q.exec())
        return storeError(q, "claim attempt");
    const qint64 id = q.lastInsertId().toLongLong();
    QSqlQuery &update = prepared(StageUpdate);
    if (!execStage(update, stage))
        return storeError(update, "claim attempt");
    if (auto c = t.commit(); !c)
        return c.error();
    return id;
}

Result<void> SqliteJobStore::updateAttempt(const AttemptRecord &attempt)
{
    QSqlQuery &q = prepared(AttemptUpdate);
    if (!execAttemptEnd(q, attempt))
        return storeError(q, "update attempt");
    return {};
}

Result<void> SqliteJobStore::finishAttempt(
    const AttemptRecord &attempt, const StageRecord &stage, const QList<ArtifactRecord> &artifacts)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &end = prepared(AttemptUpdate);
    if (!execAttemptEnd(end, attempt))
        return storeError(end, "finish attempt");
    QSqlQuery &update = prepared(StageUpdate);
    if (!execStage(update, stage))
        return storeError(update, "finish attempt");
    if (!artifacts.isEmpty()) {
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("INSERT OR REPLACE INTO pipeline_artifact (run_id, stage, path, "
                                 "sha256, size) VALUES (?, ?, ?, ?, ?)"));
        for (const ArtifactRecord &r : artifacts) {
            q.addBindValue(r.runId);
            q.addBindValue(storeText(r.stage));
            q.addBindValue(storeText(r.path));
            q.addBindValue(storeText(r.sha256));
            q.addBindValue(r.size);
            if (!q.exec())
                return storeError(q, "record artifact");
        }
    }
    return t.commit();
}

Result<int> SqliteJobStore::renewLeases(const QString &owner, qint64 untilMs)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("UPDATE pipeline_attempt SET lease_until_ms = ? WHERE "
                             "lease_owner = ? AND state = 'running'"));
    q.addBindValue(untilMs);
    q.addBindValue(storeText(owner));
    if (!q.exec())
        return storeError(q, "renew leases");
    return q.numRowsAffected();
}

Result<bool> SqliteJobStore::takeOverAttempt(
    qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
{
    QSqlQuery &q = prepared(QStringLiteral(
        "UPDATE pipeline_attempt SET lease_owner = ?, lease_until_ms = ? WHERE id = ? AND "
        "state = 'running' AND lease_until_ms <= ?"));
    q.addBindValue(storeText(owner));
    q.addBindValue(untilMs);
    q.addBindValue(attemptId);
    q.addBindValue(nowMs);
    if (!q.exec())
        return storeError(q, "take over attempt");
    return q.numRowsAffected() == 1;
}

Result<QList<RunRecord>> SqliteJobStore::runs(const RunFilter &filter)
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
    sql += QStringLiteral(" ORDER BY id DESC LIMIT ?");
    binds.append(filter.limit > 0 ? filter.limit : -1);
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

Result<RunRecord> SqliteJobStore::run(qint64 id)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT ") + RunColumns
        + QStringLiteral(", definition FROM pipeline_run "
                         "WHERE id = ?"));
    q.addBindValue(id);
    if (!q.exec())
        return storeError(q, "read run");
    if (!q.next())
        return makeError(
            "pipeline.unknown_run", QStringLiteral("there is no run %1").arg(id), { id });
    return runOf(q, true);
}

Result<QList<StageRecord>> SqliteJobStore::stages(qint64 runId)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT stage, state, attempts, failures, next_attempt_ms FROM "
                             "pipeline_stage WHERE run_id = ?"));
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
    return list;
}

Result<QList<AttemptRecord>> SqliteJobStore::selectAttempts(
    const QString &where, const QVariant &value)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT ") + AttemptColumns
        + QStringLiteral(" FROM pipeline_attempt WHERE ") + where + QStringLiteral(" ORDER BY id"));
    if (value.isValid())
        q.addBindValue(value);
    if (!q.exec())
        return storeError(q, "read attempts");
    QList<AttemptRecord> list;
    while (q.next())
        list.append(attemptOf(q));
    return list;
}

Result<QList<AttemptRecord>> SqliteJobStore::attempts(qint64 runId)
{
    return selectAttempts(QStringLiteral("run_id = ?"), runId);
}

Result<QList<AttemptRecord>> SqliteJobStore::runningAttempts()
{
    return selectAttempts(QStringLiteral("state = 'running'"), {});
}

Result<QList<ArtifactRecord>> SqliteJobStore::artifacts(qint64 runId)
{
    QSqlQuery q(m_db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT stage, path, sha256, size FROM pipeline_artifact WHERE "
                             "run_id = ? ORDER BY stage, path"));
    q.addBindValue(runId);
    if (!q.exec())
        return storeError(q, "read artifacts");
    QList<ArtifactRecord> list;
    while (q.next())
        list.append({ runId, q.value(0).toString(), q.value(1).toString(), q.value(2).toString(),
            q.value(3).toLongLong() });
    return list;
}

Result<qint64> SqliteJobStore::lastFired(const QString &pipeline)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT last_fired_ms FROM pipeline_schedule WHERE pipeline = ?"));
    q.addBindValue(storeText(pipeline));
    if (!q.exec())
        return storeError(q, "read schedule");
    return q.next() ? q.value(0).toLongLong() : qint64(0);
}

Result<void> SqliteJobStore::setLastFired(const QString &pipeline, qint64 ms)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral(
        "INSERT OR REPLACE INTO pipeline_schedule (pipeline, last_fired_ms) VALUES (?, ?)"));
    q.addBindValue(storeText(pipeline));
    q.addBindValue(ms);
    if (!q.exec())
        return storeError(q, "write schedule");
    return {};
}

Result<bool> SqliteJobStore::claimFire(const QString &pipeline, qint64 ms)
{
    QSqlQuery &q = prepared(FireClaim);
    q.addBindValue(storeText(pipeline));
    q.addBindValue(ms);
    if (!q.exec())
        return storeError(q, "write schedule");
    return q.numRowsAffected() == 1;
}

Result<QList<qint64>> SqliteJobStore::prune(
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
    for (const char *table :
        { "pipeline_artifact", "pipeline_attempt", "pipeline_stage", "pipeline_run" }) {
        const QString column
            = qstrcmp(table, "pipeline_run") == 0 ? QStringLiteral("id") : QStringLiteral("run_id");
        q.prepare(QStringLiteral("DELETE FROM %1 WHERE %2 = ?").arg(QLatin1String(table), column));
        for (qint64 id : std::as_const(doomed)) {
            q.addBindValue(id);
            if (!q.exec())
                return storeError(q, "prune runs");
        }
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return doomed;
}

} // namespace Shivx
