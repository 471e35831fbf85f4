#include "recovery/supervisedprocess.h"

#include "core/clock.h"
#include "core/timeutil.h"

#include <QDir>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QTimer>

#include <limits>

#include <csignal>
#include <sys/types.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcSupervisor, "shivx.recovery.supervisor")

namespace Shivx {

QString toString(ProcessState state)
{
    switch (state) {
    case ProcessState::Stopped:
        return QStringLiteral("stopped");
    case ProcessState::Starting:
        return QStringLiteral("starting");
    case ProcessState::Running:
        return QStringLiteral("running");
    case ProcessState::Backoff:
        return QStringLiteral("backoff");
    case ProcessState::CrashLoop:
        return QStringLiteral("crash_loop");
    case ProcessState::Stopping:
        return QStringLiteral("stopping");
    }
    return {};
}

namespace {

const QString Engine = QStringLiteral("engine");

int timerMs(qint64 ms)
{
    return int(qBound<qint64>(0, ms, qint64(std::numeric_limits<int>::max())));
}

} // namespace

SupervisedProcess::SupervisedProcess(const RecoverySpec &spec, const QString &logDir, Clock *clock,
    RestartPlanner::Random random, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_logDir(logDir)
    , m_clock(clock ? clock : Clock::system())
    // A run as long as the startup grace (at least 1 s) counts as a good start.
    , m_planner(spec, qMax<qint64>(1000, spec.startupGraceMs), std::move(random))
    , m_log(logDir, spec.name, spec.logMaxBytes, spec.logFiles)
{
    m_snapshot.name = spec.name;
    m_snapshot.logPath = m_log.path();
    m_restartTimer = new QTimer(this);
    m_restartTimer->setSingleShot(true);
    m_restartTimer->setTimerType(Qt::PreciseTimer);
    connect(m_restartTimer, &QTimer::timeout, this, [this] {
        if (m_snapshot.state == ProcessState::CrashLoop)
            event(QStringLiteral("process.crash_loop_retry"), Engine);
        launch();
    });
    m_killTimer = new QTimer(this);
    m_killTimer->setSingleShot(true);
    connect(m_killTimer, &QTimer::timeout, this, [this] {
        note(QStringLiteral("still running %1 after SIGTERM: SIGKILL to the process group")
                 .arg(TimeUtil::formatDurationMs(m_spec.stopTimeoutMs)));
        event(QStringLiteral("process.killed"), Engine,
            { { QStringLiteral("pid"), m_snapshot.pid },
                { QStringLiteral("stop_timeout_ms"), m_spec.stopTimeoutMs } });
        signalGroup(SIGKILL);
    });
}

SupervisedProcess::~SupervisedProcess()
{
    if (m_process) {
        beginShutdown();
        finishShutdown();
    }
}

void SupervisedProcess::setState(ProcessState state)
{
    m_snapshot.state = state;
    if (state != ProcessState::Backoff && state != ProcessState::CrashLoop)
        m_snapshot.nextStartAtMs = 0;
    Q_EMIT changed(m_snapshot);
}

void SupervisedProcess::event(const QString &action, const QString &actor, const QJsonObject &data)
{
    ProcessEvent e;
    e.tsMs = m_clock->nowMs();
    e.process = m_spec.name;
    e.action = action;
    e.actor = actor;
    e.data = data;
    qCInfo(lcSupervisor).noquote() << m_spec.name << action << actor << data;
    Q_EMIT eventOccurred(e);
}

void SupervisedProcess::note(const QString &text)
{
    const QStringList lines = m_log.note(text);
    if (!lines.isEmpty())
        Q_EMIT logLines(m_spec.name, lines);
}

void SupervisedProcess::drainOutput()
{
    if (!m_process)
        return;
    const QByteArray data = m_process->readAllStandardOutput();
    if (data.isEmpty())
        return;
    const QStringList lines = m_log.append(data);
    if (!lines.isEmpty())
        Q_EMIT logLines(m_spec.name, lines);
    if (!m_log.lastError().isEmpty() && m_snapshot.lastError != m_log.lastError()) {
        m_snapshot.lastError = m_log.lastError(); // e.g. the log directory is not writable
        Q_EMIT changed(m_snapshot);
    }
}

void SupervisedProcess::signalGroup(int signal)
{
    // The child called setsid(), so its pid is its group id; the negative pid reaches the
    // whole group, grandchildren included.
    if (m_pgid > 0)
        ::kill(pid_t(-m_pgid), signal);
}

void SupervisedProcess::start(const QString &actor)
{
    if (m_shuttingDown)
        return;
    m_wantStopped = false;
    switch (m_snapshot.state) {
    case ProcessState::Running:
    case ProcessState::Starting:
        return;
    case ProcessState::Stopping:
        m_restartAfterStop = true;
        m_restartReason = Reason::Operator;
        return;
    case ProcessState::Stopped:
    case ProcessState::Backoff:
    case ProcessState::CrashLoop:
        break;
    }
    m_restartTimer->stop();
    if (actor != Engine)
        m_planner.onOperatorStart();
    launch();
}

void SupervisedProcess::stop(const QString &actor)
{
    m_pendingActor = actor;
    m_wantStopped = true;
    m_restartAfterStop = false;
    m_restartTimer->stop();
    switch (m_snapshot.state) {
    case ProcessState::Running:
    case ProcessState::Starting:
        beginStop();
        return;
    case ProcessState::Stopping:
        return;
    case ProcessState::Stopped:
        return;
    case ProcessState::Backoff:
    case ProcessState::CrashLoop:
        setState(ProcessState::Stopped);
        event(QStringLiteral("process.stopped"), actor);
        return;
    }
}

void SupervisedProcess::restart(const QString &actor, Reason reason)
{
    if (m_shuttingDown)
        return;
    m_wantStopped = false;
    m_pendingActor = actor;
    switch (m_snapshot.state) {
    case ProcessState::Running:
    case ProcessState::Starting:
        m_restartAfterStop = true;
        m_restartReason = reason;
        beginStop();
        return;
    case ProcessState::Stopping:
        m_restartAfterStop = true;
        m_restartReason = reason;
        return;
    case ProcessState::Stopped:
    case ProcessState::Backoff:
    case ProcessState::CrashLoop:
        if (reason == Reason::Probe)
            return; // nothing runs; the planner already decides when it starts again
        m_restartTimer->stop();
        m_planner.onOperatorStart();
        launch();
        return;
    }
}

void SupervisedProcess::beginStop()
{
    setState(ProcessState::Stopping);
    note(QStringLiteral("stopping pid %1: SIGTERM to the process group").arg(m_snapshot.pid));
    signalGroup(SIGTERM);
    m_killTimer->start(timerMs(m_spec.stopTimeoutMs));
}

void SupervisedProcess::launch()
{
    if (m_process)
        return;
    m_restartTimer->stop();
    auto *process = new QProcess(this);
    m_process = process;
    process->setProgram(m_spec.command);
    process->setArguments(m_spec.args);
    process->setProcessChannelMode(QProcess::MergedChannels);
    if (m_spec.cwd.isEmpty())
        QDir().mkpath(m_logDir); // the default working directory is where its log goes
    process->setWorkingDirectory(m_spec.cwd.isEmpty() ? m_logDir : m_spec.cwd);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto &[key, value] : m_spec.env)
        env.insert(key, value);
    process->setProcessEnvironment(env);
    process->setChildProcessModifier([] {
        // Own session and process group, so that the whole tree can be signalled and the
        // terminal's signals do not reach it. The engine blocks SIGTERM/SIGINT in all its
        // threads (it waits for them with signalfd); a blocked mask survives exec, so it
        // must be cleared here or the child could never be stopped gracefully.
        ::setsid();
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
    });
    connect(process, &QProcess::started, this, &SupervisedProcess::onStarted);
    connect(process, &QProcess::finished, this, &SupervisedProcess::onFinished);
    connect(process, &QProcess::readyReadStandardOutput, this, &SupervisedProcess::drainOutput);
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && m_process == process)
            onStartFailed(process->errorString());
    });

    if (m_everStarted)
        m_snapshot.restarts += 1;
    m_everStarted = true;
    m_snapshot.lastError.clear();
    setState(ProcessState::Starting);
    process->start();
    if (m_process == process && process->processId() > 0)
        m_pgid = process->processId();
}

