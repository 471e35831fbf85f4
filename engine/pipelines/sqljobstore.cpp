#include "pipelines/sqljobstore.h"

#include "pipelines/jobstorerows.h"

namespace Shivx {

using namespace Internal;

SqlJobStore::SqlJobStore(QSqlDatabase db)
    : m_db(std::move(db))
{
}

QSqlQuery &SqlJobStore::prepared(const QString &sql)
{
    std::unique_ptr<QSqlQuery> &q = m_prepared[sql];
    if (!q) {
        q = std::make_unique<QSqlQuery>(m_db);
        q->setForwardOnly(true);
        q->prepare(sql);
    }
    return *q;
}

Result<QList<RunRecord>> SqlJobStore::runs(const RunFilter &filter)
{
    return read<QList<RunRecord>>([&] {
        QVariantList binds;
        QSqlQuery q(m_db); // filters vary: not worth a prepared statement each
        q.setForwardOnly(true);
        q.prepare(runsQuery(filter, noLimit(), &binds));
        return readRuns(q, binds, filter.withDefinition);
    });
}

Result<RunRecord> SqlJobStore::run(qint64 id)
{
    return read<RunRecord>([&] { return readRun(prepared(RunSelect), id); });
}

Result<QList<StageRecord>> SqlJobStore::stages(qint64 runId)
{
    return read<QList<StageRecord>>([&] { return readStages(prepared(StageSelect), runId); });
}

Result<QList<AttemptRecord>> SqlJobStore::attempts(qint64 runId)
{
    return read<QList<AttemptRecord>>(
        [&] { return readAttempts(prepared(attemptSelect(QStringLiteral("run_id = ?"))), runId); });
}

Result<QList<AttemptRecord>> SqlJobStore::runningAttempts()
{
    return read<QList<AttemptRecord>>([&] {
        return readAttempts(prepared(attemptSelect(QStringLiteral("state = 'running'"))), {});
    });
}

Result<QList<ArtifactRecord>> SqlJobStore::artifacts(qint64 runId)
{
    return read<QList<ArtifactRecord>>(
        [&] { return readArtifacts(prepared(ArtifactSelect), runId); });
}

Result<qint64> SqlJobStore::lastFired(const QString &pipeline)
{
    return read<qint64>([&] { return readLastFired(prepared(LastFiredSelect), pipeline); });
}

} // namespace Shivx
