#include "health/healthmodule.h"

#include "api/streampublisher.h"
#include "audit/auditsink.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/enginestatus.h"
#include "core/modulehost.h"
#include "health/healthaggregator.h"
#include "health/healthapi.h"
#include "health/healthconfig.h"
#include "health/healthservice.h"
#include "health/hostsampler.h"
#include "health/targetmonitor.h"
#include "telemetry/historywriter.h"

#include <QLoggingCategory>

#include <yaml-cpp/yaml.h>

Q_LOGGING_CATEGORY(lcHealthModule, "shivx.health.module")

namespace Shivx {

namespace {

// The targets as they will be probed: "${api}" resolved to the bound API address, and
// targets on the engine's own API dropped when there is none (they could only report DOWN).
QList<TargetSpec> resolvedTargets(QList<TargetSpec> targets, const QString &apiAuthority)
{
    if (apiAuthority.isEmpty()) {
        targets.erase(std::remove_if(targets.begin(), targets.end(),
                          [](const TargetSpec &t) {
                              return t.urlTemplate.contains(QLatin1String("${api}"));
                          }),
            targets.end());
        return targets;
    }
    for (auto &t : targets) {
        if (t.urlTemplate.contains(QLatin1String("${api}")))
            t.url = QUrl(QString(t.urlTemplate).replace(QLatin1String("${api}"), apiAuthority));
    }
    return targets;
}

void registerMetaTypes()
{
    qRegisterMetaType<HostSample>();
    qRegisterMetaType<TargetStatus>();
    qRegisterMetaType<QList<TargetStatus>>();
    qRegisterMetaType<QList<TargetSpec>>();
    qRegisterMetaType<HealthReport>();
    qRegisterMetaType<Readiness>();
    qRegisterMetaType<TargetState>();
    qRegisterMetaType<QList<SamplePoint>>();
}

} // namespace

QStringList HealthModule::configKeys() const
{
    return { QStringLiteral("sampler"), QStringLiteral("score") };
}

void HealthModule::readConfig(
    Internal::ConfigReader &reader, const YAML::Node &root, Config &config) const
{
    Internal::readHealthConfig(
        reader, root["sampler"], root["score"], &config.editSection<HealthConfig>());
}

QStringList HealthModule::targetKeys() const
{
    return Internal::healthTargetKeys();
}

void HealthModule::readTarget(Internal::ConfigReader &reader, const YAML::Node &entry,
    const QString &path, Config &, TargetSpec &target) const
{
    Internal::readTargetProbe(reader, entry, path, &target);
}

void HealthModule::validate(
    Internal::ConfigReader &reader, const YAML::Node &root, const Config &config) const
{
    Internal::validateHealthConfig(reader, root["sampler"], config.section<HealthConfig>());
}

std::unique_ptr<ModuleRuntime> HealthModule::createRuntime(ModuleHost &host) const
{
    return std::make_unique<HealthRuntime>(host);
}

HealthRuntime::HealthRuntime(ModuleHost &host)
    : m_service(
        std::make_unique<HealthService>(host.status(), host.config().section<HealthConfig>().score))
{
    registerMetaTypes();
}

HealthRuntime::~HealthRuntime() = default;

QObject *HealthRuntime::service()
{
    return m_service.get();
}

Result<void> HealthRuntime::prepare(ModuleHost &host)
{
    const HealthConfig &config = host.config().section<HealthConfig>();
    Clock *clock = host.clock();
    EngineStatus *status = host.status();

    m_sampler = new HostSampler(config.sampleIntervalMs, config.ignoreFsTypes, clock);
    m_monitor = new TargetMonitor(clock);
    HealthAggregator::Heartbeats beats;
    HostSampler *sampler = m_sampler;
    TargetMonitor *monitor = m_monitor;
    beats.sampler = [sampler] { return sampler->lastSampleMs(); };
    beats.probes = [monitor] { return monitor->lastHeartbeatMs(); };
    m_aggregator = new HealthAggregator(config, status, beats, clock);

    QObject::connect(
        m_sampler, &HostSampler::sampled, m_aggregator, &HealthAggregator::onHostSample);
    QObject::connect(
        m_monitor, &TargetMonitor::targetsUpdated, m_aggregator, &HealthAggregator::onTargets);
    QObject::connect(
        m_aggregator, &HealthAggregator::historyPoints, host.history(), &HistoryWriter::record);
    // `prometheus` targets: each scrape into the history, queued to the storage thread.
    HistoryWriter *history = host.history();
    QObject::connect(m_monitor, &TargetMonitor::scraped, history,
        [history](const QString &, const QList<SamplePoint> &points) { history->record(points); });
    m_monitor->setMetrics(host.metrics());
    // Re-emitted on the Engine's thread (the facade lives there).
    QObject::connect(
        m_aggregator, &HealthAggregator::hostSampled, m_service.get(), &HealthService::hostSampled);
    QObject::connect(m_aggregator, &HealthAggregator::targetsChanged, m_service.get(),
        &HealthService::targetsChanged);
    QObject::connect(m_aggregator, &HealthAggregator::healthChanged, m_service.get(),
        &HealthService::healthChanged);
    AuditSink *audit = host.audit();
    StreamPublisher *stream = host.stream();
    QObject::connect(m_monitor, &TargetMonitor::targetTransitioned, m_monitor,
        [audit, clock, stream](
            const QString &name, TargetState from, TargetState to, const Message &reason) {
            if (stream)
                stream->publish(QStringLiteral("target"), name,
                    { { QStringLiteral("target"), name },
                        { QStringLiteral("from"), toString(from) },
                        { QStringLiteral("to"), toString(to) },
                        { QStringLiteral("reason"), reason.text },
                        { QStringLiteral("ts"), clock->nowMs() } });
            qCInfo(lcHealthModule).noquote()
                << "target" << name << toString(from) << "->" << toString(to)
                << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason.text));
            audit->record({ AuditStreams::resilience(), QStringLiteral("engine"),
                QStringLiteral("target.transition"),
                { { QStringLiteral("target"), name }, { QStringLiteral("from"), toString(from) },
                    { QStringLiteral("to"), toString(to) },
                    { QStringLiteral("reason"), reason.text } },
                clock->nowMs() });
        });

    host.placeOnThread("shivx-sampler", m_sampler);
    host.placeOnThread("shivx-probes", m_monitor);
    host.placeOnThread("shivx-core", m_aggregator);

    const qint64 livenessLimitMs = qMax<qint64>(15'000, 3 * config.watchdogStallMs);
    ModuleHost *h = &host;
    host.addRoutes(HealthApi::routes(
        status, [h] { return h->readiness(); }, clock, livenessLimitMs));
    HealthApi::registerMetrics(*host.metrics(), status);
    HealthAggregator *aggregator = m_aggregator;
    host.addReadinessChecks([aggregator] { return aggregator->currentReadiness().checks; });
    return {};
}

