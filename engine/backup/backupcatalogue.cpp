#include "backup/backupcatalogue.h"

#include "core/messagejson.h"
#include "storage/database.h"
#include "storage/migrations.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

namespace Shivx {

namespace {

Error queryError(const QSqlQuery &q, const char *what)
{
    return makeError("backup.catalogue",
        QStringLiteral("backup catalogue: %1: %2").arg(QLatin1String(what), q.lastError().text()));
}

// QSqlQuery binds a null QString as NULL; the text columns are NOT NULL.
QVariant text(const QString &s)
{
    return QVariant(s.isNull() ? QStringLiteral("") : s);
}

BackupOperation runFrom(const QSqlQuery &q)
{
    BackupOperation op;
    op.id = q.value(0).toLongLong();
    op.kind = q.value(1).toString();
    op.set = q.value(2).toString();
    op.type = q.value(3).toString();
    op.trigger = q.value(4).toString();
    op.actor = q.value(5).toString();
    op.state = q.value(6).toString();
    op.startedMs = q.value(7).toLongLong();
    op.finishedMs = q.value(8).toLongLong();
    op.doneBytes = q.value(9).toULongLong();
    op.errorCode = q.value(10).toString();
    op.errorMessage = q.value(11).toString();
    op.result = QJsonDocument::fromJson(q.value(12).toString().toUtf8()).object();
    return op;
}

// The steps of a DR run as stored: integer times, so a run reads back exactly as it was.
QString stepsText(const QList<DrStepRun> &steps)
{
    QJsonArray list;
    for (const DrStepRun &s : steps)
        list.append(QJsonObject { { QStringLiteral("name"), s.name },
            { QStringLiteral("action"), s.action }, { QStringLiteral("on_failure"), s.onFailure },
            { QStringLiteral("state"), s.state }, { QStringLiteral("started_ms"), s.startedMs },
            { QStringLiteral("finished_ms"), s.finishedMs },
            { QStringLiteral("message"), s.message.text },
            { QStringLiteral("outcome"), messageToJson(s.message) },
            { QStringLiteral("log"), QJsonArray::fromStringList(s.log) } });
    return QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Compact));
}

QList<DrStepRun> stepsFrom(const QString &text)
{
    QList<DrStepRun> steps;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array()) {
        const QJsonObject o = v.toObject();
        DrStepRun s;
        s.name = o.value(QStringLiteral("name")).toString();
        s.action = o.value(QStringLiteral("action")).toString();
        s.onFailure = o.value(QStringLiteral("on_failure")).toString();
        s.state = o.value(QStringLiteral("state")).toString();
        s.startedMs = o.value(QStringLiteral("started_ms")).toInteger();
        s.finishedMs = o.value(QStringLiteral("finished_ms")).toInteger();
        // Runs stored before outcomes had codes keep their English text.
        s.message = o.contains(QStringLiteral("outcome"))
            ? messageFromJson(o.value(QStringLiteral("outcome")).toObject())
            : Message::verbatim(o.value(QStringLiteral("message")).toString());
        for (const QJsonValue &line : o.value(QStringLiteral("log")).toArray())
            s.log.append(line.toString());
        steps.append(s);
    }
    return steps;
}

const char DrColumns[] = "id, plan, dry_run, actor, state, started_ms, finished_ms, "
                         "recovery_ms, current_step, steps";

DrRun drRunFrom(const QSqlQuery &q)
{
    DrRun run;
    run.id = q.value(0).toLongLong();
    run.plan = q.value(1).toString();
    run.dryRun = q.value(2).toBool();
    run.actor = q.value(3).toString();
    run.state = q.value(4).toString();
    run.startedMs = q.value(5).toLongLong();
    run.finishedMs = q.value(6).toLongLong();
    run.recoveryMs = q.value(7).toLongLong();
    run.currentStep = q.value(8).toInt();
    run.steps = stepsFrom(q.value(9).toString());
    return run;
}

const char RunColumns[] = "op_id, kind, set_name, type, trigger, actor, state, started_ms, "
                          "finished_ms, bytes, error_code, error_message, result";

} // namespace

