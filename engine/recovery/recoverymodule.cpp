#include "recovery/recoverymodule.h"

#include "core/config.h"
#include "core/configreader.h"
#include "core/modulehost.h"
#include "health/healthmodule.h"
#include "health/targetmonitor.h"
#include "recovery/breakerregistry.h"
#include "recovery/processsupervisor.h"
#include "recovery/recoveryapi.h"
#include "recovery/recoveryconfig.h"
#include "recovery/recoveryservice.h"

namespace Shivx {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<BreakerSnapshot>();
    qRegisterMetaType<QList<BreakerSnapshot>>();
    qRegisterMetaType<BreakerTransition>();
    qRegisterMetaType<BreakerState>();
    qRegisterMetaType<ProcessSnapshot>();
    qRegisterMetaType<QList<ProcessSnapshot>>();
    qRegisterMetaType<ProcessEvent>();
}

} // namespace

QStringList RecoveryModule::configKeys() const
{
    return { QStringLiteral("recovery") };
}

void RecoveryModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    const YAML::Node section = root["recovery"];
    if (section.IsDefined() && !section.IsNull())
        Internal::readRecoverySection(
            reader, section, &config.editSection<RecoveryConfig>().defaults);
}

QStringList RecoveryModule::targetKeys() const
{
    return QStringList { QStringLiteral("breaker"), QStringLiteral("retry") }
    + Internal::recoveryTargetKeys();
}

void RecoveryModule::readTarget(Internal::ConfigReader &reader, const YAML::Node &entry,
    const QString &path, Config &config, TargetSpec &target) const
{
    RecoveryConfig &recovery = config.editSection<RecoveryConfig>();
    Internal::readRecoveryTarget(reader, entry, path, recovery.defaults, &target);
    RecoverySpec spec;
    if (!reader.failed() && Internal::readRecoverySpec(reader, entry, path, target.name, &spec))
        recovery.supervised.append(spec);
}

std::unique_ptr<ModuleRuntime> RecoveryModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<RecoveryRuntime>(host);
}

RecoveryRuntime::RecoveryRuntime(ModuleHost &host)
    : m_breakers(std::make_unique<BreakerRegistry>(host.clock()))
    , m_service(std::make_unique<RecoveryService>(m_breakers.get()))
{
    registerMetaTypes();
}

RecoveryRuntime::~RecoveryRuntime() = default;

QObject *RecoveryRuntime::service()
{
    return m_service.get();
}

Result<void> RecoveryRuntime::prepare(ModuleHost &host)
{
    m_breakers->setAuditSink(host.audit());
    m_supervisor = new ProcessSupervisor(host.config().section<RecoveryConfig>().supervised,
        host.dataDir() + QStringLiteral("/processes"), host.clock(), host.audit());
    RecoveryService *service = m_service.get();
    QObject::connect(m_supervisor, &ProcessSupervisor::processesChanged, service,
        &RecoveryService::processesChanged);
    QObject::connect(
        m_supervisor, &ProcessSupervisor::logLines, service, &RecoveryService::processLogLines);
    QObject::connect(
        m_supervisor, &ProcessSupervisor::eventOccurred, service, &RecoveryService::processEvent);
    // Every probe goes through its target's breaker, and failing targets are restarted.
    if (HealthRuntime *health = host.runtime<HealthRuntime>()) {
        TargetMonitor *monitor = health->monitor();
        monitor->setBreakers(m_breakers.get());
        QObject::connect(monitor, &TargetMonitor::targetsUpdated, m_supervisor,
            &ProcessSupervisor::onTargetsUpdated);
        QObject::connect(m_supervisor, &ProcessSupervisor::targetResetRequested, monitor,
            &TargetMonitor::resetTarget);
    }
    host.placeOnThread("shivx-supervisor", m_supervisor);
    service->setSupervisor(m_supervisor);
    host.addRoutes(RecoveryApi::routes(service, host.clock()));
    RecoveryApi::registerMetrics(*host.metrics(), service);
    return {};
}

void RecoveryRuntime::start(ModuleHost &)
{
    // Queued after health's start(): the targets the supervisor's startup grace asks the
    // monitor to hold are in place by then.
    QMetaObject::invokeMethod(m_supervisor, &ProcessSupervisor::start, Qt::QueuedConnection);
}

void RecoveryRuntime::stop(ModuleHost &)
{
    ModuleHost::callBlocking(m_supervisor, [](ProcessSupervisor *s) { s->shutdown(); });
    m_service->setSupervisor(nullptr);
}

void RecoveryRuntime::reload(ModuleHost &, const Config &config)
{
    m_service->announceBreakers();
    if (m_supervisor)
        m_supervisor->reconfigure(config.section<RecoveryConfig>().supervised);
}

void RecoveryRuntime::stopped()
{
    m_supervisor = nullptr;
    m_breakers->setAuditSink(nullptr); // the registry outlives the audit writer
}

} // namespace Shivx
