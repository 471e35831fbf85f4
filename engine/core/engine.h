#pragma once

#include "core/config.h"
#include "core/result.h"
#include "degradation/degradationsnapshot.h"
#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"
#include "recovery/circuitbreaker.h"
#include "recovery/processsnapshot.h"

#include <QJsonObject>
#include <QObject>
#include <QUrl>

#include <memory>

namespace Shivx {

class AuditSink;
class Clock;

enum class EngineState { Stopped, Starting, Running, Stopping, Failed };
QString toString(EngineState state);

// Owns the worker threads (sampler, probes, storage, API) and the services on them.
// Create, call start(), and destroy (or stop()) on the same thread, normally the main one.
// Snapshot getters are thread-safe. Signals are emitted on the thread that owns the Engine,
// carrying copies, so the console can connect them straight to widgets.
class Engine : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        Config config;
        QString dataDir; // overrides config.dataDir; empty = config or XDG data dir
        QString listen; // overrides config.listen; "127.0.0.1:0" picks a free port
        bool startApi = true;
        Clock *clock = nullptr; // null = system clock
    };

    explicit Engine(Options options, QObject *parent = nullptr);
    ~Engine() override;

    // Opens the data directory and database, starts the threads and the HTTP API.
    // Fails (and leaves nothing running) when storage cannot be opened or the address
    // cannot be bound.
    Result<void> start();
    // Stops every thread and waits for them; safe to call twice.
    void stop();

    EngineState state() const;
    const Config &config() const;
    QString dataDir() const;
    QString databasePath() const;
    // http://127.0.0.1:PORT once the API listens; empty when the API is off.
    QUrl apiUrl() const;

    HostSample lastHostSample() const;
    QList<TargetStatus> targets() const;
    HealthReport health() const;
    Readiness readiness() const;

    // Circuit breakers (one per target), sorted by name. Thread-safe.
    QList<BreakerSnapshot> breakers() const;
    // Operator override of one breaker, recorded in the audit log as done by `actor`
    // ("console:USER", "cli:USER", "api"). Thread-safe. Fails with "breaker.not_found".
    Result<BreakerSnapshot> forceBreaker(
        const QString &name, BreakerForce force, const QString &actor);

    // Applies a new configuration's targets and recovery settings to the running engine:
    // targets and breakers matched by name keep their state and counts, new ones start
    // fresh, removed ones go. Other settings (listen address, data directory, sampler,
    // history, score) take effect at the next start. Call on the Engine's thread. The
    // caller validates by loading with ConfigLoader; an engine that is not running only
    // stores the configuration for its next start.
    Result<void> reloadConfiguration(const Config &config);
    // Degradation (docs/degradation.md). The getter is thread-safe and cheap; before start and
    // after stop it reports NORMAL with reason "engine not running".
    DegradationSnapshot degradation() const;
    // Thread-safe. Pins `level` for `durationMs` with a reason; `actor` names who did it in the
    // audit log ("console:alice"). Errors: engine.not_running, degradation.bad_reason,
    // degradation.bad_duration.
    Result<DegradationSnapshot> pinDegradation(
        DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor);
    // Thread-safe. Ends the pin. Errors: engine.not_running, degradation.not_pinned.
    Result<DegradationSnapshot> releaseDegradation(const QString &actor);

    static QString defaultDataDir();

    // The audit chain writer (thread-safe record()); null before start() and after stop().
    AuditSink *auditSink() const;
    // Records an operator action (console button, API call) on the "operator" stream.
    // Any thread; a no-op while the engine is not running. `actor` e.g. "console:alice".
    void recordOperatorAction(const QString &action, const QJsonObject &data, const QString &actor);
    // Supervised processes (targets with supervise:). Thread-safe. The control methods queue
    // the request to the supervisor thread and return false for unknown names; `actor` is
    // recorded in the audit log ("console:alice").
    QList<ProcessSnapshot> processes() const;
    bool startProcess(const QString &name, const QString &actor);
    bool stopProcess(const QString &name, const QString &actor);
    bool restartProcess(const QString &name, const QString &actor);

Q_SIGNALS:
    void stateChanged(Shivx::EngineState state);
    void hostSampled(const Shivx::HostSample &sample);
    void targetsChanged(const QList<Shivx::TargetStatus> &targets);
    void healthChanged(const Shivx::HealthReport &report);
    void readinessChanged(const Shivx::Readiness &readiness);
    // A circuit breaker changed state (re-emitted on the Engine's thread).
    void breakerTransitioned(const Shivx::BreakerTransition &transition);
    // reloadConfiguration() applied `sourceFile`.
    void configurationReloaded(const QString &sourceFile);
    void processesChanged(const QList<Shivx::ProcessSnapshot> &processes);
    // Complete lines a supervised process wrote (stdout and stderr), as they arrive.
    void processLogLines(const QString &name, const QStringList &lines);
    void processEvent(const Shivx::ProcessEvent &event);
    // The degradation level, pin, reason or recovery in progress changed.
    void degradationChanged(const Shivx::DegradationSnapshot &snapshot);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::EngineState)