QList<Internal::Migration> BackupCatalogue::migrations()
{
    QList<Internal::Migration> steps { { 5,
        QStringLiteral("backup: snapshot catalogue, operation history"),
        { QStringLiteral("CREATE TABLE backup_snapshot (id TEXT PRIMARY KEY, "
                         "set_name TEXT NOT NULL, time_ms INTEGER NOT NULL, type TEXT NOT NULL, "
                         "host TEXT NOT NULL, files INTEGER NOT NULL, bytes INTEGER NOT NULL, "
                         "new_bytes INTEGER NOT NULL, duration_ms INTEGER NOT NULL)"),
            QStringLiteral("CREATE INDEX backup_snapshot_set ON backup_snapshot (set_name, "
                           "time_ms)"),
            QStringLiteral("CREATE TABLE backup_run (id INTEGER PRIMARY KEY, "
                           "op_id INTEGER NOT NULL, kind TEXT NOT NULL, set_name TEXT NOT NULL, "
                           "type TEXT NOT NULL, trigger TEXT NOT NULL, actor TEXT NOT NULL, "
                           "state TEXT NOT NULL, started_ms INTEGER NOT NULL, "
                           "finished_ms INTEGER NOT NULL, bytes INTEGER NOT NULL, "
                           "error_code TEXT NOT NULL, error_message TEXT NOT NULL, "
                           "result TEXT NOT NULL)"),
            QStringLiteral("CREATE INDEX backup_run_kind ON backup_run (kind, set_name, "
                           "finished_ms)") },
        QStringLiteral("backup") } };
    // When this database first knew each set: a set that never had a backup is overdue from
    // then (BackupOverdue), across restarts, which the engine's start time is not.
    steps.append({ 6, QStringLiteral("backup: when each set was first configured"),
        { QStringLiteral("CREATE TABLE backup_set (name TEXT PRIMARY KEY, "
                         "known_since_ms INTEGER NOT NULL)") },
        QStringLiteral("backup") });
    steps.append({ 7, QStringLiteral("backup: DR runs"),
        { QStringLiteral("CREATE TABLE backup_dr_run (id INTEGER PRIMARY KEY, "
                         "plan TEXT NOT NULL, dry_run INTEGER NOT NULL, actor TEXT NOT NULL, "
                         "state TEXT NOT NULL, started_ms INTEGER NOT NULL, "
                         "finished_ms INTEGER NOT NULL, recovery_ms INTEGER NOT NULL, "
                         "current_step INTEGER NOT NULL, steps TEXT NOT NULL)") },
        QStringLiteral("backup") });
    return steps;
}

BackupCatalogue::BackupCatalogue(QSqlDatabase db, QString connection)
    : m_db(std::move(db))
    , m_connection(std::move(connection))
{
}

BackupCatalogue::~BackupCatalogue()
{
    m_db = QSqlDatabase();
    Database::close(m_connection);
}

Result<std::unique_ptr<BackupCatalogue>> BackupCatalogue::open(
    const QString &path, const QString &connectionName)
{
    auto db = Database::open(path, connectionName);
    if (!db)
        return db.error();
    return std::unique_ptr<BackupCatalogue>(new BackupCatalogue(*db, connectionName));
}

CatalogueSnapshot BackupCatalogue::fromInfo(const Backup::SnapshotInfo &s)
{
    CatalogueSnapshot c;
    c.id = QString::fromStdString(s.id.hex());
    c.set = s.set;
    c.timeMs = s.time.toMSecsSinceEpoch();
    c.type = s.type;
    c.host = s.host;
    c.files = s.stats.value(QStringLiteral("files")).toInteger();
    c.bytes = s.stats.value(QStringLiteral("bytes")).toInteger();
    c.newBytes = s.stats.value(QStringLiteral("new_bytes")).toInteger();
    c.durationMs = s.stats.value(QStringLiteral("duration_ms")).toInteger();
    return c;
}

Result<int> BackupCatalogue::snapshotCount()
{
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT count(*) FROM backup_snapshot")) || !q.next())
        return queryError(q, "counting snapshots");
    return q.value(0).toInt();
}

Result<void> BackupCatalogue::insert(const CatalogueSnapshot &s)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO backup_snapshot (id, set_name, time_ms, "
                             "type, host, files, bytes, new_bytes, duration_ms) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    for (const QVariant &v :
        { QVariant(s.id), text(s.set), QVariant(s.timeMs), text(s.type), text(s.host),
            QVariant(s.files), QVariant(s.bytes), QVariant(s.newBytes), QVariant(s.durationMs) })
        q.addBindValue(v);
    if (!q.exec())
        return queryError(q, "writing a snapshot");
    return {};
}

