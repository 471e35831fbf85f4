#pragma once

#include "alerting/alertrule.h"
#include "alerting/notifierconfig.h"

#include <QList>
#include <QString>

namespace YAML {
class Node;
}

namespace Shivx {

struct Config;
namespace Internal {
class ConfigReader;
}

// The `alerting:` section (docs/configuration.md, docs/alerting.md).
struct AlertingConfig
{
    bool enabled = true;
    bool defaultRules = true; // the shipped rules (resources/alerts/default-rules.yml)
    QString rulesPath; // a file or directory of rule files, besides the defaults; "" = none
    QString rulesLocation; // rulesPath made absolute against the configuration file
    qint64 intervalMs = 10'000; // how often every rule is evaluated
    qint64 forecastWindowMs = 30 * 60'000; // the health score's trend: fit over this window
    qint64 forecastHorizonMs = 2 * 3600'000; // "likely LEVEL_N in ~T" only within this
    QList<AlertRule> rules; // the defaults and the files, read and checked at load
    QList<NotifierConfig> notifiers;
};

// The rules shipped with the engine.
Result<QList<AlertRule>> defaultAlertRules();

namespace Internal {
// Reads `alerting:` (undefined or null = defaults) and loads its rules; a rule file's error
// names that file's line and key.
void readAlertingConfig(
    ConfigReader &r, const YAML::Node &node, const Config &config, AlertingConfig *out);
} // namespace Internal

} // namespace Shivx
