#pragma once

// The row mapping both job stores share (SQLite and PostgreSQL): one column list, one
// record reader and one statement per shared write, so that the two stores cannot drift
// apart. The statements use `?` placeholders, which both Qt drivers take.

#include "core/result.h"
#include "pipelines/pipelinerecords.h"

#include <QMap>
#include <QString>

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

} // namespace Shivx::Internal