void SupervisedProcess::onStarted()
{
    if (!m_process)
        return;
    m_snapshot.pid = m_process->processId();
    m_pgid = m_snapshot.pid;
    m_snapshot.startedAtMs = m_clock->nowMs();
    setState(ProcessState::Running);
    note(QStringLiteral("started pid %1: %2").arg(m_snapshot.pid).arg(m_spec.command));
    event(QStringLiteral("process.started"), Engine,
        { { QStringLiteral("pid"), m_snapshot.pid },
            { QStringLiteral("restarts"), m_snapshot.restarts } });
    Q_EMIT runStarted(m_spec.name);
    // A stop or restart asked for while the process was still being exec'd.
    if (m_wantStopped || m_restartAfterStop)
        beginStop();
}

void SupervisedProcess::onStartFailed(const QString &error)
{
    QProcess *process = m_process;
    m_process = nullptr;
    m_pgid = 0;
    process->deleteLater();
    m_snapshot.pid = 0;
    m_snapshot.lastError = error;
    note(QStringLiteral("failed to start %1: %2").arg(m_spec.command, error));
    event(QStringLiteral("process.start_failed"), Engine, { { QStringLiteral("error"), error } });
    if (m_shuttingDown || m_wantStopped) {
        setState(ProcessState::Stopped);
        return;
    }
    m_restartAfterStop = false;
    afterExit(true, false, /*startFailed=*/true);
}

