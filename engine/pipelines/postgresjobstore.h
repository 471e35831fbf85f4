#pragma once

#include "pipelines/sqljobstore.h"

#include <functional>
#include <memory>
#include <vector>

namespace Shivx {

// Where a PostgreSQL job store is: `pipelines.store` parsed (docs/pipelines.md, "Several
// engines"). postgresql://[USER[:PASSWORD]@][HOST][:PORT]/DATABASE[?host=SOCKET_DIR], the
// libpq URL form: an absolute `host` query parameter is a Unix socket folder.
struct PostgresLocation
{
    QString host; // a host name, or a socket folder (absolute path)
    int port = 5432;
    QString user;
    QString password;
    QString database;

    // Errors: pipeline.store_url, naming what is wrong (never the password).
    static Result<PostgresLocation> parse(const QString &url);
};

// The job store in a PostgreSQL database that several engines share (tables pipeline_*, its
// own schema steps in pipeline_schema_version). claimAttempt() locks the stage's row with
// FOR UPDATE SKIP LOCKED, so of two engines claiming one stage at once exactly one gets it,
// and it refuses a stage whose stored state shows that another engine took it since this one
// last looked; leases of an engine that stopped renewing them expire and are taken over.
//
// Opens its own connection, named `connectionName`, on the thread that creates it and must be
// used and destroyed there (Qt's rule for QSqlDatabase).
class PostgresJobStore final : public SqlJobStore
{
public:
    // Connects and brings the schema up to date. Errors: pipeline.store (the QPSQL driver
    // missing, the server unreachable, a migration failing), naming the server.
    static Result<std::unique_ptr<PostgresJobStore>> open(
        const PostgresLocation &where, const QString &connectionName);
    ~PostgresJobStore() override;

    Result<void> beginBatch() override;
    Result<void> commitBatch() override;
    Result<qint64> createRun(const RunRecord &run, const QStringList &stages) override;
    Result<void> updateRun(const RunRecord &run) override;
    Result<bool> finishRun(const RunRecord &run) override;
    Result<bool> activateRun(const RunRecord &run, int maxActive) override;
    Result<void> updateStage(const StageRecord &stage) override;
    // Errors also pipeline.claim_stale: the stored stage is finished or has had this attempt
    // already (another engine ran it).
    Result<qint64> claimAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        qint64 nowMs, const ClaimLimit &limit = {}) override;
    Result<void> updateAttempt(const AttemptRecord &attempt) override;
    Result<void> finishAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        const QList<ArtifactRecord> &artifacts) override;
    Result<int> renewLeases(const QString &owner, qint64 untilMs) override;
    Result<bool> takeOverAttempt(
        qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs) override;
    bool shared() const override { return true; }
    // LISTEN on the channel the schema's triggers notify (step 2), again after each reconnect.
    void setChangeListener(std::function<void()> changed) override;
    Result<void> setLastFired(const QString &pipeline, qint64 ms) override;
    Result<bool> claimFire(const QString &pipeline, qint64 ms) override;
    Result<QList<qint64>> prune(
        const QString &pipeline, int keepRuns, qint64 createdBeforeMs) override;

    // The schema steps applied, newest last (tests, diagnostics).
    Result<QList<int>> schemaSteps();

private:
    class WriteScope;
    QVariant noLimit() const override;
    bool reconnectForRead() override;
    PostgresJobStore(QSqlDatabase db, QString connectionName);
    Result<void> migrate();
    // BEGIN, COMMIT, SAVEPOINT...: run unprepared.
    Result<void> execControl(const QString &sql);

    // Reconnection (postgresreconnect.cpp). The writes above, each tried once; the public
    // ones run them through write() and journal() them.
    Result<qint64> createRunOnce(const RunRecord &run, const QStringList &stages);
    Result<void> updateRunOnce(const RunRecord &run);
    Result<bool> finishRunOnce(const RunRecord &run);
    Result<bool> activateRunOnce(const RunRecord &run, int maxActive);
    Result<void> updateStageOnce(const StageRecord &stage);
    Result<qint64> claimAttemptOnce(const AttemptRecord &attempt, const StageRecord &stage,
        qint64 nowMs, const ClaimLimit &limit);
    // A transaction-scoped advisory lock on `what` of `pipeline` (one engine at a time
    // decides its claims or its runs' starts); false when another engine holds it.
    Result<bool> tryLockPipeline(const QString &what, const QString &pipeline);
    // The claim's check of the pipeline's concurrency across engines.
    Result<void> checkConcurrency(const AttemptRecord &a, const ClaimLimit &limit, qint64 nowMs);
    Result<void> updateAttemptOnce(const AttemptRecord &attempt);
    Result<void> finishAttemptOnce(const AttemptRecord &attempt, const StageRecord &stage,
        const QList<ArtifactRecord> &artifacts);
    Result<int> renewLeasesOnce(const QString &owner, qint64 untilMs);
    Result<bool> takeOverAttemptOnce(
        qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs);
    Result<void> setLastFiredOnce(const QString &pipeline, qint64 ms);
    Result<bool> claimFireOnce(const QString &pipeline, qint64 ms);
    Result<QList<qint64>> pruneOnce(const QString &pipeline, int keepRuns, qint64 createdBeforeMs);
    // Runs one write; when it failed because the connection is gone, reconnects (replaying
    // the open batch) and runs it once more.
    template <class T> Result<T> write(const std::function<Result<T>()> &op);
    // Keeps a write of the open batch, to be replayed if the connection drops before COMMIT.
    void journal(std::function<Result<void>()> replay);
    // After a failed statement: whether the connection is gone (a probe fails too).
    bool connectionLost();
    // Opens the connection again; with a batch open, begins it again and replays its writes.
    Result<void> reconnect();
    // LISTEN on the current connection and pass other engines' notifications to m_changed.
    void watchNotifications();

    QString m_connection;
    bool m_batchOpen = false;
    std::unique_ptr<QSqlQuery> m_control;
    // The open batch's writes, in order: replayed in a new transaction after a reconnect, so
    // that a connection that drops before COMMIT loses nothing. Kept while the server is away.
    std::vector<std::function<Result<void>()>> m_journal;
    bool m_replaying = false;
    bool m_lost = false; // the last reconnect failed: writes are journaled for later
    qint64 m_replayId = 0; // createRun/claimAttempt replayed: insert with this id
    std::function<void()> m_changed;
};

} // namespace Shivx
