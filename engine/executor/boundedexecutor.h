#pragma once

#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <functional>
#include <memory>
#include <optional>

namespace Shivx {

namespace Internal {
struct ExecutorCore;
struct TaskState;
} // namespace Internal

// What submit() does when the queue is full.
enum class RejectionPolicy {
    Drop, // discard the work; submit() succeeds with a handle in state Dropped
    Block, // wait for room up to the block timeout, then fail with executor.queue_full
    Exception, // fail at once with executor.queue_full (an Error value, never a C++ exception)
    CallerRuns, // run the work on the submitting thread before submit() returns
};
// "drop", "block", "exception", "caller_runs": config values and stable codes.
QString toString(RejectionPolicy policy);
bool parseRejectionPolicy(const QString &text, RejectionPolicy *out);

// Strict priority classes: a queued task of a higher class always starts before any queued
// task of a lower class (when neither is paused); within a class, tasks start in the order
// they were submitted.
enum class TaskPriority { Background = 0, Low = 1, Normal = 2, High = 3 };
constexpr int TaskPriorityCount = 4;
// "background", "low", "normal", "high".
QString toString(TaskPriority priority);
bool parseTaskPriority(const QString &text, TaskPriority *out);

enum class TaskStatus {
    Queued,
    Running,
    Finished,
    Cancelled, // cancel() or shutdown removed it from the queue; it never ran
    Dropped, // the queue was full under RejectionPolicy::Drop; it never ran
};
QString toString(TaskStatus status);

// One submission's handle: cheap to copy, safe to use from any thread, and safe to outlive
// the executor (cancel() then returns false). A default-constructed handle is invalid.
class TaskHandle
{
public:
    TaskHandle() = default;

    bool isValid() const { return bool(m_state); }
    // Dropped for an invalid handle.
    TaskStatus status() const;
    // Removes the task from the queue: true when it was still queued and will now never run;
    // false once it started, finished, was already cancelled or dropped. A running task is not
    // interrupted (the executor cannot stop a function halfway).
    bool cancel();
    // Blocks until the task is Finished, Cancelled or Dropped, or `timeoutMs` passed (-1: no
    // limit). Returns whether it reached one of those states.
    bool wait(int timeoutMs = -1) const;

private:
    friend class BoundedExecutor;
    explicit TaskHandle(std::shared_ptr<Internal::TaskState> state)
        : m_state(std::move(state))
    {
    }
    std::shared_ptr<Internal::TaskState> m_state;
};

struct ExecutorConfig
{
    int workers = 2; // threads, >= 1
    int queueSize = 256; // tasks waiting (paused ones included), >= 1
    RejectionPolicy policy = RejectionPolicy::Exception;
    int blockTimeoutMs = 1000; // RejectionPolicy::Block; >= 0
    QString threadName = QStringLiteral("shivx-exec"); // workers are "<name>-1", "<name>-2", ...
};

// A kind of work the engine runs on the executor ("history.maintenance"): its priority class,
// its own rejection policy when it should not use the executor's, and the named conditions
// that pause it ("background_tasks_off", "level_emergency"); the executor does not know what
// a condition means, whoever owns it switches it with setCondition().
struct WorkKind
{
    QString name;
    TaskPriority priority = TaskPriority::Normal;
    QStringList pauseWhen;
    std::optional<RejectionPolicy> policy;
};

// A registered kind of work as of now.
struct WorkKindState
{
    QString name;
    TaskPriority priority = TaskPriority::Normal;
    bool paused = false; // by a condition, setKindPaused() or its class
    int queued = 0;
};

// Counters since construction and the current queue, as one consistent copy.
struct ExecutorMetrics
{
    int workers = 0;
    int queueCapacity = 0;
    quint64 submitted = 0; // every submit() call that was accepted, dropped or ran on the caller
    quint64 completed = 0; // tasks that ran to the end (on a worker or on the caller)
    quint64 rejected = 0; // dropped, refused (queue full, timeout) or refused after shutdown
    quint64 cancelled = 0;
    quint64 callerRuns = 0; // of `completed`, those that ran on the submitting thread
    int queueDepth = 0; // waiting tasks, paused ones included
    int pausedDepth = 0; // of queueDepth, those whose kind or class is paused
    int running = 0;
    std::array<int, TaskPriorityCount> depthByPriority {};
    // Time from submit() to start and from start to end, in µs (p50/p99 within 6.25 %).
    qint64 waitP50Us = 0, waitP99Us = 0, runP50Us = 0, runP99Us = 0;
    quint64 waitCount = 0, runCount = 0; // values the quantiles are taken over
    quint64 waitSumUs = 0, runSumUs = 0;
    QList<WorkKindState> kinds; // registered kinds, in registration order
};

// A fixed pool of worker threads over a bounded queue with strict priority classes.
//
// Thread-safe: every method may be called from any thread, including from a task (a task that
// submits under RejectionPolicy::Block to its own full executor can wait up to the timeout).
// Tasks run on the executor's threads (or the caller's under CallerRuns), so they must not
// touch thread-affine QObjects; they post results back with QMetaObject::invokeMethod.
//
// Pausing: work of a paused kind or class stays queued and keeps its place; it counts against
// the queue size, and the other work runs past it. CallerRuns never runs paused work on the
// caller: a full queue refuses it with executor.queue_full instead.
//
// Why not QThreadPool: it has priorities only as a hint (a queue sorted on insert without
// classes that can be paused), an unbounded queue, no rejection policies and no way to cancel
// a queued runnable from another handle; bench/executor compares their throughput.
class BoundedExecutor
{
public:
    enum class ShutdownMode {
        Drain, // run every queued task that is not paused; cancel paused work; then stop
        Cancel, // cancel every queued task; running ones finish; then stop
    };

