#include "widgets/enginewording.h"

#include "widgets/enginewording_p.h"

#include "degradation/degradationlevel.h"
#include "pipelines/pipelinewording.h"
#include "widgets/displayformat.h"

#include <QHash>
#include <QLocale>

#include <functional>

namespace Shivx::Ui {

namespace {

QString arg(const Error &e, int i)
{
    return e.args.value(i).toString();
}

QString number(const QVariant &v, int decimals = 1)
{
    return QLocale().toString(v.toDouble(), 'f', decimals);
}

QString percent(const QVariant &v)
{
    return DisplayFormat::percent(v.toDouble());
}

QString duration(const QVariant &ms)
{
    return DisplayFormat::duration(ms.toLongLong());
}

using Internal::level;

using Internal::targetState;
using Internal::Wording;

QString engineState(const QVariant &code)
{
    for (EngineState s : { EngineState::Stopped, EngineState::Starting, EngineState::Running,
             EngineState::Stopping, EngineState::Failed })
        if (toString(s) == code.toString())
            return DisplayFormat::engineState(s);
    return code.toString();
}

QString withLine(const QString &text, const QString &line)
{
    return line.isEmpty() ? text : EngineWording::tr("%1: %2").arg(text, line);
}

QString nested(const QVariant &v)
{
    return EngineWording::message(v.value<Message>());
}

// One entry per code the engine produces; `a` are the message's args.
const QHash<QString, Wording> &wordings()
{
    static const QHash<QString, Wording> table = [] {
        QHash<QString, Wording> t {
            { QStringLiteral("breaker.recovery_timeout_passed"),
                [](const QVariantList &a) {
                    return EngineWording::tr("the recovery timeout of %1 passed")
                        .arg(duration(a.value(0)));
                } },
            // Singular and plural spelled out: the console ships no English catalogue to
            // resolve "%n ...(s)".
            { QStringLiteral("breaker.trials_succeeded"),
                [](const QVariantList &a) {
                    const int n = a.value(0).toInt();
                    return n == 1 ? EngineWording::tr("the trial call succeeded")
                                  : EngineWording::tr("%1 trial calls succeeded").arg(n);
                } },
            { QStringLiteral("breaker.consecutive_failures"),
                [](const QVariantList &a) {
                    const int n = a.value(0).toInt();
                    return n == 1 ? EngineWording::tr("1 consecutive failure")
                                  : EngineWording::tr("%1 consecutive failures").arg(n);
                } },
            { QStringLiteral("breaker.failure_rate"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 of the last %2 calls failed")
                        .arg(a.value(0).toInt())
                        .arg(a.value(1).toInt());
                } },
            { QStringLiteral("breaker.trial_failed"),
                [](const QVariantList &) { return EngineWording::tr("the trial call failed"); } },
            { QStringLiteral("breaker.forced_open"),
                [](const QVariantList &) { return EngineWording::tr("forced open"); } },
            { QStringLiteral("breaker.forced_closed"),
                [](const QVariantList &) { return EngineWording::tr("forced closed"); } },
            { QStringLiteral("breaker.automatic"),
                [](const QVariantList &) { return EngineWording::tr("back to automatic"); } },

            { QStringLiteral("degradation.no_score"),
                [](const QVariantList &) { return EngineWording::tr("no score yet"); } },
            { QStringLiteral("degradation.score_means"),
                [](const QVariantList &a) {
                    return EngineWording::tr("score %1 means %2")
                        .arg(number(a.value(0)), level(a.value(1)));
                } },
            { QStringLiteral("degradation.score_below"),
                [](const QVariantList &a) {
                    return EngineWording::tr("score %1 below %2")
                        .arg(number(a.value(0)), number(a.value(1)));
                } },
            { QStringLiteral("degradation.score_at_or_above"),
                [](const QVariantList &a) {
                    return EngineWording::tr("score %1 at or above %2")
                        .arg(number(a.value(0)), number(a.value(1)));
                } },
            { QStringLiteral("degradation.score_held"),
                [](const QVariantList &a) {
                    return EngineWording::tr("score held at or above %1 for %2")
                        .arg(number(a.value(0)), duration(a.value(1)));
                } },
            { QStringLiteral("degradation.pinned"),
                [](const QVariantList &a) {
                    return EngineWording::tr("pinned by %1 for %2: %3")
                        .arg(a.value(0).toString(), duration(a.value(1)), a.value(2).toString());
                } },
            { QStringLiteral("degradation.released"),
                [](const QVariantList &a) {
                    return EngineWording::tr("pin released by %1; %2")
                        .arg(a.value(0).toString(), nested(a.value(1)));
                } },
            { QStringLiteral("degradation.pin_expired"),
                [](const QVariantList &a) {
                    return EngineWording::tr("the pin of %1 by %2 expired; %3")
                        .arg(level(a.value(0)), a.value(1).toString(), nested(a.value(2)));
                } },
            { QStringLiteral("engine.not_running"),
                [](const QVariantList &) {
                    return EngineWording::tr("the engine is not running");
                } },

            { QStringLiteral("guardian.mode.start"),
                [](const QVariantList &) { return EngineWording::tr("engine started"); } },
            { QStringLiteral("guardian.mode.critical"),
                [](const QVariantList &a) {
                    return EngineWording::tr("critical event %1 from %2")
                        .arg(a.value(0).toString(), a.value(1).toString());
                } },
            { QStringLiteral("guardian.mode.score"),
                [](const QVariantList &a) {
                    return EngineWording::tr("threat score %1 (at least %2) from %3")
                        .arg(a.value(0).toInt())
                        .arg(a.value(1).toInt())
                        .arg(a.value(2).toString());
                } },
            { QStringLiteral("guardian.mode.warnings"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 warnings within %2")
                        .arg(a.value(0).toInt())
                        .arg(DisplayFormat::duration(a.value(1).toLongLong() * 1000));
                } },
            { QStringLiteral("guardian.mode.quiet"),
                [](const QVariantList &a) {
                    return EngineWording::tr("no warning for %1")
                        .arg(DisplayFormat::duration(a.value(0).toLongLong() * 1000));
                } },
            { QStringLiteral("guardian.mode.operator"),
                [](const QVariantList &a) {
                    return EngineWording::tr("set by %1: %2")
                        .arg(a.value(0).toString(), a.value(1).toString());
                } },
            { QStringLiteral("guardian.mode.policy"),
                [](const QVariantList &a) {
                    return EngineWording::tr("policy for %1 from %2")
                        .arg(a.value(0).toString(), a.value(1).toString());
                } },

            { QStringLiteral("score.cpu"),
                [](const QVariantList &a) {
                    return EngineWording::tr("CPU %1 (warning above %2)")
                        .arg(percent(a.value(0)), percent(a.value(1)));
                } },
            { QStringLiteral("score.cpu_no_rate"),
                [](const QVariantList &) { return EngineWording::tr("no CPU rate yet"); } },
            { QStringLiteral("score.memory"),
                [](const QVariantList &a) {
                    return EngineWording::tr("memory %1 used (warning above %2)")
                        .arg(percent(a.value(0)), percent(a.value(1)));
                } },
            { QStringLiteral("score.disk"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 %2 used (warning above %3)")
                        .arg(a.value(0).toString(), percent(a.value(1)), percent(a.value(2)));
                } },
            { QStringLiteral("score.no_filesystems"),
                [](const QVariantList &) { return EngineWording::tr("no filesystems"); } },
            { QStringLiteral("score.target"),
                [](const QVariantList &a) {
                    QString text = EngineWording::tr("%1 %2").arg(
                        a.value(0).toString(), targetState(a.value(1)));
                    if (a.value(2).isValid())
                        text = EngineWording::tr("%1: %2").arg(text, nested(a.value(2)));
                    return a.value(3).toBool() ? EngineWording::tr("%1 (critical)").arg(text)
                                               : text;
                } },
            { QStringLiteral("score.watchdog"),
                [](const QVariantList &a) {
                    return EngineWording::tr("the %1 thread has been silent for %2")
                        .arg(a.value(0).toString(), duration(a.value(1)));
                } },
            { QStringLiteral("score.critical_cap"),
                [](const QVariantList &a) {
                    return EngineWording::tr("a critical target is DOWN: the score is capped at %1")
                        .arg(number(a.value(0), 0));
                } },

            { QStringLiteral("probe.timed_out"),
                [](const QVariantList &a) {
                    return EngineWording::tr("timed out after %1").arg(duration(a.value(0)));
                } },
            { QStringLiteral("probe.connection_refused"),
                [](const QVariantList &) { return EngineWording::tr("connection refused"); } },
            { QStringLiteral("probe.connection_timed_out"),
                [](const QVariantList &) { return EngineWording::tr("connection timed out"); } },
            { QStringLiteral("probe.host_not_found"),
                [](const QVariantList &a) {
                    return EngineWording::tr("host not found: %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.network_unreachable"),
                [](const QVariantList &a) {
                    return EngineWording::tr("network unreachable: %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.cannot_connect"),
                [](const QVariantList &a) {
                    return EngineWording::tr("cannot connect: %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.closed_by_peer"),
                [](const QVariantList &) {
                    return EngineWording::tr("connection closed by the remote host");
                } },
            { QStringLiteral("probe.incomplete_response"),
                [](const QVariantList &) {
                    return EngineWording::tr(
                        "connection closed by the server before a complete response");
                } },
            { QStringLiteral("probe.tls_failed"),
                [](const QVariantList &a) {
                    return EngineWording::tr("TLS handshake failed: %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.no_host_port"),
                [](const QVariantList &) {
                    return EngineWording::tr("no host and port to connect to");
                } },
            { QStringLiteral("probe.not_http_url"),
                [](const QVariantList &a) {
                    return EngineWording::tr("not an http(s) URL: %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.cannot_start_transfer"),
                [](const QVariantList &) {
                    return EngineWording::tr("cannot start an HTTP transfer");
                } },
            { QStringLiteral("probe.no_http_response"),
                [](const QVariantList &) { return EngineWording::tr("no HTTP response"); } },
            { QStringLiteral("probe.http_status"),
                [](const QVariantList &a) {
                    const QString text = EngineWording::tr("HTTP %1 (expected %2)")
                                             .arg(a.value(0).toInt())
                                             .arg(a.value(1).toInt());
                    const QString to = a.value(2).toString();
                    return to.isEmpty() ? text
                                        : EngineWording::tr("%1, redirect to %2").arg(text, to);
                } },
            { QStringLiteral("probe.body_missing"),
                [](const QVariantList &a) {
                    return a.value(1).toBool()
                        ? EngineWording::tr("the first MiB of the body does not contain \"%1\"")
                              .arg(a.value(0).toString())
                        : EngineWording::tr("body does not contain \"%1\"")
                              .arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.bad_exposition"),
                [](const QVariantList &a) {
                    return EngineWording::tr("bad exposition: %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.scrape_too_large"),
                [](const QVariantList &a) {
                    return EngineWording::tr("the scrape is larger than %1 MiB")
                        .arg(a.value(0).toLongLong());
                } },
            { QStringLiteral("probe.pid_file_unreadable"),
                [](const QVariantList &a) {
                    return EngineWording::tr("cannot read pid file %1: %2")
                        .arg(a.value(0).toString(), a.value(1).toString());
                } },
            { QStringLiteral("probe.pid_file_without_pid"),
                [](const QVariantList &a) {
                    return EngineWording::tr("pid file %1 does not contain a pid")
                        .arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.pid_not_running"),
                [](const QVariantList &a) {
                    return EngineWording::tr("pid %1 from %2 is not running")
                        .arg(a.value(0).toLongLong())
                        .arg(a.value(1).toString());
                } },
            { QStringLiteral("probe.no_process_named"),
                [](const QVariantList &a) {
                    return EngineWording::tr("no process named %1").arg(a.value(0).toString());
                } },
            { QStringLiteral("probe.no_process_spec"),
                [](const QVariantList &) {
                    return EngineWording::tr("neither a pid file nor a process name is configured");
                } },
            { QStringLiteral("probe.no_command"),
                [](const QVariantList &) { return EngineWording::tr("no command configured"); } },
            { QStringLiteral("probe.command_cannot_start"),
                [](const QVariantList &a) {
                    return EngineWording::tr("cannot start %1: %2")
                        .arg(a.value(0).toString(), a.value(1).toString());
                } },
            { QStringLiteral("probe.command_killed"),
                [](const QVariantList &a) {
                    return withLine(
                        EngineWording::tr("killed by signal %1").arg(a.value(0).toInt()),
                        a.value(1).toString());
                } },
            { QStringLiteral("probe.command_exited"),
                [](const QVariantList &a) {
                    return withLine(
                        EngineWording::tr("exited with code %1").arg(a.value(0).toInt()),
                        a.value(1).toString());
                } },

            { QStringLiteral("target.probe_failed"),
                [](const QVariantList &) { return EngineWording::tr("probe failed"); } },
            { QStringLiteral("target.probe_succeeded"),
                [](const QVariantList &a) {
                    return EngineWording::tr("probe succeeded in %1")
                        .arg(DisplayFormat::latencyMs(a.value(0).toDouble()));
                } },
            { QStringLiteral("target.slow"),
                [](const QVariantList &a) {
                    return EngineWording::tr("slow: %1 (threshold %2)")
                        .arg(DisplayFormat::latencyMs(a.value(0).toDouble()), duration(a.value(1)));
                } },
            { QStringLiteral("target.flapping"),
                [](const QVariantList &a) {
                    return EngineWording::tr("flapping: %1 state changes in %2")
                        .arg(a.value(0).toInt())
                        .arg(duration(a.value(1)));
                } },
            { QStringLiteral("target.failure_of"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 (failure %2 of %3)")
                        .arg(nested(a.value(0)))
                        .arg(a.value(1).toInt())
                        .arg(a.value(2).toInt());
                } },
            { QStringLiteral("target.consecutive_failures"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 (%2 consecutive failures)")
                        .arg(nested(a.value(0)))
                        .arg(a.value(1).toInt());
                } },
            { QStringLiteral("target.circuit_open"),
                [](const QVariantList &a) {
                    return a.value(0).isValid()
                        ? EngineWording::tr("%1; circuit open").arg(nested(a.value(0)))
                        : EngineWording::tr("circuit open");
                } },
            { QStringLiteral("target.startup_grace"),
                [](const QVariantList &) {
                    return EngineWording::tr("process started; startup grace");
                } },
            { QStringLiteral("target.restart_command_grace"),
                [](const QVariantList &) {
                    return EngineWording::tr("restart command ran; startup grace");
                } },
            { QStringLiteral("target.crash_loop_paused"),
                [](const QVariantList &) {
                    return EngineWording::tr("crash loop: restarts paused");
                } },

            { QStringLiteral("readiness.no_heartbeat"),
                [](const QVariantList &) { return EngineWording::tr("no heartbeat yet"); } },
            { QStringLiteral("readiness.silent"),
                [](const QVariantList &a) {
                    return EngineWording::tr("silent for %1 (limit %2)")
                        .arg(DisplayFormat::latencyMs(a.value(0).toDouble()),
                            DisplayFormat::latencyMs(a.value(1).toDouble()));
                } },
            { QStringLiteral("readiness.heartbeat"),
                [](const QVariantList &a) {
                    return EngineWording::tr("last heartbeat %1 ago")
                        .arg(DisplayFormat::latencyMs(a.value(0).toDouble()));
                } },
            { QStringLiteral("readiness.storage_writable"),
                [](const QVariantList &) { return EngineWording::tr("writable"); } },
            { QStringLiteral("readiness.storage_not_writable"),
                [](const QVariantList &) { return EngineWording::tr("not writable"); } },
            { QStringLiteral("readiness.target"),
                [](const QVariantList &a) {
                    const QString state = targetState(a.value(0));
                    return a.value(1).isValid()
                        ? EngineWording::tr("%1: %2").arg(state, nested(a.value(1)))
                        : state;
                } },
            { QStringLiteral("readiness.degradation"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1: %2").arg(level(a.value(0)), nested(a.value(1)));
                } },
            { QStringLiteral("readiness.engine_state"),
                [](const QVariantList &a) { return engineState(a.value(0)); } },
            { QStringLiteral("threat.rate"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 requests in %2, %3× the %4 baseline of %5")
                        .arg(number(a.value(0), 0), duration(a.value(1)), number(a.value(2)),
                            a.value(3).toString(), number(a.value(4)));
                } },
            { QStringLiteral("threat.auth_failures"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 failed token checks in %2")
                        .arg(number(a.value(0), 0), duration(a.value(1)));
                } },
            { QStringLiteral("threat.distinct_paths"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 distinct paths in %2")
                        .arg(number(a.value(0), 0), duration(a.value(1)));
                } },
            { QStringLiteral("threat.error_ratio"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 of %2 requests failed")
                        .arg(number(a.value(0), 0), number(a.value(1), 0));
                } },
            { QStringLiteral("threat.error_ratio_few"),
                [](const QVariantList &a) {
                    return EngineWording::tr("%1 requests: too few to judge errors (from %2)")
                        .arg(number(a.value(0), 0), number(a.value(1), 0));
                } },
            { QStringLiteral("threat.watchers"),
                [](const QVariantList &a) {
                    const QString names = a.value(2).toString();
                    const QString hits = EngineWording::tr("%1 watcher hits in %2")
                                             .arg(number(a.value(0), 0), duration(a.value(1)));
                    return names.isEmpty() ? hits : EngineWording::tr("%1 (%2)").arg(hits, names);
                } },
        };
        Internal::addDrStepWordings(t);
        return t;
    }();
    return table;
}

} // namespace

QString EngineWording::message(const Message &m)
{
    if (m.code.isEmpty())
        return m.text;
    const auto it = wordings().constFind(m.code);
    return it == wordings().cend() ? m.text : (*it)(m.args);
}

QStringList EngineWording::messageCodes()
{
    QStringList codes = wordings().keys();
    codes.sort();
    return codes;
}

QString EngineWording::error(const Error &e)
{
    const QString &c = e.code;
    if (c == QLatin1String("engine.not_running"))
        return tr("The engine is not running.");
    if (c == QLatin1String("recovery.unknown_process"))
        return tr("No supervised process is called %1.").arg(arg(e, 0));
    if (c == QLatin1String("breaker.not_found"))
        return tr("No circuit breaker is called %1.").arg(arg(e, 0));
    if (c == QLatin1String("degradation.bad_reason"))
        return tr("Give a reason of at most 500 characters: it goes into the audit log.");
    if (c == QLatin1String("degradation.bad_duration"))
        return tr("A pin lasts from 1 s to %1 (degradation.max_pin).")
            .arg(DisplayFormat::duration(e.args.value(1).toLongLong()));
    if (c == QLatin1String("degradation.not_pinned"))
        return tr("No level is pinned.");
    if (c == QLatin1String("guardian.bad_reason"))
        return tr("Give a reason of at most 500 characters: it goes into the audit log.");
    if (c == QLatin1String("guardian.bad_source"))
        return tr("%1 is not an IPv4 or IPv6 address.").arg(arg(e, 0));
    if (c == QLatin1String("guardian.bad_duration"))
        return tr("An isolation lasts from 1 s to 366 days.");
    if (c == QLatin1String("guardian.not_isolated"))
        return tr("%1 is not isolated.").arg(arg(e, 0));
    if (c == QLatin1String("integrity.busy"))
        return tr(
            "An integrity check or baseline update is running already; wait for it or cancel it.");
    if (c == QLatin1String("integrity.idle"))
        return tr("No integrity check is running.");
    if (c == QLatin1String("integrity.not_configured"))
        return tr("No path sets are configured (integrity.sets in the configuration file).");
    if (c == QLatin1String("integrity.no_baseline"))
        return tr("There is no baseline yet: record one first.");
    if (c == QLatin1String("integrity.baseline_tampered"))
        return tr(
            "The baseline %1 was changed outside the engine: its SHA-256 %2 is not the %3 the "
            "audit chain recorded at its last update. Nothing was compared. Record a new "
            "baseline once you know why.")
            .arg(arg(e, 0), arg(e, 1).left(16), arg(e, 2).left(16));
    if (c == QLatin1String("integrity.baseline_missing"))
        return tr("The baseline %1 is gone, but the audit chain records one: it was deleted.")
            .arg(arg(e, 0));
    if (c == QLatin1String("integrity.baseline_unverified"))
        return tr(
            "The baseline %1 has no digest in the audit chain to be checked against; record a "
            "new baseline.")
            .arg(arg(e, 0));
    if (c == QLatin1String("integrity.baseline_unreadable"))
        return tr("The baseline %1 cannot be read: %2").arg(arg(e, 0), arg(e, 1));
    if (c == QLatin1String("integrity.baseline_write"))
        return tr("The baseline %1 cannot be written: %2").arg(arg(e, 0), arg(e, 1));
    if (c == QLatin1String("integrity.bad_reason"))
        return tr("An accept needs a reason: it goes into the audit chain.");
    if (c == QLatin1String("integrity.no_check"))
        return tr("Nothing to accept: no check has found differences since the baseline was "
                  "recorded.");
    if (c == QLatin1String("integrity.no_difference"))
        return arg(e, 0).isEmpty() ? tr("The last check found no differences to accept.")
                                   : tr("The last check found no difference at %1.").arg(arg(e, 0));
    if (c == QLatin1String("integrity.not_restorable"))
        return tr("%1 cannot be restored: it was added (it is not in the baseline) or differs "
                  "only in its inode or change time. Accept it instead.")
            .arg(arg(e, 0));
    if (c == QLatin1String("integrity.no_snapshot"))
        return tr("%1 has no safe snapshot: its set is not protect: restore, or the file was too "
                  "large or unreadable when the baseline was recorded.")
            .arg(arg(e, 0));
    if (c == QLatin1String("integrity.snapshot_tampered"))
        return tr("The safe snapshot of %1 cannot be trusted; nothing was restored from it: %2")
            .arg(arg(e, 0), arg(e, 1));
    if (c == QLatin1String("integrity.restore_io"))
        return tr("%1 could not be restored: %2").arg(arg(e, 0), arg(e, 1));
    if (c == QLatin1String("integrity.snapshot_store"))
        return tr("The integrity snapshot store cannot be used: %1").arg(arg(e, 0));
    if (c == QLatin1String("integrity.cancelled"))
        return tr("Cancelled: %1").arg(e.message);
    if (c == QLatin1String("backup.no_set"))
        return tr("There is no backup set %1 in the configuration (backup.sets).").arg(arg(e, 0));
    if (c == QLatin1String("backup.bad_type"))
        return tr("%1 is not a backup type: choose full, incremental or differential.")
            .arg(arg(e, 0));
    if (c == QLatin1String("backup.bad_path"))
        return tr("A restore needs absolute paths: %1").arg(e.message);
    if (c == QLatin1String("backup.busy"))
        return tr("That operation is queued or running already; wait for it or cancel it (%1).")
            .arg(e.message);
    if (c == QLatin1String("backup.cancelled"))
        return tr("Cancelled by the operator.");
    if (c == QLatin1String("backup.no_operation"))
        return tr("That operation is not known (any more).");
    if (c == QLatin1String("backup.finished"))
        return tr("That operation has finished already: there is nothing to cancel.");
    if (c == QLatin1String("backup.no_snapshot"))
        return tr("No snapshot matches: %1").arg(e.message);
    if (c == QLatin1String("backup.wrong_key"))
        return tr("The passphrase or key file does not open the repository: %1").arg(e.message);
    if (c == QLatin1String("backup.password"))
        return tr("The repository's passphrase cannot be read: %1").arg(e.message);
    if (c == QLatin1String("backup.not_repository"))
        return tr("The configured repository is not a backup repository: %1").arg(e.message);
    if (c == QLatin1String("backup.locked"))
        return tr("The repository is locked by another process: %1").arg(e.message);
    if (c == QLatin1String("backup.tampered"))
        return tr("The repository was altered: %1. Run a full verify and restore from another "
                  "copy.")
            .arg(e.message);
    if (c == QLatin1String("backup.truncated"))
        return tr("A pack of the repository is truncated: %1").arg(e.message);
    if (c == QLatin1String("backup.missing"))
        return tr("The repository lacks data a snapshot needs: %1").arg(e.message);
    if (c == QLatin1String("backup.verify_problems"))
        return tr("The verify found problems in the repository: %1").arg(e.message);
    if (c == QLatin1String("backup.drill_mismatch"))
        return tr("The restore drill's copy differs from the snapshot: %1").arg(e.message);
    if (c == QLatin1String("backup.source"))
        return tr("A file of the set cannot be read: %1").arg(e.message);
    if (c == QLatin1String("backup.postgresql"))
        return tr("pg_dump or pg_restore failed; nothing of that database was stored or "
                  "changed: %1")
            .arg(e.message);
    if (c == QLatin1String("backup.restore_io"))
        return tr("The restore cannot write: %1").arg(e.message);
    if (c == QLatin1String("backup.catalogue"))
        return tr("The backup catalogue in the engine's database failed: %1").arg(e.message);
    if (c == QLatin1String("pipeline.unknown"))
        return tr("There is no pipeline called %1 (any more).").arg(arg(e, 0));
    if (c == QLatin1String("pipeline.unknown_param"))
        return tr("The pipeline %1 has no parameter %2; remove it or check its name.")
            .arg(arg(e, 0), arg(e, 1));
    if (c == QLatin1String("pipeline.unknown_run"))
        return tr("There is no run %1 (any more): retention may have deleted it.").arg(arg(e, 0));
    if (c == QLatin1String("pipeline.not_active"))
        return tr("Run %1 has finished already: there is nothing to cancel.").arg(arg(e, 0));
    if (c == QLatin1String("pipeline.not_dead_letter")) {
        RunState state = RunState::Queued;
        const QString now
            = parseRunState(arg(e, 1), &state) ? PipelineWording::runState(state) : arg(e, 1);
        return tr("Run %1 is not in the dead-letter queue (any more): it is %2.")
            .arg(arg(e, 0), now);
    }
    if (c == QLatin1String("pipeline.store"))
        return tr("The pipelines' job store failed: %1").arg(e.message);
    if (c == QLatin1String("pipeline.invalid"))
        return tr("A pipeline file has an error: %1").arg(e.message);
    if (c == QLatin1String("engine.data_dir_locked")) {
        const qint64 pid = e.args.value(1).toLongLong();
        if (pid <= 0)
            return tr("The data directory %1 is in use by another engine. Stop it, or start "
                      "with another --data-dir.")
                .arg(arg(e, 0));
        return tr("The data directory %1 is in use by the engine with process ID %2 (started "
                  "%3). Stop it, or start with another --data-dir.")
            .arg(arg(e, 0))
            .arg(pid)
            .arg(arg(e, 2));
    }
    if (c == QLatin1String("config.not_reloadable"))
        return tr("The engine runs on its embedded configuration, which has no file to read "
                  "again. Start it with --config FILE to reload.");
    // The loader's messages name the file, line and key, which read the same in every
    // language; the sentence around them is the console's.
    if (c.startsWith(QLatin1String("config.")))
        return tr("The configuration file has an error: %1").arg(e.message);
    return e.message;
}

} // namespace Shivx::Ui