void SupervisedProcess::onFinished(int exitCode, QProcess::ExitStatus status)
{
    if (!m_process)
        return;
    drainOutput();
    m_killTimer->stop();
    // Whatever the leader left behind in its group goes with it: a restart must not meet
    // the old run's children still holding its port or files.
    signalGroup(SIGKILL);
    m_pgid = 0;
    QProcess *process = m_process;
    m_process = nullptr;
    process->deleteLater();

    const qint64 now = m_clock->nowMs();
    const bool crashed = status == QProcess::CrashExit;
    m_snapshot.hasExited = true;
    m_snapshot.lastExitCode = crashed ? 0 : exitCode;
    m_snapshot.lastExitSignal = crashed ? exitCode : 0; // Qt reports the signal as the code
    m_snapshot.lastExitMs = now;
    const qint64 pid = m_snapshot.pid;
    m_snapshot.pid = 0;
    note(crashed ? QStringLiteral("pid %1 killed by signal %2").arg(pid).arg(exitCode)
                 : QStringLiteral("pid %1 exited with code %2").arg(pid).arg(exitCode));
    QJsonObject data { { QStringLiteral("pid"), pid },
        { QStringLiteral("uptime_ms"), now - m_snapshot.startedAtMs } };
    data.insert(crashed ? QStringLiteral("signal") : QStringLiteral("code"), exitCode);
    const bool expected = m_shuttingDown || m_wantStopped || m_restartAfterStop;
    data.insert(QStringLiteral("expected"), expected);
    event(QStringLiteral("process.exited"), Engine, data);

    if (m_shuttingDown || (m_wantStopped && !m_restartAfterStop)) {
        setState(ProcessState::Stopped);
        event(QStringLiteral("process.stopped"), m_shuttingDown ? Engine : m_pendingActor);
        return;
    }
    if (m_restartAfterStop) {
        m_restartAfterStop = false;
        if (m_restartReason == Reason::Operator) {
            m_planner.onOperatorStart();
            launch();
            return;
        }
        afterExit(true, /*byProbe=*/true, false);
        return;
    }
    afterExit(exitCode != 0 || crashed, false, false);
}

