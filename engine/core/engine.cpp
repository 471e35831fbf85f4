#include "core/engine.h"
#include "core/engine_p.h"

#include "api/httpapi.h"
#include "audit/auditsink.h"
#include "audit/auditwriter.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "degradation/degradationcontroller.h"
#include "health/healthaggregator.h"
#include "health/hostsampler.h"
#include "health/targetmonitor.h"
#include "recovery/breakerregistry.h"
#include "recovery/processsupervisor.h"
#include "telemetry/historystore.h"
#include "telemetry/historywriter.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QTcpServer>
#include <QThread>

Q_LOGGING_CATEGORY(lcEngine, "shivx.core.engine")

namespace Shivx {

QString toString(EngineState state)
{
    switch (state) {
    case EngineState::Stopped:
        return QStringLiteral("stopped");
    case EngineState::Starting:
        return QStringLiteral("starting");
    case EngineState::Running:
        return QStringLiteral("running");
    case EngineState::Stopping:
        return QStringLiteral("stopping");
    case EngineState::Failed:
        return QStringLiteral("failed");
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

} // namespace

Engine::Private::~Private() = default;

Engine::Engine(Options options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
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

EngineState Engine::state() const
{
    return d->state;
}
const Config &Engine::config() const
{
    return d->options.config;
}
QString Engine::dataDir() const
{
    return d->dataDir;
}
QString Engine::databasePath() const
{
    return DataDir::databasePath(d->dataDir);
}
QUrl Engine::apiUrl() const
{
    return d->apiUrl;
}
AuditSink *Engine::auditSink() const
{
    return d->audit;
}

void Engine::recordOperatorAction(
    const QString &action, const QJsonObject &data, const QString &actor)
{
    if (d->audit)
        d->audit->record(
            AuditEvent { AuditStreams::operatorActions(), actor, action, data, d->clock->nowMs() });
}
HostSample Engine::lastHostSample() const
{
    return d->status.host();
}
QList<TargetStatus> Engine::targets() const
{
    return d->status.targets();
}
HealthReport Engine::health() const
{
    return d->status.health();
}

QList<BreakerSnapshot> Engine::breakers() const
{
    return d->breakers->snapshots();
}

Result<BreakerSnapshot> Engine::forceBreaker(
    const QString &name, BreakerForce force, const QString &actor)
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
        const QList<TargetSpec> targets
            = Internal::resolvedTargets(config.targets, d->apiAuthority);
        // Blocking: when this returns, breakers are retuned and the API shows the new set.
        QMetaObject::invokeMethod(
            monitor, [monitor, targets] { monitor->setTargets(targets); },
            Qt::BlockingQueuedConnection);
    }
    const QByteArray sha
        = QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    qCInfo(lcEngine).noquote()
        << "configuration reloaded from" << config.sourceFile << "sha256" << sha
        << "(targets and recovery applied; other settings apply at the next start)";
    if (d->audit)
        d->audit->record(AuditEvent { AuditStreams::resilience(), QStringLiteral("engine"),
            QStringLiteral("config.reloaded"),
            QJsonObject { { QStringLiteral("source"), config.sourceFile },
                { QStringLiteral("sha256"), QString::fromLatin1(sha) },
                { QStringLiteral("targets"), int(config.targets.size()) } },
            d->clock->nowMs() });
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
        return Readiness { false, { { QStringLiteral("engine"), false, toString(d->state) } } };
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

Result<DegradationSnapshot> Engine::pinDegradation(
    DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor)
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
        auto store = HistoryStore::open(
            databasePath(), QStringLiteral("shivx-engine-start"), d->options.config.retention);
        if (!store)
            return fail(store.error());
    }

    // The audit writer starts before every other service and stops after them, so that
    // everything they record reaches the chain.
    if (auto r = d->startAuditWriter(); !r)
        return fail(r.error());

    const Config &config = d->options.config;
    const qint64 now = d->clock->nowMs();
    d->status.startedAtMs.store(now);
    d->status.coreHeartbeatMs.store(now);

    d->supervisor = new ProcessSupervisor(
        config.supervised, d->dataDir + QStringLiteral("/processes"), d->clock, d->audit);
    d->degradation = new DegradationController(config.degradation, d->clock, d->audit);
    if (d->options.startApi && config.apiEnabled) {
        if (auto r = d->startApi(); !r)
            return fail(r.error());
    }
    d->createHealthServices();
    d->connectServices();
    d->startServiceThreads(Internal::resolvedTargets(config.targets, d->apiAuthority));

    qCInfo(lcEngine).noquote()
        << "engine started; data directory" << d->dataDir << "configuration" << config.sourceFile
        << "sha256"
        << QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    d->audit->record(
        { AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("engine.started"),
            { { QStringLiteral("data_dir"), d->dataDir },
                { QStringLiteral("api"), d->apiUrl.toString() },
                { QStringLiteral("pid"), qint64(QCoreApplication::applicationPid()) } },
            0 });
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
        QMetaObject::invokeMethod(
            api,
            [api] {
                for (auto *server : api->servers())
                    server->close();
            },
            Qt::BlockingQueuedConnection);
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
            d->audit->record({ AuditStreams::resilience(), QStringLiteral("engine"),
                QStringLiteral("engine.stopped"),
                { { QStringLiteral("uptime_ms"),
                    d->clock->nowMs() - d->status.startedAtMs.load() } },
                0 });
        d->audit = nullptr;
        d->breakers->setAuditSink(nullptr); // the registry outlives the writer
        QMetaObject::invokeMethod(
            writer, [writer] { writer->finish(); }, Qt::BlockingQueuedConnection);
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
