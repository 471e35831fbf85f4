#include "executor/boundedexecutor.h"

#include "executor/latencyhistogram.h"

#include <QByteArray>
#include <QHash>
#include <QSet>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <limits>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

#include <pthread.h>

namespace Shivx {

namespace Internal {

using SteadyClock = std::chrono::steady_clock;

struct Node
{
    std::shared_ptr<TaskState> state;
    std::function<void()> task;
    SteadyClock::time_point enqueued;
    quint64 seq = 0;
};

struct TaskState
{
    std::atomic<int> status { int(TaskStatus::Queued) };
    std::weak_ptr<ExecutorCore> core;
    // Guarded by the core's mutex while Queued: where the node sits, for cancel().
    int kind = -1;
    std::list<Node>::iterator position;
    // Threads in TaskHandle::wait(): only then does finish() touch the core's done signal,
    // so a task nobody waits for costs no lock and no notify.
    std::atomic<int> waiters { 0 };

    void finish(ExecutorCore &core, TaskStatus final);
};

struct KindSlot
{
    WorkKind kind;
    bool explicitPause = false;
    bool conditionPause = false;
    std::list<Node> queue;
};

struct ExecutorCore
{
    ExecutorConfig config;
    mutable std::mutex mutex;
    std::condition_variable workAvailable; // workers wait on it
    std::condition_variable roomAvailable; // Block submitters wait on it

    // 0..TaskPriorityCount-1 are the anonymous kinds of submit(TaskPriority, ...). A deque: slots
    // never move, so the list iterators in TaskState stay valid as kinds are added.
    std::deque<KindSlot> kinds;
    QHash<QString, int> kindByName;
    std::array<std::vector<int>, TaskPriorityCount> kindsByPriority;
    std::array<bool, TaskPriorityCount> priorityPaused {};
    QSet<QString> activeConditions;

    quint64 nextSeq = 0;
    int depth = 0;
    int running = 0;
    // Who waits on the condition variables: a notify with nobody waiting is skipped, which
    // saves a futex call per task (half the executor's cost in bench/executor).
    int idleWorkers = 0;
    int signalledWorkers = 0; // of the idle, those a notify is already on its way to
    int blockedSubmitters = 0;
    // TaskHandle::wait() sleeps here; TaskState::finish() wakes it.
    std::mutex doneMutex;
    std::condition_variable done;

    // One more task may run: wake an idle worker unless one is already being woken (a burst
    // of submissions then costs one futex call, not one each).
    void wakeOne()
    {
        if (idleWorkers > signalledWorkers) {
            ++signalledWorkers;
            workAvailable.notify_one();
        }
    }
    void wakeAll()
    {
        signalledWorkers = idleWorkers;
        workAvailable.notify_all();
    }
    bool accepting = true;
    bool stopping = false; // workers end once nothing they may run is left

    quint64 submitted = 0, completed = 0, rejected = 0, cancelled = 0, callerRuns = 0;
    LatencyHistogram waitTimes, runTimes;

    std::mutex shutdownMutex; // serialises shutdown() callers; taken before `mutex`
    // std::thread, not QThread: join() returns once the thread has really ended (its
    // thread-local state freed), and ThreadSanitizer sees the hand-over, which it cannot inside
    // an uninstrumented Qt's QThread::wait(). Tasks may still use Qt: it adopts the thread.
    std::vector<std::thread> threads;

    bool paused(const KindSlot &slot) const
    {
        return slot.explicitPause || slot.conditionPause
            || priorityPaused[size_t(slot.kind.priority)];
    }

    // The slot whose head runs next, or -1: the highest class with runnable work, and in it
    // the oldest head (submission order across the kinds of one class).
    int pick() const
    {
        for (int p = TaskPriorityCount - 1; p >= 0; --p) {
            if (priorityPaused[size_t(p)])
                continue;
            int best = -1;
            quint64 bestSeq = std::numeric_limits<quint64>::max();
            for (int k : kindsByPriority[size_t(p)]) {
                const KindSlot &slot = kinds[size_t(k)];
                if (slot.queue.empty() || paused(slot))
                    continue;
                if (slot.queue.front().seq < bestSeq) {
                    bestSeq = slot.queue.front().seq;
                    best = k;
                }
            }
            if (best >= 0)
                return best;
        }
        return -1;
    }

