#include "backup/pipedchild.h"

#include "core/spawndescriptors.h"
#include "core/spawnsignals.h"

#include <QThread>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace Shivx::Backup {

namespace {

constexpr int CapturedBytes = 16 * 1024;
constexpr int PollStepMs = 100;

QString errnoText(int e)
{
    return QString::fromLocal8Bit(std::strerror(e));
}

Error cancelledError(const QString &program)
{
    return makeError("backup.cancelled", QStringLiteral("%1 was stopped: cancelled").arg(program));
}

} // namespace

QString PipedChild::Exit::describe() const
{
    return signal ? QStringLiteral("killed by signal %1").arg(signal)
                  : QStringLiteral("exit %1").arg(code);
}

Result<std::unique_ptr<PipedChild>> PipedChild::start(
    const QString &program, const QStringList &args, Direction direction)
{
    int data[2] = { -1, -1 };
    int out[2] = { -1, -1 };
    if (::pipe2(data, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
        const int e = errno;
        for (int fd : { data[0], data[1], out[0], out[1] })
            if (fd >= 0)
                ::close(fd);
        return makeError("backup.child",
            QStringLiteral("cannot start %1: no pipe: %2").arg(program, errnoText(e)), { program });
    }
    for (int *fd : { &data[0], &data[1], &out[0], &out[1] })
        *fd = descriptorAtLeast(*fd, 3); // dup2 writes 0-2
    // 1 MiB instead of 64 KiB: the child writes on while a chunk is hashed (best effort; the
    // limit for unprivileged users is /proc/sys/fs/pipe-max-size).
    ::fcntl(data[0], F_SETPIPE_SZ, 1 << 20);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (direction == Direction::ReadStdout) {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, data[1], 1);
    } else {
        posix_spawn_file_actions_adddup2(&actions, data[0], 0);
        posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    }
    posix_spawn_file_actions_adddup2(&actions, out[1], 2);
    // Nothing of ours (the engine database, sockets, repository files) leaks into the child.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    resetSpawnSignals(&attr);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    std::vector<QByteArray> argBytes { program.toLocal8Bit() };
    for (const QString &a : args)
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &b : argBytes)
        argv.push_back(b.data());
    argv.push_back(nullptr);
    pid_t pid = -1;
    const int rc = ::posix_spawnp(&pid, argv[0], &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);

    const bool reading = direction == Direction::ReadStdout;
    ::close(reading ? data[1] : data[0]);
    ::close(out[1]);
    const int keep = reading ? data[0] : data[1];
    if (rc != 0) {
        ::close(keep);
        ::close(out[0]);
        return makeError("backup.child",
            QStringLiteral("cannot start %1: %2").arg(program, errnoText(rc)), { program });
    }
    std::unique_ptr<PipedChild> child(new PipedChild);
    child->m_pid = pid;
    child->m_data = keep;
    child->m_output = out[0];
    child->m_program = program;
    ::fcntl(child->m_output, F_SETFL, O_NONBLOCK);
    if (!reading)
        ::fcntl(child->m_data, F_SETFL, O_NONBLOCK);
    return child;
}

PipedChild::~PipedChild()
{
    kill();
    closeFd(&m_data);
    closeFd(&m_output);
}

void PipedChild::closeFd(int *fd)
{
    if (*fd >= 0)
        ::close(*fd);
    *fd = -1;
}

void PipedChild::drainOutput()
{
    char buf[4096];
    while (m_output >= 0) {
        const ssize_t n = ::read(m_output, buf, sizeof buf);
        if (n > 0) {
            const int room = CapturedBytes - int(m_captured.size());
            if (room > 0)
                m_captured.append(buf, std::min<int>(room, int(n)));
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        closeFd(&m_output); // the end, or an error: nothing more to read either way
    }
}

Result<std::size_t> PipedChild::read(std::uint8_t *buffer, std::size_t size, const Control &control)
{
    for (;;) {
        if (control.cancelled()) {
            kill();
            return cancelledError(m_program);
        }
        pollfd fds[2] = { { m_data, POLLIN, 0 }, { m_output, POLLIN, 0 } };
        const int n = ::poll(fds, m_output >= 0 ? 2 : 1, PollStepMs);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return makeError("backup.child",
                QStringLiteral("cannot read from %1: %2").arg(m_program, errnoText(errno)));
        if (m_output >= 0 && fds[1].revents)
            drainOutput();
        if (!fds[0].revents)
            continue;
        const ssize_t got = ::read(m_data, buffer, size);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got < 0)
            return makeError("backup.child",
                QStringLiteral("cannot read from %1: %2").arg(m_program, errnoText(errno)));
        return std::size_t(got);
    }
}

Result<void> PipedChild::write(const std::uint8_t *data, std::size_t size, const Control &control)
{
    // A child that exits stops reading: the write then fails with EPIPE, and SIGPIPE (which
    // would end this process) stays blocked in this thread and is taken back below.
    sigset_t pipeSignal;
    sigemptyset(&pipeSignal);
    sigaddset(&pipeSignal, SIGPIPE);
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &pipeSignal, &old);
    Result<void> result;
    std::size_t done = 0;
    while (done < size) {
        if (control.cancelled()) {
            kill();
            result = cancelledError(m_program);
            break;
        }
        pollfd fds[2] = { { m_data, POLLOUT, 0 }, { m_output, POLLIN, 0 } };
        const int n = ::poll(fds, m_output >= 0 ? 2 : 1, PollStepMs);
        if (n < 0 && errno == EINTR)
            continue;
        if (m_output >= 0 && fds[1].revents)
            drainOutput();
        if (n <= 0 || !fds[0].revents)
            continue;
        const ssize_t w = ::write(m_data, data + done, size - done);
        if (w < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (w < 0) {
            const int e = errno;
            if (e == EPIPE) {
                const timespec zero { 0, 0 };
                ::sigtimedwait(&pipeSignal, nullptr, &zero);
                result = makeError("backup.child_gone",
                    QStringLiteral("%1 stopped reading its input").arg(m_program));
            } else {
                result = makeError("backup.child",
                    QStringLiteral("cannot write to %1: %2").arg(m_program, errnoText(e)));
            }
            break;
        }
        done += std::size_t(w);
    }
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    return result;
}

Result<PipedChild::Exit> PipedChild::wait(const Control &control)
{
    closeFd(&m_data);
    Exit exit;
    for (;;) {
        if (control.cancelled()) {
            kill();
            return cancelledError(m_program);
        }
        if (m_output >= 0) {
            pollfd p { m_output, POLLIN, 0 };
            if (::poll(&p, 1, PollStepMs) > 0)
                drainOutput();
            continue;
        }
        if (m_reaped)
            return exit;
        int status = 0;
        const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
        if (r == m_pid) {
            m_reaped = true;
            exit.code = WIFEXITED(status) ? WEXITSTATUS(status) : 0;
            exit.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
            return exit;
        }
        if (r < 0 && errno != EINTR) {
            m_reaped = true; // not ours to reap any more (ECHILD)
            return exit;
        }
        QThread::msleep(10);
    }
}

void PipedChild::kill()
{
    if (m_pid <= 0 || m_reaped)
        return;
    // The group: the child's own helpers, if it has any, go with it. Its pid is not reused
    // before it is reaped here, so the signal cannot reach anyone else.
    ::kill(-m_pid, SIGKILL);
    int status = 0;
    while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) { }
    m_reaped = true;
}

QString PipedChild::output() const
{
    return QString::fromLocal8Bit(m_captured).trimmed();
}

} // namespace Shivx::Backup
