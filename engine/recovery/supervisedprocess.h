#pragma once

#include "recovery/processlog.h"
#include "recovery/processsnapshot.h"
#include "recovery/restartplanner.h"
#include "recovery/superviseconfig.h"

#include <QObject>
#include <QProcess>

class QTimer;

namespace Shivx {

class Clock;

// One supervised child process. It runs in its own session and process group (setsid), so
// that stopping it reaches every process it spawned: SIGTERM to the group, SIGKILL to the
// group after stop_timeout, and SIGKILL to whatever is left of the group when the leader
// exits. Output (stdout and stderr merged) goes to a ProcessLog. After an exit the
// RestartPlanner decides on the restart.
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

    RecoverySpec m_spec;
    QString m_logDir;
    Clock *m_clock;
    RestartPlanner m_planner;
    ProcessLog m_log;
    ProcessSnapshot m_snapshot;
    QProcess *m_process = nullptr;
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
