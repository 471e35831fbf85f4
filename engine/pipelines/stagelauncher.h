#pragma once

#include "pipelines/stageprocess.h"

#include <QString>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

class QObject;

namespace Shivx {

// Starts, watches and reaps the processes of stage attempts on one thread of its own
// (`shivx-stages`), so that the pipeline runner's thread never waits for posix_spawn (which
// blocks its caller until the child has exec'ed: 7-9 ms per stage on a loaded machine) nor
// for a log file to be created.
//
// A stage's stdout and stderr are pipes that this thread copies into the attempt's two log
// files, each created when its first byte arrives: most stages of a big DAG print nothing, and
// creating a file costs about 0.4 ms on the benchmark machine's disk. The stage's wrapper
// shell keeps a read end of both pipes open (not the command it runs), so that when the engine
// dies a stage that goes on printing does not get SIGPIPE: its output after the engine's death
// is lost (at most a pipe's 64 KiB, then it blocks until the next engine stops its group), its
// work and its exit status (the status file) are not.
//
// launch(), signal() and waitReaped() are thread-safe. Reports go to `receiver`'s thread as
// queued calls, in order (started before finished); after forget(id) there are none, also of
// those already queued when forget() is called on the receiver's thread.
class StageLauncher
{
public:
    // The process's identity for ChildRecord (pgid, start ticks, boot id), read right after
    // the spawn.
    struct Started
    {
        qint64 pid = 0;
        qint64 pgid = 0;
        quint64 startTicks = 0;
        QString bootId;
    };
    struct Finished
    {
        int exitCode = -1; // of the wrapper: the command's, 128+N when it was killed by N
        int signal = 0; // when the wrapper itself was killed
        QString error; // it could not start, or its pid was lost
    };
    using StartedFn = std::function<void(const Started &)>;
    using FinishedFn = std::function<void(const Finished &)>;

    StageLauncher();
    // Kills (SIGKILL to the group) and reaps whatever still runs, then stops the thread.
    ~StageLauncher();
    StageLauncher(const StageLauncher &) = delete;
    StageLauncher &operator=(const StageLauncher &) = delete;

    // Queues the spawn; returns the launch's id. `started` and `finished` run on `receiver`'s
    // thread (which must outlive the launch or forget() it first).
    quint64 launch(StageLaunch launch, QObject *receiver, StartedFn started, FinishedFn finished);
    // Sends `signal` to the launch's process group, unless it was reaped already (its pid may
    // belong to someone else then). Queued behind launch(): a signal right after launch()
    // reaches the new process.
    void signal(quint64 id, int signal);
    // Blocks until the launch's process was reaped and its output drained, or `timeoutMs`
    // passed; true when it was, and then *out is how it ended (finished is not reported).
    bool waitReaped(quint64 id, int timeoutMs, Finished *out);
    // No more reports for `id`, and the launch's record goes once its process is reaped (which
    // it still is). Every launch must end with forget() or a successful waitReaped().
    void forget(quint64 id);

private:
    struct Launch;
    struct Command
    {
        quint64 id = 0;
        int signal = 0; // 0 = spawn
    };

    void run();
    void spawn(Launch &l);
    void readPipe(Launch &l, int stream);
    void reap(Launch &l, bool block);
    void finishIfDone(Launch &l, qint64 nowMs);
    void watch(int fd, quint64 id, int kind);

    std::mutex m_mutex;
    std::condition_variable m_reapedCond;
    std::deque<Command> m_commands;
    std::unordered_map<quint64, std::unique_ptr<Launch>> m_launches;
    quint64 m_nextId = 1;
    bool m_stopping = false;
    int m_epoll = -1;
    int m_wake = -1; // eventfd
    std::thread m_thread;
};

} // namespace Shivx