    // Starts the workers. Values out of range are clamped to the nearest valid one
    // (workers and queueSize at least 1).
    explicit BoundedExecutor(const ExecutorConfig &config = {});
    // shutdown(Cancel) when it did not happen yet.
    ~BoundedExecutor();
    BoundedExecutor(const BoundedExecutor &) = delete;
    BoundedExecutor &operator=(const BoundedExecutor &) = delete;

    ExecutorConfig config() const;

    // Declares a kind; executor.duplicate_kind when the name is taken, executor.bad_kind for
    // an empty name.
    Result<void> registerKind(const WorkKind &kind);
    // Work of no registered kind, in `priority`, under the executor's policy.
    Result<TaskHandle> submit(TaskPriority priority, std::function<void()> task);
    // Work of a registered kind (executor.unknown_kind otherwise), in its class and policy.
    Result<TaskHandle> submit(const QString &kind, std::function<void()> task);

    // Switches a named condition; kinds listing it in pauseWhen pause while it is active.
    void setCondition(const QString &condition, bool active);
    bool conditionActive(const QString &condition) const;
    // Pauses or resumes one kind (executor.unknown_kind) or a whole class, independently of
    // the conditions: work runs when none of its pauses hold.
    Result<void> setKindPaused(const QString &kind, bool paused);
    void setPriorityPaused(TaskPriority priority, bool paused);
    bool isKindPaused(const QString &kind) const;

    ExecutorMetrics metrics() const;

    // Stops accepting (submit() then fails with executor.shut_down, blocked submitters wake
    // with it too), empties the queue as `mode` says and waits for the workers to end. Tasks
    // already running always finish. Idempotent; must not be called from one of its tasks.
    void shutdown(ShutdownMode mode = ShutdownMode::Drain);
    bool isShutDown() const;

private:
    Result<TaskHandle> submitTo(int kindIndex, std::function<void()> task);

    std::shared_ptr<Internal::ExecutorCore> m_core;
};

} // namespace Shivx
