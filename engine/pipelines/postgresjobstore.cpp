#include "pipelines/postgresjobstore.h"

#include "pipelines/jobstorerows.h"
#include "pipelines/postgreswritescope.h"

#include <QSqlError>
#include <QVariant>

namespace Shivx {

using namespace Internal;

namespace {

// `insert` with the id column first (bound before the others), returning it: a write
// replayed after a reconnect keeps the id the runner already holds (a sequence never hands
// it out twice).
QString withId(const QString &insert)
{
    QString sql = insert;
    sql.insert(sql.indexOf(QLatin1Char('(')) + 1, QStringLiteral("id, "));
    sql.insert(sql.indexOf(QLatin1String("VALUES (")) + 8, QStringLiteral("?, "));
    return sql + QStringLiteral(" RETURNING id");
}

} // namespace

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
    : SqlJobStore(std::move(db))
    , m_connection(std::move(connectionName))
{
}

PostgresJobStore::~PostgresJobStore()
{
    setChangeListener({});
    commitBatch();
    clearPrepared();
    m_control.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connection);
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

Result<qint64> PostgresJobStore::createRunOnce(const RunRecord &run, const QStringList &stages)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(
        m_replayId != 0 ? withId(RunInsert) : RunInsert + QStringLiteral(" RETURNING id"));
    if (m_replayId != 0)
        q.addBindValue(m_replayId);
    if (!execRunInsert(q, run) || !q.next())
        return storeError(q, "create run");
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    QSqlQuery &s = prepared(StageInsert);
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

Result<void> PostgresJobStore::updateRunOnce(const RunRecord &run)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    if (QSqlQuery &q = prepared(RunUpdate); !execRunUpdate(q, run))
        return storeError(q, "update run");
    return t.commit();
}

Result<bool> PostgresJobStore::activateRunOnce(const RunRecord &run, int maxActive)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    // One engine at a time counts and activates for a pipeline, until its transaction ends:
    // two engines activating at once would each see room for one more run. An engine that
    // finds another deciding tries again later rather than wait for its batch.
    const auto mine = tryLockPipeline(QStringLiteral("runs"), run.pipeline);
    if (!mine)
        return mine.error();
    if (!*mine)
        return makeError("pipeline.lease_held",
            QStringLiteral("run %1: another engine is starting a run of pipeline %2")
                .arg(run.id)
                .arg(run.pipeline));
    QSqlQuery &count = prepared(QStringLiteral("SELECT count(*) FROM pipeline_run WHERE pipeline "
                                               "= ? AND state = 'running' AND id <> ?"));
    count.addBindValue(storeText(run.pipeline));
    count.addBindValue(run.id);
    if (!count.exec() || !count.next())
        return storeError(count, "activate run");
    const int active = count.value(0).toInt();
    count.finish();
    if (active >= maxActive)
        return false;
    // Only a run still queued (or already activated by another engine) becomes running.
    QSqlQuery &q = prepared(RunUpdate + QStringLiteral(" AND state IN ('queued', 'running')"));
    if (!execRunUpdate(q, run))
        return storeError(q, "activate run");
    const bool activated = q.numRowsAffected() == 1;
    if (auto c = t.commit(); !c)
        return c.error();
    return activated;
}

Result<bool> PostgresJobStore::finishRunOnce(const RunRecord &run)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    // Of two engines ending the run at once, the row lock lets one through; the other's
    // condition is then evaluated against the ended row (0 rows).
    QSqlQuery &q = prepared(RunEnd);
    if (!execRunUpdate(q, run))
        return storeError(q, "finish run");
    const bool ended = q.numRowsAffected() == 1;
    if (auto c = t.commit(); !c)
        return c.error();
    return ended;
}

Result<void> PostgresJobStore::updateStageOnce(const StageRecord &stage)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    if (QSqlQuery &q = prepared(StageUpdate); !execStage(q, stage))
        return storeError(q, "update stage");
    return t.commit();
}

Result<bool> PostgresJobStore::tryLockPipeline(const QString &what, const QString &pipeline)
{
    // Transaction-scoped, so it ends with the batch; never waited for.
    QSqlQuery &gate = prepared(
        QStringLiteral("SELECT pg_try_advisory_xact_lock(hashtext('shivx.' || ? || '.' || ?))"));
    gate.addBindValue(what);
    gate.addBindValue(storeText(pipeline));
    if (!gate.exec() || !gate.next())
        return storeError(gate, "lock a pipeline");
    const bool mine = gate.value(0).toBool();
    gate.finish();
    return mine;
}

