#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace Shivx {

enum class AlertState { Pending, Firing, Resolved };
QString toString(AlertState s); // "pending", "firing", "resolved"
bool parseAlertState(const QString &text, AlertState *out);

// One alert: a rule's condition for one series (its labels). A plain value, copied between
// threads.
struct AlertInstance
{
    QString fingerprint; // stable: the rule and the series' labels
    QString rule;
    QString severity;
    QMap<QString, QString> labels; // alertname, severity, the series' and the rule's labels
    AlertState state = AlertState::Pending;
    qint64 activeSinceMs = 0; // when the condition became true
    qint64 firedAtMs = 0; // 0 until firing
    qint64 resolvedAtMs = 0; // 0 until resolved
    double value = 0; // the rule's value at the last evaluation
    QString summary; // templates expanded
    QString description;
    bool inhibited = false; // another alert it depends on fires: kept, not notified
    QString silencedBy; // the silence's id, or empty
    QString ackedBy; // who acknowledged it ("cli:alice"), or empty
    qint64 ackedAtMs = 0;
};

struct AlertTransition
{
    AlertInstance alert; // after the transition
    QString from; // "inactive", "pending" or "firing"
};

// A silence: alerts whose labels match every matcher (label = value) between start and end are
// kept but not notified.
struct AlertSilence
{
    QString id;
    QMap<QString, QString> matchers;
    qint64 startsAtMs = 0;
    qint64 endsAtMs = 0;
    QString createdBy;
    QString comment;

    bool activeAt(qint64 nowMs) const { return nowMs >= startsAtMs && nowMs < endsAtMs; }
    bool matches(const QMap<QString, QString> &labels) const;
};

// "likely LEVEL_N in ~T": where the health score's trend leads (AlertEvaluator::forecast).
struct HealthForecast
{
    bool likely = false; // the trend reaches a worse level within the horizon
    QString level; // "LEVEL_2"
    qint64 etaMs = 0; // from now
    double slopePerHour = 0; // score points per hour (negative = falling)
    double score = 0; // the fitted score now
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::AlertInstance)
Q_DECLARE_METATYPE(Shivx::AlertTransition)
Q_DECLARE_METATYPE(Shivx::HealthForecast)
