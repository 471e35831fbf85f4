#pragma once

#include "alerting/alertinstance.h"
#include "core/result.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

namespace Shivx {

namespace Internal {
struct Migration;
}

// One row of the alert history: a transition.
struct AlertHistoryEntry
{
    qint64 tsMs = 0;
    QString fingerprint;
    QString rule;
    QMap<QString, QString> labels;
    QString from;
    QString to;
    double value = 0;
};

// Alerting's tables in the engine's database (docs/storage.md): the pending and firing alerts
// (so that they, and the inhibitions they cause, survive a restart), every transition, and
// the silences. One instance per thread: it opens its own named connection.
class AlertStore
{
public:
    static QList<Internal::Migration> migrations();

    // Opens the database at `path` on connection `connectionName`.
    static Result<std::unique_ptr<AlertStore>> open(
        const QString &path, const QString &connectionName);
    ~AlertStore();

    Result<QList<AlertInstance>> activeAlerts();
    // Records transitions: upserts or deletes the active rows and appends the history, in one
    // transaction.
    Result<void> record(const QList<AlertTransition> &transitions, qint64 nowMs);
    // Rewrites one active alert (an acknowledgement).
    Result<void> update(const AlertInstance &alert);
    Result<QList<AlertHistoryEntry>> history(int limit, const QString &rule = QString());

    Result<QList<AlertSilence>> silences();
    Result<void> addSilence(const AlertSilence &silence);
    // Ends a silence now (sets its end); false when no active silence has that id.
    Result<bool> expireSilence(const QString &id, qint64 nowMs);

private:
    AlertStore(QSqlDatabase db, QString connection);
    Result<void> upsert(QSqlDatabase &db, const AlertInstance &a);

    QSqlDatabase m_db;
    QString m_connection;
};

} // namespace Shivx
