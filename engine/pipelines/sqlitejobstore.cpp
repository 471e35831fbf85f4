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
    : SqlJobStore(std::move(db))
    , m_connection(std::move(connectionName))
{
}

SqliteJobStore::~SqliteJobStore()
{
    commitBatch();
    clearPrepared();
    m_db = QSqlDatabase();
    Database::close(m_connection);
}

QVariant SqliteJobStore::noLimit() const
{
    return -1;
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
    QSqlQuery &q = prepared(RunInsert);
    if (!execRunInsert(q, run))
        return storeError(q, "create run");
    const qint64 id = q.lastInsertId().toLongLong();
    QSqlQuery &insert = prepared(StageInsert);
    for (const QString &stage : stages) {
        insert.addBindValue(id);
        insert.addBindValue(storeText(stage));
        if (!insert.exec())
            return storeError(insert, "create stage");
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return id;
}

Result<void> SqliteJobStore::updateRun(const RunRecord &run)
{
    if (QSqlQuery &q = prepared(RunUpdate); !execRunUpdate(q, run))
        return storeError(q, "update run");
    return {};
}

Result<bool> SqliteJobStore::finishRun(const RunRecord &run)
{
    QSqlQuery &q = prepared(RunEnd);
    if (!execRunUpdate(q, run))
        return storeError(q, "finish run");
    return q.numRowsAffected() == 1;
}

Result<void> SqliteJobStore::updateStage(const StageRecord &stage)
{
    QSqlQuery &q = prepared(StageUpdate);
    if (!execStage(q, stage))
        return storeError(q, "update stage");
    return {};
}

Result<qint64> SqliteJobStore::claimAttempt(
    const AttemptRecord &a, const StageRecord &stage, qint64 nowMs, const ClaimLimit &)
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
            const Error held = leaseHeld(a, leases);
            leases.finish();
            return held;
        }
    }
    leases.finish();
    QSqlQuery &q = prepared(AttemptInsert);
    if (!execAttemptInsert(q, a))
        return storeError(q, "claim attempt");
    const qint64 id = q.lastInsertId().toLongLong();
    if (QSqlQuery &update = prepared(StageUpdate); !execStage(update, stage))
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
        QSqlQuery &q = prepared(QStringLiteral("INSERT OR REPLACE INTO pipeline_artifact "
                                               "(run_id, stage, path, sha256, size) VALUES "
                                               "(?, ?, ?, ?, ?)"));
        for (const ArtifactRecord &r : artifacts)
            if (!execArtifact(q, r))
                return storeError(q, "record artifact");
    }
    return t.commit();
}

Result<int> SqliteJobStore::renewLeases(const QString &owner, qint64 untilMs)
{
    QSqlQuery &q = prepared(LeaseRenewal);
    if (!execLeaseRenewal(q, owner, untilMs))
        return storeError(q, "renew leases");
    return q.numRowsAffected();
}

Result<bool> SqliteJobStore::takeOverAttempt(
    qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
{
    QSqlQuery &q = prepared(TakeOver);
    if (!execTakeOver(q, attemptId, owner, nowMs, untilMs))
        return storeError(q, "take over attempt");
    return q.numRowsAffected() == 1;
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
    const auto candidates
        = readPruneCandidates(prepared(PruneCandidates), pipeline, keepRuns, createdBeforeMs);
    if (!candidates || candidates->isEmpty())
        return candidates;
    const QList<qint64> doomed = *candidates;
    QSqlQuery q(m_db);
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
