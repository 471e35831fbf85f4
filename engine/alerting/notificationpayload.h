#pragma once

#include "alerting/alertinstance.h"

#include <QByteArray>
#include <QList>

namespace Shivx {

// One notification of a group: the alerts that fire and those resolved since the last one.
struct Notification
{
    QString notifier;
    QString groupKey; // "alertname=\"CpuHigh\"" from the notifier's group_by labels
    QList<AlertInstance> firing;
    QList<AlertInstance> resolved;
    qint64 nowMs = 0;
};

// The request bodies each receiver takes (pure functions, tested in tst_notificationpayload).
namespace NotificationPayload {

// Slack-compatible incoming-webhook JSON: "text" plus one attachment per alert (coloured by
// state), and the alerts as data for receivers that are not Slack.
QByteArray webhook(const Notification &n);
// PagerDuty Events API v2: one event per alert (trigger or resolve, dedup_key = fingerprint).
QList<QByteArray> pagerDuty(
    const Notification &n, const QString &routingKey, const QString &source);
// Alertmanager API v2 (POST /api/v2/alerts): one array; firing alerts end `firingEndsMs` from
// now unless re-sent, resolved ones end at their resolution.
QByteArray alertmanager(const Notification &n, qint64 firingEndsMs, const QString &generatorUrl);

} // namespace NotificationPayload
} // namespace Shivx
