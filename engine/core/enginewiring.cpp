// How Engine::start() builds the engine's services, connects them and starts their threads.
// engine.cpp holds the order of the steps, the public methods and stop().

#include "core/engine_p.h"

#include "api/apitoken.h"
#include "api/httpapi.h"
#include "audit/auditsink.h"
#include "audit/auditwriter.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "core/workerthread.h"
#include "degradation/degradationapi.h"
#include "degradation/degradationcontroller.h"
#include "health/healthaggregator.h"
#include "health/hostsampler.h"
#include "health/targetmonitor.h"
#include "recovery/breakerregistry.h"
#include "recovery/breakerroutes.h"
#include "recovery/processapi.h"
#include "recovery/processsupervisor.h"
#include "telemetry/historywriter.h"
#include "telemetry/prometheusexposition.h"

#include <QCryptographicHash>
#include <QSaveFile>
#include <QThread>

namespace Shivx {

QList<TargetSpec> Internal::resolvedTargets(QList<TargetSpec> targets, const QString &apiAuthority)
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

Result<void> Engine::Private::startAuditWriter()
{
    auditWriter = new AuditWriter(dataDir, options.config.audit, clock);
    auditThread = new WorkerThread("shivx-audit", auditWriter);
    auditThread->start();
    Result<void> opened;
    AuditWriter *chainWriter = auditWriter;
    QMetaObject::invokeMethod(
        chainWriter, [chainWriter, &opened] { opened = chainWriter->open(); },
        Qt::BlockingQueuedConnection);
    if (!opened)
        return opened.error();
    audit = auditWriter;
    const Config &c = options.config;
    const QString resilience = AuditStreams::resilience();
    audit->record({ resilience, QStringLiteral("engine"), QStringLiteral("config.loaded"),
        { { QStringLiteral("file"), c.sourceFile },
            { QStringLiteral("bytes"), qint64(c.sourceBytes.size()) },
            { QStringLiteral("sha256"),
                QString::fromLatin1(
                    QCryptographicHash::hash(c.sourceBytes, QCryptographicHash::Sha256)
                        .toHex()) } },
        0 });
    return {};
}

Result<void> Engine::Private::startApi()
{
    const Config &config = options.config;
    const QString listen = options.listen.isEmpty() ? config.listen : options.listen;
    HttpApi::Providers providers;
    providers.readiness = [this] { return q->readiness(); };
    providers.metrics = [this] {
        ExpositionInput in;
        in.host = status.host();
        in.targets = status.targets();
        in.health = status.health();
        in.readiness = q->readiness();
        in.startedAtMs = status.startedAtMs.load();
        const auto storage = status.storage();
        in.historyPointsWritten = storage.pointsWritten;
        in.historyWriteErrors = storage.writeErrors;
        in.historyPointsDropped = storage.pointsDropped;
        in.apiRequestsByCode = api->requestCounts();
        return renderEngineMetrics(in) + renderBreakerMetrics(breakers->snapshots())
            + ProcessApi::metrics(supervisor->snapshot())
            + DegradationApi::metrics(*degradation->snapshotPtr());
    };
    const qint64 livenessLimit = qMax<qint64>(15'000, 3 * config.watchdogStallMs);
    api = new HttpApi(&status, providers, clock, livenessLimit);
    auto token = ApiToken::loadOrCreate(dataDir);
    if (!token) {
        delete api;
        api = nullptr;
        return token.error();
    }
    api->setToken(token.value());
    api->setAllowedHosts(config.allowedHosts);
    api->addRoutes(breakerRoutes(breakers.get()));
    api->addRoutes(ProcessApi::routes(supervisor, clock));
    api->addRoutes(DegradationApi::routes(degradation, clock));
    QString error;
    const quint16 port = api->bindTo(listen, &error);
    if (port == 0) {
        delete api;
        api = nullptr;
        return makeError("api.listen", error);
    }
    QString host = listen.left(listen.lastIndexOf(QLatin1Char(':')));
    apiUrl = QUrl(QStringLiteral("http://%1:%2").arg(host).arg(port));
    apiAuthority = QStringLiteral("%1:%2").arg(host).arg(port);
    QSaveFile addr(DataDir::apiAddressPath(dataDir));
    if (addr.open(QIODevice::WriteOnly)) {
        addr.write(apiUrl.toString().toUtf8() + '\n');
        addr.commit();
    }
    return {};
}

void Engine::Private::createHealthServices()
{
    const Config &config = options.config;
    sampler = new HostSampler(config.sampleIntervalMs, config.ignoreFsTypes, clock);
    monitor = new TargetMonitor(clock);
    breakers->setAuditSink(audit);
    monitor->setBreakers(breakers.get());
    HealthAggregator::Heartbeats beats;
    HostSampler *hostSampler = sampler;
    TargetMonitor *targetMonitor = monitor;
    beats.sampler = [hostSampler] { return hostSampler->lastSampleMs(); };
    beats.probes = [targetMonitor] { return targetMonitor->lastHeartbeatMs(); };
    aggregator = new HealthAggregator(config, &status, beats, clock);
    writer = new HistoryWriter(q->databasePath(), config.retention, &status, clock);
    DegradationController *controller = degradation;
    aggregator->addReadinessCheck([controller] {
        // EMERGENCY sheds traffic through readiness; liveness never looks at degradation.
        const auto s = controller->snapshotPtr();
        const bool ok = s->level != DegradationLevel::Emergency;
        return ReadinessCheck { QStringLiteral("degradation"), ok,
            QStringLiteral("%1: %2").arg(toString(s->level), s->reason) };
    });
}

void Engine::Private::connectServices()
{
    QObject::connect(sampler, &HostSampler::sampled, aggregator, &HealthAggregator::onHostSample);
    QObject::connect(
        monitor, &TargetMonitor::targetsUpdated, aggregator, &HealthAggregator::onTargets);
    QObject::connect(monitor, &TargetMonitor::targetTransitioned, q,
        [this](const QString &name, TargetState from, TargetState to, const QString &reason) {
            qCInfo(lcEngine).noquote()
                << "target" << name << toString(from) << "->" << toString(to)
                << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
            if (audit)
                audit->record({ AuditStreams::resilience(), QStringLiteral("engine"),
                    QStringLiteral("target.transition"),
                    { { QStringLiteral("target"), name },
                        { QStringLiteral("from"), toString(from) },
                        { QStringLiteral("to"), toString(to) },
                        { QStringLiteral("reason"), reason } },
                    clock->nowMs() });
        });
    QObject::connect(
        aggregator, &HealthAggregator::readinessChanged, q, [this](const Readiness &r) {
            QStringList failing;
            for (const ReadinessCheck &c : r.checks)
                if (!c.ok)
                    failing.append(c.name);
            const QString key = r.ready ? QStringLiteral("ready") : failing.join(QLatin1Char(','));
            if (!audit || key == lastReadiness)
                return;
            lastReadiness = key;
            audit->record({ AuditStreams::resilience(), QStringLiteral("engine"),
                QStringLiteral("readiness.changed"),
                { { QStringLiteral("state"),
                      r.ready ? QStringLiteral("ready") : QStringLiteral("not_ready") },
                    { QStringLiteral("failing"), failing.join(QLatin1Char(',')) } },
                clock->nowMs() });
        });
    QObject::connect(
        monitor, &TargetMonitor::targetsUpdated, supervisor, &ProcessSupervisor::onTargetsUpdated);
    QObject::connect(
        supervisor, &ProcessSupervisor::targetResetRequested, monitor, &TargetMonitor::resetTarget);
    QObject::connect(
        supervisor, &ProcessSupervisor::processesChanged, q, &Engine::processesChanged);
    QObject::connect(supervisor, &ProcessSupervisor::logLines, q, &Engine::processLogLines);
    QObject::connect(supervisor, &ProcessSupervisor::eventOccurred, q, &Engine::processEvent);
    QObject::connect(aggregator, &HealthAggregator::historyPoints, writer, &HistoryWriter::record);
    QObject::connect(aggregator, &HealthAggregator::hostSampled, q, &Engine::hostSampled);
    QObject::connect(aggregator, &HealthAggregator::targetsChanged, q, &Engine::targetsChanged);
    QObject::connect(aggregator, &HealthAggregator::healthChanged, q, &Engine::healthChanged);
    QObject::connect(aggregator, &HealthAggregator::readinessChanged, q, &Engine::readinessChanged);
    QObject::connect(aggregator, &HealthAggregator::healthChanged, degradation,
        &DegradationController::onHealth);
    QObject::connect(
        degradation, &DegradationController::historyPoints, writer, &HistoryWriter::record);
    QObject::connect(
        degradation, &DegradationController::snapshotChanged, q, &Engine::degradationChanged);
    // The engine enforces the features it owns: its background work is history maintenance.
    HistoryWriter *historyWriter = writer;
    QObject::connect(degradation, &DegradationController::snapshotChanged, historyWriter,
        [historyWriter](const DegradationSnapshot &s) {
            historyWriter->setMaintenancePaused(
                !s.feature(QStringLiteral("background_tasks")).enabled);
        });
}

void Engine::Private::startServiceThreads(const QList<TargetSpec> &targets)
{
    auto *core = new WorkerThread("shivx-core", aggregator);
    core->adopt(degradation);
    threads = { new WorkerThread("shivx-storage", writer), core,
        new WorkerThread("shivx-sampler", sampler), new WorkerThread("shivx-probes", monitor),
        new WorkerThread("shivx-supervisor", supervisor) };
    if (api)
        threads.append(new WorkerThread("shivx-api", api));
    for (QThread *t : std::as_const(threads))
        t->start();

    QMetaObject::invokeMethod(writer, &HistoryWriter::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(aggregator, &HealthAggregator::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(degradation, &DegradationController::start, Qt::QueuedConnection);
    const bool pauseMaintenance
        = !degradation->snapshot().feature(QStringLiteral("background_tasks")).enabled;
    HistoryWriter *historyWriter = writer;
    QMetaObject::invokeMethod(
        historyWriter,
        [historyWriter, pauseMaintenance] {
            historyWriter->setMaintenancePaused(pauseMaintenance);
        },
        Qt::QueuedConnection);
    QMetaObject::invokeMethod(sampler, &HostSampler::start, Qt::QueuedConnection);
    TargetMonitor *targetMonitor = monitor;
    ProcessSupervisor *processSupervisor = supervisor;
    // Blocking: once start() returns, every target and its breaker is visible to the API, so
    // the first request after "listening on" already sees them.
    QMetaObject::invokeMethod(
        targetMonitor, [targetMonitor, targets] { targetMonitor->setTargets(targets); },
        Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        targetMonitor,
        [targetMonitor, processSupervisor] {
            targetMonitor->start();
            // After setTargets, so that the startup grace the supervisor asks for finds its target.
            QMetaObject::invokeMethod(
                processSupervisor, &ProcessSupervisor::start, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}

} // namespace Shivx
