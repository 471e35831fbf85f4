#include "pipelines/stagelauncher.h"

#include "core/modulehost.h"
#include "core/spawnsignals.h"
#include "core/steadyclock.h"
#include "recovery/childrecord.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLoggingCategory>
#include <QMetaObject>
#include <QObject>

#include <algorithm>
#include <array>
#include <atomic>
#include <vector>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <pthread.h>
#include <spawn.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcLauncher, "shivx.pipelines.launcher")

namespace Shivx {

namespace {

// "$@" runs the command with its arguments untouched by the shell, without the read ends of
// the output pipes (3 and 4) that the wrapper itself keeps open (see the class comment). The
// status is appended after it ends, as "KEY CODE", so that an attempt which finished while no
// engine watched still has its result; one append to the run's status file rather than a file
// per attempt.
const char Wrapper[] = "\"$@\" 3<&- 4<&-; s=$?; "
                       "echo \"$SHIVX_STATUS_KEY $s\" >> \"$SHIVX_STATUS_FILE\"; exit $s";

// Output still arriving this long after the wrapper was reaped comes from a process that left
// the group: its pipe is closed rather than waited for.
constexpr qint64 DrainGraceMs = 1000;

enum Kind : quint64 { Wake = 0, Pidfd = 1, Stdout = 2, Stderr = 3 };

int pidfdOpen(pid_t pid)
{
#ifdef SYS_pidfd_open
    return int(::syscall(SYS_pidfd_open, pid, 0));
#else
    Q_UNUSED(pid);
    errno = ENOSYS;
    return -1;
#endif
}

// Above the descriptors posix_spawn's dup2 actions write (0-4), so that no action overwrites
// another's source.
int highCopy(int fd)
{
    if (fd > 4)
        return fd; // as always unless the engine was started without stdin, stdout or stderr
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, 10);
    ::close(fd);
    return copy;
}

QString errnoText(int e)
{
    return QString::fromLocal8Bit(std::strerror(e));
}

// One write with O_APPEND, so that the line stays whole among the wrappers' appends.
void appendStarted(const StageLaunch &s, const StageLauncher::Started &st)
{
    if (s.statusPath.isEmpty())
        return;
    const QByteArray line = s.statusKey.toLocal8Bit() + " started " + QByteArray::number(st.pid)
        + ' ' + QByteArray::number(st.pgid) + ' ' + QByteArray::number(st.startTicks) + ' '
        + (st.bootId.isEmpty() ? QByteArray("-") : st.bootId.toLatin1()) + '\n';
    const int fd = ::open(QFile::encodeName(s.statusPath).constData(),
        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666);
    if (fd < 0 || ::write(fd, line.constData(), size_t(line.size())) != line.size())
        qCWarning(lcLauncher).noquote()
            << "cannot record the start of" << s.command << "in" << s.statusPath << ":"
            << errnoText(errno) << "(a restarted engine then knows its pid only once stored)";
    if (fd >= 0)
        ::close(fd);
}

} // namespace

struct StageLauncher::Launch
{
    quint64 id = 0;
    StageLaunch launch;
    QObject *receiver = nullptr;
    StartedFn started;
    FinishedFn finished;
    // Set by forget(), read where a report is delivered: a report posted before forget() is
    // dropped there.
    std::shared_ptr<std::atomic<bool>> forgottenFlag = std::make_shared<std::atomic<bool>>(false);
    // Under m_mutex:
    enum class Phase { Queued, Spawning, Spawned } phase = Phase::Queued;
    TaskHandle task; // the spawn on the executor
    int pendingSignal = 0; // signal() before the process existed
    pid_t spawnedPid = 0; // from the spawn task to adopt()
    Started spawned; // from the spawn task, reported by the launcher's thread
    bool startedDue = false; // spawned, not reported yet
    int spawnedPipe[2] = { -1, -1 };
    bool forgotten = false;
    bool waited = false; // waitReaped() takes the result
    bool done = false;
    Finished result;
    // The launcher thread's alone:
    pid_t pid = 0;
    int pidfd = -1;
    int pipe[2] = { -1, -1 }; // read ends: stdout, stderr
    int file[2] = { -1, -1 };
    bool reaped = false;
    qint64 reapedMs = 0;
    qint64 startedDueMs = -1; // when started() is reported at the latest
};

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

