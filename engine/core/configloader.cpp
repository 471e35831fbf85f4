#include "api/hostcheck.h"
#include "core/config.h"
#include "core/configreader.h"
#include "core/timeutil.h"
#include "recovery/recoveryconfig.h"
#include "recovery/superviseconfig.h"

#include <QFile>
#include <QHostAddress>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

#include <cmath>
#include <functional>

// The engine is a static library: referencing its resource initializer is what makes the
// linker keep the embedded default configuration in every executable.
static void initEngineResources()
{
    Q_INIT_RESOURCE(engine);
}

namespace Shivx {

using Reader = Internal::ConfigReader;

bool ConfigLoader::isValidListenAddress(const QString &listen)
{
    const int colon = listen.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return false;
    bool ok = false;
    const uint port = listen.mid(colon + 1).toUInt(&ok);
    QString host = listen.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    return ok && port <= 65535
        && (host == QLatin1String("localhost") || !QHostAddress(host).isNull());
}

namespace {

void readTarget(Reader &r, const YAML::Node &n, const QString &path, TargetSpec *t)
{
    static const QSet<QString> keys = { QStringLiteral("name"), QStringLiteral("type"),
        QStringLiteral("interval"), QStringLiteral("timeout"), QStringLiteral("weight"),
        QStringLiteral("critical"), QStringLiteral("slow_threshold"),
        QStringLiteral("failure_threshold"), QStringLiteral("url"), QStringLiteral("expect_status"),
        QStringLiteral("body_contains"), QStringLiteral("tls_verify"), QStringLiteral("host"),
        QStringLiteral("port"), QStringLiteral("pid_file"), QStringLiteral("process_name"),
        QStringLiteral("command"), QStringLiteral("args"), QStringLiteral("breaker"),
        QStringLiteral("retry") };
    static const QSet<QString> allKeys = [] {
        QSet<QString> all = keys;
        for (const QString &k : Internal::recoveryTargetKeys())
            all.insert(k);
        return all;
    }();
    if (!r.checkKeys(n, path, allKeys))
        return;

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
    else if (!r.failed()) {
        r.fail(n["type"].IsDefined() ? n["type"] : n, path + QStringLiteral(".type"),
            QStringLiteral("\"%1\" is not a target type (http, tcp, process, command)").arg(type));
        return;
    }

    r.duration(n, path, "interval", &t->intervalMs, 100);
    r.duration(n, path, "timeout", &t->timeoutMs, 10);
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
               proc = t->kind == TargetKind::Process, cmd = t->kind == TargetKind::Command;
    requireOnly("url", http);
    for (const char *k : { "expect_status", "body_contains", "tls_verify" })
        if (!http && n[k].IsDefined())
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

    if (http) {
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
        int status = t->expectStatus;
        r.integer(n, path, "expect_status", &status, 100, 599);
        t->expectStatus = status;
        r.string(n, path, "body_contains", &t->bodyContains);
        r.boolean(n, path, "tls_verify", &t->tlsVerify);
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
    if (!r.failed() && t->timeoutMs > t->intervalMs)
        r.fail(n["timeout"], path + QStringLiteral(".timeout"),
            QStringLiteral("must not exceed the interval (%1)")
                .arg(TimeUtil::formatDurationMs(t->intervalMs)));
}

} // namespace

QString ConfigLoader::defaultResourcePath()
{
    return QStringLiteral(":/shivx/default-config.yaml");
}

Result<Config> ConfigLoader::parse(const QByteArray &yaml, const QString &sourceName)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return makeError("config.syntax",
            QStringLiteral("%1:%2: %3")
                .arg(sourceName)
                .arg(e.mark.line + 1)
                .arg(QString::fromStdString(e.msg)));
    }

    Config c;
    c.sourceFile = sourceName;
    c.sourceBytes = yaml;
    Reader r(sourceName);

