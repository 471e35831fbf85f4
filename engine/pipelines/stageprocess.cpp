#include "pipelines/stageprocess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QSocketNotifier>
#include <QThread>
#include <QTimer>

#include <limits>
#include <vector>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

namespace Shivx {

namespace {

// The shell opens the two logs itself after exec, so that the runner's thread never waits for
// file creation. "$@" runs the command with its arguments untouched by the shell; the status
// is written after it ends, so that an attempt which finished while no engine watched still
// has its result.
const char Wrapper[] = "exec >\"$SHIVX_STDOUT_FILE\" 2>\"$SHIVX_STDERR_FILE\" || exit 126; "
                       "\"$@\"; s=$?; echo $s > \"$SHIVX_STATUS_FILE\"; exit $s";

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

StageProcess::StageProcess(StageLaunch launch, QObject *parent)
    : QObject(parent)
    , m_launch(std::move(launch))
{
}

StageProcess::~StageProcess()
{
    if (m_pid > 0 && !m_done)
        stopBlocking(1000);
    if (m_pidfd >= 0)
        ::close(m_pidfd);
}

void StageProcess::start()
{
    QProcessEnvironment env = m_launch.env;
    env.insert(QStringLiteral("SHIVX_STATUS_FILE"), m_launch.statusPath);
    env.insert(QStringLiteral("SHIVX_STDOUT_FILE"), m_launch.stdoutPath);
    env.insert(QStringLiteral("SHIVX_STDERR_FILE"), m_launch.stderrPath);
    std::vector<QByteArray> envBytes;
    for (const QString &kv : env.toStringList())
        envBytes.push_back(kv.toLocal8Bit());
    std::vector<char *> envp;
    for (QByteArray &b : envBytes)
        envp.push_back(b.data());
    envp.push_back(nullptr);

    std::vector<QByteArray> argBytes { "/bin/sh", "-c", Wrapper, "shivx-stage",
        m_launch.command.toLocal8Bit() };
    for (const QString &a : std::as_const(m_launch.args))
        argBytes.push_back(a.toLocal8Bit());
    std::vector<char *> argv;
    for (QByteArray &b : argBytes)
        argv.push_back(b.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    const QByteArray cwd = m_launch.cwd.toLocal8Bit();
    if (!cwd.isEmpty())
        posix_spawn_file_actions_addchdir_np(&actions, cwd.constData());
    // Nothing of the engine (database, sockets) leaks into the stage.
    posix_spawn_file_actions_addclosefrom_np(&actions, 3);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    // Own session and group (see the class comment). The engine blocks SIGTERM/SIGINT in its
    // threads and may ignore SIGPIPE; both would survive exec, so the child starts clean.
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attr, &none);
    sigset_t defaults;
    sigfillset(&defaults);
    sigdelset(&defaults, SIGKILL);
    sigdelset(&defaults, SIGSTOP);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(
        &attr, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

    pid_t pid = 0;
    const int rc = ::posix_spawn(&pid, "/bin/sh", &actions, &attr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
        m_done = true;
        const QString error
            = QStringLiteral("cannot start %1 in %2: %3")
                  .arg(m_launch.command, m_launch.cwd, QString::fromLocal8Bit(std::strerror(rc)));
        QMetaObject::invokeMethod(
            this, [this, error] { Q_EMIT finished(-1, 0, false, error); }, Qt::QueuedConnection);
        return;
    }
    m_pid = pid;
    m_pidfd = pidfdOpen(pid);
    if (m_pidfd >= 0) {
        m_notifier = new QSocketNotifier(m_pidfd, QSocketNotifier::Read, this);
        connect(m_notifier, &QSocketNotifier::activated, this, [this] { reap(false); });
    } else {
        m_poll = new QTimer(this);
        m_poll->setInterval(20);
        connect(m_poll, &QTimer::timeout, this, [this] { reap(false); });
        m_poll->start();
    }
    if (m_launch.timeoutMs > 0) {
        m_timeout = new QTimer(this);
        m_timeout->setSingleShot(true);
        connect(m_timeout, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            signalGroup(SIGKILL);
        });
        m_timeout->start(int(qMin<qint64>(m_launch.timeoutMs, std::numeric_limits<int>::max())));
    }
    Q_EMIT started(m_pid);
}

bool StageProcess::reap(bool block)
{
    if (m_done || m_pid <= 0)
        return m_done;
    int status = 0;
    pid_t r;
    do {
        r = ::waitpid(pid_t(m_pid), &status, block ? 0 : WNOHANG);
    } while (r < 0 && errno == EINTR);
    if (r == 0)
        return false;
    // What the command left behind in its group goes with it, as for supervised processes.
    // The group id stays reserved while any member lives, so this cannot reach a stranger.
    ::kill(pid_t(-m_pid), SIGKILL);
    m_done = true;
    if (m_notifier)
        m_notifier->setEnabled(false);
    if (m_poll)
        m_poll->stop();
    if (m_timeout)
        m_timeout->stop();
    if (m_kill)
        m_kill->stop();
    if (r < 0) {
        Q_EMIT finished(-1, 0, m_timedOut,
            QStringLiteral("lost pid %1: %2")
                .arg(m_pid)
                .arg(QString::fromLocal8Bit(std::strerror(errno))));
        return true;
    }
    const bool signalled = WIFSIGNALED(status);
    Q_EMIT finished(signalled ? 0 : WEXITSTATUS(status), signalled ? WTERMSIG(status) : 0,
        m_timedOut, QString());
    return true;
}

void StageProcess::signalGroup(int signal)
{
    // The child called setsid(): its pid is its group id, and -pid reaches the whole group.
    // Not after the reap: the pid may belong to someone else by then.
    if (m_pid > 0 && !m_done)
        ::kill(pid_t(-m_pid), signal);
}

void StageProcess::stop(int graceMs)
{
    if (m_done || m_pid <= 0)
        return;
    signalGroup(SIGTERM);
    if (!m_kill) {
        m_kill = new QTimer(this);
        m_kill->setSingleShot(true);
        connect(m_kill, &QTimer::timeout, this, [this] { signalGroup(SIGKILL); });
        m_kill->start(graceMs);
    }
}

void StageProcess::stopBlocking(int graceMs)
{
    if (m_done || m_pid <= 0)
        return;
    signalGroup(SIGTERM);
    QElapsedTimer since;
    since.start();
    while (!reap(false)) {
        if (since.elapsed() >= graceMs) {
            signalGroup(SIGKILL);
            reap(true);
            return;
        }
        QThread::msleep(10);
    }
}

bool StageProcess::readStatus(const QString &path, int *exitCode)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return false;
    bool ok = false;
    const int code = f.read(32).trimmed().toInt(&ok);
    if (ok)
        *exitCode = code;
    return ok;
}

} // namespace Shivx