std::optional<StageLauncher::Started> StageLauncher::readStarted(
    const QString &statusPath, const QString &key)
{
    QFile f(statusPath);
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QByteArray k = key.toLocal8Bit();
    std::optional<Started> found;
    while (!f.atEnd()) {
        const QList<QByteArray> fields = f.readLine(512).simplified().split(' ');
        if (fields.size() != 6 || fields.at(0) != k || fields.at(1) != "started")
            continue;
        Started st;
        bool ok[3] = {};
        st.pid = fields.at(2).toLongLong(&ok[0]);
        st.pgid = fields.at(3).toLongLong(&ok[1]);
        st.startTicks = fields.at(4).toULongLong(&ok[2]);
        st.bootId = fields.at(5) == "-" ? QString() : QString::fromLatin1(fields.at(5));
        if (ok[0] && ok[1] && ok[2] && st.pid > 0)
            found = st; // the last one counts
    }
    return found;
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

// Explicitly, not by close() alone: close() leaves the registration in place while the
// descriptor's file is still open elsewhere, as it is in every child that another executor
// thread is spawning at that moment (posix_spawn copies the descriptor table and closes the
// copies only just before exec). Meanwhile a pipe at end of file or an exited process's pidfd
// keeps waking epoll_wait: measured, 20 to 50 wake-ups per stage of `true` with two stages at
// once, each a pass over every launch.
void StageLauncher::unwatchAndClose(int fd)
{
    ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
}

void StageLauncher::watch(int fd, quint64 id, int kind)
{
    epoll_event ev {};
    ev.events = EPOLLIN;
    ev.data.u64 = (id << 2) | quint64(kind);
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
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

void StageLauncher::spawnTask(quint64 id)
{
    Launch *l = nullptr;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        const auto it = m_launches.find(id);
        if (it == m_launches.end() || it->second->done)
            return;
        l = it->second.get();
        l->phase = Launch::Phase::Spawning;
    }
    // `l` stays: a launch is erased only once done, which from here only this task makes it.
    // Its `launch` does not change after launch().
    const StageLaunch &s = l->launch;
    // The wrapper's two, in place of any the engine itself was started with.
    const QByteArray statusFile = "SHIVX_STATUS_FILE=" + s.statusPath.toLocal8Bit();
    const QByteArray statusKey = "SHIVX_STATUS_KEY=" + s.statusKey.toLocal8Bit();
    std::vector<char *> envp;
    envp.reserve(size_t(s.environment.size()) + 3);
    for (const QByteArray &e : s.environment)
        if (!e.startsWith("SHIVX_STATUS_FILE=") && !e.startsWith("SHIVX_STATUS_KEY="))
            envp.push_back(const_cast<char *>(e.constData())); // posix_spawn only reads it
    envp.push_back(const_cast<char *>(statusFile.constData()));
    envp.push_back(const_cast<char *>(statusKey.constData()));
    envp.push_back(nullptr);
    std::vector<QByteArray> argBytes { "/bin/sh", "-c", Wrapper, "shivx-stage",
        s.command.toLocal8Bit() };
    for (const QString &a : s.args)
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &b : argBytes)
        argv.push_back(b.data());
    argv.push_back(nullptr);

    const auto fail = [this, l](const QString &error) {
        Finished f;
        f.error = error;
        std::lock_guard<std::mutex> lock(m_mutex);
        finishLocked(*l, f);
    };

    int out[2] = { -1, -1 };
    int err[2] = { -1, -1 };
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
        const int e = errno;
        for (int fd : { out[0], out[1], err[0], err[1] })
            if (fd >= 0)
                ::close(fd);
        fail(QStringLiteral("cannot start %1: no pipe for its output: %2")
                 .arg(s.command, errnoText(e)));
        return;
    }
    for (int *fd : { &out[0], &out[1], &err[0], &err[1] })
        *fd = highCopy(*fd);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_adddup2(&actions, err[1], 2);
    posix_spawn_file_actions_adddup2(&actions, out[0], 3);
    posix_spawn_file_actions_adddup2(&actions, err[0], 4);
    const QByteArray cwd = s.cwd.toLocal8Bit();
    if (!cwd.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.constData());
    // Nothing of the engine (database, sockets) leaks into the stage.
    posix_spawn_file_actions_addclosefrom_np(&actions, 5);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Own session and group (StageProcess), signals as a fresh process has them.
    resetSpawnSignals(&attr);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(out[1]);
    ::close(err[1]);
    if (rc != 0) {
        ::close(out[0]);
        ::close(err[0]);
        fail(QStringLiteral("cannot start %1 in %2: %3").arg(s.command, s.cwd, errnoText(rc)));
        return;
    }
    Started st;
    st.spawnedNs = steadyNs();
    st.pid = pid;
    st.pgid = pid;
    if (const auto child = ChildRecord::ofChild(QString(), pid, 0, s.command, 0)) {
        st.pgid = child->pgid;
        st.startTicks = child->startTicks;
        st.bootId = child->bootId;
    }
    appendStarted(s, st);
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        l->spawned = st;
        l->startedDue = true;
        l->phase = Launch::Phase::Spawned;
        l->spawnedPid = pid;
        l->spawnedPipe[0] = out[0];
        l->spawnedPipe[1] = err[0];
        m_commands.push_back({ id, 0 });
    }
    wake();
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

