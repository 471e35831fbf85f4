#pragma once

#include "recovery/childrecord.h"
#include "recovery/processlog.h"
#include "recovery/processsnapshot.h"
#include "recovery/restartplanner.h"
#include "recovery/superviseconfig.h"

#include <QObject>
#include <QProcess>

class QTimer;

namespace Shivx {

class Clock;
class LeftoverProcess;

// One supervised child process. It runs in its own session and process group (setsid), so
// that stopping it reaches every process it spawned: SIGTERM to the group, SIGKILL to the
// group after stop_timeout, and SIGKILL to whatever is left of the group when the leader
// exits. Output (stdout and stderr merged) goes to a ProcessLog. After an exit the
// RestartPlanner decides on the restart. Each run is recorded in LOGDIR/NAME.run
// (ChildRecord) from its start until it is reaped, so that a run an engine crash left behind
// can be recognised and stopped by the next engine (stopLeftover()).
//
// Lives on the supervisor thread; every method must be called there. Signals are emitted
// on that thread.
class SupervisedProcess : public QObject
{
    Q_OBJECT
public:
    enum class Reason { Operator, Probe };

    SupervisedProcess(const RecoverySpec &spec, const QString &logDir, Clock *clock,
        RestartPlanner::Random random = {}, QObject *parent = nullptr);
    ~SupervisedProcess() override;

    QString name() const { return m_spec.name; }
    const RecoverySpec &spec() const { return m_spec; }
    ProcessSnapshot snapshot() const { return m_snapshot; }

    // Starts the process unless it runs (also ends a backoff or crash-loop pause at once).
    void start(const QString &actor);
    // Stops it gracefully and keeps it stopped until start().
    void stop(const QString &actor);
    // Stops it and starts it again. Operator restarts are not counted toward the crash-loop
    // limit and reset the backoff; probe restarts are counted like a crash.
    void restart(const QString &actor, Reason reason);

    // A run of this process that an earlier engine left behind (its record proves it ours),
    // before this process's first start: takes `leftover` (also one already stopping) and
    // stops it (state Stopping, its pid shown); a start() or restart() asked for meanwhile
    // launches once it is gone. Emits process.leftover_stopped.
    void stopLeftover(LeftoverProcess *leftover);
    // A reloaded configuration changed this process's settings (same name). A change of
    // command, args, env or cwd restarts a running process (or one waiting in backoff or a
    // crash loop) with the new settings; anything else (restart policy, backoff, stop
    // timeout, log limits, crash loop, grace) applies from now on without a restart, with a
    // fresh backoff and crash-loop window. Emits process.reconfigured and returns the changed
    // keys (empty: nothing changed, nothing emitted).
    QStringList reconfigure(const RecoverySpec &spec);

    // Engine exit, in two steps so that many processes stop in parallel: beginShutdown sends
    // SIGTERM to the group and ends all restarts; finishShutdown blocks until the process is
    // reaped, sending SIGKILL to the group once stop_timeout has passed since beginShutdown.
    void beginShutdown();
    void finishShutdown();

Q_SIGNALS:
    void changed(const Shivx::ProcessSnapshot &snapshot);
    void logLines(const QString &name, const QStringList &lines);
    void eventOccurred(const Shivx::ProcessEvent &event);
    // A new run began (the process is exec'd); the supervisor holds its probes for the grace.
    void runStarted(const QString &name);
    // Restarts stopped until `untilMs` (epoch ms).
    void crashLoopEntered(const QString &name, qint64 untilMs);

private:
    void launch();
    void onStarted();
    void onFinished(int exitCode, QProcess::ExitStatus status);
    void onStartFailed(const QString &error);
    void afterExit(bool failed, bool byProbe, bool startFailed);
    void beginStop();
    void signalGroup(int signal);
    void setState(ProcessState state);
    void event(const QString &action, const QString &actor, const QJsonObject &data = {});
    void note(const QString &text);
    void drainOutput();
    void showLogError();
    void onLeftoverStopped(const ChildRecord &record, bool killed, qint64 tookMs);

    RecoverySpec m_spec;
    QString m_logDir;
    Clock *m_clock;
    RestartPlanner::Random m_random;
    RestartPlanner m_planner;
    ProcessLog m_log;
    ProcessSnapshot m_snapshot;
    QProcess *m_process = nullptr;
    LeftoverProcess *m_leftover = nullptr; // an earlier engine's run being stopped
    qint64 m_pgid = 0; // the current run's group, kept until it is reaped
    QTimer *m_restartTimer = nullptr;
    QTimer *m_killTimer = nullptr;
    bool m_everStarted = false;
    bool m_wantStopped = false; // operator stop: stay stopped after the exit
    bool m_restartAfterStop = false;
    Reason m_restartReason = Reason::Operator;
    bool m_shuttingDown = false;
    QString m_pendingActor;
    qint64 m_stopBeganMs = 0;
};

} // namespace Shivx
