#include "recovery/supervisedprocess.h"

#include "core/clock.h"
#include "core/timeutil.h"
#include "recovery/leftoverprocess.h"

#include <QDir>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QTimer>

#include <algorithm>
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

// A run as long as the startup grace (at least 1 s) counts as a good start.
qint64 stableRunMs(const RecoverySpec &spec)
{
    return qMax<qint64>(1000, spec.startupGraceMs);
}

// The keys of a target's supervise: settings that differ, in configuration-reference order.
QStringList changedKeys(const RecoverySpec &a, const RecoverySpec &b)
{
    QStringList keys;
    auto check = [&keys](bool differs, const char *key) {
        if (differs)
            keys.append(QString::fromLatin1(key));
    };
    check(a.command != b.command, "command");
    check(a.args != b.args, "args");
    check(a.env != b.env, "env");
    check(a.cwd != b.cwd, "cwd");
    check(a.restart != b.restart, "restart");
    check(a.backoffInitialMs != b.backoffInitialMs || a.backoffMaxMs != b.backoffMaxMs, "backoff");
    check(a.stopTimeoutMs != b.stopTimeoutMs, "stop_timeout");
    check(a.logMaxBytes != b.logMaxBytes || a.logFiles != b.logFiles, "log");
    check(a.crashLoopRestarts != b.crashLoopRestarts || a.crashLoopWindowMs != b.crashLoopWindowMs
            || a.crashLoopCooldownMs != b.crashLoopCooldownMs,
        "crash_loop");
    check(a.startupGraceMs != b.startupGraceMs, "startup_grace");
    check(a.restartAfterFailures != b.restartAfterFailures, "restart_after_failures");
    return keys;
}

bool definesTheRun(const QString &key)
{
    return key == QLatin1String("command") || key == QLatin1String("args")
        || key == QLatin1String("env") || key == QLatin1String("cwd");
}

} // namespace

SupervisedProcess::SupervisedProcess(const RecoverySpec &spec, const QString &logDir, Clock *clock,
    RestartPlanner::Random random, QObject *parent)
    : QObject(parent)
    , m_spec(spec)
    , m_logDir(logDir)
    , m_clock(clock ? clock : Clock::system())
    , m_random(std::move(random))
    , m_planner(spec, stableRunMs(spec), m_random)
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
    if (m_process || m_leftover) {
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
    showLogError();
}

void SupervisedProcess::showLogError()
{
    // ProcessLog reports each failure once; the snapshot shows the latest (e.g. the log
    // directory is not writable, or NAME.log.1 is a directory).
    if (!m_log.lastError().isEmpty() && m_snapshot.lastError != m_log.lastError()) {
        m_snapshot.lastError = m_log.lastError();
        Q_EMIT changed(m_snapshot);
    }
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
    showLogError();
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
    if (m_leftover) {
        m_restartAfterStop = true; // once the earlier engine's run is gone
        return;
    }
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
    const auto record = ChildRecord::ofChild(
        m_spec.name, m_snapshot.pid, m_spec.stopTimeoutMs, m_spec.command, m_snapshot.startedAtMs);
    const auto saved = record ? record->save(m_logDir) : Result<void>(record.error());
    if (!saved) {
        // Supervision goes on; only an engine crash would now leave this run unrecognised.
        qCWarning(lcSupervisor).noquote()
            << m_spec.name << "cannot record the run:" << saved.error().message;
        note(QStringLiteral("cannot record the run for the next engine: %1")
                 .arg(saved.error().message));
    }
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
    ChildRecord::remove(m_logDir, m_spec.name); // reaped: nothing is left for a later engine
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
    if (m_leftover)
        return; // already stopping; finishShutdown() waits for it
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
    if (m_leftover)
        m_leftover->finishBlocking(); // emits stopped(), which ends in state Stopped
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

void SupervisedProcess::stopLeftover(LeftoverProcess *leftover)
{
    leftover->setParent(this);
    if (m_leftover || m_process) {
        leftover->stop(); // not expected (see the header); at least it does not keep running
        return;
    }
    m_leftover = leftover;
    connect(m_leftover, &LeftoverProcess::stopped, this, &SupervisedProcess::onLeftoverStopped);
    const ChildRecord &record = leftover->record();
    m_snapshot.pid = record.pid;
    setState(ProcessState::Stopping);
    note(QStringLiteral("pid %1 (started %2) is still running from an earlier engine that did not "
                        "stop it: SIGTERM to its process group before a new run starts")
             .arg(record.pid)
             .arg(TimeUtil::toRfc3339(record.startedAtMs)));
    qCWarning(lcSupervisor).noquote()
        << m_spec.name << "pid" << record.pid
        << "left behind by an earlier engine: stopping it before starting a new run";
    m_leftover->stop();
}

void SupervisedProcess::onLeftoverStopped(const ChildRecord &record, bool killed, qint64 tookMs)
{
    m_leftover->deleteLater();
    m_leftover = nullptr;
    ChildRecord::remove(m_logDir, m_spec.name);
    m_snapshot.pid = 0;
    note(QStringLiteral("pid %1 from the earlier engine is gone after %2%3")
             .arg(record.pid)
             .arg(TimeUtil::formatDurationMs(tookMs),
                 killed ? QStringLiteral(" (SIGKILL after its stop timeout)") : QString()));
    event(QStringLiteral("process.leftover_stopped"), Engine,
        { { QStringLiteral("pid"), record.pid }, { QStringLiteral("killed"), killed },
            { QStringLiteral("took_ms"), tookMs } });
    const bool launchNow = m_restartAfterStop && !m_shuttingDown && !m_wantStopped;
    m_restartAfterStop = false;
    if (!launchNow) {
        setState(ProcessState::Stopped);
        return;
    }
    m_planner.onOperatorStart();
    launch();
}

QStringList SupervisedProcess::reconfigure(const RecoverySpec &spec)
{
    const QStringList keys = changedKeys(m_spec, spec);
    if (keys.isEmpty())
        return keys;
    const bool rerun = std::any_of(keys.cbegin(), keys.cend(), definesTheRun);
    m_spec = spec;
    m_planner = RestartPlanner(spec, stableRunMs(spec), m_random);
    m_log.setLimits(spec.logMaxBytes, spec.logFiles);
    const bool restarts = rerun && !m_shuttingDown
        && (m_snapshot.state == ProcessState::Running || m_snapshot.state == ProcessState::Starting
            || m_snapshot.state == ProcessState::Backoff
            || m_snapshot.state == ProcessState::CrashLoop);
    note(QStringLiteral("configuration reloaded: %1 changed%2")
             .arg(keys.join(QStringLiteral(", ")),
                 restarts ? QStringLiteral("; restarting with the new settings") : QString()));
    event(QStringLiteral("process.reconfigured"), Engine,
        { { QStringLiteral("changed"), keys.join(QLatin1Char(',')) },
            { QStringLiteral("restart"), restarts } });
    if (!restarts)
        return keys;
    // Like an operator restart: the new settings deserve a fresh start, not a backoff. A
    // process that is stopping uses them at its next launch, if any; one that is stopped (by
    // an operator or its policy) stays so.
    restart(Engine, Reason::Operator);
    return keys;
}

} // namespace Shivx
