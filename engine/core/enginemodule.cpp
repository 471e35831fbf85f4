#include "core/enginemodule.h"

#include "storage/migrations.h"

namespace Shivx {

// The defaults: a module contributes only what it overrides.

void EngineModule::readConfig(Internal::ConfigReader &, const YAML::Node &, Config &) const { }

void EngineModule::readTarget(
    Internal::ConfigReader &, const YAML::Node &, const QString &, Config &, TargetSpec &) const
{
}

void EngineModule::validate(Internal::ConfigReader &, const YAML::Node &, const Config &) const { }

QList<Internal::Migration> EngineModule::migrations() const
{
    return {};
}

void ModuleRuntime::reload(ModuleHost &, const Config &) { }

} // namespace Shivx
