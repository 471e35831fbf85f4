// The actions of DR plan steps (DrRunner::begin): each starts what its step does and returns
// the check that tells when it is done, or ends at once through m_result. Kept apart from the
// runner's sequencing (drrunner.cpp).
#include "backup/drrunner.h"

#include "alerting/alertingservice.h"
#include "backup/backupservice.h"
#include "core/clock.h"
#include "core/timeutil.h"
#include "degradation/degradationservice.h"
#include "guardian/guardianservice.h"
#include "health/healthservice.h"
#include "recovery/recoveryservice.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>

namespace Shivx {

namespace {

// How long a DR notification stays firing after its step (then it resolves): the guardian's
// notify hold, long enough for a receiver that groups and repeats to see it.
constexpr qint64 NotifyHoldMs = 15 * 60'000;

std::optional<ProcessState> stateOf(RecoveryService *recovery, const QString &name)
{
    for (const ProcessSnapshot &p : recovery->processes())
        if (p.name == name)
            return p.state;
    return std::nullopt;
}

} // namespace

Message DrRunner::noTarget(const QString &target)
{
    return makeMessage(
        "dr.no_target", { target }, QStringLiteral("no target named %1").arg(target));
}

DrRunner::Check DrRunner::begin(const DrStep &step)
{
    const QString &a = step.action;
    const QString actor = m_run.actor;
    const QString reason = step.reason.isEmpty()
        ? QStringLiteral("DR plan %1, step %2").arg(m_plan.name, step.name)
        : step.reason;
    const auto fail = [this](const Message &message) {
        m_result = std::make_pair(false, message);
        return Check();
    };
    // Errors of other modules come worded by them, in English, and pass on as they are.
    const auto failWith = [&fail](const Error &e) { return fail(Message::verbatim(e.message)); };
    const auto done = [this](const Message &message) {
        m_result = std::make_pair(true, message);
        return Check();
    };
    const auto notRunning = [&fail](const char *module) {
        return fail(makeMessage("dr.module_not_running", { QString::fromLatin1(module) },
            QStringLiteral("the %1 module is not running").arg(QString::fromLatin1(module))));
    };

    if (a == QLatin1String("stop_target") || a == QLatin1String("start_target")) {
        RecoveryService *recovery = m_s.recovery;
        if (!recovery)
            return notRunning("recovery");
        const bool stop = a == QLatin1String("stop_target");
        const QString target = step.target;
        const auto r
            = stop ? recovery->stopProcess(target, actor) : recovery->startProcess(target, actor);
        if (!r)
            return failWith(r.error());
        m_undo.last() = [recovery, target, actor, stop] {
            if (stop)
                recovery->startProcess(target, actor);
            else
                recovery->stopProcess(target, actor);
        };
        const ProcessState want = stop ? ProcessState::Stopped : ProcessState::Running;
        return [recovery, target, want](Message *message) {
            const auto state = stateOf(recovery, target);
            *message = state ? makeMessage("dr.process_state", { target, toString(*state) },
                           QStringLiteral("%1 is %2").arg(target, toString(*state)))
                             : makeMessage("dr.process_gone", { target },
                                 QStringLiteral("%1 is gone").arg(target));
            return state == want ? Poll::Ok : Poll::Pending;
        };
    }
    if (a == QLatin1String("wait_healthy")) {
        HealthService *health = m_s.health;
        if (!health)
            return notRunning("health");
        const QString target = step.target;
        return [health, target](Message *message) {
            for (const TargetStatus &t : health->targets()) {
                if (t.name != target)
                    continue;
                *message = makeMessage("dr.target_state", { target, toString(t.state) },
                    QStringLiteral("%1 is %2").arg(target, toString(t.state)));
                // Answering its probes is what counts: a target that was down during the
                // recovery is DEGRADED (flapping) for a while although every probe passes.
                const bool answering = t.state == TargetState::Up
                    || (t.state == TargetState::Degraded && t.consecutiveFailures == 0
                        && t.consecutiveSuccesses > 0);
                return answering ? Poll::Ok : Poll::Pending;
            }
            *message = noTarget(target);
            return Poll::Failed;
        };
    }
    if (a == QLatin1String("restore") || a == QLatin1String("verify_restore")) {
        BackupRestoreRequest req;
        req.set = step.set;
        req.snapshot = step.snapshot;
        req.path = step.path;
        req.target = step.to;
        req.dryRun = m_run.dryRun;
        if (!step.at.isEmpty()) {
            const auto at = TimeUtil::parseTimePoint(step.at, now());
            if (!at)
                return failWith(at.error());
            req.atMs = *at;
        }
        const bool restore = a == QLatin1String("restore");
        const auto op
            = restore ? m_s.backup->restore(req, actor) : m_s.backup->verifyRestored(req, actor);
        if (!op)
            return failWith(op.error());
        return waitOperation(
            op->id, restore ? QStringLiteral("restore") : QStringLiteral("verify"));
    }
    if (a == QLatin1String("guardian_mode")) {
        GuardianService *guardian = m_s.guardian;
        if (!guardian)
            return notRunning("guardian");
        const DefenseMode before = guardian->snapshotPtr()->mode;
        const auto r = guardian->setMode(*parseDefenseMode(step.mode), reason, actor);
        if (!r)
            return failWith(r.error());
        m_undo.last() = [guardian, before, actor, name = m_plan.name] {
            guardian->setMode(before, QStringLiteral("rollback of DR plan %1").arg(name), actor);
        };
        return done(makeMessage("dr.guardian_mode", { step.mode.toUpper(), toString(before) },
            QStringLiteral("guardian mode %1 (was %2)")
                .arg(step.mode.toUpper(), toString(before))));
    }
    if (a == QLatin1String("isolate") || a == QLatin1String("release_source")) {
        GuardianService *guardian = m_s.guardian;
        if (!guardian)
            return notRunning("guardian");
        const QString source = step.source;
        if (a == QLatin1String("release_source")) {
            const auto r = guardian->release(source, actor);
            if (!r && r.error().code != QLatin1String("guardian.not_isolated"))
                return failWith(r.error());
            return done(makeMessage(
                "dr.source_freed", { source }, QStringLiteral("%1 released").arg(source)));
        }
        const auto r = guardian->isolate(source, step.durationMs, reason, actor);
        if (!r)
            return failWith(r.error());
        m_undo.last() = [guardian, source, actor] { guardian->release(source, actor); };
        return done(makeMessage("dr.isolated", { source, step.durationMs },
            QStringLiteral("%1 isolated for %2")
                .arg(source, TimeUtil::formatDurationMs(step.durationMs))));
    }
    if (a == QLatin1String("pin_degradation") || a == QLatin1String("release_degradation")) {
        DegradationService *degradation = m_s.degradation;
        if (!degradation)
            return notRunning("degradation");
        if (a == QLatin1String("release_degradation")) {
            const auto r = degradation->release(actor);
            if (!r && r.error().code != QLatin1String("degradation.not_pinned"))
                return failWith(r.error());
            return done(makeMessage("dr.unpinned", {}, QStringLiteral("pin released")));
        }
        const auto r
            = degradation->pin(*parseDegradationLevel(step.level), reason, step.durationMs, actor);
        if (!r)
            return failWith(r.error());
        m_undo.last() = [degradation, actor] { degradation->release(actor); };
        return done(
            makeMessage("dr.pinned", { step.level }, QStringLiteral("pinned %1").arg(step.level)));
    }
    if (a == QLatin1String("run_command")) {
        if (!step.undo.isEmpty()) {
            const QStringList undo = step.undo;
            m_undo.last() = [undo] {
                QProcess p;
                p.start(undo.first(), undo.mid(1));
                p.waitForFinished(30'000);
            };
        }
        return runCommand(step);
    }
    // notify: the audit chain always; the alerting module's notifiers (webhook, PagerDuty,
    // Alertmanager) through a pushed DrNotify alert, as the guardian's notify policies do, so
    // that the message goes where every other alert goes, with its retries and silences; a
    // step's own webhook as well when it names one.
    audit(QStringLiteral("dr.notify"), { { QStringLiteral("message"), step.message.left(500) } });
    const Result<void> pushed = m_s.alerting
        ? m_s.alerting->pushAlert({ { QStringLiteral("alertname"), QStringLiteral("DrNotify") },
                                      { QStringLiteral("severity"), QStringLiteral("warning") },
                                      { QStringLiteral("plan"), m_plan.name },
                                      { QStringLiteral("run"), QString::number(m_run.id) },
                                      { QStringLiteral("step"), step.name } },
            step.message,
            QStringLiteral("DR plan %1, run %2, step %3 (activated by %4)")
                .arg(m_plan.name)
                .arg(m_run.id)
                .arg(step.name, actor),
            NotifyHoldMs)
        : Result<void>(makeError("engine.not_running", QStringLiteral("alerting is not running")));
    // Without alerting the audit entry is still the notification (as before alerting existed):
    // the step says so rather than failing a recovery over a message.
    Message notified;
    if (pushed) {
        log(QStringLiteral("alert DrNotify pushed to the alerting notifiers"));
        notified = makeMessage("dr.notified", { step.message },
            QStringLiteral("notified: %1 (alert DrNotify to the notifiers)").arg(step.message));
    } else {
        log(QStringLiteral("audit chain only: %1").arg(pushed.error().message));
        notified = makeMessage("dr.notified_audit_only", { step.message, pushed.error().message },
            QStringLiteral("notified: %1 (audit chain only: %2)")
                .arg(step.message, pushed.error().message));
    }
    if (step.webhook.isEmpty())
        return done(notified);
    auto *nam = new QNetworkAccessManager(this);
    QNetworkRequest req { QUrl(step.webhook) };
    req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply *reply = nam->post(req,
        QJsonDocument(
            QJsonObject { { QStringLiteral("plan"), m_plan.name },
                { QStringLiteral("run"), m_run.id }, { QStringLiteral("message"), step.message } })
            .toJson(QJsonDocument::Compact));
    m_cancel = [reply] { reply->abort(); };
    return [reply, nam](Message *message) {
        if (!reply->isFinished())
            return Poll::Pending;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        *message = reply->error() == QNetworkReply::NoError
            ? makeMessage("dr.webhook_answered", { status },
                QStringLiteral("webhook answered HTTP %1").arg(status))
            : makeMessage("dr.webhook_failed", { reply->errorString() },
                QStringLiteral("webhook: %1").arg(reply->errorString()));
        const bool ok = reply->error() == QNetworkReply::NoError;
        nam->deleteLater();
        return ok ? Poll::Ok : Poll::Failed;
    };
}

} // namespace Shivx
