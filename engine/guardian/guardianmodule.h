#pragma once

#include "core/enginemodule.h"
#include "guardian/defensemode.h"

#include <memory>

namespace Shivx {

class AlertingService;
class GuardianApiGuard;
class GuardianController;
class GuardianService;
class LogWatcher;
class PipelineService;
class RecoveryService;
struct ThreatEvent;

// The guardian (docs/guardian.md): threat events, the defense mode, policies, isolation and
// lockdown, and the guard in front of the engine's own API (`guardian:`). Its facade is
// GuardianService.
class GuardianModule final : public EngineModule
{
public:
    QString name() const override { return QStringLiteral("guardian"); }
    QStringList configKeys() const override;
    void readConfig(
        Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const override;
    // `external: true` on a supervised target: stopped in LOCKDOWN.
    QStringList targetKeys() const override;
    void readTarget(Internal::ConfigReader &reader, const YAML::Node &entry, const QString &path,
        Config &config, TargetSpec &target) const override;
    QList<Internal::Migration> migrations() const override;
    std::unique_ptr<ModuleRuntime> createRuntime(ModuleHost &host) const override;
};

// The guardian's part of one Engine: the controller on `shivx-guardian` (it writes SQLite and
// runs policy commands), the API guard on the API thread, and the log watchers on
// `shivx-guardian-logs` (reading and matching a flood of lines must not delay the
// controller's commands). The resource-abuse detector reads the health module's host samples.
class GuardianRuntime final : public ModuleRuntime
{
public:
    explicit GuardianRuntime(ModuleHost &host);
    ~GuardianRuntime() override;

    QObject *service() override;
    Result<void> prepare(ModuleHost &host) override;
    void start(ModuleHost &host) override;
    void stop(ModuleHost &host) override;
    void stopped() override;

    GuardianController *controller() const { return m_controller; }

private:
    // Stops the external targets and pauses the external pipelines on entering LOCKDOWN;
    // starts and resumes them on leaving it.
    void followMode(DefenseMode mode);
    // A policy's `notify`: an alert GuardianThreat through alerting's notifiers.
    void notify(const ThreatEvent &event);

    std::unique_ptr<GuardianService> m_service;
    std::shared_ptr<GuardianApiGuard> m_guard;
    GuardianController *m_controller = nullptr;
    QList<LogWatcher *> m_watchers; // owned by their thread
    RecoveryService *m_recovery = nullptr;
    PipelineService *m_pipelines = nullptr; // the pipelines module starts before the guardian
    // Alerting is prepared after the guardian, so it is looked up in start(): a policy's
    // `notify` becomes an alert pushed to its notifiers (AlertingService::pushAlert). Rejected:
    // notifiers of the guardian's own, a second set of webhook secrets and retries.
    AlertingService *m_alerting = nullptr;
    bool m_externalStopped = false;
};

} // namespace Shivx
