#pragma once

#include "core/enginemodule.h"

#include <memory>

namespace Shivx {

class DegradationController;
class DegradationService;

// Graceful degradation: five levels from the health score with hysteresis, a feature map
// per level, and operator pins (`degradation:` and `features:`; docs/degradation.md). Its
// facade is DegradationService. docs/adding-a-capability.md walks through this module.
class DegradationModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("degradation"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Degradation's part of one Engine: the controller on `shivx-core`, fed by health's scores.
class DegradationRuntime final : public ModuleRuntime
{
public:
    explicit DegradationRuntime(ModuleHost &host);
    ~DegradationRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;

private:
    std::unique_ptr<DegradationService> m_service;
    DegradationController *m_controller = nullptr;
};

} // namespace Shivx
