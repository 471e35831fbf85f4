#pragma once

#include "pipelines/jobstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>

#include <map>
#include <memory>

namespace Shivx {

// The job store in the engine's SQLite database (tables pipeline_*, docs/storage.md). Opens
// its own connection, named `connectionName`, on the thread that creates it and must be used
// and destroyed there.
class SqliteJobStore final : public JobStore
{
public:
    // Errors: those of Database::open (the file, its schema).
    static Result<std::unique_ptr<SqliteJobStore>> open(
        const QString &databasePath, const QString &connectionName);
    ~SqliteJobStore() override;

    Result<void> beginBatch() override;
    Result<void> commitBatch() override;
    Result<qint64> createRun(const RunRecord &run, const QStringList &stages) override;
    Result<void> updateRun(const RunRecord &run) override;
    Result<void> updateStage(const StageRecord &stage) override;
    Result<qint64> claimAttempt(
        const AttemptRecord &attempt, const StageRecord &stage, qint64 nowMs) override;
    Result<void> updateAttempt(const AttemptRecord &attempt) override;
    Result<void> finishAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        const QList<ArtifactRecord> &artifacts) override;
    Result<int> renewLeases(const QString &owner, qint64 untilMs) override;
    Result<bool> takeOverAttempt(
        qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs) override;
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

private:
    class WriteScope;
    SqliteJobStore(QSqlDatabase db, QString connectionName);
    Result<QList<AttemptRecord>> selectAttempts(const QString &where, const QVariant &value);
    // The statement `sql`, prepared once per store: the runner's writes are few statements
    // run thousands of times, and preparing cost more than running them.
    QSqlQuery &prepared(const QString &sql);
    Result<void> execPrepared(const QString &sql);

    QSqlDatabase m_db;
    QString m_connection;
    bool m_batchOpen = false;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_prepared;
};

} // namespace Shivx
