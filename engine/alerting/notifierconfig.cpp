#include "alerting/notifierconfig.h"

#include "core/configreader.h"

#include <QFile>
#include <QSet>
#include <QUrl>

#include <yaml-cpp/yaml.h>

namespace Shivx {

QString toString(NotifierType t)
{
    switch (t) {
    case NotifierType::Webhook:
        return QStringLiteral("webhook");
    case NotifierType::PagerDuty:
        return QStringLiteral("pagerduty");
    case NotifierType::Alertmanager:
        return QStringLiteral("alertmanager");
    }
    return QString();
}

Result<QString> resolveSecret(const NotifierConfig &c)
{
    if (!c.secretFile.isEmpty()) {
        QFile f(c.secretFile);
        if (!f.open(QIODevice::ReadOnly))
            return makeError("alerting.secret",
                QStringLiteral("notifier %1: cannot read %2: %3")
                    .arg(c.name, c.secretFile, f.errorString()));
        const QString v = QString::fromUtf8(f.readLine(64 * 1024)).trimmed();
        if (v.isEmpty())
            return makeError("alerting.secret",
                QStringLiteral("notifier %1: %2 is empty").arg(c.name, c.secretFile));
        return v;
    }
    if (!c.secretEnv.isEmpty()) {
        const QString v = qEnvironmentVariable(c.secretEnv.toLocal8Bit().constData()).trimmed();
        if (v.isEmpty())
            return makeError("alerting.secret",
                QStringLiteral("notifier %1: environment variable %2 is not set")
                    .arg(c.name, c.secretEnv));
        return v;
    }
    return QString();
}

namespace Internal {

void readNotifiers(
    ConfigReader &r, const YAML::Node &node, const QString &path, QList<NotifierConfig> *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!node.IsSequence()) {
        r.fail(node, path, QStringLiteral("expected a list of notifiers"));
        return;
    }
    QSet<QString> names;
    for (std::size_t i = 0; i < node.size() && !r.failed(); ++i) {
        const YAML::Node n = node[i];
        const QString p = QStringLiteral("%1[%2]").arg(path).arg(i);
        if (!r.checkKeys(n, p,
                { QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("url"),
                    QStringLiteral("url_file"), QStringLiteral("url_env"),
                    QStringLiteral("routing_key_file"), QStringLiteral("routing_key_env"),
                    QStringLiteral("routing_key"), QStringLiteral("group_by"),
                    QStringLiteral("group_wait"), QStringLiteral("repeat_interval"),
                    QStringLiteral("send_resolved"), QStringLiteral("timeout"),
                    QStringLiteral("attempts") }))
            return;
        NotifierConfig c;
        r.string(n, p, "name", &c.name);
        QString type;
        r.string(n, p, "type", &type);
        if (r.failed())
            return;
        if (c.name.isEmpty() || names.contains(c.name)) {
            r.fail(n, p + QStringLiteral(".name"),
                c.name.isEmpty() ? QStringLiteral("is required")
                                 : QStringLiteral("\"%1\" is used twice").arg(c.name));
            return;
        }
        names.insert(c.name);
        if (type == QLatin1String("webhook"))
            c.type = NotifierType::Webhook;
        else if (type == QLatin1String("pagerduty"))
            c.type = NotifierType::PagerDuty;
        else if (type == QLatin1String("alertmanager"))
            c.type = NotifierType::Alertmanager;
        else {
            r.fail(n["type"].IsDefined() ? n["type"] : n, p + QStringLiteral(".type"),
                QStringLiteral("expected webhook, pagerduty or alertmanager"));
            return;
        }
        r.string(n, p, "url", &c.url);
        const bool webhook = c.type == NotifierType::Webhook;
        const bool pagerduty = c.type == NotifierType::PagerDuty;
        // Secrets inline would end up in backups of the configuration, `ps`, and the audit
        // record of the loaded file's bytes: refused with the way to do it.
        if (webhook && n["url"].IsDefined()) {
            r.fail(n["url"], p + QStringLiteral(".url"),
                QStringLiteral("a webhook URL is a secret: name a file (url_file) or an "
                               "environment variable (url_env) that holds it"));
            return;
        }
        if (n["routing_key"].IsDefined()) {
            r.fail(n["routing_key"], p + QStringLiteral(".routing_key"),
                QStringLiteral("a routing key is a secret: name a file (routing_key_file) or an "
                               "environment variable (routing_key_env) that holds it"));
            return;
        }
        const char *fileKey = webhook ? "url_file" : "routing_key_file";
        const char *envKey = webhook ? "url_env" : "routing_key_env";
        for (const char *k : { "url_file", "url_env", "routing_key_file", "routing_key_env" })
            if (n[k].IsDefined() && QLatin1String(k) != QLatin1String(fileKey)
                && QLatin1String(k) != QLatin1String(envKey)) {
                r.fail(n[k], p + QLatin1Char('.') + QLatin1String(k),
                    QStringLiteral("not a key of a %1 notifier").arg(type));
                return;
            }
        r.string(n, p, fileKey, &c.secretFile);
        r.string(n, p, envKey, &c.secretEnv);
        if (!r.failed() && (webhook || pagerduty)
            && c.secretFile.isEmpty() == c.secretEnv.isEmpty()) {
            r.fail(n, p + QLatin1Char('.') + QLatin1String(fileKey),
                QStringLiteral("name exactly one of %1 and %2")
                    .arg(QLatin1String(fileKey), QLatin1String(envKey)));
            return;
        }
        if (pagerduty && c.url.isEmpty())
            c.url = QStringLiteral("https://events.pagerduty.com/v2/enqueue");
        if (c.type == NotifierType::Alertmanager && c.url.isEmpty() && !r.failed()) {
            r.fail(n, p + QStringLiteral(".url"),
                QStringLiteral("is required: Alertmanager's base URL (http://host:9093)"));
            return;
        }
        if (!c.url.isEmpty()) {
            const QUrl u(c.url);
            if (!u.isValid()
                || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https"))) {
                r.fail(n["url"], p + QStringLiteral(".url"),
                    QStringLiteral("expected an http:// or https:// URL"));
                return;
            }
        }
        if (c.type == NotifierType::Alertmanager)
            c.repeatIntervalMs = 60'000; // Alertmanager expects alerts re-sent, like Prometheus
        r.stringList(n, p, "group_by", &c.groupBy);
        r.duration(n, p, "group_wait", &c.groupWaitMs, 0);
        r.duration(n, p, "repeat_interval", &c.repeatIntervalMs, 1000);
        r.boolean(n, p, "send_resolved", &c.sendResolved);
        r.duration(n, p, "timeout", &c.timeoutMs, 100);
        r.integer(n, p, "attempts", &c.retry.maxAttempts, 1, 20);
        if (!r.failed())
            out->append(c);
    }
}

} // namespace Internal
} // namespace Shivx
