#include "pipelines/postgresjobstore.h"

#include "pipelines/jobstorerows.h"
#include "pipelines/postgreswritescope.h"

#include <QSqlError>
#include <QVariant>

namespace Shivx {

using namespace Internal;

Result<std::unique_ptr<PostgresJobStore>> PostgresJobStore::open(
    const PostgresLocation &where, const QString &connectionName)
{
    const QString server = QStringLiteral("%1@%2:%3/%4")
                               .arg(where.user, where.host)
                               .arg(where.port)
                               .arg(where.database);
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return makeError("pipeline.store",
            QStringLiteral("job store %1: Qt's PostgreSQL driver (QPSQL) is not installed; on "
                           "Debian it is the package libqt6sql6-psql")
                .arg(server));
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connectionName);
    db.setHostName(where.host);
    db.setPort(where.port);
    db.setUserName(where.user);
    db.setPassword(where.password);
    db.setDatabaseName(where.database);
    // A server that does not answer must fail the engine's start, not hang it.
    db.setConnectOptions(QStringLiteral("connect_timeout=10;application_name=shivx"));
    if (!db.open()) {
        const QString why = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return makeError("pipeline.store",
            QStringLiteral("job store %1: cannot connect: %2").arg(server, why.trimmed()));
    }
    std::unique_ptr<PostgresJobStore> store(new PostgresJobStore(db, connectionName));
    db = QSqlDatabase(); // the store's copy is the last, so that its destructor can remove it
    if (auto m = store->migrate(); !m)
        return makeError(
            "pipeline.store", QStringLiteral("%1 (%2)").arg(m.error().message, server));
    return store;
}

PostgresJobStore::PostgresJobStore(QSqlDatabase db, QString connectionName)
    : m_db(std::move(db))
    , m_connection(std::move(connectionName))
{
}

PostgresJobStore::~PostgresJobStore()
{
    commitBatch();
    m_prepared.clear();
    m_control.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlQuery &PostgresJobStore::prepared(const QString &sql)
{
    std::unique_ptr<QSqlQuery> &q = m_prepared[sql];
    if (!q) {
        q = std::make_unique<QSqlQuery>(m_db);
        q->setForwardOnly(true);
        q->prepare(sql);
    }
    return *q;
}

Result<void> PostgresJobStore::execControl(const QString &sql)
{
    // Transaction control cannot be a prepared statement in PostgreSQL (QPSQL prepares with
    // PREPARE ... AS): these few statements run as plain text, on one reused query object.
    if (!m_control) {
        m_control = std::make_unique<QSqlQuery>(m_db);
        m_control->setForwardOnly(true);
    }
    if (!m_control->exec(sql))
        return storeError(*m_control, "transaction");
    m_control->finish();
    return {};
}

Result<void> PostgresJobStore::beginBatch()
{
    if (m_batchOpen)
        return {};
    auto r = execControl(QStringLiteral("BEGIN"));
    m_batchOpen = r.ok();
    return r;
}

Result<void> PostgresJobStore::commitBatch()
{
    if (!m_batchOpen)
        return {};
    m_batchOpen = false;
    auto r = execControl(QStringLiteral("COMMIT"));
    if (!r)
        execControl(QStringLiteral("ROLLBACK")); // the connection stays usable
    return r;
}

Result<qint64> PostgresJobStore::createRun(const RunRecord &run, const QStringList &stages)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(QStringLiteral(
        "INSERT INTO pipeline_run (pipeline, version, file, definition, params, "
        "state, triggered_by, actor, created_ms, started_ms, finished_ms, error, "
        "failed_stage) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
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
    if (!q.exec() || !q.next())
        return storeError(q, "create run");
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    QSqlQuery &s = prepared(QStringLiteral(
        "INSERT INTO pipeline_stage (run_id, stage, state) VALUES (?, ?, 'pending')"));
    for (const QString &stage : stages) {
        s.addBindValue(id);
        s.addBindValue(storeText(stage));
        if (!s.exec())
            return storeError(s, "create stage");
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return id;
}

Result<void> PostgresJobStore::updateRun(const RunRecord &run)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
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
    return t.commit();
}

Result<void> PostgresJobStore::updateStage(const StageRecord &stage)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    if (QSqlQuery &q = prepared(StageUpdate); !execStage(q, stage))
        return storeError(q, "update stage");
    return t.commit();
}

Result<qint64> PostgresJobStore::claimAttempt(
    const AttemptRecord &a, const StageRecord &stage, qint64 nowMs)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    // The stage's row is the claim's lock: an engine claiming it right now holds it, and
    // this one moves on instead of waiting (SKIP LOCKED).
    QSqlQuery &lock = prepared(QStringLiteral("SELECT state, attempts FROM pipeline_stage WHERE "
                                              "run_id = ? AND stage = ? FOR UPDATE SKIP LOCKED"));
    lock.addBindValue(a.runId);
    lock.addBindValue(storeText(a.stage));
    if (!lock.exec())
        return storeError(lock, "claim attempt");
    if (!lock.next())
        return makeError("pipeline.lease_held",
            QStringLiteral("run %1 stage %2 is being claimed by another engine (or is not stored)")
                .arg(a.runId)
                .arg(a.stage));
    StageState stored = StageState::Pending;
    parseStageState(lock.value(0).toString(), &stored);
    const int storedAttempts = lock.value(1).toInt();
    lock.finish();
    if (isFinished(stored) || storedAttempts >= a.attempt)
        return makeError("pipeline.claim_stale",
            QStringLiteral("run %1 stage %2 is %3 with %4 attempts in the store; attempt %5 is "
                           "not this engine's to start")
                .arg(a.runId)
                .arg(a.stage, toString(stored))
                .arg(storedAttempts)
                .arg(a.attempt));
    QSqlQuery &leases = prepared(QStringLiteral(
        "SELECT lease_owner, lease_until_ms FROM pipeline_attempt WHERE run_id = ? AND stage = ? "
        "AND state = 'running' AND lease_owner <> ? AND lease_until_ms > ?"));
    leases.addBindValue(a.runId);
    leases.addBindValue(storeText(a.stage));
    leases.addBindValue(storeText(a.leaseOwner));
    leases.addBindValue(nowMs);
    if (!leases.exec())
        return storeError(leases, "claim attempt");
    if (leases.next()) {
        const Error held = makeError("pipeline.lease_held",
            QStringLiteral("run %1 stage %2 is leased by %3 until %4")
                .arg(a.runId)
                .arg(a.stage, leases.value(0).toString())
                .arg(leases.value(1).toLongLong()));
        leases.finish();
        return held;
    }
    leases.finish();
    // Attempts whose lease expired belong to an engine that stopped renewing them: they end
    // here, so that only the new attempt is running.
    QSqlQuery &expire = prepared(QStringLiteral(
        "UPDATE pipeline_attempt SET state = 'interrupted', finished_ms = ?, error = ? WHERE "
        "run_id = ? AND stage = ? AND state = 'running' AND lease_owner <> ?"));
    expire.addBindValue(nowMs);
    expire.addBindValue(QStringLiteral("lease expired; taken over by %1").arg(a.leaseOwner));
    expire.addBindValue(a.runId);
    expire.addBindValue(storeText(a.stage));
    expire.addBindValue(storeText(a.leaseOwner));
    if (!expire.exec())
        return storeError(expire, "claim attempt");
    QSqlQuery &q = prepared(QStringLiteral(
        "INSERT INTO pipeline_attempt (run_id, stage, attempt, state, lease_owner, "
        "lease_until_ms, schedule_delay_us, stdout_path, stderr_path, status_path, artifacts_dir) "
        "VALUES (?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?) RETURNING id"));
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
    if (!q.exec() || !q.next())
        return storeError(q, "claim attempt");
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    if (QSqlQuery &update = prepared(StageUpdate); !execStage(update, stage))
        return storeError(update, "claim attempt");
    if (auto c = t.commit(); !c)
        return c.error();
    return id;
}

