#pragma once

#include "core/result.h"
#include "recovery/circuitbreaker.h"
#include "recovery/processsnapshot.h"

#include <QList>
#include <QObject>

#include <atomic>

namespace Shivx {

class BreakerRegistry;
class ProcessSupervisor;

// The public face of recovery: the circuit breakers of the targets and the supervised
// processes, for the API routes, the console's Recovery and Overview pages. Lives on the
// Engine's thread for the Engine's lifetime. Getters and commands are thread-safe.
class RecoveryService : public QObject
{
    Q_OBJECT
public:
    explicit RecoveryService(BreakerRegistry *breakers, QObject *parent = nullptr);

    // One breaker per target, sorted by name; they keep their state across engine restarts.
    QList<BreakerSnapshot> breakers() const;
    // Operator override of one breaker, audited as done by `actor` ("console:USER",
    // "cli:USER", "api"). Errors: breaker.not_found.
    Result<BreakerSnapshot> forceBreaker(
        const QString &name, BreakerForce force, const QString &actor);

    // Supervised processes (targets with supervise:), in configuration order; empty while
    // the engine is stopped.
    QList<ProcessSnapshot> processes() const;
    // Operator requests, queued to the supervisor thread (the outcome arrives as
    // processesChanged and processEvent); `actor` is audited. Errors: engine.not_running,
    // recovery.unknown_process.
    Result<void> startProcess(const QString &name, const QString &actor);
    Result<void> stopProcess(const QString &name, const QString &actor);
    Result<void> restartProcess(const QString &name, const QString &actor);

    // The recovery runtime's part: announces the breakers (after a reload added or removed
    // some), and sets the supervisor of the running engine, or null.
    void announceBreakers();
    void setSupervisor(ProcessSupervisor *supervisor) { m_supervisor.store(supervisor); }

Q_SIGNALS:
    // All emitted on the Engine's thread.
    // A breaker changed state, or was forced or released; `breakers` is the new list.
    void breakersChanged(const QList<Shivx::BreakerSnapshot> &breakers);
    void breakerTransitioned(const Shivx::BreakerTransition &transition);
    void processesChanged(const QList<Shivx::ProcessSnapshot> &processes);
    // Complete lines a supervised process wrote (stdout and stderr), as they arrive.
    void processLogLines(const QString &name, const QStringList &lines);
    void processEvent(const Shivx::ProcessEvent &event);

private:
    enum class Op { Start, Stop, Restart };
    Result<void> request(Op op, const QString &name, const QString &actor);

    BreakerRegistry *m_breakers;
    // Set once the supervisor exists, cleared once it is gone (Engine's thread); read by API
    // handlers and the console.
    std::atomic<ProcessSupervisor *> m_supervisor { nullptr };
};

} // namespace Shivx
