#pragma once

// Shared by the files that implement Engine: engine.cpp (lifecycle, the public methods,
// stop) and enginewiring.cpp (how start() builds the services, connects them and starts
// their threads). Not part of the engine's interface.

#include "core/engine.h"
#include "core/enginestatus.h"

#include <QList>
#include <QLoggingCategory>
#include <QString>
#include <QUrl>

#include <memory>

class QThread;

Q_DECLARE_LOGGING_CATEGORY(lcEngine)

namespace Shivx {

class AuditSink;
class AuditWriter;
class BreakerRegistry;
class DegradationController;
class HealthAggregator;
class HistoryWriter;
class HostSampler;
class HttpApi;
class ProcessSupervisor;
class TargetMonitor;

namespace Internal {

// The targets as they will be probed: "${api}" resolved to the bound API address, and
// targets on the engine's own API dropped when there is none (they could only report DOWN).
QList<TargetSpec> resolvedTargets(QList<TargetSpec> targets, const QString &apiAuthority);

} // namespace Internal

struct Engine::Private
{
    explicit Private(Engine *engine)
        : q(engine)
    {
    }
    ~Private();

    // The steps of Engine::start() (enginewiring.cpp), in the order it calls them. A step
    // that fails leaves what it built for Engine::stop() to take down.

    // Starts the audit writer on its thread (first, so that it sees every other service's
    // events) and records the configuration that was loaded.
    Result<void> startAuditWriter();
    // Creates the HTTP API with its routes and token and binds it; sets apiUrl and
    // apiAuthority and writes DATA_DIR/api-address. Needs supervisor and degradation.
    Result<void> startApi();
    // Creates the sampler, the target monitor, the health aggregator and the history writer.
    void createHealthServices();
    // Connects the services to each other and to the Engine's signals.
    void connectServices();
    // Moves each service to its named thread, starts the threads and the services, and
    // hands the monitor `targets`.
    void startServiceThreads(const QList<TargetSpec> &targets);

    Engine *const q;
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
    QString lastReadiness; // "ready" or the failing checks, to audit changes only
    std::unique_ptr<BreakerRegistry>
        breakers; // lives as long as the Engine: probes hold its breakers
    QString apiAuthority; // "127.0.0.1:PORT" while the API listens
    QList<QThread *> threads;
};

} // namespace Shivx
