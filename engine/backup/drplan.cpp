#include "backup/drplan.h"

#include "core/configreader.h"
#include "core/timeutil.h"
#include "degradation/degradationlevel.h"
#include "guardian/defensemode.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>

#include <yaml-cpp/yaml.h>

namespace Shivx {

namespace {

// The keys each action takes beside name, action, timeout and on_failure.
QStringList keysOf(const QString &action)
{
    static const QHash<QString, QStringList> keys {
        { QStringLiteral("stop_target"), { QStringLiteral("target") } },
        { QStringLiteral("start_target"), { QStringLiteral("target") } },
        { QStringLiteral("wait_healthy"), { QStringLiteral("target") } },
        { QStringLiteral("restore"),
            { QStringLiteral("set"), QStringLiteral("snapshot"), QStringLiteral("at"),
                QStringLiteral("path"), QStringLiteral("to") } },
        { QStringLiteral("verify_restore"),
            { QStringLiteral("set"), QStringLiteral("snapshot"), QStringLiteral("at"),
                QStringLiteral("path"), QStringLiteral("to") } },
        { QStringLiteral("guardian_mode"), { QStringLiteral("mode"), QStringLiteral("reason") } },
        { QStringLiteral("isolate"),
            { QStringLiteral("source"), QStringLiteral("for"), QStringLiteral("reason") } },
        { QStringLiteral("release_source"), { QStringLiteral("source") } },
        { QStringLiteral("pin_degradation"),
            { QStringLiteral("level"), QStringLiteral("for"), QStringLiteral("reason") } },
        { QStringLiteral("release_degradation"), {} },
        { QStringLiteral("run_command"), { QStringLiteral("command"), QStringLiteral("undo") } },
        { QStringLiteral("notify"), { QStringLiteral("message"), QStringLiteral("webhook") } },
    };
    return keys.value(action);
}

// ${NAME} from the environment; false (with `missing`) for an unset one.
bool expand(QString *text, QString *missing)
{
    static const QRegularExpression var(QStringLiteral("\\$\\{([A-Za-z_][A-Za-z0-9_]*)\\}"));
    QString out;
    qsizetype last = 0;
    auto it = var.globalMatch(*text);
    while (it.hasNext()) {
        const auto m = it.next();
        const QString name = m.captured(1);
        if (!qEnvironmentVariableIsSet(name.toLocal8Bit().constData())) {
            *missing = name;
            return false;
        }
        out += text->mid(last, m.capturedStart() - last)
            + qEnvironmentVariable(name.toLocal8Bit().constData());
        last = m.capturedEnd();
    }
    *text = out + text->mid(last);
    return true;
}

void str(Internal::ConfigReader &r, const YAML::Node &m, const QString &path, const char *key,
    QString *out)
{
    r.string(m, path, key, out);
    QString missing;
    if (!r.failed() && !expand(out, &missing))
        r.fail(m[key], Internal::ConfigReader::join(path, QLatin1String(key)),
            QStringLiteral("${%1} is not set in the engine's environment").arg(missing));
}

void argv(Internal::ConfigReader &r, const YAML::Node &m, const QString &path, const char *key,
    QStringList *out)
{
    r.stringList(m, path, key, out);
    for (QString &a : *out) {
        QString missing;
        if (!r.failed() && !expand(&a, &missing))
            r.fail(m[key], Internal::ConfigReader::join(path, QLatin1String(key)),
                QStringLiteral("${%1} is not set in the engine's environment").arg(missing));
    }
}

void readStep(Internal::ConfigReader &r, const YAML::Node &m, const QString &path, DrStep *s)
{
    r.string(m, path, "action", &s->action);
    if (r.failed())
        return;
    if (!drActions().contains(s->action)) {
        r.fail(m["action"], path + QStringLiteral(".action"),
            QStringLiteral("\"%1\" is not an action (%2)")
                .arg(s->action, drActions().join(QStringLiteral(", "))));
        return;
    }
    QSet<QString> allowed { QStringLiteral("name"), QStringLiteral("action"),
        QStringLiteral("timeout"), QStringLiteral("on_failure") };
    for (const QString &k : keysOf(s->action))
        allowed.insert(k);
    if (!r.checkKeys(m, path, allowed))
        return;
    r.string(m, path, "name", &s->name);
    if (s->name.isEmpty())
        s->name = s->action;
    r.duration(m, path, "timeout", &s->timeoutMs, 100);
    QString policy = QStringLiteral("abort");
    r.string(m, path, "on_failure", &policy);
    if (policy == QLatin1String("abort"))
        s->onFailure = DrOnFailure::Abort;
    else if (policy == QLatin1String("continue"))
        s->onFailure = DrOnFailure::Continue;
    else if (policy == QLatin1String("rollback"))
        s->onFailure = DrOnFailure::Rollback;
    else
        r.fail(m["on_failure"], path + QStringLiteral(".on_failure"),
            QStringLiteral("\"%1\" is not abort, continue or rollback").arg(policy));
    for (const auto &[key, out] :
        { std::pair<const char *, QString *> { "target", &s->target }, { "set", &s->set },
            { "snapshot", &s->snapshot }, { "at", &s->at }, { "path", &s->path }, { "to", &s->to },
            { "mode", &s->mode }, { "source", &s->source }, { "level", &s->level },
            { "reason", &s->reason }, { "message", &s->message }, { "webhook", &s->webhook } })
        str(r, m, path, key, out);
    r.duration(m, path, "for", &s->durationMs, 1000);
    argv(r, m, path, "command", &s->command);
    argv(r, m, path, "undo", &s->undo);
    if (r.failed())
        return;
    const auto need = [&](const QString &value, const char *key) {
        if (value.isEmpty())
            r.fail(m, path + QLatin1Char('.') + QLatin1String(key),
                QStringLiteral("required for action %1").arg(s->action));
    };
    const QString &a = s->action;
    if (a.endsWith(QLatin1String("_target")) || a == QLatin1String("wait_healthy"))
        need(s->target, "target");
    if (a == QLatin1String("restore") || a == QLatin1String("verify_restore")) {
        need(s->set, "set");
        for (const QString *p : { &s->to, &s->path })
            if (!p->isEmpty() && !QDir::isAbsolutePath(*p))
                r.fail(m, path, QStringLiteral("%1 is not an absolute path").arg(*p));
        if (!s->at.isEmpty() && !TimeUtil::parseTimePoint(s->at, 0))
            r.fail(m["at"], path + QStringLiteral(".at"),
                QStringLiteral("\"%1\" is not a time (RFC 3339, -2h, now)").arg(s->at));
    }
    if (a == QLatin1String("guardian_mode") && !parseDefenseMode(s->mode))
        r.fail(m["mode"], path + QStringLiteral(".mode"),
            QStringLiteral("\"%1\" is not NORMAL, ELEVATED or LOCKDOWN").arg(s->mode));
    if (a == QLatin1String("isolate") || a == QLatin1String("release_source"))
        need(s->source, "source");
    if (a == QLatin1String("pin_degradation") && !parseDegradationLevel(s->level))
        r.fail(m["level"], path + QStringLiteral(".level"),
            QStringLiteral("\"%1\" is not a degradation level").arg(s->level));
    if (a == QLatin1String("run_command") && s->command.isEmpty())
        need(QString(), "command");
    if (a == QLatin1String("notify"))
        need(s->message, "message");
}

} // namespace

const QStringList &drActions()
{
    static const QStringList actions { QStringLiteral("stop_target"),
        QStringLiteral("start_target"), QStringLiteral("wait_healthy"), QStringLiteral("restore"),
        QStringLiteral("verify_restore"), QStringLiteral("guardian_mode"),
        QStringLiteral("isolate"), QStringLiteral("release_source"),
        QStringLiteral("pin_degradation"), QStringLiteral("release_degradation"),
        QStringLiteral("run_command"), QStringLiteral("notify") };
    return actions;
}

QString toString(DrOnFailure policy)
{
    switch (policy) {
    case DrOnFailure::Abort:
        return QStringLiteral("abort");
    case DrOnFailure::Continue:
        return QStringLiteral("continue");
    case DrOnFailure::Rollback:
        return QStringLiteral("rollback");
    }
    return QString();
}

Result<DrPlan> loadDrPlan(const QString &file)
{
    Internal::ConfigReader r(file);
    YAML::Node root;
    try {
        root = YAML::LoadFile(file.toStdString());
    } catch (const YAML::Exception &e) {
        return makeError("dr.bad_plan",
            QStringLiteral("%1:%2: %3")
                .arg(file)
                .arg(e.mark.line + 1)
                .arg(QString::fromStdString(e.msg)));
    }
    DrPlan plan;
    plan.file = file;
    plan.name = QFileInfo(file).completeBaseName();
    if (!root.IsMap())
        return makeError(
            "dr.bad_plan", QStringLiteral("%1: expected a mapping with steps").arg(file));
    if (r.checkKeys(root, QString(), { QStringLiteral("description"), QStringLiteral("steps") }))
        r.string(root, QString(), "description", &plan.description);
    const YAML::Node steps = root["steps"];
    if (!r.failed() && (!steps.IsSequence() || steps.size() == 0))
        r.fail(root, QStringLiteral("steps"), QStringLiteral("expected a list of steps"));
    QSet<QString> names;
    for (std::size_t i = 0; !r.failed() && i < steps.size(); ++i) {
        const QString path = QStringLiteral("steps[%1]").arg(i);
        if (!steps[i].IsMap()) {
            r.fail(steps[i], path, QStringLiteral("expected a mapping"));
            break;
        }
        DrStep s;
        readStep(r, steps[i], path, &s);
        if (!r.failed() && names.contains(s.name))
            r.fail(steps[i], path + QStringLiteral(".name"),
                QStringLiteral("duplicate step name %1").arg(s.name));
        names.insert(s.name);
        plan.steps.append(s);
    }
    if (r.failed())
        return makeError("dr.bad_plan", r.error->message);
    return plan;
}

Result<QList<DrPlan>> loadDrPlans(const QString &dir)
{
    QList<DrPlan> plans;
    if (dir.isEmpty())
        return plans;
    const QDir d(dir);
    if (!d.exists())
        return makeError(
            "dr.no_plans", QStringLiteral("the DR plan directory %1 does not exist").arg(dir));
    for (const QString &name : d.entryList(
             { QStringLiteral("*.yaml"), QStringLiteral("*.yml") }, QDir::Files, QDir::Name)) {
        auto plan = loadDrPlan(d.filePath(name));
        if (!plan)
            return plan.error();
        plans.append(*plan);
    }
    return plans;
}

} // namespace Shivx