Result<void> PostgresJobStore::updateAttempt(const AttemptRecord &attempt)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    if (QSqlQuery &q = prepared(AttemptUpdate); !execAttemptEnd(q, attempt))
        return storeError(q, "update attempt");
    return t.commit();
}

Result<void> PostgresJobStore::finishAttempt(
    const AttemptRecord &attempt, const StageRecord &stage, const QList<ArtifactRecord> &artifacts)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    if (QSqlQuery &end = prepared(AttemptUpdate); !execAttemptEnd(end, attempt))
        return storeError(end, "finish attempt");
    if (QSqlQuery &update = prepared(StageUpdate); !execStage(update, stage))
        return storeError(update, "finish attempt");
    QSqlQuery &q = prepared(QStringLiteral(
        "INSERT INTO pipeline_artifact (run_id, stage, path, sha256, size) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (run_id, stage, path) DO UPDATE SET sha256 = EXCLUDED.sha256, "
        "size = EXCLUDED.size"));
    for (const ArtifactRecord &r : artifacts) {
        q.addBindValue(r.runId);
        q.addBindValue(storeText(r.stage));
        q.addBindValue(storeText(r.path));
        q.addBindValue(storeText(r.sha256));
        q.addBindValue(r.size);
        if (!q.exec())
            return storeError(q, "record artifact");
    }
    return t.commit();
}

Result<int> PostgresJobStore::renewLeases(const QString &owner, qint64 untilMs)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(QStringLiteral("UPDATE pipeline_attempt SET lease_until_ms = ? WHERE "
                                           "lease_owner = ? AND state = 'running'"));
    q.addBindValue(untilMs);
    q.addBindValue(storeText(owner));
    if (!q.exec())
        return storeError(q, "renew leases");
    const int renewed = q.numRowsAffected();
    if (auto c = t.commit(); !c)
        return c.error();
    return renewed;
}

Result<bool> PostgresJobStore::takeOverAttempt(
    qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    // One conditional UPDATE: of two engines taking the same attempt over, the row lock lets
    // one through and the other then finds the lease renewed (0 rows).
    QSqlQuery &q = prepared(QStringLiteral(
        "UPDATE pipeline_attempt SET lease_owner = ?, lease_until_ms = ? WHERE id = ? AND "
        "state = 'running' AND lease_until_ms <= ?"));
    q.addBindValue(storeText(owner));
    q.addBindValue(untilMs);
    q.addBindValue(attemptId);
    q.addBindValue(nowMs);
    if (!q.exec())
        return storeError(q, "take over attempt");
    const bool taken = q.numRowsAffected() == 1;
    if (auto c = t.commit(); !c)
        return c.error();
    return taken;
}

} // namespace Shivx