Result<void> BackupCatalogue::replaceSnapshots(const QList<Backup::SnapshotInfo> &snapshots)
{
    Transaction tx(m_db);
    if (!tx.begin())
        return tx.begin().error();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("DELETE FROM backup_snapshot")))
        return queryError(q, "clearing the catalogue");
    for (const Backup::SnapshotInfo &s : snapshots) {
        if (auto r = insert(fromInfo(s)); !r)
            return r;
    }
    return tx.commit();
}

Result<void> BackupCatalogue::addSnapshot(const Backup::SnapshotInfo &snapshot)
{
    return insert(fromInfo(snapshot));
}

Result<QList<CatalogueSnapshot>> BackupCatalogue::snapshots(const QString &set)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, set_name, time_ms, type, host, files, bytes, new_bytes, "
                             "duration_ms FROM backup_snapshot WHERE ? = '' OR set_name = ? "
                             "ORDER BY time_ms, id"));
    q.addBindValue(text(set));
    q.addBindValue(text(set));
    if (!q.exec())
        return queryError(q, "reading snapshots");
    QList<CatalogueSnapshot> out;
    while (q.next()) {
        out.append(CatalogueSnapshot { q.value(0).toString(), q.value(1).toString(),
            q.value(2).toLongLong(), q.value(3).toString(), q.value(4).toString(),
            q.value(5).toLongLong(), q.value(6).toLongLong(), q.value(7).toLongLong(),
            q.value(8).toLongLong() });
    }
    return out;
}

Result<void> BackupCatalogue::recordRun(const BackupOperation &op)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT INTO backup_run (%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                             "?, ?, ?)")
                  .arg(QLatin1String(RunColumns)));
    for (const QVariant &v :
        { QVariant(op.id), text(op.kind), text(op.set), text(op.type), text(op.trigger),
            text(op.actor), text(op.state), QVariant(op.startedMs), QVariant(op.finishedMs),
            QVariant(qint64(op.doneBytes)), text(op.errorCode), text(op.errorMessage),
            QVariant(QString::fromUtf8(QJsonDocument(op.result).toJson(QJsonDocument::Compact))) })
        q.addBindValue(v);
    if (!q.exec())
        return queryError(q, "recording an operation");
    return {};
}

Result<QList<BackupOperation>> BackupCatalogue::runs(int limit, const QString &kind)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM backup_run WHERE ? = '' OR kind = ? "
                             "ORDER BY id DESC LIMIT ?")
                  .arg(QLatin1String(RunColumns)));
    q.addBindValue(text(kind));
    q.addBindValue(text(kind));
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "reading the operation history");
    QList<BackupOperation> out;
    while (q.next())
        out.append(runFrom(q));
    return out;
}

Result<void> BackupCatalogue::saveDrRun(const DrRun &run)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("INSERT OR REPLACE INTO backup_dr_run (%1) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                  .arg(QLatin1String(DrColumns)));
    for (const QVariant &v : { QVariant(run.id), text(run.plan), QVariant(run.dryRun ? 1 : 0),
             text(run.actor), text(run.state), QVariant(run.startedMs), QVariant(run.finishedMs),
             QVariant(run.recoveryMs), QVariant(run.currentStep), QVariant(stepsText(run.steps)) })
        q.addBindValue(v);
    if (!q.exec())
        return queryError(q, "recording a DR run");
    return {};
}

Result<QList<DrRun>> BackupCatalogue::drRuns(int limit)
{
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT %1 FROM backup_dr_run ORDER BY id DESC LIMIT ?")
                  .arg(QLatin1String(DrColumns)));
    q.addBindValue(limit);
    if (!q.exec())
        return queryError(q, "reading the DR runs");
    QList<DrRun> out;
    while (q.next())
        out.append(drRunFrom(q));
    return out;
}

Result<QList<DrRun>> BackupCatalogue::interruptDrRuns()
{
    Transaction tx(m_db);
    if (!tx.begin())
        return tx.begin().error();
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT %1 FROM backup_dr_run WHERE state = 'running'")
                    .arg(QLatin1String(DrColumns))))
        return queryError(q, "reading unfinished DR runs");
    QList<DrRun> runs;
    while (q.next())
        runs.append(drRunFrom(q));
    q.finish();
    for (DrRun &run : runs) {
        run.state = QStringLiteral("interrupted");
        for (DrStepRun &step : run.steps)
            if (step.state == QLatin1String("running"))
                step.state = QStringLiteral("interrupted");
        if (auto r = saveDrRun(run); !r)
            return r.error();
    }
    if (auto r = tx.commit(); !r)
        return r.error();
    return runs;
}

