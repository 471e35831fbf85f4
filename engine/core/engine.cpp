#include "core/engine.h"
#include "core/engine_p.h"

#include "api/httpapi.h"
#include "api/streampublisher.h"
#include "audit/auditsink.h"
#include "audit/auditwriter.h"
#include "core/callonthread.h"
#include "core/clock.h"
#include "core/datadir.h"
#include "core/enginemodule.h"
#include "core/readinessmonitor.h"
#include "core/workerthread.h"
#include "telemetry/historystore.h"
#include "telemetry/historywriter.h"
#include "telemetry/metrichistoryfeed.h"
#include "telemetry/metricregistry.h"

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

Engine::Private::~Private() = default;

Engine::Engine(Options options, QObject *parent)
    : QObject(parent)
    , d(std::make_unique<Private>(this))
{
    qRegisterMetaType<EngineState>();
    qRegisterMetaType<Readiness>();
    d->options = std::move(options);
    d->theClock = d->options.clock ? d->options.clock : Clock::system();
    d->resolvedDataDir = DataDir::resolve(d->options.dataDir, d->options.config.dataDir);
    for (const EngineModule *m : engineModules())
        d->modules.push_back(m->createRuntime(*d));
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
    return d->resolvedDataDir;
}
QString Engine::databasePath() const
{
    return d->databasePath();
}
QUrl Engine::apiUrl() const
{
    return d->apiUrl;
}
AuditSink *Engine::auditSink() const
{
    return d->auditSink;
}

QList<QObject *> Engine::services() const
{
    QList<QObject *> out;
    for (const auto &m : d->modules)
        if (QObject *s = m->service())
            out.append(s);
    return out;
}

void Engine::recordOperatorAction(
    const QString &action, const QJsonObject &data, const QString &actor)
{
    if (d->auditSink)
        d->auditSink->record(AuditEvent {
            AuditStreams::operatorActions(), actor, action, data, d->theClock->nowMs() });
}

Readiness Engine::readiness() const
{
    if (d->state != EngineState::Running)
        return Readiness { false,
            { { QStringLiteral("engine"), false,
                makeMessage(
                    "readiness.engine_state", { toString(d->state) }, toString(d->state)) } } };
    return d->readiness();
}

Result<void> Engine::reloadConfiguration()
{
    const QString file = d->options.config.sourceFile;
    if (file.isEmpty() || file.startsWith(QLatin1Char(':')))
        return makeError("config.not_reloadable",
            QStringLiteral("the engine runs on the embedded default configuration, which has no "
                           "file to read again; start it with --config FILE to reload"));
    const Result<Config> config = ConfigLoader::loadFile(file);
    if (!config)
        return config.error();
    return applyConfiguration(*config);
}

Result<void> Engine::applyConfiguration(const Config &config)
{
    d->options.config = config;
    if (d->state == EngineState::Running)
        for (const auto &m : d->modules)
            m->reload(*d, config);
    const QByteArray sha
        = QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    qCInfo(lcEngine).noquote() << "configuration reloaded from" << config.sourceFile << "sha256"
                               << sha
                               << "(what a capability cannot change while running applies at the "
                                  "next start)";
    if (d->auditSink)
        d->auditSink->record(AuditEvent { AuditStreams::resilience(), QStringLiteral("engine"),
            QStringLiteral("config.reloaded"),
            QJsonObject { { QStringLiteral("source"), config.sourceFile },
                { QStringLiteral("sha256"), QString::fromLatin1(sha) },
                { QStringLiteral("targets"), int(config.targets.size()) } },
            d->theClock->nowMs() });
    Q_EMIT configurationReloaded(config.sourceFile);
    return {};
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

    if (auto r = DataDir::ensure(d->resolvedDataDir); !r)
        return fail(r.error());
    // One engine per data directory, before anything of its store is opened or written.
    if (auto r = d->dataDirLock.acquire(d->resolvedDataDir, d->theClock->nowMs()); !r)
        return fail(r.error());
    // Open the database once here (applying every module's migrations), so that a corrupt or
    // newer-schema file stops the start with its own message instead of surfacing later as a
    // failing readiness check.
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
    const qint64 now = d->theClock->nowMs();
    d->engineStatus.startedAtMs.store(now);
    d->engineStatus.coreHeartbeatMs.store(now);

    d->createCoreServices();
    if (d->options.startApi && config.apiEnabled) {
        if (auto r = d->bindApi(); !r)
            return fail(r.error());
    }
    if (auto r = d->prepareModules(); !r)
        return fail(r.error());
    d->startThreadsAndModules();
    if (d->api)
        d->publishApiAddress();

    qCInfo(lcEngine).noquote()
        << "engine started; data directory" << d->resolvedDataDir << "configuration"
        << config.sourceFile << "sha256"
        << QCryptographicHash::hash(config.sourceBytes, QCryptographicHash::Sha256).toHex();
    d->auditSink->record(
        { AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("engine.started"),
            { { QStringLiteral("data_dir"), d->resolvedDataDir },
                { QStringLiteral("api"), d->apiUrl.toString() },
                { QStringLiteral("pid"), qint64(QCoreApplication::applicationPid()) } },
            0 });
    d->state = EngineState::Running;
    Q_EMIT stateChanged(d->state);
    return {};
}

