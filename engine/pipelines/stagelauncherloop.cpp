// The launcher's thread: it adopts spawned processes, copies their output into the logs,
// reaps them through pidfds and reports their ends.
#include "pipelines/stagelauncher_p.h"

#include <QElapsedTimer>

#include <algorithm>
#include <deque>
#include <vector>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Shivx {

using namespace LauncherShared;

namespace {

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

} // namespace

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
        // Reports of one pass go out in the order of the spawns, not of the map.
        std::sort(live.begin(), live.end(),
            [](const Launch *a, const Launch *b) { return a->adopted < b->adopted; });
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
    l.adopted = ++m_adoptions;
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
