#pragma once

#include "pipelines/jobstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <map>
#include <memory>

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
class PostgresJobStore final : public JobStore
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
    Result<void> updateStage(const StageRecord &stage) override;
    // Errors also pipeline.claim_stale: the stored stage is finished or has had this attempt
    // already (another engine ran it).
    Result<qint64> claimAttempt(
        const AttemptRecord &attempt, const StageRecord &stage, qint64 nowMs) override;
    Result<void> updateAttempt(const AttemptRecord &attempt) override;
    Result<void> finishAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        const QList<ArtifactRecord> &artifacts) override;
    Result<int> renewLeases(const QString &owner, qint64 untilMs) override;
    Result<bool> takeOverAttempt(
        qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs) override;
    bool shared() const override { return true; }
    Result<QList<RunRecord>> runs(const RunFilter &filter) override;
    Result<RunRecord> run(qint64 id) override;
    Result<QList<StageRecord>> stages(qint64 runId) override;
    Result<QList<AttemptRecord>> attempts(qint64 runId) override;
    Result<QList<AttemptRecord>> runningAttempts() override;
    Result<QList<ArtifactRecord>> artifacts(qint64 runId) override;
    Result<qint64> lastFired(const QString &pipeline) override;
    Result<void> setLastFired(const QString &pipeline, qint64 ms) override;
    Result<bool> claimFire(const QString &pipeline, qint64 ms) override;
    Result<QList<qint64>> prune(
        const QString &pipeline, int keepRuns, qint64 createdBeforeMs) override;

    // The schema steps applied, newest last (tests, diagnostics).
    Result<QList<int>> schemaSteps();

private:
    class WriteScope;
    PostgresJobStore(QSqlDatabase db, QString connectionName);
    Result<void> migrate();
    Result<QList<AttemptRecord>> selectAttempts(const QString &where, const QVariant &value);
    // The statement `sql`, prepared once per store (the runner repeats a few statements).
    QSqlQuery &prepared(const QString &sql);
    // BEGIN, COMMIT, SAVEPOINT...: run unprepared.
    Result<void> execControl(const QString &sql);

    QSqlDatabase m_db;
    QString m_connection;
    bool m_batchOpen = false;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_prepared;
    std::unique_ptr<QSqlQuery> m_control;
};

} // namespace Shivx
