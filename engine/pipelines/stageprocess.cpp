#include "pipelines/stageprocess.h"

#include <QFile>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace Shivx {

namespace {

// "$@" runs the command with its arguments untouched by the shell; the status is written
// after it ends, so an attempt that finished while no engine watched still has its result.
const QString Wrapper = QStringLiteral("\"$@\"; s=$?; echo $s > \"$SHIVX_STATUS_FILE\"; exit $s");

} // namespace

StageProcess::StageProcess(StageLaunch launch, QObject *parent)
    : QObject(parent)
    , m_launch(std::move(launch))
{
}

StageProcess::~StageProcess()
{
    if (m_process && m_process->state() != QProcess::NotRunning)
        stopBlocking(1000);
}

void StageProcess::start()
{
    m_process = new QProcess(this);
    m_process->setProgram(QStringLiteral("/bin/sh"));
    m_process->setArguments(QStringList { QStringLiteral("-c"), Wrapper,
                                QStringLiteral("shivx-stage"), m_launch.command }
        + m_launch.args);
    QProcessEnvironment env = m_launch.env;
    env.insert(QStringLiteral("SHIVX_STATUS_FILE"), m_launch.statusPath);
    m_process->setProcessEnvironment(env);
    m_process->setWorkingDirectory(m_launch.cwd);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(m_launch.stdoutPath);
    m_process->setStandardErrorFile(m_launch.stderrPath);
    m_process->setChildProcessModifier([] {
        // Own session and group (see the class comment). The engine blocks SIGTERM/SIGINT in
        // its threads and a blocked mask survives exec: clear it, or no stop would work.
        ::setsid();
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
    });
    connect(m_process, &QProcess::started, this, [this] {
        m_pid = m_process->processId();
        Q_EMIT started(m_pid);
    });
    connect(m_process, &QProcess::finished, this, &StageProcess::onFinished);
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart && !m_done) {
            m_done = true;
            Q_EMIT finished(-1, 0, false, m_process->errorString());
        }
    });
    if (m_launch.timeoutMs > 0) {
        m_timeout = new QTimer(this);
        m_timeout->setSingleShot(true);
        connect(m_timeout, &QTimer::timeout, this, [this] {
            m_timedOut = true;
            signalGroup(SIGKILL);
        });
        m_timeout->start(int(qMin<qint64>(m_launch.timeoutMs, std::numeric_limits<int>::max())));
    }
    m_process->start();
    if (m_process->processId() > 0)
        m_pid = m_process->processId();
}

void StageProcess::signalGroup(int signal)
{
    // The child called setsid(): its pid is its group id, and -pid reaches the whole group.
    if (m_pid > 0 && !m_done)
        ::kill(pid_t(-m_pid), signal);
}

void StageProcess::stop(int graceMs)
{
    if (m_done || !m_process)
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
    if (m_done || !m_process)
        return;
    signalGroup(SIGTERM);
    if (!m_process->waitForFinished(graceMs)) {
        signalGroup(SIGKILL);
        m_process->waitForFinished(5000);
    }
}

void StageProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (m_done)
        return;
    // What the command left behind in its group goes with it, as for supervised processes.
    signalGroup(SIGKILL);
    m_done = true;
    if (m_timeout)
        m_timeout->stop();
    if (m_kill)
        m_kill->stop();
    const bool crashed = status == QProcess::CrashExit;
    Q_EMIT finished(crashed ? 0 : exitCode, crashed ? exitCode : 0, m_timedOut, QString());
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
