#pragma once

#include "core/enginemodule.h"

#include <QList>

#include <memory>

namespace Shivx {

class AlertNotifier;
class AlertingController;
class AlertingService;

// Alert rules over the metric registry, their states in SQLite, silences, acknowledgements,
// inhibition and the health forecast (`alerting:`; docs/alerting.md). Its facade is
// AlertingService.
class AlertingModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("alerting"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    QList<Internal::Migration> migrations() const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// Alerting's part of one Engine: the controller on `shivx-alerting` (it writes SQLite).
class AlertingRuntime final : public ModuleRuntime
{
public:
    explicit AlertingRuntime(ModuleHost &host);
    ~AlertingRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;
    void reload(ModuleHost &host, const Config &config) override;

private:
    std::unique_ptr<AlertingService> m_service;
    AlertingController *m_controller = nullptr;
    QList<AlertNotifier *> m_notifiers; // on shivx-alerting
};

} // namespace Shivx