Result<void> BackupCatalogue::fillState(const QStringList &names, qint64 nowMs, BackupState *state)
{
    state->sets.clear();
    for (const QString &name : names) {
        BackupSetState s;
        s.name = name;
        QSqlQuery q(m_db);
        q.prepare(QStringLiteral("INSERT OR IGNORE INTO backup_set (name, known_since_ms) "
                                 "VALUES (?, ?)"));
        q.addBindValue(name);
        q.addBindValue(nowMs);
        if (!q.exec())
            return queryError(q, "recording a new set");
        q.prepare(QStringLiteral("SELECT known_since_ms FROM backup_set WHERE name = ?"));
        q.addBindValue(name);
        if (!q.exec() || !q.next())
            return queryError(q, "reading when a set was first configured");
        s.knownSinceMs = q.value(0).toLongLong();
        q.prepare(QStringLiteral("SELECT count(*), max(time_ms) FROM backup_snapshot "
                                 "WHERE set_name = ?"));
        q.addBindValue(name);
        if (!q.exec() || !q.next())
            return queryError(q, "reading a set's snapshots");
        s.snapshots = q.value(0).toInt();
        q.prepare(QStringLiteral("SELECT time_ms, type, duration_ms, bytes, new_bytes FROM "
                                 "backup_snapshot WHERE set_name = ? ORDER BY time_ms DESC, id "
                                 "LIMIT 1"));
        q.addBindValue(name);
        if (!q.exec())
            return queryError(q, "reading a set's newest snapshot");
        if (q.next()) {
            s.lastSuccessMs = q.value(0).toLongLong();
            s.lastType = q.value(1).toString();
            s.lastDurationMs = q.value(2).toLongLong();
            s.lastBytes = q.value(3).toULongLong();
            s.lastAddedBytes = q.value(4).toULongLong();
            s.lastDedupRatio = s.lastBytes
                ? 1.0 - double(qMin(s.lastAddedBytes, s.lastBytes)) / double(s.lastBytes)
                : 1.0;
        }
        q.prepare(
            QStringLiteral("SELECT state, error_message, finished_ms FROM backup_run "
                           "WHERE kind = 'backup' AND set_name = ? ORDER BY id DESC LIMIT 1"));
        q.addBindValue(name);
        if (!q.exec())
            return queryError(q, "reading a set's last backup");
        if (q.next() && q.value(0).toString() == QLatin1String("failed")
            && q.value(2).toLongLong() >= s.lastSuccessMs)
            s.lastError = q.value(1).toString();
        q.prepare(QStringLiteral("SELECT finished_ms, state, result FROM backup_run WHERE kind = "
                                 "'drill' AND set_name = ? ORDER BY id DESC LIMIT 1"));
        q.addBindValue(name);
        if (!q.exec())
            return queryError(q, "reading a set's last drill");
        if (q.next()) {
            s.lastDrillMs = q.value(0).toLongLong();
            s.lastDrillOk = q.value(1).toString() == QLatin1String("succeeded");
            const QJsonObject r = QJsonDocument::fromJson(q.value(2).toString().toUtf8()).object();
            s.lastDrillRtoMs = r.value(QStringLiteral("rto_ms")).toInteger();
            s.lastDrillRpoMs = r.value(QStringLiteral("rpo_ms")).toInteger();
        }
        state->sets.append(s);
    }
    QSqlQuery q(m_db);
    if (!q.exec(QStringLiteral("SELECT finished_ms, state, type FROM backup_run WHERE kind = "
                               "'verify' AND state != 'cancelled' ORDER BY id DESC LIMIT 1")))
        return queryError(q, "reading the last verify");
    if (q.next()) {
        state->lastVerifyMs = q.value(0).toLongLong();
        state->lastVerifyOk = q.value(1).toString() == QLatin1String("succeeded") ? 1 : 0;
        state->lastVerifyMode = q.value(2).toString();
    }
    return {};
}

} // namespace Shivx
