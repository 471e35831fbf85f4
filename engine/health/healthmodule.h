#pragma once

#include "core/enginemodule.h"

#include <memory>

namespace Shivx {

class HealthAggregator;
class HealthService;
class HostSampler;
class TargetMonitor;

// Health monitoring: the host sampler, the probes of the configured targets and the health
// score (`sampler:`, `score:`, and each target's probe keys). Its facade is HealthService.
class HealthModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("health"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    QStringList targetKeys() const override;
    void readTarget(Internal::ConfigReader &reader, const YAML::Node &entry, const QString &path,
        Config &config, TargetSpec &target) const override;
    void validate(Internal::ConfigReader &reader, const YAML::Node &root,
        const Config &config) const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Health's part of one Engine. Threads: `shivx-sampler` (HostSampler), `shivx-probes`
// (TargetMonitor, every probe asynchronous) and the score on `shivx-core` (HealthAggregator).
class HealthRuntime final : public ModuleRuntime
{
public:
    explicit HealthRuntime(ModuleHost &host);
    ~HealthRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;
    // The targets: kept ones keep their state and counters, new ones start UNKNOWN.
    void reload(ModuleHost &host, const Config &config) override;

    // For the wiring of later modules, from their prepare() until stopped(); null otherwise.
    // Recovery hands its breakers to the monitor and restarts targets; degradation follows
    // the aggregator's scores.
    TargetMonitor *monitor() const { return m_monitor; }
    HealthAggregator *aggregator() const { return m_aggregator; }

private:
    std::unique_ptr<HealthService> m_service;
    HostSampler *m_sampler = nullptr;
    TargetMonitor *m_monitor = nullptr;
    HealthAggregator *m_aggregator = nullptr;
};

} // namespace Shivx