void HealthRuntime::start(ModuleHost &host)
{
    QMetaObject::invokeMethod(m_aggregator, &HealthAggregator::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(m_sampler, &HostSampler::start, Qt::QueuedConnection);
    // Blocking: once the engine's start() returns, every target (and its breaker) is in
    // place, so the first API request after "listening on" already sees them.
    const QList<TargetSpec> targets = resolvedTargets(host.config().targets, host.apiAuthority());
    ModuleHost::callBlocking(m_monitor, [targets](TargetMonitor *m) { m->setTargets(targets); });
    QMetaObject::invokeMethod(m_monitor, &TargetMonitor::start, Qt::QueuedConnection);
}

void HealthRuntime::stop(ModuleHost &)
{
    ModuleHost::callBlocking(m_monitor, [](TargetMonitor *m) { m->stop(); });
    ModuleHost::callBlocking(m_sampler, [](HostSampler *s) { s->stop(); });
    ModuleHost::callBlocking(m_aggregator, [](HealthAggregator *a) { a->stop(); });
}

void HealthRuntime::stopped()
{
    m_sampler = nullptr;
    m_monitor = nullptr;
    m_aggregator = nullptr;
}

void HealthRuntime::reload(ModuleHost &host, const Config &config)
{
    const QList<TargetSpec> targets = resolvedTargets(config.targets, host.apiAuthority());
    // Blocking: when this returns, breakers are retuned and the API shows the new set.
    ModuleHost::callBlocking(m_monitor, [targets](TargetMonitor *m) { m->setTargets(targets); });
}

} // namespace Shivx
