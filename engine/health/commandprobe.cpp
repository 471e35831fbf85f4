#include "health/commandprobe.h"

#include "health/probemessages.h"

#include <QProcess>
#include <QTimer>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

namespace Shivx {

namespace {

constexpr qsizetype MaxStderrBytes = 4096;
constexpr int MaxErrorLineChars = 200;
// After SIGKILL a child is normally reaped within milliseconds; one stuck in uninterruptible
// sleep is not, and must not hold the target's result back for ever.
constexpr int ReapGraceMs = 2000;
// cancel() blocks this long at most; it runs only when the monitor stops.
constexpr int CancelWaitMs = 3000;

} // namespace

CommandProbe::CommandProbe(const TargetSpec &spec, Clock *clock, QObject *parent)
    : Probe(spec, clock, parent)
{
}

CommandProbe::~CommandProbe()
{
    releaseProcess();
}

void CommandProbe::begin()
{
    QString program = m_spec.command;
    QStringList args = m_spec.args;
    if (args.isEmpty()) {
        args = QProcess::splitCommand(m_spec.command);
        program = args.isEmpty() ? QString() : args.takeFirst();
    }
    if (program.isEmpty()) {
        finishLater(ProbeMessages::noCommand());
        return;
    }
    m_process = new QProcess(this);
    m_process->setProgram(program);
    m_process->setArguments(args);
    m_process->setStandardInputFile(QProcess::nullDevice());
    m_process->setStandardOutputFile(QProcess::nullDevice());
    // Its own group, so that a timeout can kill everything the command started, not just
    // the shell at the top.
    m_process->setChildProcessModifier([] { ::setpgid(0, 0); });
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        const QByteArray chunk = m_process->readAllStandardError();
        if (m_stderr.size() < MaxStderrBytes)
            m_stderr += chunk.left(MaxStderrBytes - m_stderr.size());
    });
    connect(m_process, &QProcess::finished, this,
        [this](int exitCode, QProcess::ExitStatus status) { onFinished(exitCode, status); });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            finish(false,
                ProbeMessages::commandCannotStart(m_process->program(), m_process->errorString()));
            releaseProcess();
        }
    });
    m_process->start();
}

void CommandProbe::onTimeout()
{
    if (!m_process) {
        Probe::onTimeout();
        return;
    }
    m_timedOut = true;
    killGroup();
    // The result waits for the reap (onFinished), so "timed out" means "and it is gone".
    QTimer::singleShot(
        ReapGraceMs, this, [this] { finish(false, ProbeMessages::timedOut(m_spec.timeoutMs)); });
}

void CommandProbe::onFinished(int exitCode, int exitStatus)
{
    m_stderr += m_process->readAllStandardError().left(MaxStderrBytes);
    if (m_timedOut) {
        finish(false, ProbeMessages::timedOut(m_spec.timeoutMs));
    } else if (exitStatus == QProcess::CrashExit) {
        // On Unix QProcess reports the terminating signal as the exit code of a crash.
        finish(false, ProbeMessages::commandKilled(exitCode, firstStderrLine()));
    } else if (exitCode != 0) {
        finish(false, ProbeMessages::commandExited(exitCode, firstStderrLine()));
    } else {
        finish(true);
    }
    releaseProcess();
}

QString CommandProbe::firstStderrLine() const
{
    const QList<QByteArray> lines = m_stderr.split('\n');
    for (const QByteArray &line : lines) {
        const QString text = QString::fromUtf8(line).trimmed();
        if (!text.isEmpty())
            return text.length() > MaxErrorLineChars ? text.left(MaxErrorLineChars) + QChar(0x2026)
                                                     : text;
    }
    return {};
}

void CommandProbe::killGroup()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    const qint64 pid = m_process->processId();
    // The group id is the child's pid (setpgid(0, 0) above). If the child has not reached
    // setpgid yet, the group does not exist and kill() on the child itself still works.
    if (pid > 0)
        ::kill(-pid_t(pid), SIGKILL);
    m_process->kill();
}

void CommandProbe::abortWork()
{
    // cancel(): kill and reap now, because the monitor (and maybe the process) is going away.
    if (!m_process)
        return;
    killGroup();
    if (m_process->state() != QProcess::NotRunning)
        m_process->waitForFinished(CancelWaitMs);
    releaseProcess();
}

void CommandProbe::releaseProcess()
{
    if (!m_process)
        return;
    QProcess *process = m_process;
    m_process = nullptr;
    disconnect(process, nullptr, this, nullptr);
    if (process->state() != QProcess::NotRunning) {
        // Only after a reap timeout: ~QProcess would block for 30 s on a child that does not
        // die, so give it one more bounded wait and let QProcess clean up what remains.
        ::kill(-pid_t(process->processId()), SIGKILL);
        process->kill();
        process->waitForFinished(CancelWaitMs);
    }
    process->deleteLater();
}

} // namespace Shivx
