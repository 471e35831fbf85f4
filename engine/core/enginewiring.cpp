// How Engine::start() builds the core's services and offers the modules their ModuleHost.
// engine.cpp holds the order of the steps, the public methods and stop().

#include "core/callonthread.h"
#include "core/engine_p.h"

#include "api/apiguard.h"
#include "api/apitoken.h"
#include "api/httpapi.h"
#include "api/streamhub.h"
#include "api/streampublisher.h"
#include "audit/auditmetrics.h"
#include "audit/auditsink.h"
#include "audit/auditwriter.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "core/enginemodule.h"
#include "core/readinessmonitor.h"
#include "core/workerthread.h"
#include "executor/executormetrics.h"
#include "telemetry/historywriter.h"
#include "telemetry/metrichistoryfeed.h"
#include "telemetry/metricpush.h"
#include "telemetry/metricregistry.h"
#include "telemetry/prometheusexposition.h"

#include <QCryptographicHash>
#include <QSaveFile>
#include <QThread>

namespace Shivx {

namespace {
// How often the registry's series are copied into the history: often enough for alert
// previews and charts, rare enough that a few hundred series cost little (docs/metrics.md).
constexpr int metricHistoryIntervalMs = 10'000;
} // namespace

QString Engine::Private::databasePath() const
{
    return DataDir::databasePath(resolvedDataDir);
}

void Engine::Private::placeOnThread(const char *threadName, QObject *worker)
{
    const QString name = QString::fromLatin1(threadName);
    for (WorkerThread *t : std::as_const(threads)) {
        if (t->objectName() == name) {
            t->adopt(worker);
            return;
        }
    }
    threads.append(new WorkerThread(threadName, worker));
}

void Engine::Private::addRoutes(const QList<ApiRoute> &routes)
{
    if (api)
        api->addRoutes(routes);
}

void Engine::Private::setApiGuard(std::shared_ptr<ApiGuard> guard)
{
    if (api)
        api->setGuard(std::move(guard));
}

void Engine::Private::addReadinessChecks(std::function<QList<ReadinessCheck>()> checks)
{
    readinessChecks.append(std::move(checks));
}

Readiness Engine::Private::readiness() const
{
    Readiness r;
    r.ready = true;
    for (const auto &checks : readinessChecks)
        for (const ReadinessCheck &c : checks()) {
            r.checks.append(c);
            r.ready = r.ready && c.ok;
        }
    return r;
}

void Engine::Private::setBackgroundWorkPaused(bool paused)
{
    if (backgroundPaused.exchange(paused) == paused || !pool)
        return;
    qCInfo(lcEngine) << (paused ? "background work paused (background_tasks off)"
                                : "background work resumed");
    pool->setCondition(backgroundTasksOff(), paused);
}

QList<ModuleRuntime *> Engine::Private::runtimes() const
{
    QList<ModuleRuntime *> out;
    for (const auto &m : modules)
        out.append(m.get());
    return out;
}

Result<void> Engine::Private::startAuditWriter()
{
    auditWriter = new AuditWriter(resolvedDataDir, options.config.audit, theClock);
    auditThread = new WorkerThread("shivx-audit", auditWriter);
    auditThread->start();
    Result<void> opened;
    AuditWriter *chainWriter = auditWriter;
    callOnThread(chainWriter, [chainWriter, &opened] { opened = chainWriter->open(); });
    if (!opened)
        return opened.error();
    auditSink = auditWriter;
    const Config &c = options.config;
    auditSink->record(
        { AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("config.loaded"),
            { { QStringLiteral("file"), c.sourceFile },
                { QStringLiteral("bytes"), qint64(c.sourceBytes.size()) },
                { QStringLiteral("sha256"),
                    QString::fromLatin1(
                        QCryptographicHash::hash(c.sourceBytes, QCryptographicHash::Sha256)
                            .toHex()) } },
            0 });
    return {};
}

void Engine::Private::createCoreServices()
{
    backgroundPaused.store(false); // a new pool starts with background work running
    pool = std::make_unique<BoundedExecutor>(options.config.section<ExecutorConfig>());
    // Maintenance that finds the queue full is dropped: the next minute's run does its work.
    pool->registerKind({ HistoryWriter::maintenanceKind(), TaskPriority::Background,
        { backgroundTasksOff() }, RejectionPolicy::Drop });
    BoundedExecutor *executor = pool.get();
    historyWriter
        = new HistoryWriter(databasePath(), options.config.retention, &engineStatus, theClock);
    historyWriter->setWriteInterval(int(options.config.historyWriteMs));
    historyWriter->setExecutor(executor);
    placeOnThread("shivx-storage", historyWriter);
    const Private *self = this;
    registry = std::make_unique<MetricRegistry>();
    registerCoreMetrics(*registry, [self] {
        CoreMetricsInput in;
        in.startedAtMs = self->engineStatus.startedAtMs.load();
        in.readiness = self->readiness();
        const auto storage = self->engineStatus.storage();
        in.historyPointsWritten = storage.pointsWritten;
        in.historyWriteErrors = storage.writeErrors;
        in.historyPointsDropped = storage.pointsDropped;
        if (self->api)
            in.apiRequestsByCode = self->api->requestCounts();
        return in;
    });
    registerExecutorMetrics(*registry, [executor] { return executor->metrics(); });
    if (auditWriter)
        registerAuditMetrics(*registry, auditWriter);
    historyFeed = new MetricHistoryFeed(registry.get(), theClock, metricHistoryIntervalMs);
    QObject::connect(
        historyFeed, &MetricHistoryFeed::historyPoints, historyWriter, &HistoryWriter::record);
    placeOnThread("shivx-core", historyFeed);
    readinessMonitor = new ReadinessMonitor(
        &engineStatus, [self] { return self->readiness(); }, auditSink, theClock);
    QObject::connect(
        readinessMonitor, &ReadinessMonitor::readinessChanged, q, &Engine::readinessChanged);
    placeOnThread("shivx-core", readinessMonitor);
}

Result<void> Engine::Private::bindApi()
{
    const QString listen = options.listen.isEmpty() ? options.config.listen : options.listen;
    const Private *self = this;
    api = new HttpApi([self] { return self->registry->render(); });
    api->setMetricRegistry(registry.get());
    // Custom metrics in (POST /api/metrics): into the history, beside the engine's own.
    api->addRoutes({ MetricPush::route(std::make_shared<MetricPush>(historyWriter, theClock)) });
    auto token = ApiToken::loadOrCreate(resolvedDataDir);
    if (!token) {
        delete api;
        api = nullptr;
        return token.error();
    }
    api->setToken(token.value());
    api->setAllowedHosts(options.config.allowedHosts);
    const Result<quint16> port = api->bindTo(listen);
    if (!port) {
        delete api;
        api = nullptr;
        return port.error();
    }
    const QString host = listen.left(listen.lastIndexOf(QLatin1Char(':')));
    apiUrl = QUrl(QStringLiteral("http://%1:%2").arg(host).arg(*port));
    authority = QStringLiteral("%1:%2").arg(host).arg(*port);
    connectStream();
    return {};
}

StreamPublisher *Engine::Private::stream() const
{
    return api ? streamPublisher.get() : nullptr;
}

void Engine::Private::connectStream()
{
    if (!streamPublisher)
        streamPublisher = std::make_unique<StreamPublisher>();
    StreamPublisher *stream = streamPublisher.get();
    api->streamHub()->setPublisher(stream);
    // Direct: publishing is thread-safe and returns at once when nobody listens.
    QObject::connect(
        historyWriter, &HistoryWriter::pointsRecorded, historyWriter,
        [stream](const QList<SamplePoint> &points) { stream->publishSamples(points); },
        Qt::DirectConnection);
    if (!auditWriter)
        return;
    QObject::connect(
        auditWriter, &AuditWriter::entriesAppended, auditWriter,
        [stream](const QList<AuditEvent> &events) {
            for (const AuditEvent &e : events)
                stream->publish(QStringLiteral("audit"), QString(),
                    { { QStringLiteral("stream"), e.stream }, { QStringLiteral("actor"), e.actor },
                        { QStringLiteral("action"), e.action }, { QStringLiteral("data"), e.data },
                        { QStringLiteral("ts"), e.tsMs } });
        },
        Qt::DirectConnection);
}

Result<void> Engine::Private::prepareModules()
{
    for (const auto &m : modules)
        if (auto r = m->prepare(*this); !r)
            return r;
    return {};
}

void Engine::Private::startThreadsAndModules()
{
    // The API serves last: every route's service exists by then.
    if (api) {
        threads.append(new WorkerThread("shivx-api", api));
        apiOnThread = true;
    }
    for (QThread *t : std::as_const(threads))
        t->start();
    QMetaObject::invokeMethod(historyWriter, &HistoryWriter::start, Qt::QueuedConnection);
    QMetaObject::invokeMethod(historyFeed, &MetricHistoryFeed::start, Qt::QueuedConnection);
    for (const auto &m : modules)
        m->start(*this);
    QMetaObject::invokeMethod(readinessMonitor, &ReadinessMonitor::start, Qt::QueuedConnection);
}

void Engine::Private::publishApiAddress()
{
    QSaveFile addr(DataDir::apiAddressPath(resolvedDataDir));
    if (addr.open(QIODevice::WriteOnly)) {
        addr.write(apiUrl.toString().toUtf8() + '\n');
        addr.commit();
    }
}

} // namespace Shivx