    int addKind(const WorkKind &kind)
    {
        const int index = int(kinds.size());
        kinds.push_back(KindSlot { kind, false, false, {} });
        kindsByPriority[size_t(kind.priority)].push_back(index);
        updateConditionPause(kinds.back());
        return index;
    }

    void updateConditionPause(KindSlot &slot)
    {
        slot.conditionPause = false;
        for (const QString &c : slot.kind.pauseWhen)
            slot.conditionPause = slot.conditionPause || activeConditions.contains(c);
    }

    // Takes a queued node out; the caller destroys it outside the lock (its captures may run
    // arbitrary destructors).
    std::list<Node> unlink(TaskState &state)
    {
        std::list<Node> out;
        out.splice(out.begin(), kinds[size_t(state.kind)].queue, state.position);
        --depth;
        return out;
    }

    // Cancels every queued task (only paused ones when `pausedOnly`); returns the nodes.
    std::vector<Node> cancelQueued(bool pausedOnly)
    {
        std::vector<Node> out;
        for (KindSlot &slot : kinds) {
            if (pausedOnly && !paused(slot))
                continue;
            while (!slot.queue.empty()) {
                out.push_back(std::move(slot.queue.front()));
                slot.queue.pop_front();
                --depth;
                ++cancelled;
            }
        }
        return out;
    }

    void workerLoop()
    {
        std::unique_lock<std::mutex> lock(mutex);
        for (;;) {
            int k = -1;
            while ((k = pick()) < 0 && !stopping) {
                ++idleWorkers;
                workAvailable.wait(lock);
                --idleWorkers;
                if (signalledWorkers > 0)
                    --signalledWorkers;
            }
            if (k < 0)
                return;
            // Spliced out, not copied: the list node is freed after the lock is released.
            std::list<Node> taken;
            taken.splice(taken.begin(), kinds[size_t(k)].queue, kinds[size_t(k)].queue.begin());
            Node &node = taken.front();
            --depth;
            ++running;
            node.state->status.store(int(TaskStatus::Running), std::memory_order_release);
            const auto start = SteadyClock::now();
            waitTimes.record(micros(start - node.enqueued));
            if (blockedSubmitters > 0)
                roomAvailable.notify_one();
            lock.unlock();

            node.task();
            const auto end = SteadyClock::now();
            node.state->finish(*this, TaskStatus::Finished);
            taken.clear(); // the task's captures and the node die outside the lock

            lock.lock();
            --running;
            ++completed;
            runTimes.record(micros(end - start));
        }
    }

