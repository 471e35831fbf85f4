#include "api/hostcheck.h"
#include "core/config.h"
#include "core/configreader.h"
#include "core/enginemodule.h"
#include "core/timeutil.h"
#include "executor/boundedexecutor.h"

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

void readEngine(Reader &r, const YAML::Node &e, Config *c)
{
    if (!e.IsDefined() || e.IsNull())
        return;
    const QString p = QStringLiteral("engine");
    if (!r.checkKeys(e, p,
            { QStringLiteral("data_dir"), QStringLiteral("listen"), QStringLiteral("api"),
                QStringLiteral("allowed_hosts"), QStringLiteral("workers"),
                QStringLiteral("queue_size") }))
        return;
    r.string(e, p, "data_dir", &c->dataDir);
    r.string(e, p, "listen", &c->listen);
    r.boolean(e, p, "api", &c->apiEnabled);
    r.stringList(e, p, "allowed_hosts", &c->allowedHosts);
    // The engine's executor (docs/executor.md), kept as a section so that its type stays in
    // engine/executor/.
    ExecutorConfig &executor = c->editSection<ExecutorConfig>();
    r.integer(e, p, "workers", &executor.workers, 1, 64);
    r.integer(e, p, "queue_size", &executor.queueSize, 1, 1'000'000);
    for (const QString &name : std::as_const(c->allowedHosts))
        if (!r.failed() && !HostCheck::isDnsName(name))
            r.fail(e["allowed_hosts"], QStringLiteral("engine.allowed_hosts"),
                QStringLiteral("\"%1\" is not a DNS name (no port, no address: "
                               "IP addresses are always allowed)")
                    .arg(name));
    if (!r.failed() && !ConfigLoader::isValidListenAddress(c->listen))
        r.fail(e["listen"], QStringLiteral("engine.listen"),
            QStringLiteral("\"%1\" is not HOST:PORT").arg(c->listen));
}

void readHistory(Reader &r, const YAML::Node &h, HistoryRetention *out, qint64 *writeMs)
{
    if (!h.IsDefined() || h.IsNull()
        || !r.checkKeys(h, QStringLiteral("history"),
            { QStringLiteral("retention"), QStringLiteral("write_interval") }))
        return;
    r.timerDuration(h, QStringLiteral("history"), "write_interval", writeMs, 100);
    // The buffer between writes is memory and what a kill -9 loses: a minute at most.
    if (!r.failed() && *writeMs > 60'000)
        r.fail(h["write_interval"], QStringLiteral("history.write_interval"),
            QStringLiteral("must be at most 1m"));
    const YAML::Node ret = h["retention"];
    const QString p = QStringLiteral("history.retention");
    if (ret.IsDefined() && !ret.IsNull()
        && r.checkKeys(
            ret, p, { QStringLiteral("raw"), QStringLiteral("minute"), QStringLiteral("hour") })) {
        r.duration(ret, p, "raw", &out->rawMs, 60'000);
        r.duration(ret, p, "minute", &out->minuteMs, 3'600'000);
        r.duration(ret, p, "hour", &out->hourMs, 86'400'000);
    }
}

// Each entry is read by every module in turn (health: the probe; recovery: breaker, retry,
// supervision), against the union of their keys.
void readTargets(Reader &r, const YAML::Node &ts, Config *c)
{
    if (!ts.IsDefined() || ts.IsNull())
        return;
    if (!ts.IsSequence()) {
        r.fail(ts, QStringLiteral("targets"), QStringLiteral("expected a list of targets"));
        return;
    }
    QSet<QString> keys;
    for (const EngineModule *m : engineModules())
        for (const QString &k : m->targetKeys())
            keys.insert(k);
    QSet<QString> names;
    for (std::size_t i = 0; i < ts.size() && !r.failed(); ++i) {
        const QString path = QStringLiteral("targets[%1]").arg(i);
        if (!r.checkKeys(ts[i], path, keys))
            return;
        TargetSpec t;
        for (const EngineModule *m : engineModules())
            if (!r.failed())
                m->readTarget(r, ts[i], path, *c, t);
        if (r.failed())
            return;
        if (names.contains(t.name)) {
            r.fail(ts[i]["name"], path + QStringLiteral(".name"),
                QStringLiteral("duplicate target name \"%1\"").arg(t.name));
            return;
        }
        names.insert(t.name);
        c->targets.append(t);
    }
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
        r.rejectDuplicateKeys(root, QString());
        QSet<QString> keys = { QStringLiteral("engine"), QStringLiteral("history"),
            QStringLiteral("audit"), QStringLiteral("targets") };
        for (const EngineModule *m : engineModules())
            for (const QString &k : m->configKeys())
                keys.insert(k);
        if (!r.failed() && !r.checkKeys(root, QString(), keys))
            return *r.error;

        readEngine(r, root["engine"], &c);
        if (!r.failed())
            readHistory(r, root["history"], &c.retention, &c.historyWriteMs);
        if (!r.failed())
            Internal::readAuditConfig(r, root["audit"], &c.audit);
        for (const EngineModule *m : engineModules())
            if (!r.failed())
                m->readConfig(r, root, c);
        if (!r.failed())
            readTargets(r, root["targets"], &c);
        for (const EngineModule *m : engineModules())
            if (!r.failed())
                m->validate(r, root, c);
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
