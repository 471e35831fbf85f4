#pragma once

#include "health/target.h"
#include "recovery/processsnapshot.h"
#include "recovery/restartplanner.h"
#include "recovery/superviseconfig.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>

class QProcess;

namespace Shivx {

class AuditSink;
class Clock;
class LeftoverProcess;
class SupervisedProcess;
struct ChildRecord;

// Runs the supervised processes of the configuration and restarts failing targets (their
// supervised process, or their restart_command). The Engine creates it without a parent,
// moves it to the "shivx-supervisor" thread, calls start() queued and shutdown() blocking.
//
// Every start, exit, restart and crash loop is emitted as a ProcessEvent and recorded in the
// AuditSink (stream "resilience"); operator requests are recorded on stream "operator".
//
// Runs an earlier engine left behind (it was killed before it could stop them; they have
// their own session) are found by their records in `logDir` (ChildRecord) when start()
// runs, and stopped before anything new starts, also those of processes no longer in the
// configuration; a record that does not prove its process is ours is removed and its pid
// left alone.
class ProcessSupervisor : public QObject
{
    Q_OBJECT
public:
    // `logDir`: where NAME.log files and the runs' NAME.run records go (created on first use).
    // `audit` may be null.
    // `random` is for the crash-loop jitter (tests pass a fixed one).
    ProcessSupervisor(const QList<RecoverySpec> &specs, const QString &logDir, Clock *clock,
        AuditSink *audit, RestartPlanner::Random random = {}, QObject *parent = nullptr);
    ~ProcessSupervisor() override;

    // Thread-safe: the latest state of every supervised process, in configuration order.
    QList<ProcessSnapshot> snapshot() const;
    // Thread-safe: whether `name` is a supervised process.
    bool isSupervised(const QString &name) const;

    // Thread-safe operator requests, carried out on the supervisor thread. Return false for
    // names that are not supervised processes. `actor` is recorded ("api", "console:alice").
    bool startProcess(const QString &name, const QString &actor);
    bool stopProcess(const QString &name, const QString &actor);
    bool restartProcess(const QString &name, const QString &actor);

    // Thread-safe: a reloaded configuration's specs, applied on the supervisor thread. By
    // target name: a new supervised process is started, a removed one stopped and forgotten,
    // a changed one reconfigured (SupervisedProcess::reconfigure: restarted when its command,
    // args, env or cwd changed); restart_command and probe-restart settings apply to the next
    // failure. Each is audited (process.added, process.removed, process.reconfigured).
    void reconfigure(const QList<RecoverySpec> &specs);

public Q_SLOTS:
    // Stops the runs an earlier engine left behind, then starts every supervised process
    // (each one whose earlier run is still stopping starts once it is gone).
    void start();
    // Stops every process (SIGTERM to each group, SIGKILL after its stop_timeout) and any
    // restart command still running, and waits until all are reaped. Blocks the thread.
    void shutdown();
    // Health probe results: a target failing restart_after_failures probes in a row is
    // restarted, unless it is within its startup grace.
    void onTargetsUpdated(const QList<Shivx::TargetStatus> &targets);

Q_SIGNALS:
    // All signals are emitted on the supervisor thread.
    void processesChanged(const QList<Shivx::ProcessSnapshot> &processes);
    void logLines(const QString &name, const QStringList &lines);
    void eventOccurred(const Shivx::ProcessEvent &event);
    // Asks the target monitor to set `name` to `state` with fresh counters and to ignore its
    // probe results until `ignoreProbesUntilMs` (epoch ms): after a restart (UNKNOWN, for the
    // startup grace) and in a crash loop (DOWN, until the cooldown ends).
    void targetResetRequested(const QString &name, Shivx::TargetState state,
        qint64 ignoreProbesUntilMs, const Shivx::Message &reason);

private:
    enum class Op { Start, Stop, Restart };
    bool request(const QString &name, const QString &actor, Op op);
    SupervisedProcess *adopt(const RecoverySpec &spec);
    SupervisedProcess *find(const QString &name) const;
    void applySpecs(const QList<RecoverySpec> &specs);
    void retire(SupervisedProcess *process);
    void publishSnapshots();
    void stopLeftovers();
    void onOrphanStopped(const ChildRecord &record, bool killed, qint64 tookMs);
    LeftoverProcess *takeOrphan(const QString &name);
    void event(const QString &process, const QString &action, const QJsonObject &data);
    void record(const ProcessEvent &event);
    void runRestartCommand(const RecoverySpec &spec, int failures);
    void holdProbes(const QString &name, TargetState state, qint64 untilMs, const Message &reason);

    QList<RecoverySpec> m_specs; // written on the supervisor thread under m_mutex
    QString m_logDir;
    Clock *m_clock;
    AuditSink *m_audit;
    RestartPlanner::Random m_random;
    // Supervisor thread only: the processes of the configuration, in its order; those a
    // reload removed, until they have stopped; and the runs of an earlier engine whose
    // process is no longer configured, until they are gone.
    QList<SupervisedProcess *> m_processes;
    QList<SupervisedProcess *> m_retiring;
    QList<LeftoverProcess *> m_orphans;
    QHash<QString, QProcess *> m_commands; // restart commands running, by target
    QHash<QString, qint64> m_graceUntilMs; // supervisor thread only
    bool m_shutDown = false;

    mutable QMutex m_mutex;
    QList<ProcessSnapshot> m_snapshots; // guarded by m_mutex
};

} // namespace Shivx
