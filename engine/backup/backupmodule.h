#pragma once

#include "core/enginemodule.h"

#include <memory>

namespace Shivx {

class BackupController;
class BackupService;
class ContinuousBackup;
class DrCoordinator;

// Backups (docs/backup.md): owns the `backup:` section (repository, sets with their schedules,
// retention, drills, continuous mode) that `shivx backup` also reads, and the runtime that
// runs backups, verifies, restores, prunes and drills inside the engine. Its facade is
// BackupService; tables: the catalogue (schema step 5).
class BackupModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("backup"); }
    QStringList configKeys() const override { return { QStringLiteral("backup") }; }
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    QList<Internal::Migration> migrations() const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Backup's part of one Engine: the controller on its own thread `shivx-backup` (light: the
// work itself runs as executor tasks of kinds backup.scheduled, which pauses while
// background_tasks is off, and backup.manual); with continuous sets, the inotify watcher on
// `shivx-backup-watch`.
class BackupRuntime final : public ModuleRuntime
{
public:
    explicit BackupRuntime(ModuleHost &host);
    ~BackupRuntime() override;

    QObject *service() override;
    BackupService *backupService() const { return m_service.get(); }
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;
    void reload(ModuleHost &host, const Config &config) override;

private:
    std::unique_ptr<BackupService> m_service;
    BackupController *m_controller = nullptr;
    ContinuousBackup *m_continuous = nullptr;
    DrCoordinator *m_dr = nullptr;
};

} // namespace Shivx
