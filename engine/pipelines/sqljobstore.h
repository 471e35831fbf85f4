#pragma once

#include "pipelines/jobstore.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QVariant>

#include <functional>
#include <map>
#include <memory>

namespace Shivx {

// What the SQLite and the PostgreSQL job stores share: the connection, its cache of prepared
// statements, and the reads, which are the same statements over the same row mapping
// (jobstorerows.h). Same thread rule as the stores.
class SqlJobStore : public JobStore
{
public:
    Result<QList<RunRecord>> runs(const RunFilter &filter) override;
    Result<RunRecord> run(qint64 id) override;
    Result<QList<StageRecord>> stages(qint64 runId) override;
    Result<QList<AttemptRecord>> attempts(qint64 runId) override;
    Result<QList<AttemptRecord>> runningAttempts() override;
    Result<QList<ArtifactRecord>> artifacts(qint64 runId) override;
    Result<qint64> lastFired(const QString &pipeline) override;

protected:
    explicit SqlJobStore(QSqlDatabase db);
    // The statement `sql`, prepared once per store: the runner's writes are few statements
    // run thousands of times, and preparing cost more than running them.
    QSqlQuery &prepared(const QString &sql);
    // Before the connection closes or is opened again: prepared statements belong to it.
    void clearPrepared() { m_prepared.clear(); }
    // What LIMIT binds for "no limit": SQLite -1, PostgreSQL NULL.
    virtual QVariant noLimit() const = 0;
    // After a failed read: true when the connection had gone and is back, so the read is worth
    // one more try (a PostgreSQL server restarted). A SQLite file does not go away.
    virtual bool reconnectForRead() { return false; }
    template <class T> Result<T> read(const std::function<Result<T>()> &op)
    {
        Result<T> r = op();
        if (!r && reconnectForRead())
            return op();
        return r;
    }

    QSqlDatabase m_db;

private:
    std::map<QString, std::unique_ptr<QSqlQuery>> m_prepared;
};

} // namespace Shivx
