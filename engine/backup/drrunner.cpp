#include "backup/drrunner.h"

#include "audit/auditsink.h"
#include "backup/backupservice.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "degradation/degradationservice.h"
#include "guardian/guardianservice.h"
#include "health/healthservice.h"
#include "recovery/recoveryservice.h"

#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

namespace Shivx {

namespace {

constexpr int TickMs = 100;
constexpr int LogLinesKept = 200;

std::optional<ProcessSnapshot> processOf(RecoveryService *recovery, const QString &name)
{
    for (const ProcessSnapshot &p : recovery->processes())
        if (p.name == name)
            return p;
    return std::nullopt;
}

} // namespace

DrRunner::DrRunner(DrPlan plan, DrRun run, DrServices services, QObject *parent)
    : QObject(parent)
    , m_plan(std::move(plan))
    , m_run(std::move(run))
    , m_s(services)
{
    m_tick = new QTimer(this);
    m_tick->setInterval(TickMs);
    connect(m_tick, &QTimer::timeout, this, &DrRunner::tick);
    m_timeout = new QTimer(this);
    m_timeout->setSingleShot(true);
    connect(m_timeout, &QTimer::timeout, this, &DrRunner::timedOut);
    for (const DrStep &s : m_plan.steps) {
        DrStepRun r;
        r.name = s.name;
        r.action = s.action;
        r.onFailure = toString(s.onFailure);
        m_run.steps.append(r);
    }
}

DrRunner::~DrRunner()
{
    if (m_process) {
        m_process->kill();
        m_process->waitForFinished(1000);
    }
}

qint64 DrRunner::now() const
{
    return m_s.clock ? m_s.clock->nowMs() : QDateTime::currentMSecsSinceEpoch();
}

void DrRunner::audit(const QString &action, const QJsonObject &data)
{
    if (!m_s.audit)
        return;
    QJsonObject d = data;
    d.insert(QStringLiteral("plan"), m_plan.name);
    d.insert(QStringLiteral("run"), m_run.id);
    d.insert(QStringLiteral("dry_run"), m_run.dryRun ? 1 : 0);
    m_s.audit->record({ QStringLiteral("operator"), m_run.actor, action, d, now() });
}

void DrRunner::log(const QString &line)
{
    if (m_run.currentStep < 0)
        return;
    QStringList &l = m_run.steps[m_run.currentStep].log;
    l.append(line);
    while (l.size() > LogLinesKept)
        l.removeFirst();
    Q_EMIT changed(m_run);
}

void DrRunner::start()
{
    m_run.state = QStringLiteral("running");
    m_run.startedMs = now();
    audit(
        QStringLiteral("dr.activated"), { { QStringLiteral("steps"), int(m_plan.steps.size()) } });
    startStep(0);
}

void DrRunner::startStep(int index)
{
    if (index >= m_plan.steps.size()) {
        end(m_failedSteps ? QStringLiteral("failed") : QStringLiteral("succeeded"));
        return;
    }
    m_run.currentStep = index;
    DrStepRun &r = m_run.steps[index];
    r.state = QStringLiteral("running");
    r.startedMs = now();
    const DrStep &step = m_plan.steps.at(index);
    Q_EMIT changed(m_run);
    m_result.reset();
    m_check = nullptr;
    m_cancel = nullptr;
    m_undo.append(nullptr);
    if (m_run.dryRun && step.action != QLatin1String("restore")) {
        dryRunStep(step);
    } else {
        m_check = begin(step);
    }
    if (m_result) {
        const auto [ok, message] = *m_result;
        endStep(ok, message);
        return;
    }
    m_timeout->start(int(qMin<qint64>(step.timeoutMs, std::numeric_limits<int>::max())));
    m_tick->start();
}

void DrRunner::dryRunStep(const DrStep &step)
{
    // Names are checked against the running engine; nothing changes.
    const QString &a = step.action;
    const auto notRunning = [](const char *module) {
        return makeMessage("dr.module_not_running", { QString::fromLatin1(module) },
            QStringLiteral("the %1 module is not running").arg(QString::fromLatin1(module)));
    };
    Message problem;
    if ((a == QLatin1String("stop_target") || a == QLatin1String("start_target"))
        && (!m_s.recovery || !processOf(m_s.recovery, step.target)))
        problem = makeMessage("dr.no_process", { step.target },
            QStringLiteral("no supervised process named %1").arg(step.target));
    else if (a == QLatin1String("wait_healthy")) {
        const QList<TargetStatus> targets
            = m_s.health ? m_s.health->targets() : QList<TargetStatus>();
        if (std::none_of(targets.begin(), targets.end(),
                [&](const TargetStatus &t) { return t.name == step.target; }))
            problem = noTarget(step.target);
    } else if (a == QLatin1String("verify_restore") && !m_s.backup->config().set(step.set))
        problem = makeMessage(
            "dr.no_backup_set", { step.set }, QStringLiteral("no backup set %1").arg(step.set));
    else if ((a == QLatin1String("guardian_mode") || a == QLatin1String("isolate")
                 || a == QLatin1String("release_source"))
        && !m_s.guardian)
        problem = notRunning("guardian");
    else if (a.endsWith(QLatin1String("_degradation")) && !m_s.degradation)
        problem = notRunning("degradation");
    else if (a == QLatin1String("run_command") && !QFileInfo(step.command.first()).isExecutable()
        && QStandardPaths::findExecutable(step.command.first()).isEmpty())
        problem = makeMessage("dr.not_executable", { step.command.first() },
            QStringLiteral("%1 is not an executable").arg(step.command.first()));
    m_result = std::make_pair(problem.isEmpty(),
        problem.isEmpty()
            ? makeMessage("dr.dry_run", { a }, QStringLiteral("dry run: would %1").arg(a))
            : problem);
}

DrRunner::Check DrRunner::waitOperation(qint64 id, const QString &what)
{
    BackupService *backup = m_s.backup;
    m_cancel = [backup, id, this] { backup->cancel(id, m_run.actor); };
    log(QStringLiteral("%1: operation %2 queued").arg(what).arg(id));
    return [backup, id](Message *message) {
        const auto op = backup->operation(id);
        if (!op) {
            *message = Message::verbatim(op.error().message);
            return Poll::Failed;
        }
        if (!op->finished())
            return Poll::Pending;
        if (op->state == QLatin1String("succeeded")) {
            const QJsonObject &r = op->result;
            const QString snapshot = r.value(QStringLiteral("snapshot")).toString().left(12);
            if (r.contains(QStringLiteral("entries"))) {
                const qint64 entries = r.value(QStringLiteral("entries")).toInteger();
                *message = makeMessage("dr.verified", { entries, snapshot },
                    QStringLiteral("%1 entries match the manifest of %2")
                        .arg(entries)
                        .arg(snapshot));
            } else if (r.contains(QStringLiteral("changed"))) {
                const qint64 changed = r.value(QStringLiteral("changed")).toInteger();
                *message = makeMessage("dr.would_change", { changed },
                    QStringLiteral("%1 entries would change").arg(changed));
            } else {
                const qint64 files = r.value(QStringLiteral("files")).toInteger();
                const qint64 bytes = r.value(QStringLiteral("bytes")).toInteger();
                *message = makeMessage("dr.restored", { files, bytes, snapshot },
                    QStringLiteral("%1 files, %2 bytes from snapshot %3")
                        .arg(files)
                        .arg(bytes)
                        .arg(snapshot));
            }
            return Poll::Ok;
        }
        *message = Message::verbatim(op->errorMessage);
        return Poll::Failed;
    };
}

DrRunner::Check DrRunner::runCommand(const DrStep &step)
{
    m_process = new QProcess(this);
    m_process->setProcessChannelMode(QProcess::MergedChannels);
    connect(m_process, &QProcess::readyRead, this, [this] {
        while (m_process && m_process->canReadLine())
            log(QString::fromLocal8Bit(m_process->readLine()).trimmed());
    });
    m_process->start(step.command.first(), step.command.mid(1));
    m_cancel = [this] {
        if (m_process)
            m_process->kill();
    };
    log(QStringLiteral("$ %1").arg(step.command.join(QLatin1Char(' '))));
    return [this](Message *message) {
        if (!m_process)
            return Poll::Failed;
        if (m_process->state() != QProcess::NotRunning)
            return Poll::Pending;
        const QString rest = QString::fromLocal8Bit(m_process->readAll()).trimmed();
        if (!rest.isEmpty())
            log(rest);
        const bool ok = m_process->error() != QProcess::FailedToStart
            && m_process->exitStatus() == QProcess::NormalExit && m_process->exitCode() == 0;
        *message = m_process->error() == QProcess::FailedToStart
            ? makeMessage("dr.not_started", { m_process->errorString() },
                QStringLiteral("cannot start: %1").arg(m_process->errorString()))
            : makeMessage("dr.exit_code", { m_process->exitCode() },
                QStringLiteral("exit code %1").arg(m_process->exitCode()));
        m_process->deleteLater();
        m_process = nullptr;
        return ok ? Poll::Ok : Poll::Failed;
    };
}

void DrRunner::tick()
{
    Message message;
    const Poll p = m_check ? m_check(&message) : Poll::Failed;
    if (p == Poll::Pending)
        return;
    endStep(p == Poll::Ok, message);
}

void DrRunner::timedOut()
{
    if (m_cancel)
        m_cancel();
    const qint64 timeoutMs = m_plan.steps.at(m_run.currentStep).timeoutMs;
    endStep(false,
        makeMessage("dr.timed_out", { timeoutMs },
            QStringLiteral("timed out after %1").arg(TimeUtil::formatDurationMs(timeoutMs))));
}

void DrRunner::endStep(bool ok, const Message &message)
{
    m_tick->stop();
    m_timeout->stop();
    m_check = nullptr;
    const int index = m_run.currentStep;
    const DrStep &step = m_plan.steps.at(index);
    DrStepRun &r = m_run.steps[index];
    r.state = ok ? QStringLiteral("succeeded") : QStringLiteral("failed");
    r.finishedMs = now();
    r.message = message;
    audit(ok ? QStringLiteral("dr.step_succeeded") : QStringLiteral("dr.step_failed"),
        { { QStringLiteral("step"), step.name }, { QStringLiteral("action"), step.action },
            { QStringLiteral("duration_ms"), r.finishedMs - r.startedMs },
            { QStringLiteral("message"), message.text.left(500) } });
    Q_EMIT changed(m_run);
    if (ok) {
        startStep(index + 1);
        return;
    }
    m_failedSteps = true;
    switch (step.onFailure) {
    case DrOnFailure::Continue:
        startStep(index + 1);
        return;
    case DrOnFailure::Rollback:
        rollback();
        end(QStringLiteral("rolled_back"));
        return;
    case DrOnFailure::Abort:
        end(QStringLiteral("failed"));
        return;
    }
}

void DrRunner::rollback()
{
    for (int i = int(m_undo.size()) - 1; i >= 0; --i) {
        if (!m_undo.at(i) || m_run.steps.at(i).state != QLatin1String("succeeded"))
            continue;
        m_run.currentStep = i;
        log(QStringLiteral("rolling back"));
        m_undo.at(i)();
        m_run.steps[i].state = QStringLiteral("rolled_back");
        audit(QStringLiteral("dr.step_rolled_back"),
            { { QStringLiteral("step"), m_run.steps.at(i).name },
                { QStringLiteral("action"), m_run.steps.at(i).action } });
    }
}

void DrRunner::abort(const QString &actor)
{
    if (m_run.finished())
        return;
    if (m_cancel)
        m_cancel();
    m_tick->stop();
    m_timeout->stop();
    if (m_run.currentStep >= 0) {
        DrStepRun &r = m_run.steps[m_run.currentStep];
        if (r.state == QLatin1String("running")) {
            r.state = QStringLiteral("failed");
            r.finishedMs = now();
            r.message
                = makeMessage("dr.aborted", { actor }, QStringLiteral("aborted by %1").arg(actor));
        }
    }
    audit(QStringLiteral("dr.abort_requested"), { { QStringLiteral("by"), actor } });
    end(QStringLiteral("aborted"));
}

void DrRunner::end(const QString &state)
{
    for (DrStepRun &r : m_run.steps)
        if (r.state == QLatin1String("pending"))
            r.state = QStringLiteral("skipped");
    m_run.state = state;
    m_run.finishedMs = now();
    m_run.recoveryMs = m_run.finishedMs - m_run.startedMs;
    audit(QStringLiteral("dr.finished"),
        { { QStringLiteral("state"), state },
            { QStringLiteral("recovery_ms"), m_run.recoveryMs } });
    Q_EMIT changed(m_run);
    Q_EMIT finished(m_run);
}

} // namespace Shivx
