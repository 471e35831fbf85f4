#pragma once

#include "backup/backupcatalogue.h"
#include "backup/backupconfig.h"
#include "backup/backupstate.h"
#include "core/result.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace Shivx {

class BackupController;

// What a restore asks for (POST /api/backup/restore, the console's wizard, DR plans).
struct BackupRestoreRequest
{
    QString set; // which set's snapshots `atMs` chooses from; empty = any
    QString snapshot; // an id prefix or "latest"; empty = the newest not after atMs
    qint64 atMs = 0; // point in time (epoch ms); 0 = now
    QString path; // absolute path inside the snapshot; empty = everything
    QString target; // absolute directory; "/" = where the files were
    bool dryRun = false; // list what would change, write nothing
};

// The public face of backups in the engine (docs/backup.md, "In the engine"): the sets'
// state and the operations in flight as snapshots, commands that queue operations (each
// answers at once with the queued operation; follow it through operationChanged or
// operation()), cancel, and the catalogue. Used by /api/backup, the console and the DR runner.
// Lives on the Engine's thread; every method is thread-safe. Commands block the caller until
// the backup thread has queued the work (milliseconds), never until it is done. Before start
// and after stop they fail with engine.not_running.
class BackupService : public QObject
{
    Q_OBJECT
public:
    explicit BackupService(BackupConfig config, QObject *parent = nullptr);

    const BackupConfig &config() const { return m_config; }
    // `running` false with no sets' numbers when the engine is not running.
    BackupState state() const;
    std::shared_ptr<const BackupState> statePtr() const;
    // An operation of this engine run (queued, running or among the last finished).
    Result<BackupOperation> operation(qint64 id) const;

    // Errors: backup.no_set, backup.bad_type, backup.busy, executor.queue_full.
    Result<BackupOperation> backupNow(
        const QString &set, const QString &type, const QString &actor, const QString &trigger = {});
    // Continuous mode: an incremental backup reading only `touched` (absolute paths).
    Result<BackupOperation> backupChanged(const QString &set, const QStringList &touched);
    Result<BackupOperation> verify(bool quick, const QString &actor);
    // Errors: backup.bad_path (target or path not absolute), backup.no_set.
    Result<BackupOperation> restore(const BackupRestoreRequest &request, const QString &actor);
    // Forgets snapshots by each set's retention, then deletes unreferenced data.
    Result<BackupOperation> prune(bool dryRun, const QString &actor);
    // A restore drill of `set` (docs/backup.md, "Restore drills").
    Result<BackupOperation> drill(const QString &set, const QString &actor);
    // Errors: backup.no_operation, backup.finished.
    Result<BackupOperation> cancel(qint64 id, const QString &actor);
    Result<BackupOperation> syncCatalogue(const QString &actor);

    Result<QList<CatalogueSnapshot>> snapshots(const QString &set) const;
    Result<QList<BackupOperation>> history(int limit, const QString &kind) const;

    // The backup runtime's part: the controller of the running engine, or null.
    void setController(BackupController *controller) { m_controller.store(controller); }

Q_SIGNALS:
    // Engine's thread. An operation was queued, started, progressed (at most ~5 per second)
    // or finished: a page's progress bar, ETA and Cancel follow this.
    void operationChanged(const Shivx::BackupOperation &operation);
    // Engine's thread. The sets' numbers or the operation list changed.
    void stateChanged(const Shivx::BackupState &state);

private:
    template <class T> Result<T> call(const std::function<Result<T>(BackupController *)> &f) const;

    const BackupConfig m_config;
    std::atomic<BackupController *> m_controller { nullptr };
    std::shared_ptr<const BackupState> m_stopped;
};

} // namespace Shivx
