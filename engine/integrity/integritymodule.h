#pragma once

#include "core/enginemodule.h"

#include <memory>

namespace Shivx {

class IntegrityScanner;
class IntegrityService;
class IntegrityWatcher;

// File integrity: baselines of configured path sets, fast and full checks on a schedule and
// on demand, accepts with a reason, all audited (`integrity:`; docs/integrity.md). Its facade
// is IntegrityService.
class IntegrityModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("integrity"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Integrity's part of one Engine: the scanner on its own thread `shivx-integrity` (a check
// blocks it for as long as it hashes), its budget following degradation's level; with
// critical sets, the inotify watcher on `shivx-integrity-watch`.
class IntegrityRuntime final : public ModuleRuntime
{
public:
    explicit IntegrityRuntime(ModuleHost &host);
    ~IntegrityRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;

private:
    std::unique_ptr<IntegrityService> m_service;
    IntegrityScanner *m_scanner = nullptr;
    IntegrityWatcher *m_watcher = nullptr;
};

} // namespace Shivx
