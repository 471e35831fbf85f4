#include "health/probemessages.h"

#include "core/timeutil.h"

namespace Shivx::ProbeMessages {

namespace {

QString latency(double ms)
{
    return QString::number(qRound64(ms)) + QLatin1String("ms");
}

QString withLine(QString text, const QString &line)
{
    return line.isEmpty() ? text : text + QLatin1String(": ") + line;
}

} // namespace

Message timedOut(qint64 timeoutMs)
{
    return makeMessage("probe.timed_out", { timeoutMs },
        QStringLiteral("timed out after %1").arg(TimeUtil::formatDurationMs(timeoutMs)));
}

Message connectionRefused()
{
    return makeMessage("probe.connection_refused", {}, QStringLiteral("connection refused"));
}

Message connectionTimedOut()
{
    return makeMessage("probe.connection_timed_out", {}, QStringLiteral("connection timed out"));
}

Message hostNotFound(const QString &host)
{
    return makeMessage(
        "probe.host_not_found", { host }, QStringLiteral("host not found: %1").arg(host));
}

Message networkUnreachable(const QString &detail)
{
    return makeMessage("probe.network_unreachable", { detail },
        QStringLiteral("network unreachable: %1").arg(detail));
}

Message cannotConnect(const QString &detail)
{
    return makeMessage(
        "probe.cannot_connect", { detail }, QStringLiteral("cannot connect: %1").arg(detail));
}

Message closedByPeer()
{
    return makeMessage(
        "probe.closed_by_peer", {}, QStringLiteral("connection closed by the remote host"));
}

Message incompleteResponse()
{
    return makeMessage("probe.incomplete_response", {},
        QStringLiteral("connection closed by the server before a complete response"));
}

Message tlsFailed(const QString &detail)
{
    return makeMessage(
        "probe.tls_failed", { detail }, QStringLiteral("TLS handshake failed: %1").arg(detail));
}

Message noHostPort()
{
    return makeMessage("probe.no_host_port", {}, QStringLiteral("no host and port to connect to"));
}

Message notHttpUrl(const QString &url)
{
    return makeMessage(
        "probe.not_http_url", { url }, QStringLiteral("not an http(s) URL: %1").arg(url));
}

Message cannotStartTransfer()
{
    return makeMessage(
        "probe.cannot_start_transfer", {}, QStringLiteral("cannot start an HTTP transfer"));
}

Message noHttpResponse()
{
    return makeMessage("probe.no_http_response", {}, QStringLiteral("no HTTP response"));
}

Message httpStatus(int status, int expected, const QString &redirectTo)
{
    QString text = QStringLiteral("HTTP %1 (expected %2)").arg(status).arg(expected);
    if (!redirectTo.isEmpty())
        text += QStringLiteral(", redirect to %1").arg(redirectTo);
    return makeMessage("probe.http_status", { status, expected, redirectTo }, text);
}

Message bodyMissing(const QString &needle, bool firstMiBOnly)
{
    QString text = QStringLiteral("body does not contain \"%1\"").arg(needle);
    if (firstMiBOnly)
        text += QStringLiteral(" in its first MiB");
    return makeMessage("probe.body_missing", { needle, firstMiBOnly }, text);
}

Message badExposition(const QString &detail)
{
    return makeMessage(
        "probe.bad_exposition", { detail }, QStringLiteral("bad exposition: %1").arg(detail));
}

Message scrapeTooLarge(qint64 maxBytes)
{
    const qint64 mib = maxBytes / (1024 * 1024);
    return makeMessage("probe.scrape_too_large", { mib },
        QStringLiteral("the scrape is larger than %1 MiB").arg(mib));
}

Message pidFileUnreadable(const QString &file, const QString &detail)
{
    return makeMessage("probe.pid_file_unreadable", { file, detail },
        QStringLiteral("cannot read pid file %1: %2").arg(file, detail));
}

Message pidFileWithoutPid(const QString &file)
{
    return makeMessage("probe.pid_file_without_pid", { file },
        QStringLiteral("pid file %1 does not contain a pid").arg(file));
}

Message pidNotRunning(qint64 pid, const QString &file)
{
    return makeMessage("probe.pid_not_running", { pid, file },
        QStringLiteral("pid %1 from %2 is not running").arg(pid).arg(file));
}

Message noProcessNamed(const QString &name)
{
    return makeMessage(
        "probe.no_process_named", { name }, QStringLiteral("no process named %1").arg(name));
}

Message noProcessSpec()
{
    return makeMessage("probe.no_process_spec", {},
        QStringLiteral("neither a pid file nor a process name is configured"));
}

Message noCommand()
{
    return makeMessage("probe.no_command", {}, QStringLiteral("no command configured"));
}

Message commandCannotStart(const QString &program, const QString &detail)
{
    return makeMessage("probe.command_cannot_start", { program, detail },
        QStringLiteral("cannot start %1: %2").arg(program, detail));
}

Message commandKilled(int signal, const QString &stderrLine)
{
    return makeMessage("probe.command_killed", { signal, stderrLine },
        withLine(QStringLiteral("killed by signal %1").arg(signal), stderrLine));
}

Message commandExited(int code, const QString &stderrLine)
{
    return makeMessage("probe.command_exited", { code, stderrLine },
        withLine(QStringLiteral("exited with code %1").arg(code), stderrLine));
}

Message probeFailed()
{
    return makeMessage("target.probe_failed", {}, QStringLiteral("probe failed"));
}

Message probeSucceeded(double latencyMs)
{
    return makeMessage("target.probe_succeeded", { latencyMs },
        QStringLiteral("probe succeeded in %1").arg(latency(latencyMs)));
}

Message slow(double latencyMs, qint64 thresholdMs)
{
    return makeMessage("target.slow", { latencyMs, thresholdMs },
        QStringLiteral("slow: %1 (threshold %2)")
            .arg(latency(latencyMs), TimeUtil::formatDurationMs(thresholdMs)));
}

Message flapping(int changes, qint64 windowMs)
{
    return makeMessage("target.flapping", { changes, windowMs },
        QStringLiteral("flapping: %1 state changes in %2")
            .arg(changes)
            .arg(TimeUtil::formatDurationMs(windowMs)));
}

Message failureOf(const Message &error, int failure, int threshold)
{
    return makeMessage("target.failure_of", { QVariant::fromValue(error), failure, threshold },
        QStringLiteral("%1 (failure %2 of %3)").arg(error.text).arg(failure).arg(threshold));
}

Message consecutiveFailures(const Message &error, int failures)
{
    return makeMessage("target.consecutive_failures", { QVariant::fromValue(error), failures },
        QStringLiteral("%1 (%2 consecutive failures)").arg(error.text).arg(failures));
}

Message circuitOpen(const Message &lastError)
{
    if (lastError.isEmpty())
        return makeMessage("target.circuit_open", {}, QStringLiteral("circuit open"));
    return makeMessage("target.circuit_open", { QVariant::fromValue(lastError) },
        lastError.text + QLatin1String("; circuit open"));
}

Message startupGrace()
{
    return makeMessage(
        "target.startup_grace", {}, QStringLiteral("process started; startup grace"));
}

Message restartCommandGrace()
{
    return makeMessage(
        "target.restart_command_grace", {}, QStringLiteral("restart command ran; startup grace"));
}

Message crashLoopPaused()
{
    return makeMessage(
        "target.crash_loop_paused", {}, QStringLiteral("crash loop: restarts paused"));
}

} // namespace Shivx::ProbeMessages
