#include "recovery/superviseconfig.h"

#include "core/configreader.h"

#include <limits>

namespace Shivx {

QString toString(RestartPolicy policy)
{
    switch (policy) {
    case RestartPolicy::Always:
        return QStringLiteral("always");
    case RestartPolicy::OnFailure:
        return QStringLiteral("on-failure");
    case RestartPolicy::Never:
        return QStringLiteral("never");
    }
    return {};
}

namespace Internal {

QStringList recoveryTargetKeys()
{
    return { QStringLiteral("supervise"), QStringLiteral("restart_command"),
        QStringLiteral("restart_after_failures"), QStringLiteral("startup_grace"),
        QStringLiteral("crash_loop") };
}

namespace {

void readSupervise(ConfigReader &r, const YAML::Node &n, const QString &path, RecoverySpec *s)
{
    if (!r.checkKeys(n, path,
            { QStringLiteral("command"), QStringLiteral("args"), QStringLiteral("env"),
                QStringLiteral("cwd"), QStringLiteral("restart"), QStringLiteral("backoff"),
                QStringLiteral("stop_timeout"), QStringLiteral("log") }))
        return;
    r.string(n, path, "command", &s->command);
    if (!r.failed() && s->command.isEmpty()) {
        r.fail(n["command"].IsDefined() ? n["command"] : n, path + QStringLiteral(".command"),
            QStringLiteral("required: the program to run"));
        return;
    }
    r.stringList(n, path, "args", &s->args);
    r.string(n, path, "cwd", &s->cwd);
    if (const YAML::Node env = n["env"]; !r.failed() && env.IsDefined() && !env.IsNull()) {
        const QString envPath = path + QStringLiteral(".env");
        if (!env.IsMap()) {
            r.fail(env, envPath, QStringLiteral("expected a mapping of NAME: value"));
            return;
        }
        for (auto it = env.begin(); it != env.end() && !r.failed(); ++it) {
            const QString key = QString::fromStdString(it->first.Scalar());
            QString value;
            if (key.isEmpty() || key.contains(QLatin1Char('='))) {
                r.fail(
                    it->first, envPath, QStringLiteral("\"%1\" is not a variable name").arg(key));
                return;
            }
            if (r.scalar(it->second, ConfigReader::join(envPath, key), &value))
                s->env.append({ key, value });
        }
    }
    QString restart = toString(s->restart);
    r.string(n, path, "restart", &restart);
    if (restart == QLatin1String("always"))
        s->restart = RestartPolicy::Always;
    else if (restart == QLatin1String("on-failure"))
        s->restart = RestartPolicy::OnFailure;
    else if (restart == QLatin1String("never"))
        s->restart = RestartPolicy::Never;
    else if (!r.failed())
        r.fail(n["restart"], path + QStringLiteral(".restart"),
            QStringLiteral("\"%1\" is not a restart policy (always, on-failure, never)")
                .arg(restart));
    if (const YAML::Node b = n["backoff"]; !r.failed() && b.IsDefined() && !b.IsNull()) {
        const QString bp = path + QStringLiteral(".backoff");
        if (r.checkKeys(b, bp, { QStringLiteral("initial"), QStringLiteral("max") })) {
            // 0s is allowed: restart at once, leaving the crash-loop limit as the only brake.
            r.timerDuration(b, bp, "initial", &s->backoffInitialMs, 0);
            r.timerDuration(b, bp, "max", &s->backoffMaxMs, 0);
            if (!r.failed() && s->backoffMaxMs < s->backoffInitialMs)
                r.fail(b["max"].IsDefined() ? b["max"] : b, bp + QStringLiteral(".max"),
                    QStringLiteral("must not be below initial (%1)")
                        .arg(TimeUtil::formatDurationMs(s->backoffInitialMs)));
        }
    }
    r.timerDuration(n, path, "stop_timeout", &s->stopTimeoutMs, 10);
    if (const YAML::Node l = n["log"]; !r.failed() && l.IsDefined() && !l.IsNull()) {
        const QString lp = path + QStringLiteral(".log");
        if (r.checkKeys(l, lp, { QStringLiteral("max_size"), QStringLiteral("files") })) {
            int maxSize = int(s->logMaxBytes);
            r.integer(l, lp, "max_size", &maxSize, 1024, std::numeric_limits<int>::max());
            s->logMaxBytes = maxSize;
            r.integer(l, lp, "files", &s->logFiles, 1, 100);
        }
    }
}

void readRestartCommand(ConfigReader &r, const YAML::Node &n, const QString &path, RecoverySpec *s)
{
    if (n.IsScalar()) {
        r.scalar(n, path, &s->restartCommand);
    } else if (r.checkKeys(n, path,
                   { QStringLiteral("command"), QStringLiteral("args"),
                       QStringLiteral("timeout") })) {
        r.string(n, path, "command", &s->restartCommand);
        r.stringList(n, path, "args", &s->restartArgs);
        r.timerDuration(n, path, "timeout", &s->restartTimeoutMs, 10);
    }
    if (!r.failed() && s->restartCommand.isEmpty())
        r.fail(n, path, QStringLiteral("needs a command to run"));
}

} // namespace

bool readRecoverySpec(
    ConfigReader &r, const YAML::Node &t, const QString &path, const QString &name, RecoverySpec *s)
{
    auto present = [&t](const char *key) { return t[key].IsDefined() && !t[key].IsNull(); };
    const bool supervise = present("supervise");
    const bool command = present("restart_command");
    if (!supervise && !command) {
        for (const char *key : { "restart_after_failures", "startup_grace", "crash_loop" }) {
            if (present(key)) {
                r.fail(t[key], ConfigReader::join(path, QLatin1String(key)),
                    QStringLiteral("applies only with supervise or restart_command"));
                return false;
            }
        }
        return false;
    }
    s->name = name;
    if (supervise && command) {
        r.fail(t["restart_command"], path + QStringLiteral(".restart_command"),
            QStringLiteral("a supervised target is restarted by its supervisor; use one of "
                           "supervise or restart_command"));
        return false;
    }
    if (supervise) {
        s->supervised = true;
        readSupervise(r, t["supervise"], path + QStringLiteral(".supervise"), s);
    } else {
        readRestartCommand(r, t["restart_command"], path + QStringLiteral(".restart_command"), s);
    }
    r.integer(t, path, "restart_after_failures", &s->restartAfterFailures, 0, 1000);
    r.timerDuration(t, path, "startup_grace", &s->startupGraceMs, 0);
    if (const YAML::Node c = t["crash_loop"]; !r.failed() && c.IsDefined() && !c.IsNull()) {
        const QString cp = path + QStringLiteral(".crash_loop");
        if (!supervise) {
            r.fail(c, cp, QStringLiteral("applies only with supervise"));
            return false;
        }
        if (r.checkKeys(c, cp,
                { QStringLiteral("restarts"), QStringLiteral("window"),
                    QStringLiteral("cooldown") })) {
            r.integer(c, cp, "restarts", &s->crashLoopRestarts, 1, 1'000'000);
            r.duration(c, cp, "window", &s->crashLoopWindowMs, 1000);
            r.timerDuration(c, cp, "cooldown", &s->crashLoopCooldownMs, 1000);
        }
    }
    return !r.failed();
}

} // namespace Internal
} // namespace Shivx
