#include "backup/backupmodule.h"

#include "alerting/alertingmodule.h"
#include "alerting/alertingservice.h"
#include "backup/backupapi.h"
#include "backup/backupcatalogue.h"
#include "backup/backupconfig.h"
#include "backup/backupcontroller.h"
#include "backup/backupservice.h"
#include "backup/continuousbackup.h"
#include "backup/drapi.h"
#include "backup/drcoordinator.h"
#include "core/config.h"
#include "core/modulehost.h"
#include "degradation/degradationmodule.h"
#include "degradation/degradationservice.h"
#include "executor/boundedexecutor.h"
#include "guardian/guardianmodule.h"
#include "guardian/guardianservice.h"
#include "health/healthmodule.h"
#include "health/healthservice.h"
#include "recovery/recoverymodule.h"
#include "recovery/recoveryservice.h"
#include "storage/migrations.h"

#include <algorithm>

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<BackupOperation>();
    qRegisterMetaType<BackupState>();
    qRegisterMetaType<DrRun>();
}

// A kind registered by an earlier start of the same executor is fine.
Result<void> registerKind(BoundedExecutor *executor, const WorkKind &kind)
{
    const auto r = executor->registerKind(kind);
    if (!r && r.error().code != QLatin1String("executor.duplicate_kind"))
        return r;
    return {};
}

template <class Service, class Runtime> Service *serviceOf(ModuleHost &host)
{
    Runtime *r = host.runtime<Runtime>();
    return r ? qobject_cast<Service *>(r->service()) : nullptr;
}

} // namespace

void BackupModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readBackupConfig(reader, root["backup"], &config.editSection<BackupConfig>());
}

QList<Internal::Migration> BackupModule::migrations() const
{
    return BackupCatalogue::migrations();
}

std::unique_ptr<ModuleRuntime> BackupModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<BackupRuntime>(host);
}

BackupRuntime::BackupRuntime(ModuleHost &host)
    : m_service(std::make_unique<BackupService>(host.config().section<BackupConfig>()))
{
    registerMetaTypes();
}

BackupRuntime::~BackupRuntime() = default;

QObject *BackupRuntime::service()
{
    return m_service.get();
}

Result<void> BackupRuntime::prepare(ModuleHost &host)
{
    BoundedExecutor *executor = host.executor();
    // Scheduled and continuous backups are the engine's own background work; what an
    // operator asks for runs whatever the degradation level.
    if (auto r = registerKind(executor,
            { BackupController::ScheduledKind, TaskPriority::Low,
                { ModuleHost::backgroundTasksOff() }, std::nullopt });
        !r)
        return r;
    if (auto r = registerKind(
            executor, { BackupController::ManualKind, TaskPriority::Normal, {}, std::nullopt });
        !r)
        return r;

    BackupService *service = m_service.get();
    BackupController::Setup setup;
    setup.config = service->config();
    setup.repository = setup.config.repositoryPath(host.dataDir());
    setup.databasePath = host.databasePath();
    setup.scratch = host.dataDir() + QStringLiteral("/backup-drills");
    setup.audit = host.audit();
    setup.clock = host.clock();
    setup.executor = executor;
    m_controller = new BackupController(std::move(setup));
    QObject::connect(m_controller, &BackupController::operationChanged, service,
        &BackupService::operationChanged);
    QObject::connect(
        m_controller, &BackupController::stateChanged, service, &BackupService::stateChanged);
    host.placeOnThread("shivx-backup", m_controller);
    m_dr = new DrCoordinator(service->config().drPlans);
    QObject::connect(m_dr, &DrCoordinator::runChanged, service, &BackupService::drRunChanged);
    host.placeOnThread("shivx-backup", m_dr);
    const auto &sets = service->config().sets;
    if (std::any_of(
            sets.begin(), sets.end(), [](const BackupSetSpec &s) { return s.continuous; })) {
        m_continuous = new ContinuousBackup(service->config(), service);
        QObject::connect(m_controller, &BackupController::backupFinished, m_continuous,
            &ContinuousBackup::backupFinished);
        host.placeOnThread("shivx-backup-watch", m_continuous);
    }

    host.addRoutes(BackupApi::routes(service, host.clock()));
    host.addRoutes(DrApi::routes(service));
    BackupApi::registerMetrics(*host.metrics(), service, host.clock());
    return {};
}

void BackupRuntime::start(ModuleHost &host)
{
    ModuleHost::callBlocking(m_controller, [](BackupController *c) { c->start(); });
    m_service->setController(m_controller);
    // DR plans reach modules that start after this one (the guardian, in engineModules()
    // order): every runtime is prepared by now, so they are looked up here, not in prepare().
    DrServices services;
    services.backup = m_service.get();
    services.recovery = serviceOf<RecoveryService, RecoveryRuntime>(host);
    services.health = serviceOf<HealthService, HealthRuntime>(host);
    services.guardian = serviceOf<GuardianService, GuardianRuntime>(host);
    services.degradation = serviceOf<DegradationService, DegradationRuntime>(host);
    services.alerting = serviceOf<AlertingService, AlertingRuntime>(host);
    services.audit = host.audit();
    services.clock = host.clock();
    const QString database = host.databasePath();
    ModuleHost::callBlocking(m_dr, [services, database](DrCoordinator *d) {
        d->setServices(services);
        d->load(database);
    });
    m_service->setDr(m_dr);
    if (m_continuous)
        QMetaObject::invokeMethod(m_continuous, &ContinuousBackup::start, Qt::QueuedConnection);
}

void BackupRuntime::stop(ModuleHost &)
{
    ModuleHost::callBlocking(m_continuous, [](ContinuousBackup *w) { w->stop(); });
    m_service->setDr(nullptr);
    ModuleHost::callBlocking(m_dr, [](DrCoordinator *d) { d->stop(); });
    m_service->setController(nullptr);
    ModuleHost::callBlocking(m_controller, [](BackupController *c) { c->stop(); });
}

void BackupRuntime::stopped()
{
    m_controller = nullptr;
    m_continuous = nullptr;
    m_dr = nullptr;
}

void BackupRuntime::reload(ModuleHost &, const Config &config)
{
    const BackupConfig c = config.section<BackupConfig>();
    ModuleHost::callBlocking(m_controller, [c](BackupController *ctl) { ctl->reload(c); });
}

} // namespace Shivx
