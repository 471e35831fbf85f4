#include "pipelines/pipelinedefinition.h"

#include "core/configreader.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QHash>
#include <QRegularExpression>

#include <functional>

namespace Shivx {

QString toString(StageWhen when)
{
    switch (when) {
    case StageWhen::Success:
        return QStringLiteral("success");
    case StageWhen::Failure:
        return QStringLiteral("failure");
    case StageWhen::Always:
        return QStringLiteral("always");
    }
    return {};
}

int PipelineDefinition::indexOf(const QString &stage) const
{
    for (int i = 0; i < stages.size(); ++i)
        if (stages.at(i).name == stage)
            return i;
    return -1;
}

namespace PipelineParser {

namespace {

using Internal::ConfigReader;

bool present(const YAML::Node &n)
{
    return n.IsDefined() && !n.IsNull();
}

// Names become file names and environment variable names, so they stay plain.
bool validName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9_-]{1,64}$"));
    return re.match(name).hasMatch();
}

QString stagePath(int i, const QString &name)
{
    return name.isEmpty() ? QStringLiteral("stages[%1]").arg(i)
                          : QStringLiteral("stages[%1] (%2)").arg(i).arg(name);
}

void readStringMap(ConfigReader &r, const YAML::Node &map, const QString &path,
    QList<QPair<QString, QString>> *out)
{
    if (!map.IsMap()) {
        r.fail(map, path, QStringLiteral("expected a mapping of NAME: value"));
        return;
    }
    for (auto it = map.begin(); it != map.end() && !r.failed(); ++it) {
        QString key;
        QString value;
        if (!r.scalar(it->first, path, &key) || !r.scalar(it->second, r.join(path, key), &value))
            return;
        out->append({ key, value });
    }
}

void readStage(ConfigReader &r, const YAML::Node &n, int i, const QDir &base, StageDefinition *s)
{
    QString path = stagePath(i, {});
    if (!r.checkKeys(n, path,
            { QStringLiteral("name"), QStringLiteral("command"), QStringLiteral("args"),
                QStringLiteral("env"), QStringLiteral("cwd"), QStringLiteral("timeout"),
                QStringLiteral("retries"), QStringLiteral("backoff"), QStringLiteral("artifacts"),
                QStringLiteral("needs"), QStringLiteral("when") }))
        return;
    s->line = n.Mark().line + 1;
    r.string(n, path, "name", &s->name);
    if (r.failed())
        return;
    if (!validName(s->name)) {
        r.fail(n["name"], r.join(path, QStringLiteral("name")),
            s->name.isEmpty() ? QStringLiteral("every stage needs a name")
                              : QStringLiteral("\"%1\" is not a stage name (1-64 letters, digits, "
                                               "'_' or '-')")
                                    .arg(s->name.left(80)));
        return;
    }
    path = stagePath(i, s->name);
    r.string(n, path, "command", &s->command);
    if (!r.failed() && s->command.isEmpty())
        r.fail(n["command"], r.join(path, QStringLiteral("command")),
            QStringLiteral("every stage needs a command"));
    r.stringList(n, path, "args", &s->args);
    if (const YAML::Node env = n["env"]; !r.failed() && present(env))
        readStringMap(r, env, r.join(path, QStringLiteral("env")), &s->env);
    QString cwd;
    r.string(n, path, "cwd", &cwd);
    if (!cwd.isEmpty())
        s->cwd = QDir::cleanPath(base.absoluteFilePath(cwd));
    r.duration(n, path, "timeout", &s->timeoutMs, 1);
    if (!r.failed() && s->timeoutMs > ConfigReader::MaxTimerMs)
        r.fail(n["timeout"], r.join(path, QStringLiteral("timeout")),
            QStringLiteral("longer than a timer can wait"));
    r.integer(n, path, "retries", &s->retries, 0, 100);
    if (const YAML::Node b = n["backoff"]; !r.failed() && present(b)) {
        const QString bp = r.join(path, QStringLiteral("backoff"));
        if (r.checkKeys(b, bp,
                { QStringLiteral("initial_delay"), QStringLiteral("multiplier"),
                    QStringLiteral("max_delay"), QStringLiteral("jitter") })) {
            r.timerDuration(b, bp, "initial_delay", &s->backoff.initialDelayMs, 0);
            r.number(b, bp, "multiplier", &s->backoff.multiplier, 1, 100);
            r.timerDuration(b, bp, "max_delay", &s->backoff.maxDelayMs, 0);
            r.number(b, bp, "jitter", &s->backoff.jitter, 0, 1);
            if (!r.failed() && s->backoff.maxDelayMs < s->backoff.initialDelayMs)
                r.fail(b, r.join(bp, QStringLiteral("max_delay")),
                    QStringLiteral("must not be shorter than initial_delay"));
        }
    }
    s->backoff.maxAttempts = 1 + s->retries;
    r.boolean(n, path, "artifacts", &s->artifacts);
    if (const YAML::Node needs = n["needs"]; !r.failed() && present(needs)) {
        if (needs.IsScalar()) {
            s->needs = { QString::fromStdString(needs.Scalar()) };
        } else {
            r.stringList(n, path, "needs", &s->needs);
        }
    }
    QString when;
    r.string(n, path, "when", &when);
    if (when.isEmpty() || when == QLatin1String("success"))
        s->when = StageWhen::Success;
    else if (when == QLatin1String("failure"))
        s->when = StageWhen::Failure;
    else if (when == QLatin1String("always"))
        s->when = StageWhen::Always;
    else
        r.fail(n["when"], r.join(path, QStringLiteral("when")),
            QStringLiteral("expected success, failure or always, got \"%1\"").arg(when.left(40)));
}

// The line of `needs[j]` of the stage at `node`, for errors about one dependency.
YAML::Node needsEntry(const YAML::Node &stage, int j)
{
    const YAML::Node needs = stage["needs"];
    return needs.IsSequence() && j < int(needs.size()) ? needs[j] : needs;
}

// Refuses duplicate names, unknown dependencies and cycles, each at the line that shows it.
void checkGraph(ConfigReader &r, const YAML::Node &stagesNode, const PipelineDefinition &p)
{
    QHash<QString, int> index;
    for (int i = 0; i < p.stages.size() && !r.failed(); ++i) {
        const StageDefinition &s = p.stages.at(i);
        if (index.contains(s.name)) {
            r.fail(stagesNode[i]["name"], stagePath(i, s.name) + QStringLiteral(".name"),
                QStringLiteral("duplicate stage \"%1\" (first at line %2)")
                    .arg(s.name)
                    .arg(p.stages.at(index.value(s.name)).line));
            return;
        }
        index.insert(s.name, i);
    }
    for (int i = 0; i < p.stages.size() && !r.failed(); ++i) {
        const StageDefinition &s = p.stages.at(i);
        for (int j = 0; j < s.needs.size(); ++j) {
            const QString &dep = s.needs.at(j);
            const QString where = QStringLiteral("%1.needs[%2]").arg(stagePath(i, s.name)).arg(j);
            if (dep == s.name) {
                r.fail(needsEntry(stagesNode[i], j), where,
                    QStringLiteral("stage \"%1\" cannot depend on itself").arg(s.name));
                return;
            }
            if (!index.contains(dep)) {
                r.fail(needsEntry(stagesNode[i], j), where,
                    QStringLiteral("unknown stage \"%1\"").arg(dep.left(80)));
                return;
            }
        }
    }
    // Depth-first search; a back edge closes a cycle, reported at the stage that closes it.
    enum Mark { White, Grey, Black };
    QList<int> mark(p.stages.size(), White);
    QList<int> trail;
    std::function<bool(int)> visit = [&](int v) {
        mark[v] = Grey;
        trail.append(v);
        const StageDefinition &s = p.stages.at(v);
        for (int j = 0; j < s.needs.size(); ++j) {
            const int w = index.value(s.needs.at(j));
            if (mark.at(w) == Grey) {
                QStringList names;
                for (int k = int(trail.indexOf(w)); k < trail.size(); ++k)
                    names.append(p.stages.at(trail.at(k)).name);
                names.append(p.stages.at(w).name);
                r.fail(needsEntry(stagesNode[v], j),
                    QStringLiteral("%1.needs[%2]").arg(stagePath(v, s.name)).arg(j),
                    QStringLiteral("dependency cycle: %1")
                        .arg(names.join(QStringLiteral(" needs "))));
                return false;
            }
            if (mark.at(w) == White && !visit(w))
                return false;
        }
        trail.removeLast();
        mark[v] = Black;
        return true;
    };
    for (int v = 0; v < p.stages.size() && !r.failed(); ++v)
        if (mark.at(v) == White && !visit(v))
            return;
}

} // namespace

