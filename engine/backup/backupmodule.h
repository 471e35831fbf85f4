#pragma once

#include "core/enginemodule.h"

namespace Shivx {

// Backups (docs/backup.md): owns the `backup:` section (repository, sets, retention) that
// `shivx backup` reads. In this step the module only reads and validates the section; the
// runtime (scheduled backups, the BackupService facade, /api/backup, shivx_backup_* metrics)
// comes next, and starts nothing until then.
class BackupModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("backup"); }
    QStringList configKeys() const override { return { QStringLiteral("backup") }; }
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

} // namespace Shivx
