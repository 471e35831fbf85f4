#include "core/engine.h"

#include "api/apitoken.h"
#include "api/httpapi.h"
#include "audit/auditsink.h"
#include "audit/auditwriter.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "core/enginestatus.h"
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
#include "telemetry/historystore.h"
#include "telemetry/historywriter.h"
#include "telemetry/prometheusexposition.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QTcpServer>
#include <QThread>

Q_LOGGING_CATEGORY(lcEngine, "shivx.engine")

namespace Shivx {

QString toString(EngineState state)
{
    switch (state) {
    case EngineState::Stopped: return QStringLiteral("stopped");
    case EngineState::Starting: return QStringLiteral("starting");
    case EngineState::Running: return QStringLiteral("running");
    case EngineState::Stopping: return QStringLiteral("stopping");
    case EngineState::Failed: return QStringLiteral("failed");
    }
    return {};
}

namespace {

void registerMetaTypes()
{
    qRegisterMetaType<HostSample>();
    qRegisterMetaType<TargetStatus>();
    qRegisterMetaType<QList<TargetStatus>>();
    qRegisterMetaType<QList<TargetSpec>>();
    qRegisterMetaType<HealthReport>();
    qRegisterMetaType<Readiness>();
    qRegisterMetaType<EngineState>();
    qRegisterMetaType<TargetState>();
    qRegisterMetaType<QList<SamplePoint>>();
    qRegisterMetaType<BreakerSnapshot>();
    qRegisterMetaType<QList<BreakerSnapshot>>();
    qRegisterMetaType<BreakerTransition>();
    qRegisterMetaType<BreakerState>();
    qRegisterMetaType<ProcessSnapshot>();
    qRegisterMetaType<QList<ProcessSnapshot>>();
    qRegisterMetaType<ProcessEvent>();
    qRegisterMetaType<DegradationLevel>();
    qRegisterMetaType<DegradationSnapshot>();
    qRegisterMetaType<DegradationTransition>();
    qRegisterMetaType<FeatureState>();
}

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

} // namespace

struct Engine::Private
{
    Options options;
    Clock *clock = nullptr;
    QString dataDir;
    EngineState state = EngineState::Stopped;
    EngineStatus status;
    QUrl apiUrl;

