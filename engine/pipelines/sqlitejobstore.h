#pragma once

#include "pipelines/sqljobstore.h"

#include <memory>

namespace Shivx {

// The job store in the engine's SQLite database (tables pipeline_*, docs/storage.md). Opens
// its own connection, named `connectionName`, on the thread that creates it and must be used
// and destroyed there.
class SqliteJobStore final : public SqlJobStore
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
    Result<bool> finishRun(const RunRecord &run) override;
    Result<void> updateStage(const StageRecord &stage) override;
    Result<qint64> claimAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        qint64 nowMs, const ClaimLimit &limit = {}) override;
    Result<void> updateAttempt(const AttemptRecord &attempt) override;
    Result<void> finishAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        const QList<ArtifactRecord> &artifacts) override;
    Result<int> renewLeases(const QString &owner, qint64 untilMs) override;
    Result<bool> takeOverAttempt(
        qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs) override;
    Result<void> setLastFired(const QString &pipeline, qint64 ms) override;
    Result<bool> claimFire(const QString &pipeline, qint64 ms) override;
    Result<QList<qint64>> prune(
        const QString &pipeline, int keepRuns, qint64 createdBeforeMs) override;

private:
    class WriteScope;
    QVariant noLimit() const override;
    SqliteJobStore(QSqlDatabase db, QString connectionName);
    Result<void> execPrepared(const QString &sql);

    QString m_connection;
    bool m_batchOpen = false;
};

} // namespace Shivx
