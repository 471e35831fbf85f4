#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx {

// Lifecycle of a supervised process:
//   Stopped -> Starting -> Running -> (exit) -> Backoff -> Starting ...
//                                           -> CrashLoop (cooldown) -> Starting ...
//   Running -> Stopping -> Stopped (operator stop or engine exit)
enum class ProcessState { Stopped, Starting, Running, Backoff, CrashLoop, Stopping };
// Stable codes for the API and logs: "stopped", "starting", "running", "backoff",
// "crash_loop", "stopping".
QString toString(ProcessState state);

// A copy of one supervised process's state, safe to hand across threads. Times are epoch ms
// (0 = never); `lastExitSignal` is 0 when the last run ended with an exit code.
struct ProcessSnapshot
{
    QString name;
    ProcessState state = ProcessState::Stopped;
    qint64 pid = 0; // 0 when no process runs
    qint64 startedAtMs = 0; // of the current or last run
    int restarts = 0; // starts after the first, for any reason
    bool hasExited = false; // whether lastExit* describe a run
    int lastExitCode = 0;
    int lastExitSignal = 0;
    qint64 lastExitMs = 0;
    qint64 nextStartAtMs = 0; // when Backoff or CrashLoop ends
    int restartsInWindow = 0; // automatic restarts counted toward the crash-loop limit
    QString logPath;
    QString lastError; // why the last start failed, or the log write error
};

// Something the supervisor did or saw, with a stable action code ("process.started",
// "process.exited", "process.restart_scheduled", "process.crash_loop", "process.stopped",
// "process.probe_restart", "process.restart_command", "process.start_failed"); `data` holds
// integers and strings only, as the audit log wants.
struct ProcessEvent
{
    qint64 tsMs = 0;
    QString process;
    QString action;
    QString actor; // "engine" for automatic actions, else the operator ("api", "console:alice")
    QJsonObject data;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::ProcessState)
Q_DECLARE_METATYPE(Shivx::ProcessSnapshot)
Q_DECLARE_METATYPE(QList<Shivx::ProcessSnapshot>)
Q_DECLARE_METATYPE(Shivx::ProcessEvent)
