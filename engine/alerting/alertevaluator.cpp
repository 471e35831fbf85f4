#include "alerting/alertevaluator.h"

#include <QCryptographicHash>

#include <cmath>

namespace Shivx {

QString toString(AlertState s)
{
    switch (s) {
    case AlertState::Pending:
        return QStringLiteral("pending");
    case AlertState::Firing:
        return QStringLiteral("firing");
    case AlertState::Resolved:
        return QStringLiteral("resolved");
    }
    return QString();
}

bool parseAlertState(const QString &text, AlertState *out)
{
    for (AlertState s : { AlertState::Pending, AlertState::Firing, AlertState::Resolved })
        if (toString(s) == text) {
            *out = s;
            return true;
        }
    return false;
}

bool AlertSilence::matches(const QMap<QString, QString> &labels) const
{
    for (auto it = matchers.cbegin(); it != matchers.cend(); ++it)
        if (labels.value(it.key()) != it.value())
            return false;
    return !matchers.isEmpty();
}

QString AlertEvaluator::fingerprint(const QString &rule, const QMap<QString, QString> &labels)
{
    QByteArray key = rule.toUtf8();
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        key += '\n' + it.key().toUtf8() + '=' + it.value().toUtf8();
    return QString::fromLatin1(
        QCryptographicHash::hash(key, QCryptographicHash::Sha256).toHex().left(16));
}

void AlertEvaluator::setRules(const QList<AlertRule> &rules)
{
    m_rules = rules;
    // Every window starts again (a changed rule's function or window may differ). Alerts of
    // rules that are gone stay until the next evaluate(), which resolves them like a vanished
    // series, so that the store drops their rows and the resolution is audited.
    m_series.clear();
}

void AlertEvaluator::restore(const QList<AlertInstance> &alerts)
{
    for (const AlertInstance &a : alerts)
        if (a.state != AlertState::Resolved)
            m_alerts.insert(a.fingerprint, a);
}

QList<AlertTransition> AlertEvaluator::evaluate(const QList<FamilySnapshot> &families, qint64 nowMs)
{
    // Several families may share a name: the registry's own and the series scraped from
    // `prometheus` targets (other label names), as one PromQL name selects them all.
    QHash<QString, QList<const FamilySnapshot *>> byName;
    for (const FamilySnapshot &f : families)
        byName[f.name].append(&f);
    QList<AlertTransition> out;
    QSet<QString> seenAlerts;
    for (const AlertRule &rule : std::as_const(m_rules)) {
        if (rule.always) {
            QMap<QString, QString> labels = rule.labels;
            labels.insert(QStringLiteral("alertname"), rule.name);
            labels.insert(QStringLiteral("severity"), rule.severity);
            seenAlerts.insert(fingerprint(rule.name, labels));
            step(rule, rule.name, labels, true, 1, nowMs, &out);
            continue;
        }
        QList<QPair<QString, QMap<QString, QString>>> present;
        for (const FamilySnapshot *f : byName.value(rule.series.metric)) {
            for (const SeriesValue &s : f->series) {
                if (!rule.series.matches(f->labelNames, s.labelValues))
                    continue;
                QMap<QString, QString> labels;
                for (int i = 0; i < f->labelNames.size(); ++i)
                    labels.insert(f->labelNames.at(i), s.labelValues.value(i));
                const QString key = seriesKey(rule.name, labels);
                Series &series = m_series[key];
                if (!series.window)
                    series.window = std::make_shared<SlidingWindow>(
                        rule.windowMs, rule.function == WindowFunction::Quantile);
                // A histogram's or summary's series stands for its observations: the count.
                const double v = f->type == MetricType::Histogram || f->type == MetricType::Summary
                    ? double(s.count)
                    : s.value;
                series.window->add(nowMs, v);
                series.lastSeenMs = nowMs;
                present.append({ key, labels });
            }
        }
        for (const auto &[key, seriesLabels] : present) {
            const double v = m_series.value(key).window->value(rule.function, rule.param);
            QMap<QString, QString> labels = seriesLabels;
            for (auto it = rule.labels.cbegin(); it != rule.labels.cend(); ++it)
                labels.insert(it.key(), it.value());
            labels.insert(QStringLiteral("alertname"), rule.name);
            labels.insert(QStringLiteral("severity"), rule.severity);
            seenAlerts.insert(fingerprint(rule.name, labels));
            step(rule, key, labels, rule.compare(v), v, nowMs, &out);
        }
    }
    // A series that disappeared (a removed target) no longer holds its alert.
    for (auto it = m_alerts.begin(); it != m_alerts.end();) {
        if (seenAlerts.contains(it.key())) {
            ++it;
            continue;
        }
        // Pending ones too, so that the store drops their row.
        AlertInstance a = it.value();
        it = m_alerts.erase(it);
        const QString from = toString(a.state);
        a.state = AlertState::Resolved;
        a.resolvedAtMs = nowMs;
        out.append({ a, from });
    }
    for (auto it = m_series.begin(); it != m_series.end();)
        it = nowMs - it->lastSeenMs > it->window->windowMs() ? m_series.erase(it) : std::next(it);
    applyInhibitionAndSilences(nowMs);
    for (AlertTransition &t : out)
        if (m_alerts.contains(t.alert.fingerprint)) {
            t.alert.inhibited = m_alerts.value(t.alert.fingerprint).inhibited;
            t.alert.silencedBy = m_alerts.value(t.alert.fingerprint).silencedBy;
        }

    if (m_health) {
        // The engine's own score: the registry's family, the first of that name.
        if (const FamilySnapshot *f = byName.value(QStringLiteral("shivx_health_score")).value(0))
            if (!f->series.isEmpty())
                m_health->add(nowMs, f->series.first().value);
    }
    return out;
}

void AlertEvaluator::seed(const AlertRule &rule, const QMap<QString, QString> &labels,
    const QList<QPair<qint64, double>> &points)
{
    if (points.isEmpty() || rule.always)
        return;
    Series &series = m_series[seriesKey(rule.name, labels)];
    if (!series.window)
        series.window = std::make_shared<SlidingWindow>(
            rule.windowMs, rule.function == WindowFunction::Quantile);
    for (const auto &[ts, v] : points)
        series.window->add(ts, v);
    series.lastSeenMs = qMax(series.lastSeenMs, points.last().first);
}

QString AlertEvaluator::seriesKey(const QString &rule, const QMap<QString, QString> &labels)
{
    QString key = rule;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        key += QLatin1Char('\n') + it.key() + QLatin1Char('=') + it.value();
    return key;
}

void AlertEvaluator::step(const AlertRule &rule, const QString &,
    const QMap<QString, QString> &labels, bool condition, double value, qint64 nowMs,
    QList<AlertTransition> *out)
{
    const QString fp = fingerprint(rule.name, labels);
    auto it = m_alerts.find(fp);
    if (!condition) {
        if (it == m_alerts.end())
            return;
        AlertInstance a = it.value();
        m_alerts.erase(it);
        const QString from = toString(a.state);
        if (a.state == AlertState::Firing) {
            a.state = AlertState::Resolved;
            a.resolvedAtMs = nowMs;
            a.value = value;
            out->append({ a, from });
        } else {
            // Pending that never fired: back to inactive, recorded as resolved from pending.
            a.state = AlertState::Resolved;
            a.resolvedAtMs = nowMs;
            out->append({ a, from });
        }
        return;
    }
    if (it == m_alerts.end()) {
        AlertInstance a;
        a.fingerprint = fp;
        a.rule = rule.name;
        a.severity = rule.severity;
        a.labels = labels;
        a.activeSinceMs = nowMs;
        a.state = AlertState::Pending;
        it = m_alerts.insert(fp, a);
        a.value = value;
        a.summary = expandTemplate(rule.summary, rule, labels, value);
        a.description = expandTemplate(rule.description, rule, labels, value);
        it.value() = a;
        out->append({ a, QStringLiteral("inactive") });
    }
    AlertInstance &a = it.value();
    a.value = value;
    a.summary = expandTemplate(rule.summary, rule, labels, value);
    a.description = expandTemplate(rule.description, rule, labels, value);
    if (a.state == AlertState::Pending && nowMs - a.activeSinceMs >= rule.forMs) {
        a.state = AlertState::Firing;
        a.firedAtMs = nowMs;
        out->append({ a, QStringLiteral("pending") });
    }
}

void AlertEvaluator::applyInhibitionAndSilences(qint64 nowMs)
{
    QHash<QString, const AlertRule *> rules;
    for (const AlertRule &r : std::as_const(m_rules))
        rules.insert(r.name, &r);
    for (AlertInstance &a : m_alerts) {
        a.inhibited = false;
        const AlertRule *rule = rules.value(a.rule);
        if (rule) {
            for (const AlertInstance &other : std::as_const(m_alerts)) {
                if (other.state != AlertState::Firing || !rule->inhibitedBy.contains(other.rule))
                    continue;
                bool equal = true;
                for (const QString &l : rule->inhibitEqual)
                    equal = equal && a.labels.value(l) == other.labels.value(l);
                if (equal) {
                    a.inhibited = true;
                    break;
                }
            }
        }
        a.silencedBy.clear();
        for (const AlertSilence &s : std::as_const(m_silences))
            if (s.activeAt(nowMs) && s.matches(a.labels)) {
                a.silencedBy = s.id;
                break;
            }
    }
}

QList<AlertInstance> AlertEvaluator::active() const
{
    QHash<QString, int> order;
    for (int i = 0; i < m_rules.size(); ++i)
        order.insert(m_rules.at(i).name, i);
    QList<AlertInstance> out = m_alerts.values();
    std::stable_sort(out.begin(), out.end(), [&](const AlertInstance &a, const AlertInstance &b) {
        return order.value(a.rule) < order.value(b.rule);
    });
    return out;
}

bool AlertEvaluator::acknowledge(const QString &fingerprint, const QString &actor, qint64 nowMs)
{
    auto it = m_alerts.find(fingerprint);
    if (it == m_alerts.end())
        return false;
    it->ackedBy = actor;
    it->ackedAtMs = nowMs;
    return true;
}

void AlertEvaluator::setForecast(qint64 windowMs, qint64 horizonMs,
    std::function<QString(double)> levelForScore, QList<QPair<QString, double>> levelMins)
{
    m_health = std::make_unique<SlidingWindow>(windowMs);
    m_horizonMs = horizonMs;
    m_levelForScore = std::move(levelForScore);
    m_levelMins = std::move(levelMins);
}

HealthForecast AlertEvaluator::forecast(qint64 nowMs) const
{
    HealthForecast f;
    if (!m_health || m_health->size() < 3)
        return f;
    const double slope = m_health->slopePerSecond();
    if (!std::isfinite(slope))
        return f;
    f.slopePerHour = slope * 3600;
    f.score = m_health->fittedAt(nowMs);
    if (slope >= 0 || !m_levelForScore)
        return f;
    const QString now = m_levelForScore(f.score);
    // The first boundary below the current level that the trend crosses.
    for (const auto &[level, minScore] : m_levelMins) {
        if (minScore >= f.score)
            continue; // a better level than the current one
        const double seconds = (minScore - f.score) / slope;
        const double below = minScore - 1e-9;
        const QString next = m_levelForScore(below);
        if (next == now)
            continue;
        if (seconds * 1000 <= double(m_horizonMs)) {
            f.likely = true;
            f.level = next;
            f.etaMs = qint64(seconds * 1000);
        }
        break;
    }
    return f;
}

} // namespace Shivx