void StageLauncher::run()
{
    pthread_setname_np(pthread_self(), "shivx-stages");
    QElapsedTimer clock;
    clock.start();
    std::vector<epoll_event> events(64);
    for (;;) {
        // Launches without a pidfd are polled; drained output and started() get a deadline.
        int timeout = -1;
        {
            const qint64 now = clock.elapsed();
            const auto atMost = [&timeout](qint64 ms) {
                timeout = timeout < 0 ? int(ms) : std::min(timeout, int(ms));
            };
            std::lock_guard<std::mutex> lock(m_mutex);
            for (const auto &[id, l] : m_launches) {
                if (l->pid <= 0 || l->done)
                    continue;
                if (!l->reaped && l->pidfd < 0)
                    atMost(20);
                else if (l->reaped)
                    atMost(100);
                if (l->startedDue && l->startedDueMs >= 0)
                    atMost(std::max<qint64>(0, l->startedDueMs - now));
            }
        }
        const int n = ::epoll_wait(m_epoll, events.data(), int(events.size()), timeout);
        m_wakeups.fetch_add(1, std::memory_order_relaxed);
        std::deque<Command> commands;
        bool stopping = false;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            commands.swap(m_commands);
            stopping = m_stopping;
        }
        for (int i = 0; i < n; ++i) {
            const quint64 id = events[i].data.u64 >> 2;
            const int kind = int(events[i].data.u64 & 3);
            if (kind == Wake) {
                quint64 count = 0;
                (void)!::read(m_wake, &count, sizeof count);
                continue;
            }
            Launch *l = nullptr;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                const auto it = m_launches.find(id);
                if (it != m_launches.end() && !it->second->done)
                    l = it->second.get();
            }
            if (!l)
                continue;
            if (kind == Pidfd)
                reap(*l, false);
            else
                readPipe(*l, kind - Stdout);
        }
        for (const Command &c : commands) {
            Launch *l = nullptr;
            {
                std::lock_guard<std::mutex> lock(m_mutex);
                const auto it = m_launches.find(c.id);
                if (it != m_launches.end() && !it->second->done)
                    l = it->second.get();
            }
            if (!l)
                continue;
            if (c.signal == 0)
                adopt(*l, clock.elapsed());
            else if (l->pid > 0 && !l->reaped)
                ::kill(-l->pid, c.signal);
        }
        // Polling (no pidfd), deadlines, and the end.
        std::vector<Launch *> live;
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            for (const auto &[id, l] : m_launches)
                if (l->pid > 0 && !l->done)
                    live.push_back(l.get());
        }
        for (Launch *l : live) {
            if (stopping && !l->reaped) {
                ::kill(-l->pid, SIGKILL);
                reap(*l, true);
            }
            if (l->pidfd < 0 && !l->reaped)
                reap(*l, false);
            if (stopping) {
                for (int s = 0; s < 2; ++s)
                    readPipe(*l, s);
                l->reapedMs = -DrainGraceMs; // no waiting for output when the engine stops
            }
            if (l->startedDueMs >= 0 && clock.elapsed() >= l->startedDueMs) {
                std::lock_guard<std::mutex> lock(m_mutex);
                postStartedLocked(*l);
            }
            finishIfDone(*l, clock.elapsed());
        }
        if (stopping)
            return;
    }
}

