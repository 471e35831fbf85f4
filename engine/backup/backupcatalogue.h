#pragma once

#include "backup/backupstate.h"
#include "backup/drrun.h"
#include "backup/repository.h"
#include "core/result.h"

#include <QSqlDatabase>

#include <memory>

namespace Shivx {

namespace Internal {
struct Migration;
}

// One snapshot as the catalogue keeps it (a copy of the repository's snapshot file's fields).
struct CatalogueSnapshot
{
    QString id; // hex
    QString set;
    qint64 timeMs = 0;
    QString type;
    QString host;
    qint64 files = 0;
    qint64 bytes = 0;
    qint64 newBytes = 0;
    qint64 durationMs = 0;
};

// The backup runtime's tables in the engine's database (docs/storage.md): the catalogue of
// snapshots, a cache of what the repository holds (rebuilt from it when empty, as on a new
// host, and re-read after prune), and the history of operations (backups, verifies, restores,
// drills with their RTO and RPO), which the repository does not keep. One instance per thread:
// it opens its own named connection.
class BackupCatalogue
{
public:
    static QList<Internal::Migration> migrations();
    static Result<std::unique_ptr<BackupCatalogue>> open(
        const QString &path, const QString &connectionName);
    ~BackupCatalogue();

    Result<int> snapshotCount();
    // Replaces the catalogue's snapshots with `snapshots` (the repository's list), in one
    // transaction.
    Result<void> replaceSnapshots(const QList<Backup::SnapshotInfo> &snapshots);
    Result<void> addSnapshot(const Backup::SnapshotInfo &snapshot);
    // Oldest first; every set when `set` is empty.
    Result<QList<CatalogueSnapshot>> snapshots(const QString &set = QString());

    // Appends a finished operation to the history.
    Result<void> recordRun(const BackupOperation &op);
    // Newest first, at most `limit`; every kind when `kind` is empty.
    Result<QList<BackupOperation>> runs(int limit, const QString &kind = QString());

    // The per-set state of `names` and the last verify, from the tables; a set seen for the
    // first time is recorded as known since `nowMs` (epoch ms).
    Result<void> fillState(const QStringList &names, qint64 nowMs, BackupState *state);

    // DR runs, so the console and the API list runs of earlier engine runs too, and ids
    // never repeat across restarts. saveDrRun() writes the run's current state (at each step).
    Result<void> saveDrRun(const DrRun &run);
    // Newest first, at most `limit`.
    Result<QList<DrRun>> drRuns(int limit);
    // Runs still marked running belong to an engine that stopped without finishing them
    // (kill -9, power loss): they become `interrupted`, with the step that was running. Returns
    // them as changed.
    Result<QList<DrRun>> interruptDrRuns();

    static CatalogueSnapshot fromInfo(const Backup::SnapshotInfo &s);

private:
    BackupCatalogue(QSqlDatabase db, QString connection);
    Result<void> insert(const CatalogueSnapshot &s);

    QSqlDatabase m_db;
    QString m_connection;
};

} // namespace Shivx
