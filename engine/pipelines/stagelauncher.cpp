// StageLauncher's API, its lifetime and its reports; the spawn is in stagespawn.cpp, the
// thread that watches the processes in stagelauncherloop.cpp.
#include "pipelines/stagelauncher_p.h"

#include "core/modulehost.h"

#include <QMetaObject>

#include <array>

#include <csignal>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcLauncher, "shivx.pipelines.launcher")

namespace Shivx {

using namespace LauncherShared;

const QString StageLauncher::ManualKind = QStringLiteral("pipelines.stage.manual");
const QString StageLauncher::ScheduledKind = QStringLiteral("pipelines.stage.scheduled");
const QString StageLauncher::BackgroundKind = QStringLiteral("pipelines.stage.background");

Result<void> StageLauncher::registerKinds(BoundedExecutor &executor)
{
    // caller_runs: a stage is neither dropped nor made to wait by a full queue; its producer
    // (the runner's thread) spawns it itself, which slows the producer down.
    const std::array<WorkKind, 3> kinds {
        WorkKind { ManualKind, TaskPriority::Normal, {}, RejectionPolicy::CallerRuns },
        WorkKind { ScheduledKind, TaskPriority::Low, {}, RejectionPolicy::CallerRuns },
        WorkKind { BackgroundKind, TaskPriority::Background, { ModuleHost::backgroundTasksOff() },
            RejectionPolicy::CallerRuns },
    };
    for (const WorkKind &kind : kinds)
        if (const auto r = executor.registerKind(kind);
            !r && r.error().code != QLatin1String("executor.duplicate_kind"))
            return r;
    return {};
}

StageLauncher::StageLauncher(BoundedExecutor *executor)
    : m_executor(executor)
{
    if (!m_executor) {
        ExecutorConfig config;
        config.workers = 1;
        config.threadName = QStringLiteral("shivx-spawn");
        m_ownExecutor = std::make_unique<BoundedExecutor>(config);
        m_executor = m_ownExecutor.get();
    }
    if (const auto r = registerKinds(*m_executor); !r)
        qCWarning(lcLauncher).noquote() << r.error().message; // launches then report it

    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wake = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    watch(m_wake, 0, Wake);
    m_thread = std::thread([this] { run(); });
}

StageLauncher::~StageLauncher()
{
    // No spawn task may run once the launcher is gone: those still queued never run, those
    // under way finish (their processes are adopted below, then killed with the rest).
    std::vector<std::pair<quint64, TaskHandle>> tasks;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto &[id, l] : m_launches)
            if (l->phase != Launch::Phase::Spawned && l->task.isValid())
                tasks.emplace_back(id, l->task);
    }
    for (auto &[id, task] : tasks)
        if (!task.cancel())
            task.wait();
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    wake();
    m_thread.join();
    // What the shutdown killed, and reports still queued to receivers, are never delivered:
    // a receiver may be gone with the launcher (tst_stagelauncher's reports on the stack
    // were written to by the next test's event loop).
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        for (const auto &[id, l] : m_launches)
            *l->forgottenFlag = true;
    }
    ::close(m_wake);
    ::close(m_epoll);
}

void StageLauncher::wake()
{
    const quint64 one = 1;
    (void)!::write(m_wake, &one, sizeof one);
}

quint64 StageLauncher::launch(
    StageLaunch launch, QObject *receiver, StartedFn started, FinishedFn finished)
{
    auto l = std::make_unique<Launch>();
    l->launch = std::move(launch);
    l->receiver = receiver;
    l->started = std::move(started);
    l->finished = std::move(finished);
    const QString kind = l->launch.kind.isEmpty() ? ManualKind : l->launch.kind;
    quint64 id = 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        id = m_nextId++;
        l->id = id;
        m_launches.emplace(id, std::move(l));
    }
    // Outside the lock: under caller_runs the spawn runs right here.
    const auto task = m_executor->submit(kind, [this, id] { spawnTask(id); });
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_launches.find(id);
    if (it == m_launches.end() || it->second->phase != Launch::Phase::Queued)
        return id;
    if (task) {
        it->second->task = *task;
    } else {
        Finished f;
        f.error = QStringLiteral("cannot start %1: %2")
                      .arg(it->second->launch.command, task.error().message);
        finishLocked(*it->second, f);
    }
    return id;
}

void StageLauncher::postStartedLocked(Launch &l)
{
    if (!l.startedDue)
        return;
    l.startedDue = false;
    if (!l.forgotten && !l.waited && l.receiver)
        QMetaObject::invokeMethod(
            l.receiver,
            [fn = l.started, st = l.spawned, gone = l.forgottenFlag] {
                if (!*gone)
                    fn(st);
            },
            Qt::QueuedConnection);
}

void StageLauncher::finishLocked(Launch &l, const Finished &f)
{
    const quint64 id = l.id;
    postStartedLocked(l); // before finished(), on the same queue
    l.result = f;
    l.done = true;
    if (!l.forgotten && !l.waited && l.receiver)
        QMetaObject::invokeMethod(
            l.receiver,
            [fn = l.finished, f, gone = l.forgottenFlag] {
                if (!*gone)
                    fn(f);
            },
            Qt::QueuedConnection);
    m_reapedCond.notify_all();
    if (l.forgotten)
        m_launches.erase(id); // else forget() or waitReaped() does
}

void StageLauncher::signal(quint64 id, int signal)
{
    TaskHandle queued;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_launches.find(id);
        if (it == m_launches.end() || it->second->done)
            return;
        Launch &l = *it->second;
        if (l.phase == Launch::Phase::Spawned) {
            m_commands.push_back({ id, signal }); // behind the adoption
        } else {
            // adopt() sends it once the process exists; SIGKILL wins over a gentler signal.
            if (l.pendingSignal != SIGKILL)
                l.pendingSignal = signal;
            queued = l.task;
        }
    }
    if (queued.isValid() && queued.cancel()) {
        std::lock_guard<std::mutex> lock(m_mutex);
        if (const auto it = m_launches.find(id); it != m_launches.end() && !it->second->done) {
            Finished f;
            f.error = QStringLiteral("stopped before it started");
            finishLocked(*it->second, f);
        }
        return;
    }
    wake();
}

void StageLauncher::forget(quint64 id)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_launches.find(id);
    if (it == m_launches.end())
        return;
    *it->second->forgottenFlag = true;
    if (it->second->done)
        m_launches.erase(it);
    else
        it->second->forgotten = true;
}

bool StageLauncher::waitReaped(quint64 id, int timeoutMs, Finished *out)
{
    std::unique_lock<std::mutex> lock(m_mutex);
    auto it = m_launches.find(id);
    if (it == m_launches.end())
        return false;
    Launch *l = it->second.get();
    l->waited = true;
    const bool done = m_reapedCond.wait_for(
        lock, std::chrono::milliseconds(timeoutMs), [l] { return l->done; });
    if (!done) {
        l->waited = false;
        return false;
    }
    *out = l->result;
    m_launches.erase(id);
    return true;
}

} // namespace Shivx