void SupervisedProcess::afterExit(bool failed, bool byProbe, bool startFailed)
{
    const qint64 now = m_clock->nowMs();
    const RestartPlanner::Decision d
        = m_planner.onExit(now, m_snapshot.startedAtMs, failed, byProbe);
    m_snapshot.restartsInWindow = d.restartsInWindow;
    switch (d.kind) {
    case RestartPlanner::Decision::Stay:
        setState(ProcessState::Stopped);
        event(QStringLiteral("process.not_restarted"), Engine,
            { { QStringLiteral("policy"), toString(m_spec.restart) } });
        return;
    case RestartPlanner::Decision::Restart:
        event(QStringLiteral("process.restart_scheduled"), Engine,
            { { QStringLiteral("delay_ms"), d.delayMs }, { QStringLiteral("attempt"), d.attempt },
                { QStringLiteral("restarts_in_window"), d.restartsInWindow } });
        // No timer round trip: restart latency is what a supervisor is for. Unless the start
        // itself failed (possibly inside launch()): then a zero-delay retry goes through the
        // event loop instead of recursing until the crash-loop limit.
        if (d.delayMs == 0 && !startFailed) {
            launch();
            return;
        }
        m_snapshot.nextStartAtMs = now + d.delayMs;
        setState(ProcessState::Backoff);
        m_restartTimer->start(timerMs(d.delayMs));
        return;
    case RestartPlanner::Decision::CrashLoop:
        m_snapshot.nextStartAtMs = now + d.delayMs;
        note(QStringLiteral("crash loop: %1 restarts within %2; next try in %3")
                 .arg(d.restartsInWindow)
                 .arg(TimeUtil::formatDurationMs(m_spec.crashLoopWindowMs),
                     TimeUtil::formatDurationMs(d.delayMs)));
        setState(ProcessState::CrashLoop);
        event(QStringLiteral("process.crash_loop"), Engine,
            { { QStringLiteral("restarts_in_window"), d.restartsInWindow },
                { QStringLiteral("window_ms"), m_spec.crashLoopWindowMs },
                { QStringLiteral("retry_in_ms"), d.delayMs } });
        Q_EMIT crashLoopEntered(m_spec.name, m_snapshot.nextStartAtMs);
        m_restartTimer->start(timerMs(d.delayMs));
        return;
    }
}

void SupervisedProcess::beginShutdown()
{
    m_shuttingDown = true;
    m_restartTimer->stop();
    if (!m_process) {
        if (m_snapshot.state != ProcessState::Stopped)
            setState(ProcessState::Stopped);
        return;
    }
    m_stopBeganMs = m_clock->nowMs();
    if (m_snapshot.state != ProcessState::Stopping) {
        setState(ProcessState::Stopping);
        note(QStringLiteral("engine exit: SIGTERM to the process group of pid %1")
                 .arg(m_snapshot.pid));
        signalGroup(SIGTERM);
    }
}

void SupervisedProcess::finishShutdown()
{
    QProcess *process = m_process;
    if (!process)
        return;
    m_killTimer->stop();
    const qint64 left = m_spec.stopTimeoutMs - (m_clock->nowMs() - m_stopBeganMs);
    // waitForFinished delivers finished() synchronously, so onFinished reaps and cleans up.
    if (!process->waitForFinished(timerMs(qMax<qint64>(1, left))) && m_process == process) {
        note(QStringLiteral("engine exit: SIGKILL to the process group of pid %1")
                 .arg(m_snapshot.pid));
        signalGroup(SIGKILL);
        if (!process->waitForFinished(5000) && m_process == process)
            qCWarning(lcSupervisor).noquote()
                << m_spec.name << "pid" << m_snapshot.pid << "did not exit after SIGKILL";
    }
}

} // namespace Shivx
