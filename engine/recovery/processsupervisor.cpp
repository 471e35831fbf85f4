#include "recovery/processsupervisor.h"

#include "audit/auditsink.h"
#include "core/clock.h"
#include "health/probemessages.h"
#include "recovery/childrecord.h"
#include "recovery/leftoverprocess.h"
#include "recovery/supervisedprocess.h"

#include <QLoggingCategory>
#include <QMutexLocker>
#include <QProcess>
#include <QTimer>

#include <csignal>
#include <limits>
#include <unistd.h>

Q_DECLARE_LOGGING_CATEGORY(lcSupervisor)

namespace Shivx {

namespace {

const QString Engine = QStringLiteral("engine");

} // namespace

ProcessSupervisor::ProcessSupervisor(const QList<RecoverySpec> &specs, const QString &logDir,
    Clock *clock, AuditSink *audit, RestartPlanner::Random random, QObject *parent)
    : QObject(parent)
    , m_specs(specs)
    , m_logDir(logDir)
    , m_clock(clock ? clock : Clock::system())
    , m_audit(audit)
    , m_random(std::move(random))
{
    qRegisterMetaType<ProcessSnapshot>();
    qRegisterMetaType<QList<ProcessSnapshot>>();
    qRegisterMetaType<ProcessEvent>();
    qRegisterMetaType<ProcessState>();
    qRegisterMetaType<TargetState>();
    for (const RecoverySpec &spec : specs) {
        if (spec.supervised)
            m_processes.append(adopt(spec));
    }
    for (SupervisedProcess *p : std::as_const(m_processes))
        m_snapshots.append(p->snapshot());
}

SupervisedProcess *ProcessSupervisor::adopt(const RecoverySpec &spec)
{
    // Children of the supervisor, so they move to its thread with it.
    auto *p = new SupervisedProcess(spec, m_logDir, m_clock, m_random, this);
    connect(p, &SupervisedProcess::changed, this, [this, p](const ProcessSnapshot &s) {
        if (s.state == ProcessState::Stopped && m_retiring.removeOne(p)) {
            p->deleteLater(); // removed by a reload, and now stopped: forgotten
            publishSnapshots();
            return;
        }
        QList<ProcessSnapshot> list;
        {
            QMutexLocker lock(&m_mutex);
            for (ProcessSnapshot &old : m_snapshots) {
                if (old.name == s.name)
                    old = s;
            }
            list = m_snapshots;
        }
        Q_EMIT processesChanged(list);
    });
    connect(p, &SupervisedProcess::logLines, this, &ProcessSupervisor::logLines);
    connect(p, &SupervisedProcess::eventOccurred, this, &ProcessSupervisor::record);
    connect(p, &SupervisedProcess::runStarted, this, [this](const QString &name) {
        for (const RecoverySpec &s : std::as_const(m_specs)) {
            if (s.name == name)
                holdProbes(name, TargetState::Unknown, m_clock->nowMs() + s.startupGraceMs,
                    ProbeMessages::startupGrace());
        }
    });
    connect(
        p, &SupervisedProcess::crashLoopEntered, this, [this](const QString &name, qint64 untilMs) {
            holdProbes(name, TargetState::Down, untilMs, ProbeMessages::crashLoopPaused());
        });
    return p;
}

SupervisedProcess *ProcessSupervisor::find(const QString &name) const
{
    for (SupervisedProcess *p : m_processes) {
        if (p->name() == name)
            return p;
    }
    return nullptr;
}

void ProcessSupervisor::publishSnapshots()
{
    QList<ProcessSnapshot> list;
    for (SupervisedProcess *p : std::as_const(m_processes))
        list.append(p->snapshot());
    for (SupervisedProcess *p : std::as_const(m_retiring))
        list.append(p->snapshot());
    {
        QMutexLocker lock(&m_mutex);
        m_snapshots = list;
    }
    Q_EMIT processesChanged(list);
}

ProcessSupervisor::~ProcessSupervisor()
{
    shutdown();
}

QList<ProcessSnapshot> ProcessSupervisor::snapshot() const
{
    QMutexLocker lock(&m_mutex);
    return m_snapshots;
}

bool ProcessSupervisor::isSupervised(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    for (const RecoverySpec &s : m_specs) {
        if (s.supervised && s.name == name)
            return true;
    }
    return false;
}

bool ProcessSupervisor::startProcess(const QString &name, const QString &actor)
{
    return request(name, actor, Op::Start);
}

bool ProcessSupervisor::stopProcess(const QString &name, const QString &actor)
{
    return request(name, actor, Op::Stop);
}

bool ProcessSupervisor::restartProcess(const QString &name, const QString &actor)
{
    return request(name, actor, Op::Restart);
}

bool ProcessSupervisor::request(const QString &name, const QString &actor, Op op)
{
    if (!isSupervised(name))
        return false;
    static const char *const actions[] = { "process.start", "process.stop", "process.restart" };
    if (m_audit) {
        m_audit->record(AuditEvent { AuditStreams::operatorActions(), actor,
            QString::fromLatin1(actions[int(op)]), { { QStringLiteral("process"), name } },
            m_clock->nowMs() });
    }
    // The processes are looked up on their thread: a reload may have removed this one since.
    QMetaObject::invokeMethod(
        this,
        [this, name, actor, op] {
            if (SupervisedProcess *p = find(name); p && !m_shutDown) {
                switch (op) {
                case Op::Start:
                    p->start(actor);
                    break;
                case Op::Stop:
                    p->stop(actor);
                    break;
                case Op::Restart:
                    p->restart(actor, SupervisedProcess::Reason::Operator);
                    break;
                }
            }
        },
        Qt::QueuedConnection);
    return true;
}

void ProcessSupervisor::record(const ProcessEvent &event)
{
    if (m_audit) {
        QJsonObject data = event.data;
        data.insert(QStringLiteral("process"), event.process);
        m_audit->record(
            AuditEvent { AuditStreams::resilience(), event.actor, event.action, data, event.tsMs });
    }
    Q_EMIT eventOccurred(event);
}

void ProcessSupervisor::holdProbes(
    const QString &name, TargetState state, qint64 untilMs, const Message &reason)
{
    m_graceUntilMs.insert(name, untilMs);
    Q_EMIT targetResetRequested(name, state, untilMs, reason);
}

void ProcessSupervisor::event(
    const QString &process, const QString &action, const QJsonObject &data)
{
    ProcessEvent e;
    e.tsMs = m_clock->nowMs();
    e.process = process;
    e.action = action;
    e.actor = Engine;
    e.data = data;
    qCInfo(lcSupervisor).noquote() << process << action << data;
    record(e);
}

void ProcessSupervisor::start()
{
    if (m_shutDown)
        return;
    stopLeftovers();
    for (SupervisedProcess *p : std::as_const(m_processes))
        p->start(Engine);
}

void ProcessSupervisor::stopLeftovers()
{
    const QStringList names = ChildRecord::namesIn(m_logDir);
    for (const QString &name : names) {
        const Result<ChildRecord> leftover = ChildRecord::load(m_logDir, name);
        const QString whyNot = leftover ? leftover->whyNotRunning() : leftover.error().message;
        if (!whyNot.isEmpty()) {
            // Not provably ours (gone, or its pid belongs to another process now): the
            // record goes, the pid is left alone.
            qCInfo(lcSupervisor).noquote()
                << ChildRecord::path(m_logDir, name) << "is stale, removed:" << whyNot;
            ChildRecord::remove(m_logDir, name);
            continue;
        }
        auto *run = new LeftoverProcess(*leftover, this);
        if (SupervisedProcess *p = find(name)) {
            p->stopLeftover(run);
            continue;
        }
        // No longer configured: nobody would ever stop it.
        qCWarning(lcSupervisor).noquote()
            << name << "pid" << leftover->pid
            << "left behind by an earlier engine and no longer configured: stopping it";
        connect(run, &LeftoverProcess::stopped, this, &ProcessSupervisor::onOrphanStopped);
        m_orphans.append(run);
        run->stop();
    }
}

LeftoverProcess *ProcessSupervisor::takeOrphan(const QString &name)
{
    for (LeftoverProcess *o : std::as_const(m_orphans)) {
        if (o->record().name == name) {
            m_orphans.removeOne(o);
            disconnect(o, nullptr, this, nullptr);
            return o;
        }
    }
    return nullptr;
}

void ProcessSupervisor::onOrphanStopped(const ChildRecord &leftover, bool killed, qint64 tookMs)
{
    ChildRecord::remove(m_logDir, leftover.name);
    for (LeftoverProcess *o : std::as_const(m_orphans)) {
        if (o->record().pid == leftover.pid) {
            m_orphans.removeOne(o);
            o->deleteLater();
            break;
        }
    }
    event(leftover.name, QStringLiteral("process.leftover_stopped"),
        { { QStringLiteral("pid"), leftover.pid }, { QStringLiteral("killed"), killed },
            { QStringLiteral("took_ms"), tookMs } });
}

void ProcessSupervisor::reconfigure(const QList<RecoverySpec> &specs)
{
    QMetaObject::invokeMethod(
        this, [this, specs] { applySpecs(specs); }, Qt::QueuedConnection);
}

void ProcessSupervisor::applySpecs(const QList<RecoverySpec> &specs)
{
    if (m_shutDown)
        return;
    QList<SupervisedProcess *> next;
    QList<SupervisedProcess *> added;
    for (const RecoverySpec &spec : specs) {
        if (!spec.supervised)
            continue;
        SupervisedProcess *p = find(spec.name);
        if (!p) {
            // Removed by an earlier reload and still stopping: it comes back instead of a
            // second copy starting beside it.
            for (SupervisedProcess *r : std::as_const(m_retiring)) {
                if (r->name() == spec.name)
                    p = r;
            }
            if (p) {
                m_retiring.removeOne(p);
            } else {
                p = adopt(spec);
                // An earlier engine's run of it is still being stopped: the process waits for
                // it, so that no second copy starts beside it.
                if (LeftoverProcess *orphan = takeOrphan(spec.name))
                    p->stopLeftover(orphan);
            }
            added.append(p);
        }
        next.append(p);
    }
    for (SupervisedProcess *p : std::as_const(m_processes)) {
        if (!next.contains(p))
            retire(p);
    }
    {
        QMutexLocker lock(&m_mutex);
        m_specs = specs;
    }
    m_processes = next;
    publishSnapshots();
    for (const RecoverySpec &spec : specs) {
        SupervisedProcess *p = spec.supervised ? find(spec.name) : nullptr;
        if (!p)
            continue;
        if (added.contains(p)) {
            event(spec.name, QStringLiteral("process.added"), {});
            p->reconfigure(spec); // a revived one may come back with other settings
            p->start(Engine);
        } else {
            p->reconfigure(spec);
        }
    }
}

void ProcessSupervisor::retire(SupervisedProcess *process)
{
    event(process->name(), QStringLiteral("process.removed"), {});
    process->stop(Engine);
    if (process->snapshot().state == ProcessState::Stopped)
        process->deleteLater();
    else
        m_retiring.append(process); // forgotten once stopped (see adopt())
}

void ProcessSupervisor::shutdown()
{
    if (m_shutDown)
        return;
    m_shutDown = true;
    const QList<SupervisedProcess *> all = m_processes + m_retiring;
    for (SupervisedProcess *p : all)
        p->beginShutdown();
    for (QProcess *c : std::as_const(m_commands)) {
        ::kill(pid_t(-c->processId()), SIGKILL);
    }
    for (SupervisedProcess *p : all)
        p->finishShutdown();
    const QList<LeftoverProcess *> orphans = m_orphans;
    for (LeftoverProcess *o : orphans)
        o->finishBlocking();
    const auto commands = m_commands;
    for (QProcess *c : commands) {
        c->waitForFinished(5000);
        delete c;
    }
    m_commands.clear();
}

void ProcessSupervisor::onTargetsUpdated(const QList<TargetStatus> &targets)
{
    if (m_shutDown)
        return;
    const qint64 now = m_clock->nowMs();
    for (const TargetStatus &t : targets) {
        const RecoverySpec *spec = nullptr;
        for (const RecoverySpec &s : std::as_const(m_specs)) {
            if (s.name == t.name)
                spec = &s;
        }
        if (!spec || spec->restartAfterFailures <= 0
            || t.consecutiveFailures < spec->restartAfterFailures
            || now < m_graceUntilMs.value(t.name, 0))
            continue;
        if (spec->supervised) {
            for (SupervisedProcess *p : std::as_const(m_processes)) {
                if (p->name() != t.name || p->snapshot().state != ProcessState::Running)
                    continue;
                ProcessEvent e;
                e.tsMs = now;
                e.process = t.name;
                e.action = QStringLiteral("process.probe_restart");
                e.actor = Engine;
                e.data = { { QStringLiteral("failures"), t.consecutiveFailures },
                    { QStringLiteral("error"), t.lastError.text } };
                record(e);
                // Until the new run resets the target, further failures of the old run
                // must not restart it again.
                m_graceUntilMs.insert(t.name, now + spec->stopTimeoutMs + spec->startupGraceMs);
                p->restart(Engine, SupervisedProcess::Reason::Probe);
            }
        } else if (spec->hasRestartCommand() && !m_commands.contains(t.name)) {
            runRestartCommand(*spec, t.consecutiveFailures);
        }
    }
}

void ProcessSupervisor::runRestartCommand(const RecoverySpec &spec, int failures)
{
    auto *process = new QProcess;
    process->setProgram(spec.restartCommand);
    process->setArguments(spec.restartArgs);
    process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process->setStandardOutputFile(QProcess::nullDevice());
    process->setChildProcessModifier([] {
        ::setsid();
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
    });
    m_commands.insert(spec.name, process);
    const qint64 began = m_clock->nowMs();
    // No probe counts while the command runs, and the grace starts when it is done.
    m_graceUntilMs.insert(spec.name, std::numeric_limits<qint64>::max());
    auto *timeout = new QTimer(process);
    timeout->setSingleShot(true);
    connect(timeout, &QTimer::timeout, process, [process] {
        process->setProperty("timedOut", true);
        ::kill(pid_t(-process->processId()), SIGKILL);
    });
    auto done = [this, spec, process, began, failures](const QJsonObject &outcome) {
        if (m_commands.value(spec.name) != process)
            return;
        m_commands.remove(spec.name);
        ProcessEvent e;
        e.tsMs = m_clock->nowMs();
        e.process = spec.name;
        e.action = QStringLiteral("process.restart_command");
        e.actor = Engine;
        e.data = outcome;
        e.data.insert(QStringLiteral("failures"), failures);
        e.data.insert(QStringLiteral("duration_ms"), e.tsMs - began);
        e.data.insert(QStringLiteral("timed_out"), process->property("timedOut").toBool());
        record(e);
        holdProbes(spec.name, TargetState::Unknown, e.tsMs + spec.startupGraceMs,
            ProbeMessages::restartCommandGrace());
        process->deleteLater();
    };
    connect(
        process, &QProcess::finished, this, [process, done](int code, QProcess::ExitStatus status) {
            done(status == QProcess::CrashExit ? QJsonObject { { QStringLiteral("signal"), code } }
                                               : QJsonObject { { QStringLiteral("code"), code } });
            Q_UNUSED(process)
        });
    connect(process, &QProcess::errorOccurred, this, [process, done](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            done({ { QStringLiteral("error"), process->errorString() } });
    });
    process->start();
    timeout->start(int(qMin<qint64>(spec.restartTimeoutMs, std::numeric_limits<int>::max())));
}

} // namespace Shivx
