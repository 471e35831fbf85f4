#include "alerting/notificationpayload.h"

#include "core/timeutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Shivx::NotificationPayload {

namespace {

QJsonObject labels(const AlertInstance &a)
{
    QJsonObject o;
    for (auto it = a.labels.cbegin(); it != a.labels.cend(); ++it)
        o.insert(it.key(), it.value());
    return o;
}

QByteArray compact(const QJsonValue &v)
{
    return v.isArray() ? QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact)
                       : QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
}

QString title(const AlertInstance &a)
{
    return a.summary.isEmpty() ? a.rule : a.summary;
}

} // namespace

QByteArray webhook(const Notification &n)
{
    QJsonArray attachments;
    QJsonArray alerts;
    const auto add = [&](const AlertInstance &a, bool firing) {
        attachments.append(QJsonObject {
            { QStringLiteral("color"),
                !firing ? QStringLiteral("good")
                        : (a.severity == QLatin1String("critical") ? QStringLiteral("danger")
                                                                   : QStringLiteral("warning")) },
            { QStringLiteral("title"),
                QStringLiteral("[%1] %2").arg(
                    firing ? QStringLiteral("FIRING") : QStringLiteral("RESOLVED"), title(a)) },
            { QStringLiteral("text"), a.description },
            { QStringLiteral("footer"), a.fingerprint } });
        alerts.append(QJsonObject {
            { QStringLiteral("status"),
                firing ? QStringLiteral("firing") : QStringLiteral("resolved") },
            { QStringLiteral("alertname"), a.rule }, { QStringLiteral("severity"), a.severity },
            { QStringLiteral("fingerprint"), a.fingerprint },
            { QStringLiteral("labels"), labels(a) }, { QStringLiteral("summary"), a.summary },
            { QStringLiteral("description"), a.description }, { QStringLiteral("value"), a.value },
            { QStringLiteral("startsAt"), TimeUtil::toRfc3339(a.activeSinceMs) } });
    };
    for (const AlertInstance &a : n.firing)
        add(a, true);
    for (const AlertInstance &a : n.resolved)
        add(a, false);
    const QString text = n.firing.isEmpty()
        ? QStringLiteral("RESOLVED %1: %2 alert(s)").arg(n.groupKey).arg(n.resolved.size())
        : QStringLiteral("FIRING %1: %2 alert(s)%3")
              .arg(n.groupKey)
              .arg(n.firing.size())
              .arg(n.resolved.isEmpty() ? QString()
                                        : QStringLiteral(", %1 resolved").arg(n.resolved.size()));
    return compact(QJsonObject { { QStringLiteral("text"), text },
        { QStringLiteral("attachments"), attachments },
        { QStringLiteral("status"),
            n.firing.isEmpty() ? QStringLiteral("resolved") : QStringLiteral("firing") },
        { QStringLiteral("groupKey"), n.groupKey }, { QStringLiteral("alerts"), alerts } });
}

QList<QByteArray> pagerDuty(const Notification &n, const QString &routingKey, const QString &source)
{
    QList<QByteArray> out;
    const auto severity = [](const QString &s) {
        // PagerDuty knows critical, error, warning and info.
        return s == QLatin1String("critical") || s == QLatin1String("warning")
            ? s
            : QStringLiteral("info");
    };
    for (const AlertInstance &a : n.firing)
        out.append(compact(QJsonObject { { QStringLiteral("routing_key"), routingKey },
            { QStringLiteral("event_action"), QStringLiteral("trigger") },
            { QStringLiteral("dedup_key"), a.fingerprint },
            { QStringLiteral("payload"),
                QJsonObject { { QStringLiteral("summary"), title(a).left(1024) },
                    { QStringLiteral("source"), source },
                    { QStringLiteral("severity"), severity(a.severity) },
                    { QStringLiteral("timestamp"),
                        TimeUtil::toRfc3339(a.firedAtMs ? a.firedAtMs : n.nowMs) },
                    { QStringLiteral("component"), a.labels.value(QStringLiteral("target")) },
                    { QStringLiteral("group"), n.groupKey }, { QStringLiteral("class"), a.rule },
                    { QStringLiteral("custom_details"), labels(a) } } } }));
    for (const AlertInstance &a : n.resolved)
        out.append(compact(QJsonObject { { QStringLiteral("routing_key"), routingKey },
            { QStringLiteral("event_action"), QStringLiteral("resolve") },
            { QStringLiteral("dedup_key"), a.fingerprint } }));
    return out;
}

QByteArray alertmanager(const Notification &n, qint64 firingEndsMs, const QString &generatorUrl)
{
    QJsonArray out;
    const auto add = [&](const AlertInstance &a, qint64 endsMs) {
        QJsonObject annotations;
        if (!a.summary.isEmpty())
            annotations.insert(QStringLiteral("summary"), a.summary);
        if (!a.description.isEmpty())
            annotations.insert(QStringLiteral("description"), a.description);
        QJsonObject o { { QStringLiteral("labels"), labels(a) },
            { QStringLiteral("annotations"), annotations },
            { QStringLiteral("startsAt"),
                TimeUtil::toRfc3339(a.firedAtMs ? a.firedAtMs : a.activeSinceMs) },
            { QStringLiteral("endsAt"), TimeUtil::toRfc3339(endsMs) } };
        if (!generatorUrl.isEmpty())
            o.insert(QStringLiteral("generatorURL"), generatorUrl);
        out.append(o);
    };
    for (const AlertInstance &a : n.firing)
        add(a, n.nowMs + firingEndsMs);
    for (const AlertInstance &a : n.resolved)
        add(a, a.resolvedAtMs ? a.resolvedAtMs : n.nowMs);
    return compact(out);
}

} // namespace Shivx::NotificationPayload