void Engine::stop()
{
    const bool started = !d->threads.isEmpty() || d->api || d->auditThread;
    if (!started) {
        d->dataDirLock.release(); // a start that failed after taking it
        if (d->state == EngineState::Running || d->state == EngineState::Starting) {
            d->state = EngineState::Stopped;
            Q_EMIT stateChanged(d->state);
        }
        return;
    }
    d->state = EngineState::Stopping;
    Q_EMIT stateChanged(d->state);

    // Order matters: no more requests first, then every module quiets its services (the last
    // started first), then the core's; the history writer flushes last of them.
    ModuleHost::callBlocking(d->api, [](HttpApi *api) {
        for (auto *server : api->servers())
            server->close();
    });
    for (auto it = d->modules.rbegin(); it != d->modules.rend(); ++it)
        (*it)->stop(*d);
    // Queued background work is cancelled, running work finishes; the services it reports
    // to are still there (their threads quit below).
    if (d->pool)
        d->pool->shutdown(BoundedExecutor::ShutdownMode::Cancel);
    ModuleHost::callBlocking(d->readinessMonitor, [](ReadinessMonitor *m) { m->stop(); });
    ModuleHost::callBlocking(d->historyFeed, [](MetricHistoryFeed *f) {
        f->feed(); // the last values of this run
        f->stop();
    });
    ModuleHost::callBlocking(d->historyWriter, [](HistoryWriter *w) { w->finish(); });

    // Quit in reverse start order; each thread deletes its workers as it ends (WorkerThread).
    // A thread that never ran deletes them in its destructor.
    for (auto it = d->threads.rbegin(); it != d->threads.rend(); ++it) {
        (*it)->quit();
        (*it)->wait();
        delete *it;
    }
    d->threads.clear();
    if (!d->apiOnThread)
        delete d->api; // bound, but the start failed before its thread took it
    d->api = nullptr;
    d->apiOnThread = false;
    d->historyWriter = nullptr;
    d->historyFeed = nullptr;
    d->readinessMonitor = nullptr;
    for (auto it = d->modules.rbegin(); it != d->modules.rend(); ++it)
        (*it)->stopped();
    d->readinessChecks.clear();
    d->pool.reset();
    d->registry.reset();

    if (d->auditThread) {
        AuditWriter *writer = d->auditWriter;
        if (d->auditSink)
            d->auditSink->record({ AuditStreams::resilience(), QStringLiteral("engine"),
                QStringLiteral("engine.stopped"),
                { { QStringLiteral("uptime_ms"),
                    d->theClock->nowMs() - d->engineStatus.startedAtMs.load() } },
                0 });
        d->auditSink = nullptr;
        callOnThread(writer, [writer] { writer->finish(); });
        d->auditThread->quit();
        d->auditThread->wait();
        delete d->auditThread;
        d->auditThread = nullptr;
        d->auditWriter = nullptr;
    }
    if (!d->resolvedDataDir.isEmpty() && d->apiUrl.isValid())
        QFile::remove(DataDir::apiAddressPath(d->resolvedDataDir));
    d->apiUrl.clear();
    d->authority.clear();
    d->dataDirLock.release(); // last: nothing of this engine writes any more
    d->state = EngineState::Stopped;
    Q_EMIT stateChanged(d->state);
}

} // namespace Shivx
