#include "core/engine.h"

#include "api/apitoken.h"
#include "api/httpapi.h"
#include "audit/auditsink.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "core/enginestatus.h"
#include "degradation/degradationapi.h"
#include "degradation/degradationcontroller.h"
#include "health/healthaggregator.h"
#include "health/hostsampler.h"
#include "health/targetmonitor.h"
#include "telemetry/historystore.h"
#include "telemetry/historywriter.h"
#include "telemetry/prometheusexposition.h"

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
    qRegisterMetaType<DegradationLevel>();
    qRegisterMetaType<DegradationSnapshot>();
    qRegisterMetaType<DegradationTransition>();
    qRegisterMetaType<FeatureState>();
}

// A worker thread named for `ps -L` and gdb, whose objects are deleted on it when it ends.
QThread *makeThread(const char *name, QObject *worker)
{
    auto *thread = new QThread;
    thread->setObjectName(QString::fromLatin1(name));
    worker->moveToThread(thread);
    QObject::connect(thread, &QThread::finished, worker, &QObject::deleteLater);
    return thread;
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
    AuditSink *audit = nullptr; // the audit chain writer; services record their events here
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
HostSample Engine::lastHostSample() const { return d->status.host(); }
QList<TargetStatus> Engine::targets() const { return d->status.targets(); }
HealthReport Engine::health() const { return d->status.health(); }

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

    const Config &config = d->options.config;
    const qint64 now = d->clock->nowMs();
    d->status.startedAtMs.store(now);
    d->status.coreHeartbeatMs.store(now);

    QList<TargetSpec> targets = config.targets;
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
            return renderEngineMetrics(in) + DegradationApi::metrics(*d->degradation->snapshotPtr());
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
        const QString authority = QStringLiteral("%1:%2").arg(host).arg(port);
        for (auto &t : targets) {
            if (t.urlTemplate.contains(QLatin1String("${api}")))
                t.url = QUrl(QString(t.urlTemplate).replace(QLatin1String("${api}"), authority));
        }
        QSaveFile addr(DataDir::apiAddressPath(d->dataDir));
        if (addr.open(QIODevice::WriteOnly)) {
            addr.write(d->apiUrl.toString().toUtf8() + '\n');
            addr.commit();
        }
    } else {
        // Without an API there is nothing behind ${api}; probing it would only report DOWN.
        targets.erase(std::remove_if(targets.begin(), targets.end(),
                                     [](const TargetSpec &t) {
                                         return t.urlTemplate.contains(QLatin1String("${api}"));
                                     }),
                      targets.end());
    }

    d->sampler = new HostSampler(config.sampleIntervalMs, config.ignoreFsTypes, d->clock);
    d->monitor = new TargetMonitor(d->clock);
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
            [](const QString &name, TargetState from, TargetState to, const QString &reason) {
                qCInfo(lcEngine).noquote() << "target" << name << toString(from) << "->" << toString(to)
                                           << (reason.isEmpty() ? QString() : QStringLiteral("(%1)").arg(reason));
            });
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

    QThread *core = makeThread("shivx-core", d->aggregator);
    d->degradation->moveToThread(core);
    connect(core, &QThread::finished, d->degradation, &QObject::deleteLater);
    d->threads = {makeThread("shivx-storage", d->writer), core,
                  makeThread("shivx-sampler", d->sampler), makeThread("shivx-probes", d->monitor)};
    if (d->api)
        d->threads.append(makeThread("shivx-api", d->api));
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
    QMetaObject::invokeMethod(d->monitor, [monitor, targets] {
        monitor->setTargets(targets);
        monitor->start();
    }, Qt::QueuedConnection);

    qCInfo(lcEngine).noquote() << "engine started; data directory" << d->dataDir << "configuration"
                               << config.sourceFile << "sha256"
                               << QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    d->state = EngineState::Running;
    Q_EMIT stateChanged(d->state);
    return {};
}

void Engine::stop()
{
    if (d->threads.isEmpty() && !d->api) {
        // A start that failed before the threads ran leaves the controller on this thread.
        delete d->degradation;
        d->degradation = nullptr;
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
    blocking(d->sampler, &HostSampler::stop);
    blocking(d->aggregator, &HealthAggregator::stop);
    blocking(d->degradation, &DegradationController::stop);
    blocking(d->writer, &HistoryWriter::finish);

    // Quit in reverse start order; each thread deletes its worker on finish.
    for (auto it = d->threads.rbegin(); it != d->threads.rend(); ++it) {
        (*it)->quit();
        (*it)->wait();
        delete *it;
    }
    d->threads.clear();
    d->api = nullptr; // deleted on its thread when that thread finished
    d->sampler = nullptr;
    d->monitor = nullptr;
    d->aggregator = nullptr;
    d->degradation = nullptr;
    d->writer = nullptr;
    if (!d->dataDir.isEmpty() && d->apiUrl.isValid())
        QFile::remove(DataDir::apiAddressPath(d->dataDir));
    d->apiUrl.clear();
    d->state = EngineState::Stopped;
    Q_EMIT stateChanged(d->state);
}

} // namespace Shivx
