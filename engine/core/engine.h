#pragma once

#include "core/config.h"
#include "core/readinessreport.h"
#include "core/result.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>

#include <memory>

namespace Shivx {

class AuditSink;
class Clock;

enum class EngineState { Stopped, Starting, Running, Stopping, Failed };
QString toString(EngineState state);

// The engine's core: the data directory, the database, the audit chain, the metric history
// writer, the HTTP API, readiness, the threads, and the capabilities (engineModules()) that
// plug into them. Create, start() and destroy (or stop()) on the same thread, normally the
// main one. A capability's state and commands are reached through its facade,
// service<T>() (HealthService, RecoveryService, DegradationService, ...); the Engine itself
// never grows per capability. Getters are thread-safe unless they say otherwise; signals are
// emitted on the Engine's thread.
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

    // Takes the data directory (DATA_DIR/engine.lock, held until stop()), opens the database,
    // starts the threads, the capabilities and the HTTP API. Fails (and leaves nothing
    // running) when another engine serves the data directory (engine.data_dir_locked, naming
    // its pid), storage cannot be opened, a capability cannot start or the address cannot be
    // bound.
    Result<void> start();
    // Stops every thread and waits for them; safe to call twice.
    void stop();

    EngineState state() const;
    // The configuration in effect (Engine's thread only: applyConfiguration() replaces it).
    const Config &config() const;
    QString dataDir() const;
    QString databasePath() const;
    // http://127.0.0.1:PORT once the API listens; empty when the API is off.
    QUrl apiUrl() const;
    // Every capability's readiness checks, as of now. While the engine is not running: not
    // ready, with one check "engine" naming the state.
    Readiness readiness() const;

    // Reads the configuration file again (config().sourceFile) and applies it. Errors:
    // config.not_reloadable (the embedded default has no file), or the loader's, naming the
    // file, line and key; the running configuration then stays as it was. Engine's thread.
    Result<void> reloadConfiguration();
    // Applies a configuration already loaded and validated with ConfigLoader: each capability
    // applies what it can change while running (targets keep their state and counts when
    // kept, new ones start fresh, removed ones go; breakers are retuned); the rest takes
    // effect at the next start(). Audited as config.reloaded. An engine that is not running
    // only stores it for its next start. Engine's thread.
    Result<void> applyConfiguration(const Config &config);

    static QString defaultDataDir();

    // The audit chain writer (thread-safe record()); null before start() and after stop().
    AuditSink *auditSink() const;
    // Records an operator action (console button, API call) on the "operator" stream.
    // Any thread; a no-op while the engine is not running. `actor` e.g. "console:alice".
    void recordOperatorAction(const QString &action, const QJsonObject &data, const QString &actor);

    // The facade of a capability compiled into the engine, for the Engine's lifetime; null
    // when there is none of that type.
    template <class Service> Service *service() const
    {
        for (QObject *s : services())
            if (auto *match = qobject_cast<Service *>(s))
                return match;
        return nullptr;
    }
    // Every capability's facade, in module order.
    QList<QObject *> services() const;

Q_SIGNALS:
    void stateChanged(Shivx::EngineState state);
    void readinessChanged(const Shivx::Readiness &readiness);
    // applyConfiguration() applied the configuration loaded from `sourceFile`.
    void configurationReloaded(const QString &sourceFile);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::EngineState)
