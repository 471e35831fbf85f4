// A stage's spawn, on the executor: the wrapper shell, its pipes and descriptors, and the
// status file's "started" line that says which process it is.
#include "pipelines/stagelauncher_p.h"

#include "core/spawndescriptors.h"
#include "core/spawnsignals.h"
#include "core/steadyclock.h"
#include "recovery/childrecord.h"

#include <QFile>
#include <QMetaObject>

#include <vector>

#include <cerrno>
#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>

namespace Shivx {

using namespace LauncherShared;

namespace {

// "$@" runs the command with its arguments untouched by the shell, without the read ends of
// the output pipes (3 and 4) that the wrapper itself keeps open (see the class comment). The
// status is appended after it ends, as "KEY CODE", so that an attempt which finished while no
// engine watched still has its result; one append to the run's status file rather than a file
// per attempt.
const char Wrapper[] = "\"$@\" 3<&- 4<&-; s=$?; "
                       "echo \"$SHIVX_STATUS_KEY $s\" >> \"$SHIVX_STATUS_FILE\"; exit $s";

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
        *fd = descriptorAtLeast(*fd, 5); // dup2 writes 0-4

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

} // namespace Shivx