QString versionOf(const QByteArray &bytes)
{
    return QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
}

QString envName(const QString &name)
{
    QString s = name.toUpper();
    s.replace(QLatin1Char('-'), QLatin1Char('_'));
    return s;
}

Result<PipelineDefinition> parse(const QByteArray &yaml, const QString &fileName)
{
    YAML::Node root;
    try {
        root = YAML::Load(yaml.toStdString());
    } catch (const YAML::Exception &e) {
        return makeError("pipeline.invalid",
            QStringLiteral("%1:%2: %3")
                .arg(fileName)
                .arg(e.mark.line + 1)
                .arg(QString::fromStdString(e.msg)));
    }
    ConfigReader r(fileName);
    PipelineDefinition p;
    p.file = fileName;
    p.source = yaml;
    p.version = versionOf(yaml);
    const QFileInfo info(fileName);
    const QDir base = info.absoluteDir();
    try {
        r.rejectDuplicateKeys(root, {});
        if (!r.failed()
            && r.checkKeys(root, {},
                { QStringLiteral("name"), QStringLiteral("description"), QStringLiteral("stages"),
                    QStringLiteral("concurrency"), QStringLiteral("max_active_runs"),
                    QStringLiteral("schedule"), QStringLiteral("missed"),
                    QStringLiteral("background"), QStringLiteral("external"),
                    QStringLiteral("params"), QStringLiteral("retention") })) {
            p.name = info.completeBaseName();
            r.string(root, {}, "name", &p.name);
            static const QStringList reserved { QStringLiteral("run"), QStringLiteral("runs"),
                QStringLiteral("cancel"), QStringLiteral("dlq") };
            if (!r.failed() && (!validName(p.name) || reserved.contains(p.name)))
                r.fail(root["name"], QStringLiteral("name"),
                    QStringLiteral("\"%1\" is not a pipeline name (1-64 letters, digits, '_' or "
                                   "'-'; not run, runs, cancel or dlq)")
                        .arg(p.name.left(80)));
            r.string(root, {}, "description", &p.description);
            r.integer(root, {}, "concurrency", &p.concurrency, 0, 10000);
            r.integer(root, {}, "max_active_runs", &p.maxActiveRuns, 1, 1000);
            r.string(root, {}, "schedule", &p.schedule);
            if (!r.failed() && !p.schedule.isEmpty())
                if (const auto cron = CronExpression::parse(p.schedule); !cron)
                    r.fail(root["schedule"], QStringLiteral("schedule"), cron.error().message);
            QString missed;
            r.string(root, {}, "missed", &missed);
            if (!r.failed() && !missed.isEmpty() && !parseMissedRunPolicy(missed, &p.missed))
                r.fail(root["missed"], QStringLiteral("missed"),
                    QStringLiteral("expected skip or catch_up_once, got \"%1\"")
                        .arg(missed.left(40)));
            r.boolean(root, {}, "background", &p.background);
            r.boolean(root, {}, "external", &p.external);
            if (const YAML::Node params = root["params"]; !r.failed() && present(params)) {
                QList<QPair<QString, QString>> list;
                readStringMap(r, params, QStringLiteral("params"), &list);
                for (const auto &[k, v] : list) {
                    if (!r.failed() && !validName(k))
                        r.fail(params, QStringLiteral("params.") + k.left(80),
                            QStringLiteral("not a parameter name (letters, digits, '_' or '-')"));
                    p.params.insert(k, v);
                }
            }
            if (const YAML::Node ret = root["retention"]; !r.failed() && present(ret)) {
                if (r.checkKeys(ret, QStringLiteral("retention"),
                        { QStringLiteral("max_runs"), QStringLiteral("max_age") })) {
                    r.integer(
                        ret, QStringLiteral("retention"), "max_runs", &p.keepRuns, 1, 1'000'000);
                    r.duration(ret, QStringLiteral("retention"), "max_age", &p.keepForMs, 1000);
                }
            }
            const YAML::Node stages = root["stages"];
            if (!r.failed() && (!stages.IsSequence() || stages.size() == 0))
                r.fail(stages, QStringLiteral("stages"),
                    QStringLiteral("expected a list of at least one stage"));
            for (std::size_t i = 0; !r.failed() && stages.IsSequence() && i < stages.size(); ++i) {
                StageDefinition s;
                readStage(r, stages[i], int(i), base, &s);
                p.stages.append(s);
            }
            if (!r.failed())
                checkGraph(r, stages, p);
        }
    } catch (const YAML::Exception &e) {
        return makeError("pipeline.invalid",
            QStringLiteral("%1:%2: %3")
                .arg(fileName)
                .arg(e.mark.line + 1)
                .arg(QString::fromStdString(e.msg)));
    }
    if (r.error) {
        Error e = *r.error;
        e.code = QStringLiteral("pipeline.invalid");
        return e;
    }
    return p;
}

} // namespace PipelineParser

} // namespace Shivx
