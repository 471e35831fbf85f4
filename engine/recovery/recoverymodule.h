#pragma once

#include "core/enginemodule.h"

#include <memory>

namespace Shivx {

class BreakerRegistry;
class ProcessSupervisor;
class RecoveryService;

// Recovery: a circuit breaker and retry policy around every target's probe, timeouts, and
// supervised processes with real restarts (`recovery:`, and a target's `breaker:`, `retry:`,
// `supervise:` and `restart_command:` keys). Its facade is RecoveryService.
class RecoveryModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("recovery"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    QStringList targetKeys() const override;
    void readTarget(Internal::ConfigReader &reader, const YAML::Node &entry, const QString &path,
        Config &config, TargetSpec &target) const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Recovery's part of one Engine. The breakers live as long as the Engine (their state and
// counts survive a restart of the engine); the supervisor runs on `shivx-supervisor`.
class RecoveryRuntime final : public ModuleRuntime
{
public:
    explicit RecoveryRuntime(ModuleHost &host);
    ~RecoveryRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;
    // Health's reload retuned, added and removed the targets' breakers: announces them. The
    // supervisor applies the new supervise: and restart_command: settings
    // (ProcessSupervisor::reconfigure).
    void reload(ModuleHost &host, const Config &config) override;

private:
    std::unique_ptr<BreakerRegistry> m_breakers;
    std::unique_ptr<RecoveryService> m_service;
    ProcessSupervisor *m_supervisor = nullptr;
};

} // namespace Shivx
