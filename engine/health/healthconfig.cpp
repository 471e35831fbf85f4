#include "health/healthconfig.h"

#include "core/configreader.h"
#include "health/target.h"

#include <QRegularExpression>
#include <QUrl>

namespace Shivx::Internal {

QStringList healthTargetKeys()
{
    return { QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("interval"),
        QStringLiteral("timeout"), QStringLiteral("weight"), QStringLiteral("critical"),
        QStringLiteral("slow_threshold"), QStringLiteral("failure_threshold"),
        QStringLiteral("url"), QStringLiteral("expect_status"), QStringLiteral("body_contains"),
        QStringLiteral("tls_verify"), QStringLiteral("host"), QStringLiteral("port"),
        QStringLiteral("pid_file"), QStringLiteral("process_name"), QStringLiteral("command"),
        QStringLiteral("args"), QStringLiteral("max_series"), QStringLiteral("metrics") };
}

void readHealthConfig(
    ConfigReader &r, const YAML::Node &sampler, const YAML::Node &score, HealthConfig *c)
{
    if (sampler.IsDefined() && !sampler.IsNull()) {
        const QString p = QStringLiteral("sampler");
        if (r.checkKeys(sampler, p,
                { QStringLiteral("interval"), QStringLiteral("ignore_fs_types"),
                    QStringLiteral("watchdog_stall") })) {
            r.timerDuration(sampler, p, "interval", &c->sampleIntervalMs, 100);
            r.stringList(sampler, p, "ignore_fs_types", &c->ignoreFsTypes);
            r.timerDuration(sampler, p, "watchdog_stall", &c->watchdogStallMs, 1000);
        }
    }
    if (!r.failed() && score.IsDefined() && !score.IsNull()) {
        const QString p = QStringLiteral("score");
        ScoreConfig &s = c->score;
        if (r.checkKeys(score, p,
                { QStringLiteral("cpu_warn_percent"), QStringLiteral("cpu_max_penalty"),
                    QStringLiteral("memory_warn_percent"), QStringLiteral("memory_max_penalty"),
                    QStringLiteral("disk_warn_percent"), QStringLiteral("disk_max_penalty"),
                    QStringLiteral("targets_max_penalty"), QStringLiteral("watchdog_penalty"),
                    QStringLiteral("critical_down_cap") })) {
            r.number(score, p, "cpu_warn_percent", &s.cpuWarnPercent, 0, 99);
            r.number(score, p, "cpu_max_penalty", &s.cpuMaxPenalty, 0, 100);
            r.number(score, p, "memory_warn_percent", &s.memoryWarnPercent, 0, 99);
            r.number(score, p, "memory_max_penalty", &s.memoryMaxPenalty, 0, 100);
            r.number(score, p, "disk_warn_percent", &s.diskWarnPercent, 0, 99);
            r.number(score, p, "disk_max_penalty", &s.diskMaxPenalty, 0, 100);
            r.number(score, p, "targets_max_penalty", &s.targetsMaxPenalty, 0, 100);
            r.number(score, p, "watchdog_penalty", &s.watchdogPenalty, 0, 100);
            r.number(score, p, "critical_down_cap", &s.criticalDownCap, 0, 100);
        }
    }
}

void validateHealthConfig(ConfigReader &r, const YAML::Node &sampler, const HealthConfig &c)
{
    if (c.sampleIntervalMs < c.watchdogStallMs)
        return;
    // Between two samples the watchdog would already call the sampler stalled, so readiness
    // would fail and recover with every sample.
    const YAML::Node at
        = sampler.IsDefined() && sampler["interval"].IsDefined() ? sampler["interval"] : sampler;
    r.fail(at, QStringLiteral("sampler.interval"),
        QStringLiteral("%1 must be shorter than sampler.watchdog_stall (%2), or readiness "
                       "fails between two samples")
            .arg(TimeUtil::formatDurationMs(c.sampleIntervalMs),
                TimeUtil::formatDurationMs(c.watchdogStallMs)));
}

void readTargetProbe(ConfigReader &r, const YAML::Node &n, const QString &path, TargetSpec *t)
{
    r.string(n, path, "name", &t->name);
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!r.failed() && !namePattern.match(t->name).hasMatch()) {
        r.fail(n["name"].IsDefined() ? n["name"] : n, path + QStringLiteral(".name"),
            QStringLiteral("required; 1-64 letters, digits, '_', '.' or '-'"));
        return;
    }

    QString type;
    r.string(n, path, "type", &type);
    if (type == QLatin1String("http"))
        t->kind = TargetKind::Http;
    else if (type == QLatin1String("tcp"))
        t->kind = TargetKind::Tcp;
    else if (type == QLatin1String("process"))
        t->kind = TargetKind::Process;
    else if (type == QLatin1String("command"))
        t->kind = TargetKind::Command;
    else if (type == QLatin1String("prometheus"))
        t->kind = TargetKind::Prometheus;
    else if (!r.failed()) {
        r.fail(n["type"].IsDefined() ? n["type"] : n, path + QStringLiteral(".type"),
            QStringLiteral("\"%1\" is not a target type (http, tcp, process, command, prometheus)")
                .arg(type));
        return;
    }

