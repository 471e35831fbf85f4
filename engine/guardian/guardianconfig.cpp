#include "guardian/guardianconfig.h"

#include "core/configreader.h"
#include "guardian/sourcematcher.h"

#include <QSet>

#include <yaml-cpp/yaml.h>

namespace Shivx::Internal {

namespace {

constexpr int MaxCount = 1'000'000;

void readModeRules(ConfigReader &r, const YAML::Node &n, DefenseModeRules *m)
{
    const QString p = QStringLiteral("guardian.mode");
    if (!r.checkKeys(n, p,
            { QStringLiteral("elevate_warnings"), QStringLiteral("elevate_window"),
                QStringLiteral("lockdown_on_critical"), QStringLiteral("elevate_score"),
                QStringLiteral("lockdown_score"), QStringLiteral("quiet") }))
        return;
    r.integer(n, p, "elevate_warnings", &m->elevateWarnings, 0, MaxCount);
    r.duration(n, p, "elevate_window", &m->elevateWindowMs, 1000);
    r.boolean(n, p, "lockdown_on_critical", &m->lockdownOnCritical);
    r.integer(n, p, "elevate_score", &m->elevateScore, 0, 100);
    r.integer(n, p, "lockdown_score", &m->lockdownScore, 0, 100);
    r.timerDuration(n, p, "quiet", &m->quietMs, 1000);
    if (!r.failed() && m->elevateScore > 0 && m->lockdownScore > 0
        && m->lockdownScore < m->elevateScore)
        r.fail(n["lockdown_score"].IsDefined() ? n["lockdown_score"] : n, p + ".lockdown_score",
            QStringLiteral("%1 must not be below elevate_score (%2)")
                .arg(m->lockdownScore)
                .arg(m->elevateScore));
}

void readApiRules(ConfigReader &r, const YAML::Node &n, ApiGuardRules *a)
{
    const QString p = QStringLiteral("guardian.api");
    if (!r.checkKeys(n, p,
            { QStringLiteral("window"), QStringLiteral("warn_requests"),
                QStringLiteral("limit_requests"), QStringLiteral("token_window"),
                QStringLiteral("token_warn"), QStringLiteral("token_critical"),
                QStringLiteral("ignore") }))
        return;
    r.duration(n, p, "window", &a->windowMs, 1000);
    r.integer(n, p, "warn_requests", &a->warnRequests, 1, MaxCount);
    r.integer(n, p, "limit_requests", &a->limitRequests, 1, MaxCount);
    r.duration(n, p, "token_window", &a->tokenWindowMs, 1000);
    r.integer(n, p, "token_warn", &a->tokenWarn, 1, MaxCount);
    r.integer(n, p, "token_critical", &a->tokenCritical, 1, MaxCount);
    r.stringList(n, p, "ignore", &a->ignore);
    if (r.failed())
        return;
    for (int i = 0; i < a->ignore.size(); ++i) {
        if (!SourceMatcher::parseEntry(a->ignore.at(i))) {
            r.fail(n["ignore"][std::size_t(i)], QStringLiteral("%1.ignore[%2]").arg(p).arg(i),
                QStringLiteral("\"%1\" is not an address or CIDR range (203.0.113.0/24, ::1)")
                    .arg(a->ignore.at(i)));
            return;
        }
    }
    if (a->warnRequests > a->limitRequests)
        r.fail(n["warn_requests"].IsDefined() ? n["warn_requests"] : n, p + ".warn_requests",
            QStringLiteral("%1 must not be above limit_requests (%2)")
                .arg(a->warnRequests)
                .arg(a->limitRequests));
    else if (a->tokenWarn > a->tokenCritical)
        r.fail(n["token_warn"].IsDefined() ? n["token_warn"] : n, p + ".token_warn",
            QStringLiteral("%1 must not be above token_critical (%2)")
                .arg(a->tokenWarn)
                .arg(a->tokenCritical));
}

void readPolicy(ConfigReader &r, const YAML::Node &n, const QString &p, GuardianPolicy *pol)
{
    if (!r.checkKeys(n, p,
            { QStringLiteral("type"), QStringLiteral("severity"), QStringLiteral("isolate"),
                QStringLiteral("raise_mode"), QStringLiteral("command"),
                QStringLiteral("command_timeout"), QStringLiteral("notify") }))
        return;
    if (!n["type"].IsDefined()) {
        r.fail(n, p + QStringLiteral(".type"), QStringLiteral("is required (an event type or *)"));
        return;
    }
    r.string(n, p, "type", &pol->type);
    QString severity;
    r.string(n, p, "severity", &severity);
    if (r.failed())
        return;
    if (!severity.isEmpty()) {
        const auto s = parseThreatSeverity(severity);
        if (!s) {
            r.fail(n["severity"], p + QStringLiteral(".severity"),
                QStringLiteral("\"%1\" is not info, warning or critical").arg(severity));
            return;
        }
        pol->minSeverity = *s;
    }
    r.duration(n, p, "isolate", &pol->isolateMs, 1000);
    QString mode;
    r.string(n, p, "raise_mode", &mode);
    if (r.failed())
        return;
    if (!mode.isEmpty()) {
        const auto m = parseDefenseMode(mode);
        if (!m) {
            r.fail(n["raise_mode"], p + QStringLiteral(".raise_mode"),
                QStringLiteral("\"%1\" is not NORMAL, ELEVATED or LOCKDOWN").arg(mode));
            return;
        }
        pol->raiseMode = *m;
    }
    r.stringList(n, p, "command", &pol->command);
    r.timerDuration(n, p, "command_timeout", &pol->commandTimeoutMs, 100);
    r.boolean(n, p, "notify", &pol->notify);
    if (r.failed())
        return;
    if (n["command"].IsDefined() && pol->command.isEmpty())
        r.fail(n["command"], p + QStringLiteral(".command"),
            QStringLiteral("needs the program to run ([/usr/local/sbin/shivx-ban])"));
    else if (!pol->command.isEmpty() && !pol->command.first().startsWith(QLatin1Char('/')))
        r.fail(n["command"], p + QStringLiteral(".command"),
            QStringLiteral("\"%1\" must be an absolute path: no shell looks it up")
                .arg(pol->command.first()));
    else if (pol->isolateMs == 0 && !pol->raiseMode && pol->command.isEmpty() && !pol->notify)
        r.fail(n, p, QStringLiteral("does nothing: give isolate, raise_mode, command or notify"));
}

} // namespace

void readGuardianConfig(ConfigReader &r, const YAML::Node &n, GuardianConfig *c)
{
    if (!n.IsDefined() || n.IsNull())
        return;
    const QString p = QStringLiteral("guardian");
    if (!r.checkKeys(n, p,
            { QStringLiteral("enabled"), QStringLiteral("aggregate_window"),
                QStringLiteral("retention"), QStringLiteral("mode"), QStringLiteral("api"),
                QStringLiteral("policies"), QStringLiteral("watchers"),
                QStringLiteral("resource_abuse") }))
        return;
    r.boolean(n, p, "enabled", &c->enabled);
    r.duration(n, p, "aggregate_window", &c->aggregateWindowMs, 1000);
    r.duration(n, p, "retention", &c->retentionMs, 60'000);
    if (n["mode"].IsDefined() && !n["mode"].IsNull())
        readModeRules(r, n["mode"], &c->mode);
    if (!r.failed() && n["api"].IsDefined() && !n["api"].IsNull())
        readApiRules(r, n["api"], &c->api);
    if (!r.failed())
        readWatchers(r, n["watchers"], p + QStringLiteral(".watchers"), &c->watchers);
    if (!r.failed())
        readResourceAbuse(
            r, n["resource_abuse"], p + QStringLiteral(".resource_abuse"), &c->resourceAbuse);
    const YAML::Node pols = n["policies"];
    if (r.failed() || !pols.IsDefined() || pols.IsNull())
        return;
    if (!pols.IsSequence()) {
        r.fail(pols, p + QStringLiteral(".policies"), QStringLiteral("expected a list"));
        return;
    }
    for (std::size_t i = 0; i < pols.size() && !r.failed(); ++i) {
        GuardianPolicy pol;
        readPolicy(r, pols[i], QStringLiteral("guardian.policies[%1]").arg(i), &pol);
        c->policies.append(pol);
    }
}

} // namespace Shivx::Internal
