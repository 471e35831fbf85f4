#pragma once

#include "backup/backupconfig.h"
#include "backup/backupoperations.h"
#include "backup/backupstate.h"
#include "core/result.h"
#include "executor/boundedexecutor.h"

#include <QMap>
#include <QObject>

#include <atomic>
#include <memory>
#include <mutex>

namespace Shivx {

class AuditSink;
class BackupCatalogue;
class BackupScheduler;
class Clock;
struct CatalogueSnapshot;

// The backup runtime's logic (docs/backup.md, "In the engine"): takes operations (from the
// service, the schedules, continuous mode), runs each as an executor task of kind
// `backup.scheduled` (paused while background_tasks is off) or `backup.manual`, follows their
// progress with an ETA, cancels them, records each in the catalogue's history and the audit
// chain, and keeps the catalogue of snapshots in step with the repository.
//
// Lives on its own thread (`shivx-backup`); every method must be called there, except
// statePtr(), which is thread-safe. The executor's tasks post back with queued calls, so the
// controller must outlive the executor's running tasks (the engine shuts the executor down
// before the module threads quit).
class BackupController : public QObject
{
    Q_OBJECT
public:
    struct Setup
    {
        BackupConfig config;
        QString repository; // absolute
        QString databasePath; // the engine's database, for the catalogue
        QString scratch; // where drills restore to (a temporary directory below it)
        AuditSink *audit = nullptr;
        Clock *clock = nullptr;
        BoundedExecutor *executor = nullptr;
    };
    static const QString ScheduledKind; // "backup.scheduled"
    static const QString ManualKind; // "backup.manual"

    explicit BackupController(Setup setup, QObject *parent = nullptr);
    ~BackupController() override;

    // Opens the catalogue, syncs it with the repository (a rebuild when it is empty), arms the
    // schedules.
    void start();
    // Cancels queued and running operations and stops the schedules.
    void stop();
    void reload(const BackupConfig &config);

    // Queues `request`. Errors: backup.busy (the same kind of operation on the same set is
    // queued or running), executor.* (the queue is full).
    Result<BackupOperation> submit(Backup::OperationRequest request, const QString &trigger,
        const QString &actor, const QStringList &touched = {});
    // Cancels a queued (at once) or running (at its next unit of work) operation. Errors:
    // backup.no_operation, backup.finished.
    Result<BackupOperation> cancel(qint64 id, const QString &actor);
    Result<QList<CatalogueSnapshot>> snapshots(const QString &set);
    Result<QList<BackupOperation>> history(int limit, const QString &kind);
    // Queues a re-read of the repository's snapshots into the catalogue.
    Result<BackupOperation> syncCatalogue(const QString &actor);

    const BackupConfig &config() const { return m_setup.config; }
    std::shared_ptr<const BackupState> statePtr() const;

Q_SIGNALS:
    // An operation was queued, started, progressed (at most every ~200 ms) or finished
    // (controller's thread).
    void operationChanged(const Shivx::BackupOperation &operation);
    // The per-set state or the operation list changed (controller's thread).
    void stateChanged(const Shivx::BackupState &state);
    // A backup finished with a new snapshot of `set` (continuous mode rearms on it).
    void backupFinished(const QString &set, bool ok);

private:
    struct Running
    {
        BackupOperation op;
        TaskHandle handle;
        std::shared_ptr<std::atomic<bool>> cancel;
    };
    void started(qint64 id);
    void progressed(qint64 id, const Backup::Progress &progress);
    void finished(qint64 id, const Result<Backup::OperationOutcome> &outcome);
    // Queues a copy to every backup.offsite remote after an operation that changed the
    // repository (a backup, a prune that was not a dry run).
    void copyOffsite(const BackupOperation &after);
    void fireScheduled(const QString &kind, const QString &set, const QString &type);
    void audit(const BackupOperation &op, const QString &what);
    void publish(bool refreshSets);

    Setup m_setup;
    std::unique_ptr<BackupCatalogue> m_catalogue;
    QString m_catalogueError;
    BackupScheduler *m_scheduler = nullptr;
    QMap<qint64, Running> m_active; // queued and running
    QList<BackupOperation> m_recent; // finished, newest last, at most RecentKept
    qint64 m_nextId = 1;
    BackupState m_sets; // the catalogue's part, refreshed after each operation
    mutable std::mutex m_stateMutex;
    std::shared_ptr<const BackupState> m_state;
};

} // namespace Shivx
