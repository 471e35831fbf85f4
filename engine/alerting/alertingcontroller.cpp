#include "alerting/alertingcontroller.h"

#include "alerting/rulebacktest.h"
#include "audit/auditsink.h"
#include "core/clock.h"
#include "telemetry/historystore.h"
#include "telemetry/metricregistry.h"

#include <QElapsedTimer>

#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcAlerting, "shivx.alerting")

namespace Shivx {

namespace {

// Audit data holds strings and integers only: labels as `a="x",b="y"`.
QString labelsObject(const QMap<QString, QString> &labels)
{
    QStringList parts;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        parts << QStringLiteral("%1=\"%2\"").arg(it.key(), it.value());
    return parts.join(QLatin1Char(','));
}

} // namespace

AlertingController::AlertingController(AlertingConfig config, QString databasePath,
    const MetricRegistry *registry, Clock *clock, AuditSink *audit, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_databasePath(std::move(databasePath))
    , m_registry(registry)
    , m_clock(clock ? clock : Clock::system())
    , m_audit(audit)
    , m_snapshot(std::make_shared<AlertingSnapshot>())
{
    m_evaluator.setRules(m_config.rules);
}

AlertingController::~AlertingController() = default;

void AlertingController::setForecastLevels(
    std::function<QString(double)> levelForScore, QList<QPair<QString, double>> levelMins)
{
    m_evaluator.setForecast(m_config.forecastWindowMs, m_config.forecastHorizonMs,
        std::move(levelForScore), std::move(levelMins));
}

void AlertingController::setExtraFamilies(std::function<QList<FamilySnapshot>()> extra)
{
    m_extraFamilies = std::move(extra);
}

std::shared_ptr<const AlertingSnapshot> AlertingController::snapshotPtr() const
{
    QMutexLocker l(&m_snapshotLock);
    return m_snapshot;
}

void AlertingController::start()
{
    auto store = AlertStore::open(m_databasePath, QStringLiteral("shivx.alerting"));
    if (!store) {
        qCWarning(lcAlerting).noquote() << "alert store:" << store.error().message;
    } else {
        m_store = std::move(*store);
        if (auto kept = m_store->activeAlerts())
            m_evaluator.restore(*kept);
        if (auto s = m_store->silences())
            m_silences = *s;
    }
    m_evaluator.setSilences(m_silences);
    seedWindows();
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &AlertingController::evaluate);
    m_timer->start(int(m_config.intervalMs));
    evaluate();
}

void AlertingController::stop()
{
    if (m_timer)
        m_timer->stop();
    m_store.reset();
    publish();
}

void AlertingController::seedWindows()
{
    const QList<AlertRule> &rules = m_evaluator.rules();
    if (rules.isEmpty() || m_databasePath.isEmpty())
        return;
    QElapsedTimer spent;
    spent.start();
    // Its own connection on this thread, closed when done: the writer's is the storage thread's.
    auto store = HistoryStore::open(m_databasePath, QStringLiteral("shivx.alerting.seed"));
    if (!store) {
        qCWarning(lcAlerting).noquote()
            << "alert windows start empty: history:" << store.error().message;
        return;
    }
    auto all = (*store)->listSeries();
    if (!all) {
        qCWarning(lcAlerting).noquote()
            << "alert windows start empty: history:" << all.error().message;
        return;
    }
    const qint64 now = m_clock->nowMs();
    int series = 0;
    qint64 points = 0;
    bool cut = false;
    for (const AlertRule &rule : rules) {
        if (rule.always)
            continue;
        const qint64 from = now - rule.windowMs;
        for (const BacktestSeries &s : RuleBacktest::matchingSeries(*all, rule, from, now)) {
            if (series >= MaxSeedSeries || spent.elapsed() > MaxSeedMs) {
                cut = true;
                break;
            }
            auto q = (*store)->query(s.name, from, now, Resolution::Auto, MaxSeedPoints);
            if (!q)
                continue;
            QList<QPair<qint64, double>> stored;
            stored.reserve(q->points.size());
            for (const HistoryPoint &p : std::as_const(q->points))
                stored.append({ p.tsMs, p.avg });
            m_evaluator.seed(rule, s.labels, stored);
            ++series;
            points += stored.size();
        }
        if (cut)
            break;
    }
    qCInfo(lcAlerting).noquote()
        << QStringLiteral("alert windows seeded from the history: %1 series, %2 points in %3 ms%4")
               .arg(series)
               .arg(points)
               .arg(spent.elapsed())
               .arg(cut ? QStringLiteral(" (stopped at the limit; the rest fill as rules run)")
                        : QString());
}

void AlertingController::evaluate()
{
    const qint64 now = m_clock->nowMs();
    m_silences.removeIf([now](const AlertSilence &s) { return s.endsAtMs <= now; });
    m_evaluator.setSilences(m_silences);
    QList<FamilySnapshot> families = m_registry->collect();
    if (m_extraFamilies)
        families += m_extraFamilies();
    const QList<AlertTransition> transitions = m_evaluator.evaluate(families, now);
    m_evaluatedAtMs = now;
    recordTransitions(transitions, true);
    QList<AlertTransition> ended;
    for (auto it = m_pushed.begin(); it != m_pushed.end();) {
        if (it->untilMs > now) {
            ++it;
            continue;
        }
        AlertInstance a = it->alert;
        a.state = AlertState::Resolved;
        a.resolvedAtMs = now;
        ended.append({ a, QStringLiteral("firing") });
        it = m_pushed.erase(it);
    }
    recordTransitions(ended, false);
    publish();
}

void AlertingController::pushAlert(const QMap<QString, QString> &labels, const QString &summary,
    const QString &description, qint64 holdMs)
{
    const qint64 now = m_clock->nowMs();
    const QString fingerprint = QStringLiteral("pushed:") + labelsObject(labels);
    auto it = m_pushed.find(fingerprint);
    if (it != m_pushed.end()) {
        it->untilMs = now + holdMs;
        it->alert.summary = summary;
        it->alert.description = description;
        publish();
        return;
    }
    AlertInstance a;
    a.fingerprint = fingerprint;
    a.rule = labels.value(QStringLiteral("alertname"));
    a.severity = labels.value(QStringLiteral("severity"));
    a.labels = labels;
    a.state = AlertState::Firing;
    a.activeSinceMs = a.firedAtMs = now;
    a.summary = summary;
    a.description = description;
    m_pushed.insert(fingerprint, { a, now + holdMs });
    recordTransitions({ { a, QStringLiteral("inactive") } }, false);
    publish();
}

void AlertingController::recordTransitions(const QList<AlertTransition> &transitions, bool store)
{
    const qint64 now = m_clock->nowMs();
    if (!transitions.isEmpty()) {
        if (m_store && store)
            if (auto r = m_store->record(transitions, now); !r)
                qCWarning(lcAlerting).noquote() << r.error().message;
        for (const AlertTransition &t : transitions)
            audit(QStringLiteral("engine"), QStringLiteral("alert.") + toString(t.alert.state),
                { { QStringLiteral("alert"), t.alert.rule },
                    { QStringLiteral("fingerprint"), t.alert.fingerprint },
                    { QStringLiteral("from"), t.from },
                    { QStringLiteral("labels"), labelsObject(t.alert.labels) },
                    // Decimals as strings: audit data holds integers and strings only.
                    { QStringLiteral("value"), QString::number(t.alert.value, 'g', 6) } });
        Q_EMIT transitioned(transitions);
    }
}

void AlertingController::publish()
{
    auto s = std::make_shared<AlertingSnapshot>();
    s->running = m_timer && m_timer->isActive();
    s->rules = m_evaluator.rules().size();
    s->alerts = m_evaluator.active();
    const qint64 now = m_clock->nowMs();
    for (const Pushed &p : std::as_const(m_pushed)) {
        AlertInstance a = p.alert;
        for (const AlertSilence &silence : std::as_const(m_silences))
            if (a.silencedBy.isEmpty() && silence.activeAt(now) && silence.matches(a.labels))
                a.silencedBy = silence.id;
        s->alerts.append(a);
    }
    s->silences = m_silences;
    s->forecast = m_evaluator.forecast(m_clock->nowMs());
    s->evaluatedAtMs = m_evaluatedAtMs;
    {
        QMutexLocker l(&m_snapshotLock);
        m_snapshot = s;
    }
    Q_EMIT snapshotChanged(*s);
}

void AlertingController::audit(const QString &actor, const QString &action, const QJsonObject &data)
{
    if (m_audit)
        m_audit->record(
            { action.startsWith(QLatin1String("alert.")) && actor == QLatin1String("engine")
                    ? AuditStreams::resilience()
                    : AuditStreams::operatorActions(),
                actor, action, data, m_clock->nowMs() });
}

Result<AlertSilence> AlertingController::silence(const QMap<QString, QString> &matchers,
    qint64 durationMs, const QString &comment, const QString &actor)
{
    if (matchers.isEmpty())
        return makeError("alerting.bad_silence",
            QStringLiteral("a silence needs at least one matcher (label=value)"));
    if (durationMs < 1000 || durationMs > 30LL * 86'400'000)
        return makeError("alerting.bad_silence", QStringLiteral("a silence lasts from 1s to 30d"));
    const qint64 now = m_clock->nowMs();
    AlertSilence s { QUuid::createUuid().toString(QUuid::WithoutBraces), matchers, now,
        now + durationMs, actor, comment };
    if (m_store)
        if (auto r = m_store->addSilence(s); !r)
            return r.error();
    m_silences.append(s);
    audit(actor, QStringLiteral("alert.silenced"),
        { { QStringLiteral("silence"), s.id },
            { QStringLiteral("matchers"), labelsObject(matchers) },
            { QStringLiteral("until_ms"), s.endsAtMs }, { QStringLiteral("comment"), comment } });
    evaluate();
    return s;
}

Result<void> AlertingController::expireSilence(const QString &id, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    bool found = false;
    for (AlertSilence &s : m_silences)
        if (s.id == id && s.endsAtMs > now) {
            s.endsAtMs = now;
            found = true;
        }
    if (!found)
        return makeError(
            "alerting.no_such_silence", QStringLiteral("no active silence %1").arg(id));
    if (m_store)
        if (auto r = m_store->expireSilence(id, now); !r)
            return r.error();
    audit(actor, QStringLiteral("alert.silence_expired"), { { QStringLiteral("silence"), id } });
    evaluate();
    return {};
}

Result<AlertInstance> AlertingController::acknowledge(
    const QString &fingerprint, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    if (!m_evaluator.acknowledge(fingerprint, actor, now))
        return makeError("alerting.no_such_alert",
            QStringLiteral("no pending or firing alert %1").arg(fingerprint));
    AlertInstance acked;
    for (const AlertInstance &a : m_evaluator.active())
        if (a.fingerprint == fingerprint)
            acked = a;
    if (m_store)
        if (auto r = m_store->update(acked); !r)
            return r.error();
    audit(actor, QStringLiteral("alert.acknowledged"),
        { { QStringLiteral("alert"), acked.rule },
            { QStringLiteral("fingerprint"), fingerprint } });
    publish();
    return acked;
}

void AlertingController::setRules(const QList<AlertRule> &rules)
{
    m_config.rules = rules;
    m_evaluator.setRules(rules);
    if (m_timer) {
        seedWindows();
        evaluate();
    }
}

Result<QList<AlertHistoryEntry>> AlertingController::history(int limit, const QString &rule)
{
    if (!m_store)
        return makeError("alerting.storage", QStringLiteral("the alert store is not open"));
    return m_store->history(limit, rule);
}

} // namespace Shivx