    static qint64 micros(SteadyClock::duration d)
    {
        return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    }
};

void TaskState::finish(ExecutorCore &owner, TaskStatus final)
{
    // Sequentially consistent with wait()'s increment of `waiters` and its check of `status`:
    // either this sees the waiter, or the waiter sees the final status.
    status.store(int(final));
    if (waiters.load() > 0) {
        {
            std::lock_guard<std::mutex> lock(owner.doneMutex); // the waiter is asleep or not yet
        }
        owner.done.notify_all();
    }
}

} // namespace Internal

using Internal::ExecutorCore;
using Internal::Node;
using Internal::TaskState;

QString toString(RejectionPolicy policy)
{
    switch (policy) {
    case RejectionPolicy::Drop:
        return QStringLiteral("drop");
    case RejectionPolicy::Block:
        return QStringLiteral("block");
    case RejectionPolicy::Exception:
        return QStringLiteral("exception");
    case RejectionPolicy::CallerRuns:
        return QStringLiteral("caller_runs");
    }
    return {};
}

bool parseRejectionPolicy(const QString &text, RejectionPolicy *out)
{
    for (RejectionPolicy p : { RejectionPolicy::Drop, RejectionPolicy::Block,
             RejectionPolicy::Exception, RejectionPolicy::CallerRuns }) {
        if (text == toString(p)) {
            *out = p;
            return true;
        }
    }
    return false;
}

QString toString(TaskPriority priority)
{
    switch (priority) {
    case TaskPriority::Background:
        return QStringLiteral("background");
    case TaskPriority::Low:
        return QStringLiteral("low");
    case TaskPriority::Normal:
        return QStringLiteral("normal");
    case TaskPriority::High:
        return QStringLiteral("high");
    }
    return {};
}

bool parseTaskPriority(const QString &text, TaskPriority *out)
{
    for (int p = 0; p < TaskPriorityCount; ++p) {
        if (text == toString(TaskPriority(p))) {
            *out = TaskPriority(p);
            return true;
        }
    }
    return false;
}

QString toString(TaskStatus status)
{
    switch (status) {
    case TaskStatus::Queued:
        return QStringLiteral("queued");
    case TaskStatus::Running:
        return QStringLiteral("running");
    case TaskStatus::Finished:
        return QStringLiteral("finished");
    case TaskStatus::Cancelled:
        return QStringLiteral("cancelled");
    case TaskStatus::Dropped:
        return QStringLiteral("dropped");
    }
    return {};
}

TaskStatus TaskHandle::status() const
{
    return m_state ? TaskStatus(m_state->status.load(std::memory_order_acquire))
                   : TaskStatus::Dropped;
}

bool TaskHandle::cancel()
{
    if (!m_state)
        return false;
    const std::shared_ptr<ExecutorCore> core = m_state->core.lock();
    if (!core)
        return false;
    std::list<Node> victim;
    {
        std::lock_guard<std::mutex> lock(core->mutex);
        if (m_state->status.load(std::memory_order_acquire) != int(TaskStatus::Queued))
            return false;
        victim = core->unlink(*m_state);
        ++core->cancelled;
        if (core->blockedSubmitters > 0)
            core->roomAvailable.notify_one();
    }
    m_state->finish(*core, TaskStatus::Cancelled);
    return true;
}

bool TaskHandle::wait(int timeoutMs) const
{
    if (!m_state)
        return true;
    const auto terminal = [this] {
        const auto s = TaskStatus(m_state->status.load());
        return s == TaskStatus::Finished || s == TaskStatus::Cancelled || s == TaskStatus::Dropped;
    };
    if (terminal())
        return true;
    const std::shared_ptr<ExecutorCore> core = m_state->core.lock();
    if (!core)
        return terminal(); // a destroyed executor finished or cancelled everything
    m_state->waiters.fetch_add(1);
    bool reached = true;
    {
        std::unique_lock<std::mutex> lock(core->doneMutex);
        if (timeoutMs < 0)
            core->done.wait(lock, terminal);
        else
            reached = core->done.wait_for(lock, std::chrono::milliseconds(timeoutMs), terminal);
    }
    m_state->waiters.fetch_sub(1);
    return reached;
}

BoundedExecutor::BoundedExecutor(const ExecutorConfig &config)
    : m_core(std::make_shared<ExecutorCore>())
{
    ExecutorConfig c = config;
    c.workers = std::max(1, c.workers);
    c.queueSize = std::max(1, c.queueSize);
    c.blockTimeoutMs = std::max(0, c.blockTimeoutMs);
    m_core->config = c;
    for (int p = 0; p < TaskPriorityCount; ++p)
        m_core->addKind(WorkKind { QString(), TaskPriority(p), {}, std::nullopt });
    for (int i = 0; i < c.workers; ++i) {
        ExecutorCore *core = m_core.get();
        // The kernel keeps 15 bytes of a thread's name (`ps -L`, gdb).
        const QByteArray name
            = QStringLiteral("%1-%2").arg(c.threadName).arg(i + 1).toUtf8().left(15);
        m_core->threads.emplace_back([core, name] {
            pthread_setname_np(pthread_self(), name.constData());
            core->workerLoop();
        });
    }
}

BoundedExecutor::~BoundedExecutor()
{
    shutdown(ShutdownMode::Cancel);
}

ExecutorConfig BoundedExecutor::config() const
{
    return m_core->config; // written only by the constructor
}

Result<void> BoundedExecutor::registerKind(const WorkKind &kind)
{
    if (kind.name.isEmpty())
        return makeError("executor.bad_kind", QStringLiteral("A kind of work needs a name"));
    std::lock_guard<std::mutex> lock(m_core->mutex);
    if (m_core->kindByName.contains(kind.name))
        return makeError("executor.duplicate_kind",
            QStringLiteral("The kind of work \"%1\" is registered already").arg(kind.name),
            { kind.name });
    m_core->kindByName.insert(kind.name, m_core->addKind(kind));
    return {};
}

Result<TaskHandle> BoundedExecutor::submit(TaskPriority priority, std::function<void()> task)
{
    return submitTo(int(priority), std::move(task));
}

Result<TaskHandle> BoundedExecutor::submit(const QString &kind, std::function<void()> task)
{
    int index = -1;
    {
        std::lock_guard<std::mutex> lock(m_core->mutex);
        index = m_core->kindByName.value(kind, -1);
    }
    if (index < 0)
        return makeError("executor.unknown_kind",
            QStringLiteral("No kind of work named \"%1\" is registered").arg(kind), { kind });
    return submitTo(index, std::move(task));
}

Result<TaskHandle> BoundedExecutor::submitTo(int kindIndex, std::function<void()> task)
{
    if (!task)
        return makeError("executor.bad_task", QStringLiteral("An empty function was submitted"));
    ExecutorCore &core = *m_core;
    auto state = std::make_shared<TaskState>();
    state->core = m_core;
    state->kind = kindIndex;

    // The list node is allocated before the lock is taken and spliced in under it.
    std::list<Node> node;
    node.push_back(Node { state, std::move(task), {}, 0 });

    std::unique_lock<std::mutex> lock(core.mutex);
    ++core.submitted;
    const auto shutDown = [&] {
        ++core.rejected;
        return makeError(
            "executor.shut_down", QStringLiteral("The executor is shut down; nothing is accepted"));
    };
    if (!core.accepting)
        return shutDown();
    const Internal::KindSlot &slot = core.kinds[size_t(kindIndex)];
    const auto queueFull = [&](const QString &detail) {
        ++core.rejected;
        const QString what = slot.kind.name.isEmpty()
            ? QStringLiteral("%1 work").arg(toString(slot.kind.priority))
            : QStringLiteral("the work \"%1\"").arg(slot.kind.name);
        return makeError("executor.queue_full",
            QStringLiteral("The executor's queue is full (%1 tasks)%2; %3 was refused")
                .arg(core.config.queueSize)
                .arg(detail, what),
            { core.config.queueSize });
    };

    if (core.depth >= core.config.queueSize) {
        switch (slot.kind.policy.value_or(core.config.policy)) {
        case RejectionPolicy::Drop:
            ++core.rejected;
            state->status.store(int(TaskStatus::Dropped), std::memory_order_release);
            return TaskHandle(state);
        case RejectionPolicy::Exception:
            return queueFull(QString());
        case RejectionPolicy::Block: {
            ++core.blockedSubmitters;
            const bool room = core.roomAvailable.wait_for(lock,
                std::chrono::milliseconds(core.config.blockTimeoutMs),
                [&] { return core.depth < core.config.queueSize || !core.accepting; });
            --core.blockedSubmitters;
            if (!core.accepting)
                return shutDown();
            if (!room)
                return queueFull(QStringLiteral(" for %1 ms").arg(core.config.blockTimeoutMs));
            break;
        }
        case RejectionPolicy::CallerRuns: {
            if (core.paused(slot))
                return queueFull(QStringLiteral(" and the work is paused"));
            state->status.store(int(TaskStatus::Running), std::memory_order_release);
            lock.unlock();
            const auto start = Internal::SteadyClock::now();
            node.front().task();
            node.clear();
            const auto end = Internal::SteadyClock::now();
            state->finish(core, TaskStatus::Finished);
            lock.lock();
            ++core.completed;
            ++core.callerRuns;
            core.runTimes.record(ExecutorCore::micros(end - start));
            return TaskHandle(state);
        }
        }
    }

    Internal::KindSlot &target = core.kinds[size_t(kindIndex)];
    node.front().seq = core.nextSeq++;
    node.front().enqueued = Internal::SteadyClock::now();
    state->position = node.begin();
    target.queue.splice(target.queue.end(), node); // no allocation under the lock
    ++core.depth;
    if (!core.paused(target))
        core.wakeOne();
    return TaskHandle(state);
}

void BoundedExecutor::setCondition(const QString &condition, bool active)
{
    std::lock_guard<std::mutex> lock(m_core->mutex);
    if (active)
        m_core->activeConditions.insert(condition);
    else
        m_core->activeConditions.remove(condition);
    for (Internal::KindSlot &slot : m_core->kinds)
        m_core->updateConditionPause(slot);
    m_core->wakeAll();
}

bool BoundedExecutor::conditionActive(const QString &condition) const
{
    std::lock_guard<std::mutex> lock(m_core->mutex);
    return m_core->activeConditions.contains(condition);
}

Result<void> BoundedExecutor::setKindPaused(const QString &kind, bool paused)
{
    std::lock_guard<std::mutex> lock(m_core->mutex);
    const int index = m_core->kindByName.value(kind, -1);
    if (index < 0)
        return makeError("executor.unknown_kind",
            QStringLiteral("No kind of work named \"%1\" is registered").arg(kind), { kind });
    m_core->kinds[size_t(index)].explicitPause = paused;
    m_core->wakeAll();
    return {};
}

void BoundedExecutor::setPriorityPaused(TaskPriority priority, bool paused)
{
    std::lock_guard<std::mutex> lock(m_core->mutex);
    m_core->priorityPaused[size_t(priority)] = paused;
    m_core->wakeAll();
}

bool BoundedExecutor::isKindPaused(const QString &kind) const
{
    std::lock_guard<std::mutex> lock(m_core->mutex);
    const int index = m_core->kindByName.value(kind, -1);
    return index >= 0 && m_core->paused(m_core->kinds[size_t(index)]);
}

ExecutorMetrics BoundedExecutor::metrics() const
{
    const ExecutorCore &core = *m_core;
    std::lock_guard<std::mutex> lock(core.mutex);
    ExecutorMetrics m;
    m.workers = core.config.workers;
    m.queueCapacity = core.config.queueSize;
    m.submitted = core.submitted;
    m.completed = core.completed;
    m.rejected = core.rejected;
    m.cancelled = core.cancelled;
    m.callerRuns = core.callerRuns;
    m.queueDepth = core.depth;
    m.running = core.running;
    for (const Internal::KindSlot &slot : core.kinds) {
        m.depthByPriority[size_t(slot.kind.priority)] += int(slot.queue.size());
        if (core.paused(slot))
            m.pausedDepth += int(slot.queue.size());
        if (!slot.kind.name.isEmpty())
            m.kinds.append(
                { slot.kind.name, slot.kind.priority, core.paused(slot), int(slot.queue.size()) });
    }
    m.waitP50Us = core.waitTimes.quantile(0.5);
    m.waitP99Us = core.waitTimes.quantile(0.99);
    m.runP50Us = core.runTimes.quantile(0.5);
    m.runP99Us = core.runTimes.quantile(0.99);
    m.waitCount = core.waitTimes.count();
    m.runCount = core.runTimes.count();
    m.waitSumUs = core.waitTimes.sum();
    m.runSumUs = core.runTimes.sum();
    return m;
}

void BoundedExecutor::shutdown(ShutdownMode mode)
{
    ExecutorCore &core = *m_core;
    std::lock_guard<std::mutex> once(core.shutdownMutex);
    if (core.threads.empty() && !core.accepting)
        return;
    std::vector<Node> cancelled;
    {
        std::lock_guard<std::mutex> lock(core.mutex);
        core.accepting = false;
        cancelled = core.cancelQueued(mode == ShutdownMode::Drain);
        core.stopping = true;
        core.wakeAll();
        core.roomAvailable.notify_all();
    }
    for (Node &node : cancelled)
        node.state->finish(core, TaskStatus::Cancelled);
    cancelled.clear();

    for (std::thread &thread : core.threads)
        thread.join();
    core.threads.clear();

    // A pause switched on during the drain leaves work no worker may take: cancel it too.
    {
        std::lock_guard<std::mutex> lock(core.mutex);
        cancelled = core.cancelQueued(false);
    }
    for (Node &node : cancelled)
        node.state->finish(core, TaskStatus::Cancelled);
}

bool BoundedExecutor::isShutDown() const
{
    std::lock_guard<std::mutex> lock(m_core->mutex);
    return !m_core->accepting;
}

} // namespace Shivx
