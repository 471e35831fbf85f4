#pragma once

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

class QTimer;

namespace Shivx {

class StageLauncher;

// How to start one attempt of a stage.
struct StageLaunch
{
    QString command;
    QStringList args;
    // "NAME=value", encoded as the process gets them, each name once: encoding the engine's
    // whole environment per stage took 70 us of the spawn.
    QByteArrayList environment;
    QString cwd;
    QString stdoutPath; // created when the first byte arrives (a silent stage has none)
    QString stderrPath;
    // The stage runs under `/bin/sh -c '"$@"; echo "KEY $?" >> STATUS'`, so that its exit
    // status reaches this file even when the engine died meanwhile: the next engine then knows
    // whether a stage that ran unattended succeeded, and does not run it again. One file per
    // run, a line per attempt (`statusKey`: the attempt's id), and the line of the process
    // that the launcher appends as it starts it (StageLauncher::readStarted), which a stage
    // that ends at once may precede.
    QString statusPath;
    QString statusKey;
    qint64 timeoutMs = 0; // 0 = none
    // The executor's kind of work the spawn is (StageLauncher::ManualKind, ...): its priority
    // class and pauses. Empty: ManualKind.
    QString kind;

    static QByteArrayList encode(const QProcessEnvironment &env);
};

// One attempt's process. It runs in its own session and process group (setsid), like a
// supervised process, so that a timeout or a cancel reaches everything it spawned and kill -9
// of the engine leaves it running for the next engine to find (ChildRecord).
//
// Started with posix_spawn (vfork: no copy of the engine's address space) by the
// StageLauncher, on the engine's executor; the launcher's thread copies its output into the
// logs and reaps it through a pidfd. Not QProcess: QProcess::start() with a child modifier forks
// the whole engine and took 7-9 ms per stage on the loaded benchmark machine, more than the stage.
//
// Lives on the pipeline runner's thread; every method must be called there. `launcher` must
// outlive it.
class StageProcess : public QObject
{
    Q_OBJECT
public:
    StageProcess(StageLaunch launch, StageLauncher *launcher, QObject *parent = nullptr);
    ~StageProcess() override;

    // Hands the spawn to the launcher: started() or finished() with an error follow (queued).
    void start();
    qint64 pid() const { return m_pid; }
    // Identity of the started process (for ChildRecord); 0/empty before started().
    qint64 pgid() const { return m_pgid; }
    quint64 startTicks() const { return m_startTicks; }
    // std::chrono::steady_clock's, when the process was spawned (started() may come later).
    qint64 spawnedNs() const { return m_spawnedNs; }
    QString bootId() const { return m_bootId; }
    // SIGTERM to the group, SIGKILL after `graceMs`; finished() follows. Before start(): the
    // process never starts, finished() reports that.
    void stop(int graceMs);
    // Engine exit: blocks until the process is reaped (SIGKILL after `graceMs`); emits
    // finished().
    void stopBlocking(int graceMs);
    // The exit status the wrapper appended to `path` under `key` (the last one); false when
    // there is none (the stage had not finished, or was killed with its wrapper). A file of a
    // single number (an attempt's own status file, as engines before the run-wide file wrote
    // it) is that number.
    static bool readStatus(const QString &path, const QString &key, int *exitCode);

Q_SIGNALS:
    void started(qint64 pid);
    // `exitCode` of the command (128+N when killed by signal N under the wrapper), or
    // `signal` when the wrapper itself was killed; `error` when it could not start at all.
    void finished(int exitCode, int signal, bool timedOut, const QString &error);

private:
    void signalGroup(int signal);
    void end(int exitCode, int signal, const QString &error);

    StageLaunch m_launch;
    StageLauncher *m_launcher;
    QTimer *m_timeout = nullptr;
    QTimer *m_kill = nullptr;
    quint64 m_id = 0; // the launcher's
    qint64 m_pid = 0;
    qint64 m_pgid = 0;
    quint64 m_startTicks = 0;
    qint64 m_spawnedNs = 0;
    QString m_bootId;
    bool m_stopRequested = false;
    bool m_timedOut = false;
    bool m_done = false;
};

} // namespace Shivx
