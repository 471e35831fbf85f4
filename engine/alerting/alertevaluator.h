#pragma once

#include "alerting/alertinstance.h"
#include "alerting/alertrule.h"
#include "alerting/slidingwindow.h"
#include "telemetry/metricregistry.h"

#include <QHash>

#include <functional>
#include <memory>

namespace Shivx {

// Evaluates alert rules against snapshots of the metric registry: every evaluation appends
// the current value of each selected series to that (rule, series) window, whose aggregates
// are kept up to date incrementally (SlidingWindow), compares, and moves each alert through
// pending -> firing -> resolved. Applies inhibition, silences and acknowledgements. Pure
// logic: no timers, no threads, no storage; the AlertingController drives it.
class AlertEvaluator
{
public:
    // Replaces the rules; alerts of rules that are gone resolve at the next evaluate().
    void setRules(const QList<AlertRule> &rules);
    const QList<AlertRule> &rules() const { return m_rules; }

    // Alerts kept from before a restart (pending and firing): they continue where they were,
    // so that an inhibiting alert inhibits at once instead of after its `for` again.
    void restore(const QList<AlertInstance> &alerts);
    void setSilences(const QList<AlertSilence> &silences) { m_silences = silences; }

    // One evaluation at `nowMs`; returns the state changes, in rule order. Resolved alerts are
    // returned once and then forgotten.
    QList<AlertTransition> evaluate(const QList<FamilySnapshot> &families, qint64 nowMs);

    // Fills the window of `rule` (one of rules()) for the series with `labels` with stored
    // points (ms, value; ascending), as if those evaluations had run: after a restart a rule
    // over a 10 min window judges 10 min at its first evaluation instead of one sample.
    // Call after setRules() and before the first evaluate() of those rules.
    void seed(const AlertRule &rule, const QMap<QString, QString> &labels,
        const QList<QPair<qint64, double>> &points);

    // Pending and firing alerts, in rule order.
    QList<AlertInstance> active() const;
    // Acknowledges a firing or pending alert (until it resolves); false when none has that
    // fingerprint.
    bool acknowledge(const QString &fingerprint, const QString &actor, qint64 nowMs);

    // The health score's trend against the degradation levels: `levelForScore` maps a score to
    // a level name, `levelMins` lists (level, lowest score) from the best level down.
    void setForecast(qint64 windowMs, qint64 horizonMs,
        std::function<QString(double)> levelForScore, QList<QPair<QString, double>> levelMins);
    HealthForecast forecast(qint64 nowMs) const;

    static QString fingerprint(const QString &rule, const QMap<QString, QString> &labels);
    // The key of one (rule, series) window: the rule and the series' labels by name.
    static QString seriesKey(const QString &rule, const QMap<QString, QString> &labels);

private:
    struct Series
    {
        std::shared_ptr<SlidingWindow> window; // shared: QHash copies on detach
        qint64 lastSeenMs = 0;
    };
    void step(const AlertRule &rule, const QString &key, const QMap<QString, QString> &labels,
        bool condition, double value, qint64 nowMs, QList<AlertTransition> *out);
    void applyInhibitionAndSilences(qint64 nowMs);

    QList<AlertRule> m_rules;
    QHash<QString, Series> m_series; // rule + '\n' + series labels
    QMap<QString, AlertInstance> m_alerts; // by fingerprint: pending and firing
    QList<AlertSilence> m_silences;

    std::unique_ptr<SlidingWindow> m_health;
    qint64 m_horizonMs = 0;
    std::function<QString(double)> m_levelForScore;
    QList<QPair<QString, double>> m_levelMins;
};

} // namespace Shivx
