#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

class QSocketNotifier;
class QTimer;

namespace Shivx {

// How to start one attempt of a stage.
struct StageLaunch
{
    QString command;
    QStringList args;
    QProcessEnvironment env;
    QString cwd;
    QString stdoutPath; // created (truncated) by the child
    QString stderrPath;
    // The stage runs under `/bin/sh -c '"$@"; echo $? > STATUS'`, so that its exit status
    // reaches this file even when the engine died meanwhile: the next engine then knows
    // whether a stage that ran unattended succeeded, and does not run it again.
    QString statusPath;
    qint64 timeoutMs = 0; // 0 = none
};

// One attempt's process. It runs in its own session and process group (setsid), like a
// supervised process, so that a timeout or a cancel reaches everything it spawned and kill -9
// of the engine leaves it running for the next engine to find (ChildRecord). Output goes
// straight to the two log files (no pipe through the engine: nothing to copy, nothing to lose
// when the engine dies).
//
// Started with posix_spawn (vfork: no copy of the engine's address space) and reaped through
// a pidfd, rather than QProcess: QProcess::start() with a child modifier forks the whole
// engine and took 7-9 ms per stage on the loaded benchmark machine, more than the stage.
//
// Lives on the pipeline runner's thread; every method must be called there.
class StageProcess : public QObject
{
    Q_OBJECT
public:
    explicit StageProcess(StageLaunch launch, QObject *parent = nullptr);
    ~StageProcess() override;

    // Spawns the process: started() (synchronously) or finished() with an error (queued).
    void start();
    qint64 pid() const { return m_pid; }
    // SIGTERM to the group, SIGKILL after `graceMs`; finished() follows.
    void stop(int graceMs);
    // Engine exit: blocks until the process is reaped (SIGKILL after `graceMs`); emits
    // finished().
    void stopBlocking(int graceMs);
    // The last exit status the wrapper wrote to `path`; false when there is none (the stage
    // had not finished, or was killed with its wrapper).
    static bool readStatus(const QString &path, int *exitCode);

Q_SIGNALS:
    void started(qint64 pid);
    // `exitCode` of the command (128+N when killed by signal N under the wrapper), or
    // `signal` when the wrapper itself was killed; `error` when it could not start at all.
    void finished(int exitCode, int signal, bool timedOut, const QString &error);

private:
    void signalGroup(int signal);
    bool reap(bool block);

    StageLaunch m_launch;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_poll = nullptr; // without pidfd_open (kernels before 5.3)
    QTimer *m_timeout = nullptr;
    QTimer *m_kill = nullptr;
    int m_pidfd = -1;
    qint64 m_pid = 0;
    bool m_timedOut = false;
    bool m_done = false;
};

} // namespace Shivx
