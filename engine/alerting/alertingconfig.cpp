#include "alerting/alertingconfig.h"

#include "core/config.h"
#include "core/configreader.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <yaml-cpp/yaml.h>

// The engine is a static library: the resource initializer must be referenced for the
// embedded rules to be linked into a program that never loads a configuration (tests, CLI).
static void initEngineResources()
{
    Q_INIT_RESOURCE(engine);
}

namespace Shivx {

Result<QList<AlertRule>> defaultAlertRules()
{
    initEngineResources();
    QFile f(QStringLiteral(":/shivx/alerts/default-rules.yml"));
    if (!f.open(QIODevice::ReadOnly))
        return makeError("alerting.bad_rules", QStringLiteral("the default rules are missing"));
    return parseAlertRules(f.readAll(), QStringLiteral("default-rules.yml"));
}

namespace Internal {

void readAlertingConfig(
    ConfigReader &r, const YAML::Node &node, const Config &config, AlertingConfig *out)
{
    const QString path = QStringLiteral("alerting");
    if (node.IsDefined() && !node.IsNull()) {
        if (!r.checkKeys(node, path,
                { QStringLiteral("enabled"), QStringLiteral("default_rules"),
                    QStringLiteral("rules"), QStringLiteral("interval"),
                    QStringLiteral("forecast_window"), QStringLiteral("forecast_horizon"),
                    QStringLiteral("notifiers") }))
            return;
        r.boolean(node, path, "enabled", &out->enabled);
        r.boolean(node, path, "default_rules", &out->defaultRules);
        r.string(node, path, "rules", &out->rulesPath);
        r.timerDuration(node, path, "interval", &out->intervalMs, 1000);
        r.duration(node, path, "forecast_window", &out->forecastWindowMs, 60'000);
        r.duration(node, path, "forecast_horizon", &out->forecastHorizonMs, 60'000);
        readNotifiers(r, node["notifiers"], path + QStringLiteral(".notifiers"), &out->notifiers);
        if (r.failed())
            return;
    }
    QList<AlertRule> rules;
    if (out->defaultRules) {
        auto d = defaultAlertRules();
        if (!d) {
            r.fail(node, path, d.error().message);
            return;
        }
        rules = *d;
    }
    if (!out->rulesPath.isEmpty()) {
        QString file = out->rulesPath;
        // Relative to the configuration file, like every other path in it.
        if (QFileInfo(file).isRelative() && !config.sourceFile.startsWith(QLatin1Char(':')))
            file = QFileInfo(config.sourceFile).absoluteDir().filePath(file);
        out->rulesLocation = QFileInfo(file).absoluteFilePath();
        if (!QFileInfo::exists(file)) {
            r.fail(node["rules"], path + QStringLiteral(".rules"),
                QStringLiteral("%1 does not exist").arg(file));
            return;
        }
        auto loaded = loadAlertRules(file);
        if (!loaded) {
            r.fail(node["rules"], path + QStringLiteral(".rules"), loaded.error().message);
            return;
        }
        for (const AlertRule &rule : *loaded) {
            for (const AlertRule &known : std::as_const(rules))
                if (known.name == rule.name) {
                    r.fail(node["rules"], path + QStringLiteral(".rules"),
                        QStringLiteral("%1: alert %2 is defined already (%3); set "
                                       "alerting.default_rules: false to replace the defaults")
                            .arg(rule.source, rule.name, known.source));
                    return;
                }
            rules.append(rule);
        }
    }
    out->rules = rules;
}

} // namespace Internal
} // namespace Shivx
