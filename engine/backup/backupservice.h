#pragma once

#include "backup/backupcatalogue.h"
#include "backup/backupconfig.h"
#include "backup/backupstate.h"
#include "backup/drplan.h"
#include "backup/drrun.h"
#include "core/result.h"

#include <QObject>

#include <atomic>
#include <functional>
#include <memory>

namespace Shivx {

class BackupController;
class DrCoordinator;

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
    // Compares what a restore put at request.target with the snapshot's manifest (fails with
    // backup.restore_mismatch listing the differences). request.dryRun is ignored.
    Result<BackupOperation> verifyRestored(
        const BackupRestoreRequest &request, const QString &actor);
    // Forgets snapshots by each set's retention, then deletes unreferenced data.
    Result<BackupOperation> prune(bool dryRun, const QString &actor);
    // A restore drill of `set` (docs/backup.md, "Restore drills").
    Result<BackupOperation> drill(const QString &set, const QString &actor);
    // Errors: backup.no_operation, backup.finished.
    Result<BackupOperation> cancel(qint64 id, const QString &actor);
    Result<BackupOperation> syncCatalogue(const QString &actor);

    Result<QList<CatalogueSnapshot>> snapshots(const QString &set) const;
    Result<QList<BackupOperation>> history(int limit, const QString &kind) const;

    // --- DR plans (docs/backup.md, "DR plans") ---
    // The plans of backup.dr_plans, read from disk now. Errors: dr.bad_plan, dr.no_plans.
    Result<QList<DrPlan>> drPlans() const;
    // Starts a run of `plan` (a dry run changes nothing). Errors: dr.no_plan, dr.bad_plan,
    // dr.busy, engine.not_running.
    Result<DrRun> activateDr(const QString &plan, bool dryRun, const QString &actor);
    Result<DrRun> abortDr(qint64 run, const QString &actor);
    // This engine run's DR runs, newest first (the running one included).
    QList<DrRun> drRuns() const;

    // The backup runtime's part: the controller of the running engine, or null.
    void setController(BackupController *controller) { m_controller.store(controller); }
    void setDr(DrCoordinator *dr) { m_dr.store(dr); }

Q_SIGNALS:
    // Engine's thread. An operation was queued, started, progressed (at most ~5 per second)
    // or finished: a page's progress bar, ETA and Cancel follow this.
    void operationChanged(const Shivx::BackupOperation &operation);
    // Engine's thread. The sets' numbers or the operation list changed.
    void stateChanged(const Shivx::BackupState &state);
    // Engine's thread. A DR run started, a step started, logged or ended, or the run ended:
    // a page shows the run live from this.
    void drRunChanged(const Shivx::DrRun &run);

private:
    Result<BackupOperation> restoreLike(
        const QString &kind, const BackupRestoreRequest &request, const QString &actor);
    template <class T> Result<T> call(const std::function<Result<T>(BackupController *)> &f) const;
    template <class T, class Obj>
    static Result<T> callOn(Obj *obj, const std::function<Result<T>(Obj *)> &f);

    const BackupConfig m_config;
    std::atomic<BackupController *> m_controller { nullptr };
    std::atomic<DrCoordinator *> m_dr { nullptr };
    std::shared_ptr<const BackupState> m_stopped;
};

} // namespace Shivx
