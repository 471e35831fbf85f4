#pragma once

#include "core/result.h"
#include "executor/boundedexecutor.h"
#include "pipelines/stageprocess.h"

#include <QString>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

class QObject;

namespace Shivx {

// Starts, watches and reaps the processes of stage attempts, so that the pipeline runner's
// thread never waits for posix_spawn (which blocks its caller until the child has exec'ed:
// 7-9 ms per stage on a loaded machine) nor for a log file to be created.
//
// The spawn is work of the engine's BoundedExecutor, of one of the kinds registerKinds()
// declares (StageLaunch::kind): stage launches are counted in the executor's metrics, take
// their turn by priority class (a manual run's stage before a scheduled one's, background
// pipelines last), and pause with their kind. The spawn is the part that costs a thread its
// time (posix_spawn, reading /proc for the identity), and it is short, so it fits a pool of a
// few workers; two workers spawn two stages at once. What follows a spawn lasts as long as
// the stage (minutes, hours) and is only waiting, so it stays on one thread of the launcher's
// own (`shivx-stages`, epoll): reaping through a pidfd and copying the output into the logs.
// A stage therefore holds an executor worker for its spawn only, never while it runs.
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
        qint64 spawnedNs = 0; // std::chrono::steady_clock, as posix_spawn returned
    };
    struct Finished
    {
        int exitCode = -1; // of the wrapper: the command's, 128+N when it was killed by N
        int signal = 0; // when the wrapper itself was killed
        QString error; // it could not start, or its pid was lost
    };
    using StartedFn = std::function<void(const Started &)>;
    // The process `key`'s attempt started, from the line the launcher appends to the status
    // file right after the spawn ("KEY started PID PGID START_TICKS BOOT_ID"): how the next
    // engine finds it when this one died before its database had the pid.
    static std::optional<Started> readStarted(const QString &statusPath, const QString &key);
    using FinishedFn = std::function<void(const Finished &)>;

    // Kinds of work of the spawns, in their classes (docs/executor.md): stages of runs an
    // operator started (manual, dead-letter retry), of scheduled runs, and of `background: true`
    // pipelines, which also pause while ModuleHost::backgroundTasksOff() holds.
    static const QString ManualKind; // "pipelines.stage.manual": normal
    static const QString ScheduledKind; // "pipelines.stage.scheduled": low
    static const QString BackgroundKind; // "pipelines.stage.background": background
    // Registers the three kinds on `executor`; a kind registered already is fine.
    static Result<void> registerKinds(BoundedExecutor &executor);

    // Spawns on `executor` (registering the kinds), which must outlive the launcher and not
    // shut down before it; null: on a private executor of one worker (`shivx-spawn-1`).
    explicit StageLauncher(BoundedExecutor *executor = nullptr);
    // Cancels the spawns still queued on the executor and waits for those under way, kills
    // (SIGKILL to the group) and reaps whatever still runs, then stops the thread. Nothing is
    // reported after it: not those kills, nor reports still queued to a receiver.
    ~StageLauncher();
    StageLauncher(const StageLauncher &) = delete;
    StageLauncher &operator=(const StageLauncher &) = delete;

    // Submits the spawn to the executor as work of `launch.kind` (ManualKind when empty);
    // returns the launch's id. `started` and `finished` run on `receiver`'s thread (which must
    // outlive the launch or forget() it first). When the executor refuses the spawn (its queue
    // is full of paused work, it is shut down), finished() reports that as the error. Under a
    // full queue the kinds' policy is caller_runs: the spawn runs on the calling thread, which
    // is what slows a producer down.
    //
    // started() comes StartedReportDelayMs after the spawn, or just before finished() when the
    // process ended sooner: a short stage wakes the receiver's thread once, not twice
    // (bench/pipelines: 1,000 stages of `true` 5% sooner).
    quint64 launch(StageLaunch launch, QObject *receiver, StartedFn started, FinishedFn finished);
    static constexpr int StartedReportDelayMs = 20;
    // Sends `signal` to the launch's process group, unless it was reaped already (its pid may
    // belong to someone else then). A launch whose spawn still waits in the executor's queue
    // never starts: finished() reports "stopped before it started". One whose spawn is under
    // way gets the signal as soon as its process exists.
    void signal(quint64 id, int signal);
    // Blocks until the launch's process was reaped and its output drained, or `timeoutMs`
    // passed; true when it was, and then *out is how it ended (finished is not reported).
    bool waitReaped(quint64 id, int timeoutMs, Finished *out);
    // No more reports for `id`, and the launch's record goes once its process is reaped (which
    // it still is). Every launch must end with forget() or a successful waitReaped().
    void forget(quint64 id);
    // Wake-ups of the launcher's thread so far: each launch accounts for a few (its adoption,
    // its exit, the end of its two pipes), and more would be a loop spinning.
    quint64 wakeups() const { return m_wakeups.load(std::memory_order_relaxed); }

private:
    struct Launch;
    struct Command
    {
        quint64 id = 0;
        int signal = 0; // 0 = adopt the process a spawn task started
    };

    void run();
    // The executor's task: spawns the launch's process, reports started(), hands it over.
    void spawnTask(quint64 id);
    void adopt(Launch &l, qint64 nowMs);
    // Under m_mutex: started(), unless reported already, forgotten or waited for.
    void postStartedLocked(Launch &l);
    // Under m_mutex: the launch's end, reported unless forgotten or waited for; `l` may be
    // gone afterwards.
    void finishLocked(Launch &l, const Finished &f);
    void wake();
    void readPipe(Launch &l, int stream);
    void reap(Launch &l, bool block);
    void finishIfDone(Launch &l, qint64 nowMs);
    void watch(int fd, quint64 id, int kind);
    void unwatchAndClose(int fd);

    std::unique_ptr<BoundedExecutor> m_ownExecutor; // when none was given
    BoundedExecutor *m_executor = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_reapedCond;
    std::deque<Command> m_commands;
    std::unordered_map<quint64, std::unique_ptr<Launch>> m_launches;
    quint64 m_nextId = 1;
    bool m_stopping = false;
    int m_epoll = -1;
    int m_wake = -1; // eventfd
    std::atomic<quint64> m_wakeups { 0 };
    quint64 m_adoptions = 0; // the launcher thread's
    std::thread m_thread;
};

} // namespace Shivx
