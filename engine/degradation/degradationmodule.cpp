#include "degradation/degradationmodule.h"

#include "core/config.h"
#include "core/modulehost.h"
#include "degradation/degradationapi.h"
#include "degradation/degradationconfig.h"
#include "degradation/degradationcontroller.h"
#include "degradation/degradationservice.h"
#include "health/healthaggregator.h"
#include "health/healthmodule.h"
#include "telemetry/historywriter.h"

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<DegradationLevel>();
    qRegisterMetaType<DegradationSnapshot>();
    qRegisterMetaType<DegradationTransition>();
    qRegisterMetaType<FeatureState>();
}

// The engine's own background work pauses while this feature is off.
const QString BackgroundTasks = QStringLiteral("background_tasks");

} // namespace

QStringList DegradationModule::configKeys() const
{
    return { QStringLiteral("degradation"), QStringLiteral("features") };
}

void DegradationModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readDegradationConfig(
        reader, root["degradation"], root["features"], &config.editSection<DegradationConfig>());
}

std::unique_ptr<ModuleRuntime> DegradationModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<DegradationRuntime>(host);
}

DegradationRuntime::DegradationRuntime(ModuleHost &host)
    : m_service(std::make_unique<DegradationService>(host.config().section<DegradationConfig>()))
{
    registerMetaTypes();
}

DegradationRuntime::~DegradationRuntime() = default;

QObject *DegradationRuntime::service()
{
    return m_service.get();
}

Result<void> DegradationRuntime::prepare(ModuleHost &host)
{
    m_controller = new DegradationController(m_service->config(), host.clock(), host.audit());
    if (HealthRuntime *health = host.runtime<HealthRuntime>())
        QObject::connect(health->aggregator(), &HealthAggregator::healthChanged, m_controller,
            &DegradationController::onHealth);
    QObject::connect(m_controller, &DegradationController::historyPoints, host.history(),
        &HistoryWriter::record);
    QObject::connect(m_controller, &DegradationController::snapshotChanged, m_service.get(),
        &DegradationService::changed);
    // The engine enforces the feature it owns: its background work.
    ModuleHost *h = &host;
    QObject::connect(m_controller, &DegradationController::snapshotChanged, m_controller,
        [h](const DegradationSnapshot &s) {
            h->setBackgroundWorkPaused(!s.feature(BackgroundTasks).enabled);
        });
    host.placeOnThread("shivx-core", m_controller);
    m_service->setController(m_controller);

    DegradationService *service = m_service.get();
    host.addRoutes(DegradationApi::routes(service, host.clock()));
    DegradationApi::registerMetrics(*host.metrics(), service);
    // EMERGENCY sheds traffic through readiness; liveness never looks at degradation.
    host.addReadinessChecks([service] {
        const auto s = service->snapshotPtr();
        return QList<ReadinessCheck> { { QStringLiteral("degradation"),
            s->level != DegradationLevel::Emergency,
            makeMessage("readiness.degradation",
                { toString(s->level), QVariant::fromValue(s->reason) },
                QStringLiteral("%1: %2").arg(toString(s->level), s->reason.text)) } };
    });
    return {};
}

void DegradationRuntime::start(ModuleHost &host)
{
    host.setBackgroundWorkPaused(!m_controller->snapshot().feature(BackgroundTasks).enabled);
    QMetaObject::invokeMethod(m_controller, &DegradationController::start, Qt::QueuedConnection);
}

void DegradationRuntime::stop(ModuleHost &)
{
    ModuleHost::callBlocking(m_controller, [](DegradationController *c) { c->stop(); });
    m_service->setController(nullptr);
}

void DegradationRuntime::stopped()
{
    m_controller = nullptr;
}

} // namespace Shivx
