#pragma once

// The row mapping both job stores share (SQLite and PostgreSQL): one column list, one
// record reader and one statement per shared write, so that the two stores cannot drift
// apart. The statements use `?` placeholders, which both Qt drivers take.

#include "core/result.h"
#include "pipelines/jobstore.h"
#include "pipelines/pipelinerecords.h"

#include <QMap>
#include <QString>
#include <QVariant>

class QSqlQuery;

namespace Shivx::Internal {

// A null QString binds as SQL NULL; the text columns are NOT NULL.
QString storeText(const QString &s);
Error storeError(const QSqlQuery &q, const char *what);
QString paramsJson(const QMap<QString, QString> &params);
QMap<QString, QString> paramsOf(const QString &json);

// SELECT RunColumns [, definition]: runOf() reads one row.
extern const QString RunColumns;
RunRecord runOf(const QSqlQuery &q, bool withDefinition);
extern const QString AttemptColumns;
AttemptRecord attemptOf(const QSqlQuery &q);

extern const QString StageUpdate;
// `q` prepared with StageUpdate.
bool execStage(QSqlQuery &q, const StageRecord &s);
// Binds: pipeline, ms. One row affected when it moved the last fire time (an UPSERT both
// SQLite >= 3.24 and PostgreSQL take).
extern const QString FireClaim;
extern const QString AttemptUpdate;
// `q` prepared with AttemptUpdate.
bool execAttemptEnd(QSqlQuery &q, const AttemptRecord &a);

// Writes: `q` prepared with the statement above each. PostgreSQL appends " RETURNING id" to
// the inserts whose id it needs (it has no lastInsertId()).
extern const QString RunInsert;
bool execRunInsert(QSqlQuery &q, const RunRecord &run);
extern const QString StageInsert; // binds: run id, stage
extern const QString RunUpdate;
// Also `q` prepared with RunEnd: RunUpdate only while the stored run is queued or running.
bool execRunUpdate(QSqlQuery &q, const RunRecord &run);
extern const QString RunEnd;
extern const QString AttemptInsert; // a new attempt, state running, with its lease
bool execAttemptInsert(QSqlQuery &q, const AttemptRecord &a);
// `q` prepared with the store's own upsert of (run_id, stage, path, sha256, size).
bool execArtifact(QSqlQuery &q, const ArtifactRecord &r);
extern const QString LeaseRenewal;
bool execLeaseRenewal(QSqlQuery &q, const QString &owner, qint64 untilMs);
extern const QString TakeOver; // one conditional UPDATE: still running, lease expired
bool execTakeOver(
    QSqlQuery &q, qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs);
// pipeline.lease_held for `a`'s stage, from a row of (lease_owner, lease_until_ms).
Error leaseHeld(const AttemptRecord &a, const QSqlQuery &row);

// Reads: each executes `q` (prepared with the statement named), reads every row and
// finishes `q`, so that a prepared statement can be reused at once.
extern const QString RunSelect; // one run with its definition
Result<RunRecord> readRun(QSqlQuery &q, qint64 id);
// The SELECT of runs() and its binds; `noLimit` binds the LIMIT of an unlimited filter
// (SQLite: -1; PostgreSQL: NULL, a negative limit is an error there).
QString runsQuery(const RunFilter &filter, const QVariant &noLimit, QVariantList *binds);
Result<QList<RunRecord>> readRuns(QSqlQuery &q, const QVariantList &binds, bool withDefinition);
extern const QString StageSelect;
Result<QList<StageRecord>> readStages(QSqlQuery &q, qint64 runId);
// SELECT AttemptColumns of the attempts matching `where` (one `?` or none), oldest first.
QString attemptSelect(const QString &where);
Result<QList<AttemptRecord>> readAttempts(QSqlQuery &q, const QVariant &value);
extern const QString ArtifactSelect;
Result<QList<ArtifactRecord>> readArtifacts(QSqlQuery &q, qint64 runId);
extern const QString LastFiredSelect;
Result<qint64> readLastFired(QSqlQuery &q, const QString &pipeline);
// The finished runs of `pipeline` (never dead-lettered ones) beyond the newest `keepRuns`
// (0 = no count limit) or created before `createdBeforeMs` (0 = no age limit).
extern const QString PruneCandidates;
Result<QList<qint64>> readPruneCandidates(
    QSqlQuery &q, const QString &pipeline, int keepRuns, qint64 createdBeforeMs);

} // namespace Shivx::Internal