void StageLauncher::adopt(Launch &l, qint64 nowMs)
{
    l.startedDueMs = nowMs + StartedReportDelayMs;
    int pendingSignal = 0;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        l.pid = l.spawnedPid;
        l.pipe[0] = l.spawnedPipe[0];
        l.pipe[1] = l.spawnedPipe[1];
        pendingSignal = l.pendingSignal;
    }
    for (int i = 0; i < 2; ++i) {
        ::fcntl(l.pipe[i], F_SETFL, O_NONBLOCK); // a pipe's read end has no other flag to keep
        watch(l.pipe[i], l.id, Stdout + i);
    }
    l.pidfd = pidfdOpen(l.pid);
    if (l.pidfd >= 0)
        watch(l.pidfd, l.id, Pidfd);
    if (pendingSignal != 0)
        ::kill(-l.pid, pendingSignal);
}

void StageLauncher::readPipe(Launch &l, int stream)
{
    int &fd = l.pipe[stream];
    if (fd < 0)
        return;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        if (n <= 0) {
            unwatchAndClose(fd);
            fd = -1;
            return;
        }
        int &file = l.file[stream];
        const QString &path = stream == 0 ? l.launch.stdoutPath : l.launch.stderrPath;
        if (file < 0 && !path.isEmpty()) {
            file = ::open(path.toLocal8Bit().constData(),
                O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0666);
            if (file < 0) {
                qCWarning(lcLauncher).noquote()
                    << "cannot write the log" << path << ":" << errnoText(errno);
                l.file[stream] = -2; // not again
            }
        }
        for (ssize_t done = 0; file >= 0 && done < n;) {
            const ssize_t w = ::write(file, buf + done, size_t(n - done));
            if (w < 0 && errno == EINTR)
                continue;
            if (w <= 0)
                break; // a full disk: the log ends here, the stage goes on
            done += w;
        }
    }
}

void StageLauncher::reap(Launch &l, bool block)
{
    if (l.reaped || l.pid <= 0)
        return;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(l.pid, &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0)
        return;
    // What the command left behind in its group goes with it, as for supervised processes.
    // The group id stays reserved while any member lives, so this cannot reach a stranger.
    ::kill(-l.pid, SIGKILL);
    l.reaped = true;
    l.reapedMs = -1; // set by finishIfDone()'s clock
    if (l.pidfd >= 0) {
        unwatchAndClose(l.pidfd);
        l.pidfd = -1;
    }
    Finished f;
    if (r < 0) {
        f.error = QStringLiteral("lost pid %1: %2").arg(l.pid).arg(errnoText(errno));
    } else if (WIFSIGNALED(status)) {
        f.exitCode = 0;
        f.signal = WTERMSIG(status);
    } else {
        f.exitCode = WEXITSTATUS(status);
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    l.result = f;
}

void StageLauncher::finishIfDone(Launch &l, qint64 nowMs)
{
    if (!l.reaped)
        return;
    if (l.reapedMs == -1)
        l.reapedMs = nowMs;
    const bool drained = l.pipe[0] < 0 && l.pipe[1] < 0;
    if (!drained && nowMs - l.reapedMs < DrainGraceMs)
        return;
    for (int i = 0; i < 2; ++i) {
        if (l.pipe[i] >= 0)
            unwatchAndClose(l.pipe[i]);
        if (l.file[i] >= 0)
            ::close(l.file[i]);
        l.pipe[i] = l.file[i] = -1;
    }
    std::lock_guard<std::mutex> lock(m_mutex);
    finishLocked(l, l.result);
}

} // namespace Shivx
