#include "backup/backupmodule.h"

#include "backup/backupconfig.h"
#include "core/config.h"

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {

// Nothing runs in the engine yet: backups run from `shivx backup`.
class BackupRuntime final : public ModuleRuntime
{
public:
    Result<void> prepare(ModuleHost &) override { return {}; }
    void start(ModuleHost &) override { }
    void stop(ModuleHost &) override { }
    void stopped() override { }
};

} // namespace

void BackupModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readBackupConfig(reader, root["backup"], &config.editSection<BackupConfig>());
}

std::unique_ptr<ModuleRuntime> BackupModule::createRuntime(ModuleHost &) const
{
    return std::make_unique<BackupRuntime>();
}

} // namespace Shivx