    try {
        if (root.IsNull())
            return c; // an empty file means all defaults
        if (!r.checkKeys(root, QString(),
                { QStringLiteral("engine"), QStringLiteral("sampler"), QStringLiteral("history"),
                    QStringLiteral("score"), QStringLiteral("targets"), QStringLiteral("audit"),
                    QStringLiteral("recovery"), QStringLiteral("degradation"),
                    QStringLiteral("features") }))
            return *r.error;

        if (const YAML::Node e = root["engine"]; e.IsDefined() && !e.IsNull()) {
            if (r.checkKeys(e, QStringLiteral("engine"),
                    { QStringLiteral("data_dir"), QStringLiteral("listen"), QStringLiteral("api"),
                        QStringLiteral("allowed_hosts") })) {
                r.string(e, QStringLiteral("engine"), "data_dir", &c.dataDir);
                r.string(e, QStringLiteral("engine"), "listen", &c.listen);
                r.boolean(e, QStringLiteral("engine"), "api", &c.apiEnabled);
                r.stringList(e, QStringLiteral("engine"), "allowed_hosts", &c.allowedHosts);
                for (const QString &name : std::as_const(c.allowedHosts))
                    if (!r.failed() && !HostCheck::isDnsName(name))
                        r.fail(e["allowed_hosts"], QStringLiteral("engine.allowed_hosts"),
                            QStringLiteral("\"%1\" is not a DNS name (no port, no address: "
                                           "IP addresses are always allowed)")
                                .arg(name));
                if (!r.failed() && !ConfigLoader::isValidListenAddress(c.listen))
                    r.fail(e["listen"], QStringLiteral("engine.listen"),
                        QStringLiteral("\"%1\" is not HOST:PORT").arg(c.listen));
            }
        }
        if (const YAML::Node s = root["sampler"]; !r.failed() && s.IsDefined() && !s.IsNull()) {
            if (r.checkKeys(s, QStringLiteral("sampler"),
                    { QStringLiteral("interval"), QStringLiteral("ignore_fs_types"),
                        QStringLiteral("watchdog_stall") })) {
                r.duration(s, QStringLiteral("sampler"), "interval", &c.sampleIntervalMs, 100);
                r.stringList(s, QStringLiteral("sampler"), "ignore_fs_types", &c.ignoreFsTypes);
                r.duration(
                    s, QStringLiteral("sampler"), "watchdog_stall", &c.watchdogStallMs, 1000);
            }
        }
        if (const YAML::Node h = root["history"]; !r.failed() && h.IsDefined() && !h.IsNull()) {
            if (r.checkKeys(h, QStringLiteral("history"), { QStringLiteral("retention") })) {
                const YAML::Node ret = h["retention"];
                if (ret.IsDefined() && !ret.IsNull()
                    && r.checkKeys(ret, QStringLiteral("history.retention"),
                        { QStringLiteral("raw"), QStringLiteral("minute"),
                            QStringLiteral("hour") })) {
                    r.duration(ret, QStringLiteral("history.retention"), "raw", &c.retention.rawMs,
                        60'000);
                    r.duration(ret, QStringLiteral("history.retention"), "minute",
                        &c.retention.minuteMs, 3'600'000);
                    r.duration(ret, QStringLiteral("history.retention"), "hour",
                        &c.retention.hourMs, 86'400'000);
                }
            }
        }
        if (const YAML::Node s = root["score"]; !r.failed() && s.IsDefined() && !s.IsNull()) {
            const QString p = QStringLiteral("score");
            if (r.checkKeys(s, p,
                    { QStringLiteral("cpu_warn_percent"), QStringLiteral("cpu_max_penalty"),
                        QStringLiteral("memory_warn_percent"), QStringLiteral("memory_max_penalty"),
                        QStringLiteral("disk_warn_percent"), QStringLiteral("disk_max_penalty"),
                        QStringLiteral("targets_max_penalty"), QStringLiteral("watchdog_penalty"),
                        QStringLiteral("critical_down_cap") })) {
                r.number(s, p, "cpu_warn_percent", &c.score.cpuWarnPercent, 0, 99);
                r.number(s, p, "cpu_max_penalty", &c.score.cpuMaxPenalty, 0, 100);
                r.number(s, p, "memory_warn_percent", &c.score.memoryWarnPercent, 0, 99);
                r.number(s, p, "memory_max_penalty", &c.score.memoryMaxPenalty, 0, 100);
                r.number(s, p, "disk_warn_percent", &c.score.diskWarnPercent, 0, 99);
                r.number(s, p, "disk_max_penalty", &c.score.diskMaxPenalty, 0, 100);
                r.number(s, p, "targets_max_penalty", &c.score.targetsMaxPenalty, 0, 100);
                r.number(s, p, "watchdog_penalty", &c.score.watchdogPenalty, 0, 100);
                r.number(s, p, "critical_down_cap", &c.score.criticalDownCap, 0, 100);
            }
        }
        if (const YAML::Node rc = root["recovery"]; !r.failed() && rc.IsDefined() && !rc.IsNull())
            RecoveryConfig::readSection(r, rc, &c.recovery);
        if (const YAML::Node ts = root["targets"]; !r.failed() && ts.IsDefined() && !ts.IsNull()) {
            if (!ts.IsSequence()) {
                r.fail(ts, QStringLiteral("targets"), QStringLiteral("expected a list of targets"));
            } else {
                QSet<QString> names;
                for (std::size_t i = 0; i < ts.size() && !r.failed(); ++i) {
                    const QString path = QStringLiteral("targets[%1]").arg(i);
                    TargetSpec t;
                    readTarget(r, ts[i], path, &t);
                    if (!r.failed())
                        RecoveryConfig::readTarget(r, ts[i], path, c.recovery, &t);
                    if (r.failed())
                        break;
                    if (names.contains(t.name)) {
                        r.fail(ts[i]["name"], path + QStringLiteral(".name"),
                            QStringLiteral("duplicate target name \"%1\"").arg(t.name));
                        break;
                    }
                    names.insert(t.name);
                    c.targets.append(t);
                    RecoverySpec recovery;
                    if (Internal::readRecoverySpec(r, ts[i], path, t.name, &recovery))
                        c.supervised.append(recovery);
                }
            }
        }
        if (!r.failed())
            Internal::readAuditConfig(r, root["audit"], &c.audit);
        if (!r.failed())
            Internal::readDegradationConfig(
                r, root["degradation"], root["features"], &c.degradation);
    } catch (const YAML::Exception &e) {
        return makeError("config.invalid",
            QStringLiteral("%1:%2: %3")
                .arg(sourceName)
                .arg(e.mark.line + 1)
                .arg(QString::fromStdString(e.msg)));
    }
    if (r.error)
        return *r.error;
    return c;
}

Result<Config> ConfigLoader::loadFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "config.io", QStringLiteral("%1: cannot read: %2").arg(path, f.errorString()));
    return parse(f.readAll(), path);
}

Result<Config> ConfigLoader::loadDefault()
{
    initEngineResources();
    return loadFile(defaultResourcePath());
}

} // namespace Shivx
