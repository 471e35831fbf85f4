// PostgresJobStore: the scheduler's memory and retention (the reads are SqlJobStore's).

#include "pipelines/jobstorerows.h"
#include "pipelines/postgresjobstore.h"
#include "pipelines/postgreswritescope.h"

#include <QSqlError>
#include <QVariant>

namespace Shivx {

using namespace Internal;

QVariant PostgresJobStore::noLimit() const
{
    return QVariant(QMetaType(QMetaType::Int)); // NULL
}

Result<void> PostgresJobStore::setLastFiredOnce(const QString &pipeline, qint64 ms)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(QStringLiteral(
        "INSERT INTO pipeline_schedule (pipeline, last_fired_ms) VALUES (?, ?) ON CONFLICT "
        "(pipeline) DO UPDATE SET last_fired_ms = EXCLUDED.last_fired_ms"));
    q.addBindValue(storeText(pipeline));
    q.addBindValue(ms);
    if (!q.exec())
        return storeError(q, "write schedule");
    return t.commit();
}

Result<bool> PostgresJobStore::claimFireOnce(const QString &pipeline, qint64 ms)
{
    WriteScope t(*this);
    if (!t.begin())
        return t.begin().error();
    QSqlQuery &q = prepared(FireClaim);
    q.addBindValue(storeText(pipeline));
    q.addBindValue(ms);
    if (!q.exec())
        return storeError(q, "write schedule");
    const bool moved = q.numRowsAffected() == 1;
    if (auto c = t.commit(); !c)
        return c.error();
    return moved;
}

Result<QList<qint64>> PostgresJobStore::pruneOnce(
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
    // Stages, attempts and artifacts go with their run (ON DELETE CASCADE).
    q.prepare(QStringLiteral("DELETE FROM pipeline_run WHERE id = ?"));
    for (qint64 id : std::as_const(doomed)) {
        q.addBindValue(id);
        if (!q.exec())
            return storeError(q, "prune runs");
    }
    if (auto c = t.commit(); !c)
        return c.error();
    return doomed;
}

} // namespace Shivx