Result<void> PostgresJobStore::checkConcurrency(
    const AttemptRecord &a, const ClaimLimit &limit, qint64 nowMs)
{
    // One engine at a time counts and claims for a pipeline, until its transaction ends (the
    // runner's batch): two engines counting at once would each see room for one more. An
    // engine that finds the pipeline taken moves on, as with a locked stage.
    const auto mine = tryLockPipeline(QStringLiteral("pipeline"), limit.pipeline);
    if (!mine)
        return mine.error();
    if (!*mine)
        return makeError("pipeline.lease_held",
            QStringLiteral("run %1 stage %2: another engine is claiming a stage of pipeline %3")
                .arg(a.runId)
                .arg(a.stage, limit.pipeline));
    // Attempts under a live lease, whichever engine runs them; a dead engine's stop counting
    // once their leases expire.
    QSqlQuery &count = prepared(QStringLiteral(
        "SELECT count(*) FROM pipeline_attempt a JOIN pipeline_run r ON r.id = a.run_id WHERE "
        "r.pipeline = ? AND a.state = 'running' AND a.lease_until_ms > ?"));
    count.addBindValue(storeText(limit.pipeline));
    count.addBindValue(nowMs);
    if (!count.exec() || !count.next())
        return storeError(count, "claim attempt");
    const int running = count.value(0).toInt();
    count.finish();
    if (running >= limit.concurrency)
        return makeError("pipeline.concurrency_full",
            QStringLiteral("run %1 stage %2 waits: %3 attempt(s) of pipeline %4 run on all "
                           "engines, its concurrency is %5")
                .arg(a.runId)
                .arg(a.stage)
                .arg(running)
                .arg(limit.pipeline)
                .arg(limit.concurrency));
    return {};
}

Result<qint64> PostgresJobStore::claimAttemptOnce(
    const AttemptRecord &a, const StageRecord &stage, qint64 nowMs, const ClaimLimit &limit)
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
        const Error held = leaseHeld(a, leases);
        leases.finish();
        return held;
    }
    leases.finish();
    if (limit.concurrency > 0) {
        if (auto full = checkConcurrency(a, limit, nowMs); !full)
            return full.error();
    }
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
    QSqlQuery &q = prepared(
        m_replayId != 0 ? withId(AttemptInsert) : AttemptInsert + QStringLiteral(" RETURNING id"));
    if (m_replayId != 0)
        q.addBindValue(m_replayId);
    if (!execAttemptInsert(q, a) || !q.next())
        return storeError(q, "claim attempt");
    const qint64 id = q.value(0).toLongLong();
    q.finish();
    if (QSqlQuery &update = prepared(StageUpdate); !execStage(update, stage))
        return storeError(update, "claim attempt");
    if (auto c = t.commit(); !c)
        return c.error();
    return id;
}

Result<void> PostgresJobStore::updateAttemptOnce(const AttemptRecord &attempt)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    if (QSqlQuery &q = prepared(AttemptUpdate); !execAttemptEnd(q, attempt))
        return storeError(q, "update attempt");
    return t.commit();
}

Result<void> PostgresJobStore::finishAttemptOnce(
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
    for (const ArtifactRecord &r : artifacts)
        if (!execArtifact(q, r))
            return storeError(q, "record artifact");
    return t.commit();
}

Result<int> PostgresJobStore::renewLeasesOnce(const QString &owner, qint64 untilMs)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(LeaseRenewal);
    if (!execLeaseRenewal(q, owner, untilMs))
        return storeError(q, "renew leases");
    const int renewed = q.numRowsAffected();
    if (auto c = t.commit(); !c)
        return c.error();
    return renewed;
}

Result<bool> PostgresJobStore::takeOverAttemptOnce(
    qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    // One conditional UPDATE: of two engines taking the same attempt over, the row lock lets
    // one through and the other then finds the lease renewed (0 rows).
    QSqlQuery &q = prepared(TakeOver);
    if (!execTakeOver(q, attemptId, owner, nowMs, untilMs))
        return storeError(q, "take over attempt");
    const bool taken = q.numRowsAffected() == 1;
    if (auto c = t.commit(); !c)
        return c.error();
    return taken;
}

} // namespace Shivx
