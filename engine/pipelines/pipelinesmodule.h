#pragma once

#include "core/enginemodule.h"

#include <memory>

namespace Shivx {

class PipelineRunner;
class PipelineService;

// Pipelines: DAGs of real processes from a directory of YAML files, a persistent job store,
// retries, a dead-letter queue and retention (`pipelines:`; docs/pipelines.md). Its facade is
// PipelineService.
class PipelinesModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("pipelines"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    QList<Internal::Migration> migrations() const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Pipelines' part of one Engine: the runner on its own thread (`shivx-pipelines`: it starts
// processes, hashes artifacts and writes the job store), paused for `background: true`
// pipelines while degradation turns background_tasks off.
class PipelinesRuntime final : public ModuleRuntime
{
public:
    explicit PipelinesRuntime(ModuleHost &host);
    ~PipelinesRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;

private:
    std::unique_ptr<PipelineService> m_service;
    PipelineRunner *m_runner = nullptr;
};

} // namespace Shivx