    r.timerDuration(n, path, "interval", &t->intervalMs, 100);
    r.timerDuration(n, path, "timeout", &t->timeoutMs, 10);
    r.number(n, path, "weight", &t->weight, 0, 1000);
    r.boolean(n, path, "critical", &t->critical);
    r.duration(n, path, "slow_threshold", &t->slowThresholdMs, 0);
    r.integer(n, path, "failure_threshold", &t->failureThreshold, 1, 1000);
    if (r.failed())
        return;

    auto requireOnly = [&](const char *key, bool required) {
        const bool present = n[key].IsDefined();
        if (required && !present)
            r.fail(n, path + QLatin1Char('.') + QLatin1String(key),
                QStringLiteral("required for type %1").arg(type));
        else if (!required && present)
            r.fail(n[key], path + QLatin1Char('.') + QLatin1String(key),
                QStringLiteral("does not apply to type %1").arg(type));
    };
    const bool http = t->kind == TargetKind::Http, tcp = t->kind == TargetKind::Tcp,
               proc = t->kind == TargetKind::Process, cmd = t->kind == TargetKind::Command,
               scrape = t->kind == TargetKind::Prometheus;
    requireOnly("url", http || scrape);
    for (const char *k : { "expect_status", "body_contains" })
        if (!http && n[k].IsDefined())
            requireOnly(k, false);
    if (!http && !scrape && n["tls_verify"].IsDefined())
        requireOnly("tls_verify", false);
    for (const char *k : { "max_series", "metrics" })
        if (!scrape && n[k].IsDefined())
            requireOnly(k, false);
    requireOnly("host", tcp);
    requireOnly("port", tcp);
    if (!proc && (n["pid_file"].IsDefined() || n["process_name"].IsDefined()))
        requireOnly(n["pid_file"].IsDefined() ? "pid_file" : "process_name", false);
    requireOnly("command", cmd);
    if (!cmd && n["args"].IsDefined())
        requireOnly("args", false);
    if (r.failed())
        return;

    if (http || scrape) {
        QString url;
        r.string(n, path, "url", &url);
        // ${api} stands for the engine's own listen address, known only once it is bound.
        QString checkable = url;
        checkable.replace(QLatin1String("${api}"), QLatin1String("127.0.0.1:1"));
        const QUrl parsed(checkable, QUrl::StrictMode);
        if (!parsed.isValid()
            || (parsed.scheme() != QLatin1String("http")
                && parsed.scheme() != QLatin1String("https"))
            || parsed.host().isEmpty()) {
            r.fail(n["url"], path + QStringLiteral(".url"),
                QStringLiteral("\"%1\" is not an http(s) URL").arg(url));
            return;
        }
        t->urlTemplate = url;
        t->url = url.contains(QLatin1String("${api}")) ? QUrl() : QUrl(url);
        r.boolean(n, path, "tls_verify", &t->tlsVerify);
        if (scrape) {
            r.integer(n, path, "max_series", &t->maxSeries, 1, 100'000);
            r.stringList(n, path, "metrics", &t->metricPatterns);
            for (const QString &pattern : std::as_const(t->metricPatterns)) {
                const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
                if (!r.failed() && !re.isValid())
                    r.fail(n["metrics"], path + QStringLiteral(".metrics"),
                        QStringLiteral("\"%1\" is not a regular expression: %2")
                            .arg(pattern, re.errorString()));
            }
        } else {
            int status = t->expectStatus;
            r.integer(n, path, "expect_status", &status, 100, 599);
            t->expectStatus = status;
            r.string(n, path, "body_contains", &t->bodyContains);
        }
    } else if (tcp) {
        r.string(n, path, "host", &t->host);
        int port = 0;
        r.integer(n, path, "port", &port, 1, 65535);
        t->port = static_cast<quint16>(port);
    } else if (proc) {
        r.string(n, path, "pid_file", &t->pidFile);
        r.string(n, path, "process_name", &t->processName);
        if (!r.failed() && t->pidFile.isEmpty() == t->processName.isEmpty())
            r.fail(n, path,
                QStringLiteral("a process target needs exactly one of pid_file or process_name"));
    } else if (cmd) {
        r.string(n, path, "command", &t->command);
        r.stringList(n, path, "args", &t->args);
        if (!r.failed() && t->command.isEmpty())
            r.fail(n["command"], path + QStringLiteral(".command"),
                QStringLiteral("must not be empty"));
    }
    if (!r.failed() && n["timeout"].IsDefined() && t->timeoutMs > t->intervalMs)
        r.fail(n["timeout"], path + QStringLiteral(".timeout"),
            QStringLiteral("must not exceed the interval (%1)")
                .arg(TimeUtil::formatDurationMs(t->intervalMs)));
}

} // namespace Shivx::Internal
