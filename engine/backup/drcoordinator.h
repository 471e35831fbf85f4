#pragma once

#include "backup/backupcatalogue.h"
#include "backup/drplan.h"
#include "backup/drrun.h"
#include "backup/drrunner.h"
#include "core/result.h"

#include <QObject>

#include <memory>
#include <mutex>

namespace Shivx {

// Activates DR plans from the plan directory (`backup.dr_plans`), one run at a time, and keeps
// the newest 20 runs for the API and the console, stored in the engine's database so that they
// outlive the engine run. Lives on the backup controller's thread; load(), activate(), abort()
// and stop() must be called there, runs() anywhere.
class DrCoordinator : public QObject
{
    Q_OBJECT
public:
    explicit DrCoordinator(QString plansDir, QObject *parent = nullptr);
    // The other modules' services, found once every module is prepared.
    void setServices(const DrServices &services) { m_services = services; }

    // Opens the stored runs (after setServices(): it audits). Runs an earlier engine left
    // running are marked interrupted (`dr.interrupted`); ids continue after the newest. Without
    // the database, runs are kept in memory only, and the reason is logged.
    void load(const QString &databasePath);

    const QString &plansDir() const { return m_dir; }
    // Errors: dr.no_plan, dr.bad_plan, dr.busy (another run is on).
    Result<DrRun> activate(const QString &plan, bool dryRun, const QString &actor);
    // Errors: dr.no_run, dr.finished.
    Result<DrRun> abort(qint64 id, const QString &actor);
    // Aborts a run in progress (the engine is stopping), storing its end.
    void stop();
    std::shared_ptr<const QList<DrRun>> runs() const;

Q_SIGNALS:
    // A run started, a step moved or the run ended (coordinator's thread).
    void runChanged(const Shivx::DrRun &run);

private:
    void update(const DrRun &run);

    const QString m_dir;
    DrServices m_services;
    std::unique_ptr<BackupCatalogue> m_store;
    DrRunner *m_active = nullptr;
    qint64 m_nextId = 1;
    mutable std::mutex m_mutex;
    std::shared_ptr<const QList<DrRun>> m_runs;
};

} // namespace Shivx
