#pragma once

#include "api/apiroute.h"
#include "core/callonthread.h"
#include "core/readinessreport.h"

#include <QList>
#include <QMetaObject>
#include <QObject>
#include <QString>
#include <QThread>

#include <functional>
#include <memory>

namespace Shivx {

class ApiGuard;
class AuditSink;
class BoundedExecutor;
class Clock;
class EngineStatus;
class HistoryWriter;
class MetricRegistry;
class ModuleRuntime;
class StreamPublisher;
struct Config;

// What the engine's core offers each module while it starts, runs and stops (see
// ModuleRuntime). Implemented by Engine; modules never see the Engine's internals. Unless a
// method says otherwise, call it on the Engine's thread.
class ModuleHost
{
public:
    virtual const Config &config() const = 0;
    virtual QString dataDir() const = 0;
    virtual QString databasePath() const = 0;
    virtual Clock *clock() const = 0;
    // The audit chain writer: record() is thread-safe. Valid from prepare() to stopped().
    virtual AuditSink *audit() const = 0;
    // The latest host sample, target states, health and storage state, shared between threads.
    virtual EngineStatus *status() const = 0;
    // "127.0.0.1:PORT" of the bound API, for targets on the engine's own API ("${api}");
    // empty when the API is off.
    virtual QString apiAuthority() const = 0;

    // Moves a parentless `worker` onto the engine thread named `threadName` ("shivx-probes"),
    // created on first use. "shivx-core" is the core's own thread, shared by light,
    // event-driven services. The core starts every thread after all modules are prepared and
    // quits them after all are stopped; each thread deletes its workers as it ends.
    virtual void placeOnThread(const char *threadName, QObject *worker) = 0;

    // Routes of the HTTP API (engine/<capability>/<capability>api.*); prepare() only.
    virtual void addRoutes(const QList<ApiRoute> &routes) = 0;
    // The one guard the API consults for every request (engine/api/apiguard.h; the guardian
    // module's); a no-op when the API is off. prepare() only.
    virtual void setApiGuard(std::shared_ptr<ApiGuard> guard) = 0;
    // The engine's metric registry (docs/metrics.md): register families and take handles in
    // prepare(); the handles are thread-safe and cheap. On /metrics and in the history.
    // Valid from prepare() to stopped().
    virtual MetricRegistry *metrics() const = 0;
    // Checks that join the engine's readiness; called on any thread (thread-safe `checks`),
    // in module order after the core's own. prepare() only.
    virtual void addReadinessChecks(std::function<QList<ReadinessCheck>()> checks) = 0;
    // The engine's readiness as of now: every module's checks. Thread-safe.
    virtual Readiness readiness() const = 0;

    // The metric history writer (storage thread): connect a signal carrying
    // QList<SamplePoint> to HistoryWriter::record. Series names: docs/storage.md.
    virtual HistoryWriter *history() const = 0;
    // The live stream (/api/stream, engine/api/streampublisher.h): publish() target
    // transitions, alert changes and such from any thread; samples and audit entries go in by
    // the core. Null when the API is off; valid as long as the host.
    virtual StreamPublisher *stream() const = 0;
    // Pauses or resumes the engine's own background work: every executor kind that lists
    // BackgroundTasksOff in its pauseWhen (history maintenance today). Thread-safe; the
    // degradation module calls it as `background_tasks` switches.
    virtual void setBackgroundWorkPaused(bool paused) = 0;
    // The engine's one pool for background work (docs/executor.md): thread-safe, valid from
    // prepare() to stopped(); it stops taking work after every module's stop(). A module
    // registers its kinds of work in prepare().
    virtual BoundedExecutor *executor() const = 0;
    // The executor condition that is active while `background_tasks` is off.
    static QString backgroundTasksOff() { return QStringLiteral("background_tasks_off"); }

    // Another module's runtime, to connect to its services (prepared earlier in the order).
    virtual QList<ModuleRuntime *> runtimes() const = 0;
    template <class R> R *runtime() const
    {
        for (ModuleRuntime *r : runtimes())
            if (auto *match = dynamic_cast<R *>(r))
                return match;
        return nullptr;
    }

    // Runs `call` on `object`'s thread and waits, when that thread runs; otherwise (a start
    // that failed before the threads ran) does nothing, since waiting would never end.
    template <class Object, class Call> static void callBlocking(Object *object, Call call)
    {
        if (object && object->thread() != QThread::currentThread())
            callOnThread(object, [object, call] { call(object); });
    }

protected:
    ~ModuleHost() = default;
};

} // namespace Shivx
