#include "alerting/alertingmodule.h"

#include "alerting/alertingapi.h"
#include "alerting/alertingconfig.h"
#include "alerting/alertingcontroller.h"
#include "alerting/alertingservice.h"
#include "alerting/alertnotifier.h"
#include "alerting/alertstore.h"
#include "api/streampublisher.h"
#include "core/config.h"
#include "core/modulehost.h"
#include "degradation/degradationconfig.h"
#include "health/healthmodule.h"
#include "health/targetmonitor.h"
#include "storage/migrations.h"

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {
void registerMetaTypes()
{
    qRegisterMetaType<AlertInstance>();
    qRegisterMetaType<AlertTransition>();
    qRegisterMetaType<QList<AlertTransition>>();
    qRegisterMetaType<AlertingSnapshot>();
    qRegisterMetaType<HealthForecast>();
}
} // namespace

QStringList AlertingModule::configKeys() const
{
    return { QStringLiteral("alerting") };
}

void AlertingModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readAlertingConfig(
        reader, root["alerting"], config, &config.editSection<AlertingConfig>());
}

QList<Internal::Migration> AlertingModule::migrations() const
{
    return AlertStore::migrations();
}

std::unique_ptr<ModuleRuntime> AlertingModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<AlertingRuntime>(host);
}

AlertingRuntime::AlertingRuntime(ModuleHost &)
    : m_service(std::make_unique<AlertingService>())
{
    registerMetaTypes();
}

AlertingRuntime::~AlertingRuntime() = default;

QObject *AlertingRuntime::service()
{
    return m_service.get();
}

Result<void> AlertingRuntime::prepare(ModuleHost &host)
{
    const AlertingConfig &config = host.config().section<AlertingConfig>();
    AlertingService *service = m_service.get();
    host.addRoutes(AlertingApi::routes(service, host.clock()));
    AlertingApi::registerMetrics(*host.metrics(), service);
    if (!config.enabled)
        return {};
    m_controller = new AlertingController(
        config, host.databasePath(), host.metrics(), host.clock(), host.audit());
    // Rules select the series of `prometheus` targets too, as the history charts them.
    if (HealthRuntime *health = host.runtime<HealthRuntime>())
        if (TargetMonitor *monitor = health->monitor())
            m_controller->setExtraFamilies([monitor] { return monitor->scrapedFamilies(); });
    // The forecast projects the health score onto the degradation levels in effect.
    const DegradationConfig levels = host.config().section<DegradationConfig>();
    m_controller->setForecastLevels(
        [levels](double score) { return toString(levels.levelForScore(score)); },
        { { toString(DegradationLevel::Normal), levels.normalMin },
            { toString(DegradationLevel::Level1), levels.level1Min },
            { toString(DegradationLevel::Level2), levels.level2Min },
            { toString(DegradationLevel::Level3), levels.level3Min } });
    QObject::connect(
        m_controller, &AlertingController::snapshotChanged, service, &AlertingService::changed);
    QObject::connect(
        m_controller, &AlertingController::transitioned, service, &AlertingService::transitioned);
    if (StreamPublisher *stream = host.stream())
        QObject::connect(m_controller, &AlertingController::transitioned, m_controller,
            [stream](const QList<AlertTransition> &transitions) {
                for (const AlertTransition &t : transitions) {
                    QJsonObject message = AlertingApi::alertJson(t.alert);
                    message.insert(QStringLiteral("from"), t.from);
                    stream->publish(QStringLiteral("alert"), t.alert.rule, message);
                }
            });
    host.placeOnThread("shivx-alerting", m_controller);
    for (const NotifierConfig &n : config.notifiers) {
        // Read when the engine starts, so that a missing secret stops the start with the
        // notifier and the file or variable named (never the value).
        auto secret = resolveSecret(n);
        if (!secret)
            return secret.error();
        auto *notifier = new AlertNotifier(n, *secret, host.clock(), host.audit());
        QObject::connect(m_controller, &AlertingController::snapshotChanged, notifier,
            &AlertNotifier::onSnapshot);
        QObject::connect(m_controller, &AlertingController::transitioned, notifier,
            &AlertNotifier::onTransitions);
        host.placeOnThread("shivx-alerting", notifier);
        m_notifiers.append(notifier);
    }
    AlertingApi::registerNotifierMetrics(*host.metrics(), m_notifiers);
    service->setController(m_controller);
    return {};
}

void AlertingRuntime::start(ModuleHost &)
{
    for (AlertNotifier *n : std::as_const(m_notifiers))
        QMetaObject::invokeMethod(n, &AlertNotifier::start, Qt::QueuedConnection);
    // Blocking: once the engine's start() returns, the alerts and silences kept in SQLite are
    // restored, so the first API answer (and a restored inhibition) already sees them.
    ModuleHost::callBlocking(m_controller, [](AlertingController *c) { c->start(); });
}

void AlertingRuntime::stop(ModuleHost &)
{
    m_service->setController(nullptr);
    ModuleHost::callBlocking(m_controller, [](AlertingController *c) { c->stop(); });
    for (AlertNotifier *n : std::as_const(m_notifiers))
        ModuleHost::callBlocking(n, [](AlertNotifier *x) { x->stop(); });
}

void AlertingRuntime::reload(ModuleHost &host, const Config &config)
{
    // The rules (the console's rule editor saves and reloads); the interval, forecast and
    // notifiers take effect at the next start.
    if (!m_controller)
        return;
    const QList<AlertRule> rules = config.section<AlertingConfig>().rules;
    ModuleHost::callBlocking(m_controller, [rules](AlertingController *c) { c->setRules(rules); });
    Q_UNUSED(host);
}

void AlertingRuntime::stopped()
{
    m_controller = nullptr;
    m_notifiers.clear();
}

} // namespace Shivx
