#pragma once

// Shared by the files that implement Engine: engine.cpp (lifecycle, the public methods,
// stop) and enginewiring.cpp (how start() builds the core's services and gives the modules
// their ModuleHost). Not part of the engine's interface.

#include "core/datadirlock.h"
#include "core/engine.h"
#include "core/enginestatus.h"
#include "core/modulehost.h"
#include "executor/boundedexecutor.h"

#include <QList>
#include <QLoggingCategory>
#include <QString>
#include <QUrl>

#include <atomic>
#include <memory>
#include <vector>

class QThread;

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace Shivx {

class AuditWriter;
class EngineModule;
class HistoryWriter;
class HttpApi;
class MetricHistoryFeed;
class MetricRegistry;
class ReadinessMonitor;
class StreamPublisher;
class WorkerThread;

struct Engine::Private final : public ModuleHost
{
    explicit Private(Engine *engine)
        : q(engine)
    {
    }
    ~Private();

    // ModuleHost
    const Config &config() const override { return options.config; }
    QString dataDir() const override { return resolvedDataDir; }
    QString databasePath() const override;
    Clock *clock() const override { return theClock; }
    AuditSink *audit() const override { return auditSink; }
    EngineStatus *status() const override { return &engineStatus; }
    QString apiAuthority() const override { return authority; }
    void placeOnThread(const char *threadName, QObject *worker) override;
    void addRoutes(const QList<ApiRoute> &routes) override;
    void setApiGuard(std::shared_ptr<ApiGuard> guard) override;
    MetricRegistry *metrics() const override { return registry.get(); }
    void addReadinessChecks(std::function<QList<ReadinessCheck>()> checks) override;
    Readiness readiness() const override;
    HistoryWriter *history() const override { return historyWriter; }
    StreamPublisher *stream() const override;
    void setBackgroundWorkPaused(bool paused) override;
    BoundedExecutor *executor() const override { return pool.get(); }
    QList<ModuleRuntime *> runtimes() const override;

    // The steps of Engine::start() (enginewiring.cpp), in the order it calls them. A step
    // that fails leaves what it built for Engine::stop() to take down.

    // Starts the audit writer on its thread (first, so that it sees every other service's
    // events) and records the configuration that was loaded.
    Result<void> startAuditWriter();
    // The core's own services: the executor (its kinds and metrics), the metric registry with
    // the core's families and its history feed, the history writer (`shivx-storage`,
    // maintenance on the executor) and the readiness monitor (`shivx-core`),
    // placed on their threads.
    void createCoreServices();
    // Creates the HTTP API with the core's routes and its token and binds it; sets apiUrl and
    // authority. The API serves once its thread starts, after every module is prepared.
    Result<void> bindApi();
    // Samples as the history writes them and audit entries as they are appended go to the
    // API's live stream (part of bindApi()).
    void connectStream();
    // Every module's prepare(), in order; the first failure stops.
    Result<void> prepareModules();
    // Starts the threads (the API's last), then the core's services and every module.
    void startThreadsAndModules();
    // Writes DATA_DIR/api-address for the CLI.
    void publishApiAddress();

    Engine *const q;
    Options options;
    Clock *theClock = nullptr;
    QString resolvedDataDir;
    DataDirLock dataDirLock; // held from start() until stop() has taken everything down
    EngineState state = EngineState::Stopped;
    mutable EngineStatus engineStatus;
    QUrl apiUrl;
    QString authority; // "127.0.0.1:PORT" while the API listens

    std::vector<std::unique_ptr<ModuleRuntime>> modules; // one per engineModules() entry
    QList<WorkerThread *> threads; // in creation order; started together, quit in reverse
    QList<std::function<QList<ReadinessCheck>()>> readinessChecks; // written while stopped
    std::atomic<bool> backgroundPaused { false };
    // Created by createCoreServices(), shut down after the modules stop, destroyed after
    // their stopped().
    std::unique_ptr<BoundedExecutor> pool;

    HttpApi *api = nullptr;
    // Outlives every API of this Engine (see StreamPublisher); attached to the API's hub.
    std::unique_ptr<StreamPublisher> streamPublisher;
    bool apiOnThread = false; // then `shivx-api` deletes it, else stop() does
    HistoryWriter *historyWriter = nullptr;
    // Created by createCoreServices(), dropped after stop() (the families' collectors read
    // services of that run).
    std::unique_ptr<MetricRegistry> registry;
    MetricHistoryFeed *historyFeed = nullptr; // on shivx-core
    ReadinessMonitor *readinessMonitor = nullptr;
    AuditSink *auditSink = nullptr; // the audit chain writer; services record their events here
    AuditWriter *auditWriter
        = nullptr; // == auditSink, on auditThread (started first, stopped last)
    QThread *auditThread = nullptr;
};

} // namespace Shivx
