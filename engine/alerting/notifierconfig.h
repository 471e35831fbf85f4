#pragma once

#include "core/result.h"
#include "recovery/circuitbreaker.h"
#include "recovery/retrypolicy.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

enum class NotifierType { Webhook, PagerDuty, Alertmanager };
QString toString(NotifierType t);

// One entry of `alerting.notifiers` (docs/alerting.md, "Notifiers"). Secrets (a webhook's URL,
// PagerDuty's routing key) are never written in the configuration: it names a file or an
// environment variable, read when the engine starts (resolveSecret), never logged, audited or
// shown by the API.
struct NotifierConfig
{
    QString name;
    NotifierType type = NotifierType::Webhook;
    QString url; // not secret: PagerDuty's endpoint, Alertmanager's base URL
    QString secretFile; // webhook: the URL; pagerduty: the routing key
    QString secretEnv;
    QStringList groupBy { QStringLiteral("alertname") };
    qint64 groupWaitMs = 10'000; // first notification of a new group waits this long
    qint64 repeatIntervalMs = 4 * 3600'000; // a still-firing group is sent again after this
    bool sendResolved = true;
    qint64 timeoutMs = 10'000;
    RetryConfig retry { 3, 500, 2.0, 10'000, 0.2 };
    BreakerConfig breaker { 3, 0, 20, 60'000, 1 };
};

// The secret a notifier names (the file's first line, or the variable); an error names the
// notifier and the file or variable, never the value.
Result<QString> resolveSecret(const NotifierConfig &config);

namespace Internal {
void readNotifiers(
    ConfigReader &r, const YAML::Node &node, const QString &path, QList<NotifierConfig> *out);
} // namespace Internal

} // namespace Shivx