    HostSampler *sampler = nullptr;
    TargetMonitor *monitor = nullptr;
    HealthAggregator *aggregator = nullptr;
    HistoryWriter *writer = nullptr;
    DegradationController *degradation = nullptr;
    HttpApi *api = nullptr;
    ProcessSupervisor *supervisor = nullptr;
    AuditSink *audit = nullptr; // the audit chain writer; services record their events here
    AuditWriter *auditWriter = nullptr; // == audit, on auditThread (started first, stopped last)
    QThread *auditThread = nullptr;
    QString lastReadiness;      // "ready" or the failing checks, to audit changes only
    std::unique_ptr<BreakerRegistry> breakers; // lives as long as the Engine: probes hold its breakers
    QString apiAuthority; // "127.0.0.1:PORT" while the API listens
    QList<QThread *> threads;
};

Engine::Engine(Options options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>())
{
    registerMetaTypes();
    d->options = std::move(options);
    d->clock = d->options.clock ? d->options.clock : Clock::system();
    d->dataDir = DataDir::resolve(d->options.dataDir, d->options.config.dataDir);
    d->breakers = std::make_unique<BreakerRegistry>(d->clock);
    connect(d->breakers.get(), &BreakerRegistry::transitioned, this, &Engine::breakerTransitioned,
            Qt::QueuedConnection);
}

Engine::~Engine()
{
    stop();
}

QString Engine::defaultDataDir()
{
    return DataDir::defaultPath();
}

EngineState Engine::state() const { return d->state; }
const Config &Engine::config() const { return d->options.config; }
QString Engine::dataDir() const { return d->dataDir; }
QString Engine::databasePath() const { return DataDir::databasePath(d->dataDir); }
QUrl Engine::apiUrl() const { return d->apiUrl; }
AuditSink *Engine::auditSink() const { return d->audit; }

void Engine::recordOperatorAction(const QString &action, const QJsonObject &data, const QString &actor)
{
    if (d->audit)
        d->audit->record(AuditEvent{AuditStreams::operatorActions(), actor, action, data, d->clock->nowMs()});
}
HostSample Engine::lastHostSample() const { return d->status.host(); }
QList<TargetStatus> Engine::targets() const { return d->status.targets(); }
HealthReport Engine::health() const { return d->status.health(); }

QList<BreakerSnapshot> Engine::breakers() const { return d->breakers->snapshots(); }

Result<BreakerSnapshot> Engine::forceBreaker(const QString &name, BreakerForce force,
                                             const QString &actor)
{
    return d->breakers->force(name, force, actor);
}

Result<void> Engine::reloadConfiguration(const Config &config)
{
    Config &current = d->options.config;
    current.sourceFile = config.sourceFile;
    current.sourceBytes = config.sourceBytes;
    current.recovery = config.recovery;
    current.targets = config.targets;
    if (d->state == EngineState::Running && d->monitor) {
        TargetMonitor *monitor = d->monitor;
        const QList<TargetSpec> targets = resolvedTargets(config.targets, d->apiAuthority);
        // Blocking: when this returns, breakers are retuned and the API shows the new set.
        QMetaObject::invokeMethod(monitor, [monitor, targets] { monitor->setTargets(targets); },
                                  Qt::BlockingQueuedConnection);
    }
    const QByteArray sha = QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    qCInfo(lcEngine).noquote() << "configuration reloaded from" << config.sourceFile << "sha256" << sha
                               << "(targets and recovery applied; other settings apply at the next start)";
    if (d->audit)
        d->audit->record(AuditEvent{AuditStreams::resilience(), QStringLiteral("engine"),
                                    QStringLiteral("config.reloaded"),
                                    QJsonObject{{QStringLiteral("source"), config.sourceFile},
                                                {QStringLiteral("sha256"), QString::fromLatin1(sha)},
                                                {QStringLiteral("targets"), int(config.targets.size())}},
                                    d->clock->nowMs()});
    Q_EMIT configurationReloaded(config.sourceFile);
    return {};
}

QList<ProcessSnapshot> Engine::processes() const
{
    return d->supervisor ? d->supervisor->snapshot() : QList<ProcessSnapshot>();
}

bool Engine::startProcess(const QString &name, const QString &actor)
{
    return d->supervisor && d->supervisor->startProcess(name, actor);
}

bool Engine::stopProcess(const QString &name, const QString &actor)
{
    return d->supervisor && d->supervisor->stopProcess(name, actor);
}

bool Engine::restartProcess(const QString &name, const QString &actor)
{
    return d->supervisor && d->supervisor->restartProcess(name, actor);
}

Readiness Engine::readiness() const
{
    if (!d->aggregator)
        return Readiness{false, {{QStringLiteral("engine"), false, toString(d->state)}}};
    return d->aggregator->currentReadiness();
}

DegradationSnapshot Engine::degradation() const
{
    if (d->degradation)
        return d->degradation->snapshot();
    DegradationSnapshot s;
    s.reason = QStringLiteral("engine not running");
    s.features = d->options.config.degradation.features.at(s.level);
    return s;
}

Result<DegradationSnapshot> Engine::pinDegradation(DegradationLevel level, const QString &reason,
                                                   qint64 durationMs, const QString &actor)
{
    if (!d->degradation)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    return d->degradation->pin(level, reason, durationMs, actor);
}

Result<DegradationSnapshot> Engine::releaseDegradation(const QString &actor)
{
    if (!d->degradation)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    bool released = false;
    DegradationSnapshot s = d->degradation->release(actor, &released);
    if (!released)
        return makeError("degradation.not_pinned", QStringLiteral("no pin to release"));
    return s;
}

Result<void> Engine::start()
{
    if (d->state == EngineState::Running)
        return {};
    d->state = EngineState::Starting;
    Q_EMIT stateChanged(d->state);
    auto fail = [this](const Error &e) -> Result<void> {
        qCWarning(lcEngine).noquote() << "engine failed to start:" << e.message;
        stop();
        d->state = EngineState::Failed;
        Q_EMIT stateChanged(d->state);
        return e;
    };

    if (auto r = DataDir::ensure(d->dataDir); !r)
        return fail(r.error());
    // Open the database once here, so that a corrupt or newer-schema file stops the start
    // with its own message instead of surfacing later as a failing readiness check.
    {
        auto store = HistoryStore::open(databasePath(), QStringLiteral("shivx-engine-start"),
                                        d->options.config.retention);
        if (!store)
            return fail(store.error());
    }

    // The audit writer starts before every other service and stops after them, so that
    // everything they record reaches the chain.
    {
        d->auditWriter = new AuditWriter(d->dataDir, d->options.config.audit, d->clock);
        d->auditThread = new WorkerThread("shivx-audit", d->auditWriter);
        d->auditThread->start();
        Result<void> opened;
        AuditWriter *writer = d->auditWriter;
        QMetaObject::invokeMethod(writer, [writer, &opened] { opened = writer->open(); },
                                  Qt::BlockingQueuedConnection);
        if (!opened)
            return fail(opened.error());
        d->audit = d->auditWriter;
        const Config &c = d->options.config;
        const QString resilience = AuditStreams::resilience();
        d->audit->record({resilience, QStringLiteral("engine"), QStringLiteral("config.loaded"),
                          {{QStringLiteral("file"), c.sourceFile},
                           {QStringLiteral("bytes"), qint64(c.sourceBytes.size())},
                           {QStringLiteral("sha256"), QString::fromLatin1(QCryptographicHash::hash(
                                c.sourceBytes, QCryptographicHash::Sha256).toHex())}}, 0});
    }

    const Config &config = d->options.config;
    const qint64 now = d->clock->nowMs();
    d->status.startedAtMs.store(now);
    d->status.coreHeartbeatMs.store(now);

    QList<TargetSpec> targets = config.targets;
    d->supervisor = new ProcessSupervisor(config.supervised, d->dataDir + QStringLiteral("/processes"),
                                          d->clock, d->audit);
    d->degradation = new DegradationController(config.degradation, d->clock, d->audit);
    const bool wantApi = d->options.startApi && config.apiEnabled;
    if (wantApi) {
        const QString listen = d->options.listen.isEmpty() ? config.listen : d->options.listen;
        HttpApi::Providers providers;
        providers.readiness = [this] { return readiness(); };
        providers.metrics = [this] {
            ExpositionInput in;
            in.host = d->status.host();
            in.targets = d->status.targets();
            in.health = d->status.health();
            in.readiness = readiness();
            in.startedAtMs = d->status.startedAtMs.load();
            const auto storage = d->status.storage();
            in.historyPointsWritten = storage.pointsWritten;
            in.historyWriteErrors = storage.writeErrors;
            in.historyPointsDropped = storage.pointsDropped;
            in.apiRequestsByCode = d->api->requestCounts();
            return renderEngineMetrics(in) + renderBreakerMetrics(d->breakers->snapshots())
                + ProcessApi::metrics(d->supervisor->snapshot())
                + DegradationApi::metrics(*d->degradation->snapshotPtr());
        };
        const qint64 livenessLimit = qMax<qint64>(15'000, 3 * config.watchdogStallMs);
        d->api = new HttpApi(&d->status, providers, d->clock, livenessLimit);
        auto token = ApiToken::loadOrCreate(d->dataDir);
        if (!token) {
            delete d->api;
            d->api = nullptr;
            return fail(token.error());
        }
        d->api->setToken(token.value());
        d->api->addRoutes(breakerRoutes(d->breakers.get()));
        d->api->addRoutes(ProcessApi::routes(d->supervisor, d->clock));
        d->api->addRoutes(DegradationApi::routes(d->degradation, d->clock));
        QString error;
        const quint16 port = d->api->bindTo(listen, &error);
        if (port == 0) {
            delete d->api;
            d->api = nullptr;
            return fail(makeError("api.listen", error));
        }
        QString host = listen.left(listen.lastIndexOf(QLatin1Char(':')));
        d->apiUrl = QUrl(QStringLiteral("http://%1:%2").arg(host).arg(port));
        d->apiAuthority = QStringLiteral("%1:%2").arg(host).arg(port);
        QSaveFile addr(DataDir::apiAddressPath(d->dataDir));
        if (addr.open(QIODevice::WriteOnly)) {
            addr.write(d->apiUrl.toString().toUtf8() + '\n');
            addr.commit();
        }
    }
    targets = resolvedTargets(targets, d->apiAuthority);

    d->sampler = new HostSampler(config.sampleIntervalMs, config.ignoreFsTypes, d->clock);
    d->monitor = new TargetMonitor(d->clock);
    d->breakers->setAuditSink(d->audit);
    d->monitor->setBreakers(d->breakers.get());
    HealthAggregator::Heartbeats beats;
    HostSampler *sampler = d->sampler;
    TargetMonitor *monitor = d->monitor;
    beats.sampler = [sampler] { return sampler->lastSampleMs(); };
    beats.probes = [monitor] { return monitor->lastHeartbeatMs(); };
    d->aggregator = new HealthAggregator(config, &d->status, beats, d->clock);
    d->writer = new HistoryWriter(databasePath(), config.retention, &d->status, d->clock);
    DegradationController *degradation = d->degradation;
    d->aggregator->addReadinessCheck([degradation] {
        // EMERGENCY sheds traffic through readiness; liveness never looks at degradation.
        const auto s = degradation->snapshotPtr();
        const bool ok = s->level != DegradationLevel::Emergency;
        return ReadinessCheck{QStringLiteral("degradation"), ok,
                              QStringLiteral("%1: %2").arg(toString(s->level), s->reason)};
    });

    connect(d->sampler, &HostSampler::sampled, d->aggregator, &HealthAggregator::onHostSample);
    connect(d->monitor, &TargetMonitor::targetsUpdated, d->aggregator, &HealthAggregator::onTargets);
    connect(d->monitor, &TargetMonitor::targetTransitioned, this,
            [this](const QString &name, TargetState from, TargetState to, const QString &reason) {
                qCInfo(lcEngine).noquote() << "target" << name << toString(from) << "->" << toString(to)
                                           << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
                if (d->audit)
                    d->audit->record({AuditStreams::resilience(), QStringLiteral("engine"),
                                      QStringLiteral("target.transition"),
                                      {{QStringLiteral("target"), name},
                                       {QStringLiteral("from"), toString(from)},
                                       {QStringLiteral("to"), toString(to)},
                                       {QStringLiteral("reason"), reason}}, d->clock->nowMs()});
            });
    connect(d->aggregator, &HealthAggregator::readinessChanged, this, [this](const Readiness &r) {
        QStringList failing;
        for (const ReadinessCheck &c : r.checks)
            if (!c.ok)
                failing.append(c.name);
        const QString key = r.ready ? QStringLiteral("ready") : failing.join(QLatin1Char(','));
        if (!d->audit || key == d->lastReadiness)
            return;
        d->lastReadiness = key;
        d->audit->record({AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("readiness.changed"),
                          {{QStringLiteral("state"), r.ready ? QStringLiteral("ready") : QStringLiteral("not_ready")},
                           {QStringLiteral("failing"), failing.join(QLatin1Char(','))}}, d->clock->nowMs()});
    });
    connect(d->monitor, &TargetMonitor::targetsUpdated, d->supervisor, &ProcessSupervisor::onTargetsUpdated);
    connect(d->supervisor, &ProcessSupervisor::targetResetRequested, d->monitor, &TargetMonitor::resetTarget);
    connect(d->supervisor, &ProcessSupervisor::processesChanged, this, &Engine::processesChanged);
    connect(d->supervisor, &ProcessSupervisor::logLines, this, &Engine::processLogLines);
    connect(d->supervisor, &ProcessSupervisor::eventOccurred, this, &Engine::processEvent);
    connect(d->aggregator, &HealthAggregator::historyPoints, d->writer, &HistoryWriter::record);
    connect(d->aggregator, &HealthAggregator::hostSampled, this, &Engine::hostSampled);
    connect(d->aggregator, &HealthAggregator::targetsChanged, this, &Engine::targetsChanged);
    connect(d->aggregator, &HealthAggregator::healthChanged, this, &Engine::healthChanged);
    connect(d->aggregator, &HealthAggregator::readinessChanged, this, &Engine::readinessChanged);
    connect(d->aggregator, &HealthAggregator::healthChanged, d->degradation,
            &DegradationController::onHealth);
    connect(d->degradation, &DegradationController::historyPoints, d->writer, &HistoryWriter::record);
    connect(d->degradation, &DegradationController::snapshotChanged, this, &Engine::degradationChanged);
    // The engine enforces the features it owns: its background work is history maintenance.
    HistoryWriter *writer = d->writer;
    connect(d->degradation, &DegradationController::snapshotChanged, writer,
            [writer](const DegradationSnapshot &s) {
                writer->setMaintenancePaused(!s.feature(QStringLiteral("background_tasks")).enabled);
            });

    auto *core = new WorkerThread("shivx-core", d->aggregator);
    core->adopt(d->degradation);
    d->threads = {new WorkerThread("shivx-storage", d->writer), core,
                  new WorkerThread("shivx-sampler", d->sampler), new WorkerThread("shivx-probes", d->monitor),
                  new WorkerThread("shivx-supervisor", d->supervisor)};
    if (d->api)
        d->threads.append(new WorkerThread("shivx-api", d->api));
    for (QThread *t : std::as_const(d->threads))
        t->start();

    QMetaObject::invokeMethod(d->writer, &HistoryWriter::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(d->aggregator, &HealthAggregator::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(d->degradation, &DegradationController::start, Qt::QueuedConnection);
    const bool pauseMaintenance
        = !d->degradation->snapshot().feature(QStringLiteral("background_tasks")).enabled;
    QMetaObject::invokeMethod(writer, [writer, pauseMaintenance] {
        writer->setMaintenancePaused(pauseMaintenance);
    }, Qt::QueuedConnection);
    QMetaObject::invokeMethod(d->sampler, &HostSampler::start, Qt::QueuedConnection);
    ProcessSupervisor *supervisor = d->supervisor;
    QMetaObject::invokeMethod(d->monitor, [monitor, targets, supervisor] {
        monitor->setTargets(targets);
        monitor->start();
        // After setTargets, so that the startup grace the supervisor asks for finds its target.
        QMetaObject::invokeMethod(supervisor, &ProcessSupervisor::start, Qt::QueuedConnection);
    }, Qt::QueuedConnection);

    qCInfo(lcEngine).noquote() << "engine started; data directory" << d->dataDir << "configuration"
                               << config.sourceFile << "sha256"
                               << QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    d->audit->record({AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("engine.started"),
                      {{QStringLiteral("data_dir"), d->dataDir},
                       {QStringLiteral("api"), d->apiUrl.toString()},
                       {QStringLiteral("pid"), qint64(QCoreApplication::applicationPid())}}, 0});
    d->state = EngineState::Running;
    Q_EMIT stateChanged(d->state);
    return {};
}

void Engine::stop()
{
    // A start that failed before the worker threads ran leaves the supervisor and the
    // degradation controller on this thread, never started: a blocking call into them would
    // deadlock, and nothing else owns them.
    if (d->supervisor && d->supervisor->thread() == thread()) {
        delete d->supervisor;
        d->supervisor = nullptr;
    }
    if (d->degradation && d->degradation->thread() == thread()) {
        delete d->degradation;
        d->degradation = nullptr;
    }
    if (d->threads.isEmpty() && !d->api && !d->auditThread) {
        if (d->state == EngineState::Running || d->state == EngineState::Starting) {
            d->state = EngineState::Stopped;
            Q_EMIT stateChanged(d->state);
        }
        return;
    }
    d->state = EngineState::Stopping;
    Q_EMIT stateChanged(d->state);

    // Order matters: stop producers first (API, probes, sampler), then the aggregator, and
    // the writer last so that it flushes everything the others produced.
    auto blocking = [](auto *obj, auto method) {
        if (obj && obj->thread()->isRunning())
            QMetaObject::invokeMethod(obj, method, Qt::BlockingQueuedConnection);
    };
    if (d->api && d->api->thread()->isRunning()) {
        HttpApi *api = d->api;
        QMetaObject::invokeMethod(api, [api] {
            for (auto *server : api->servers())
                server->close();
        }, Qt::BlockingQueuedConnection);
    }
    blocking(d->monitor, &TargetMonitor::stop);
    blocking(d->supervisor, &ProcessSupervisor::shutdown);
    blocking(d->sampler, &HostSampler::stop);
    blocking(d->aggregator, &HealthAggregator::stop);
    blocking(d->degradation, &DegradationController::stop);
    blocking(d->writer, &HistoryWriter::finish);

    // Quit in reverse start order; each thread deletes its workers as it ends (WorkerThread).
    for (auto it = d->threads.rbegin(); it != d->threads.rend(); ++it) {
        (*it)->quit();
        (*it)->wait();
        delete *it;
    }
    d->threads.clear();
    d->api = nullptr; // deleted on its thread when that thread finished
    d->sampler = nullptr;
    d->monitor = nullptr;
    d->supervisor = nullptr;
    d->aggregator = nullptr;
    d->degradation = nullptr;
    d->writer = nullptr;
    if (d->auditThread) {
        AuditWriter *writer = d->auditWriter;
        if (d->audit)
            d->audit->record({AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("engine.stopped"),
                              {{QStringLiteral("uptime_ms"), d->clock->nowMs() - d->status.startedAtMs.load()}}, 0});
        d->audit = nullptr;
        d->breakers->setAuditSink(nullptr); // the registry outlives the writer
        QMetaObject::invokeMethod(writer, [writer] { writer->finish(); }, Qt::BlockingQueuedConnection);
        d->auditThread->quit();
        d->auditThread->wait();
        delete d->auditThread;
        d->auditThread = nullptr;
        d->auditWriter = nullptr;
        d->lastReadiness.clear();
    }
    if (!d->dataDir.isEmpty() && d->apiUrl.isValid())
        QFile::remove(DataDir::apiAddressPath(d->dataDir));
    d->apiUrl.clear();
    d->apiAuthority.clear();
    d->state = EngineState::Stopped;
    Q_EMIT stateChanged(d->state);
}

} // namespace Shivx
