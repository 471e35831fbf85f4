#include "degradation/degradationcontroller.h"

#include "audit/auditsink.h"
#include "core/clock.h"
#include "core/timeutil.h"

#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

Q_LOGGING_CATEGORY(lcDegradation, "shivx.degradation")

namespace Shivx {

namespace {

QString scoreString(bool hasScore, double score)
{
    // The audit log takes no floating point: decimals travel as text.
    return hasScore ? QString::number(score, 'f', 1) : QStringLiteral("none");
}

} // namespace

DegradationController::DegradationController(
    DegradationConfig config, Clock *clock, AuditSink *audit, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(clock ? clock : Clock::system())
    , m_audit(audit)
    , m_policy(m_config, m_clock)
{
    QMutexLocker l(&m_mutex);
    publishLocked();
}

DegradationController::~DegradationController() = default;

DegradationSnapshot DegradationController::snapshot() const
{
    return *snapshotPtr();
}

std::shared_ptr<const DegradationSnapshot> DegradationController::snapshotPtr() const
{
    QMutexLocker l(&m_mutex);
    return m_snapshot;
}

std::shared_ptr<const DegradationSnapshot> DegradationController::publishLocked()
{
    auto s = std::make_shared<DegradationSnapshot>();
    s->level = m_policy.level();
    s->automaticLevel = m_policy.automaticLevel();
    s->hasScore = m_policy.hasScore();
    s->score = m_policy.lastScore();
    s->sinceMs = m_policy.sinceMs();
    s->reason = m_policy.reason();
    s->pin = m_policy.currentPin();
    s->recoverySinceMs = m_policy.recoverySinceMs();
    s->recoveryTarget = m_policy.recoveryTarget();
    s->recoveryHoldMs = m_config.recoveryHoldMs;
    s->transitions = m_transitions;
    s->features = m_config.features.at(s->level);
    m_snapshot = s;
    return s;
}

bool DegradationController::sameState(const DegradationSnapshot &a, const DegradationSnapshot &b)
{
    return a.level == b.level && a.automaticLevel == b.automaticLevel && a.reason == b.reason
        && a.sinceMs == b.sinceMs && a.pin.active == b.pin.active && a.pin.untilMs == b.pin.untilMs
        && a.pin.level == b.pin.level && a.pin.reason == b.pin.reason
        && a.recoverySinceMs == b.recoverySinceMs && a.recoveryTarget == b.recoveryTarget;
}

void DegradationController::start()
{
    // Pins expire on time even when no health report arrives (a stalled sampler).
    m_timer = new QTimer(this);
    connect(
        m_timer, &QTimer::timeout, this, [this] { advance([this] { return m_policy.tick(); }); });
    m_timer->start(1000);
}

std::shared_ptr<const DegradationSnapshot> DegradationController::advance(
    const std::function<std::optional<DegradationTransition>()> &step)
{
    std::optional<DegradationTransition> t;
    std::shared_ptr<const DegradationSnapshot> s;
    bool changed = false;
    {
        QMutexLocker l(&m_mutex);
        const auto before = m_snapshot;
        const DegradationOverride pin = m_policy.currentPin();
        t = step();
        if (pin.active && !m_policy.isPinned())
            recordExpiry(pin);
        if (t)
            ++m_transitions;
        s = publishLocked();
        changed = !sameState(*before, *s);
    }
    record(t);
    announce(t, changed);
    return s;
}

void DegradationController::stop()
{
    if (m_timer)
        m_timer->stop();
}

void DegradationController::onHealth(const HealthReport &report)
{
    const auto s = advance([this, &report] { return m_policy.observe(report.score); });
    const qint64 ts = report.timestampMs > 0 ? report.timestampMs : m_clock->nowMs();
    Q_EMIT historyPoints(
        { { QStringLiteral("degradation.level"), ts, double(levelValue(s->level)) } });
}

Result<DegradationSnapshot> DegradationController::pin(
    DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor)
{
    const QString why = reason.trimmed();
    if (why.isEmpty())
        return makeError("degradation.bad_reason",
            QStringLiteral("reason: required, say why the level is pinned"));
    if (why.size() > 500)
        return makeError(
            "degradation.bad_reason", QStringLiteral("reason: at most 500 characters"));
    if (durationMs < 1000 || durationMs > m_config.maxPinMs)
        return makeError("degradation.bad_duration",
            QStringLiteral("for: %1 is outside 1s .. %2 (degradation.max_pin)")
                .arg(TimeUtil::formatDurationMs(qMax<qint64>(durationMs, 0)),
                    TimeUtil::formatDurationMs(m_config.maxPinMs)),
            { durationMs, m_config.maxPinMs });
    const QString who = actor.trimmed().isEmpty() ? QStringLiteral("api") : actor.trimmed();

    std::optional<DegradationTransition> t;
    std::shared_ptr<const DegradationSnapshot> s;
    bool changed = false;
    {
        QMutexLocker l(&m_mutex);
        const auto before = m_snapshot;
        t = m_policy.pin(level, why, durationMs, who);
        if (t)
            ++m_transitions;
        s = publishLocked();
        changed = !sameState(*before, *s);
        if (m_audit)
            m_audit->record(AuditEvent { AuditStreams::operatorActions(), who,
                QStringLiteral("degradation.pinned"),
                { { QStringLiteral("level"), toString(level) },
                    { QStringLiteral("previous_level"), toString(before->level) },
                    { QStringLiteral("reason"), why },
                    { QStringLiteral("duration_ms"), durationMs },
                    { QStringLiteral("until"), TimeUtil::toRfc3339(s->pin.untilMs) },
                    { QStringLiteral("score"), scoreString(s->hasScore, s->score) } },
                m_clock->nowMs() });
    }
    qCInfo(lcDegradation).noquote() << "level pinned at" << toString(level) << "by" << who << "for"
                                    << TimeUtil::formatDurationMs(durationMs) << ":" << why;
    record(t);
    announce(t, changed);
    return *s;
}

DegradationSnapshot DegradationController::release(const QString &actor, bool *released)
{
    const QString who = actor.trimmed().isEmpty() ? QStringLiteral("api") : actor.trimmed();
    std::optional<DegradationTransition> t;
    std::shared_ptr<const DegradationSnapshot> s;
    bool changed = false;
    {
        QMutexLocker l(&m_mutex);
        const auto before = m_snapshot;
        const bool wasPinned = m_policy.isPinned();
        if (released)
            *released = wasPinned;
        if (!wasPinned)
            return *before;
        t = m_policy.release(who);
        if (t)
            ++m_transitions;
        s = publishLocked();
        changed = !sameState(*before, *s);
        if (m_audit)
            m_audit->record(AuditEvent { AuditStreams::operatorActions(), who,
                QStringLiteral("degradation.released"),
                { { QStringLiteral("level"), toString(before->pin.level) },
                    { QStringLiteral("pinned_by"), before->pin.actor },
                    { QStringLiteral("level_after"), toString(s->level) },
                    { QStringLiteral("score"), scoreString(s->hasScore, s->score) } },
                m_clock->nowMs() });
    }
    qCInfo(lcDegradation).noquote() << "pin released by" << who << "; level" << toString(s->level);
    record(t);
    announce(t, changed);
    return *s;
}

void DegradationController::recordExpiry(const DegradationOverride &pin)
{
    qCInfo(lcDegradation).noquote()
        << "pin of" << toString(pin.level) << "by" << pin.actor << "expired";
    if (!m_audit)
        return;
    m_audit->record(AuditEvent { AuditStreams::resilience(), QStringLiteral("engine"),
        QStringLiteral("degradation.pin_expired"),
        { { QStringLiteral("level"), toString(pin.level) },
            { QStringLiteral("pinned_by"), pin.actor }, { QStringLiteral("reason"), pin.reason },
            { QStringLiteral("score"), scoreString(m_policy.hasScore(), m_policy.lastScore()) } },
        m_clock->nowMs() });
}

void DegradationController::record(const std::optional<DegradationTransition> &t)
{
    if (!t)
        return;
    qCInfo(lcDegradation).noquote() << "level" << toString(t->from) << "->" << toString(t->to)
                                    << "(" + toString(t->cause) + "):" << t->reason.text;
    if (!m_audit)
        return;
    m_audit->record(AuditEvent { AuditStreams::resilience(), t->actor,
        QStringLiteral("degradation.level_changed"),
        { { QStringLiteral("from"), toString(t->from) }, { QStringLiteral("to"), toString(t->to) },
            { QStringLiteral("cause"), toString(t->cause) },
            { QStringLiteral("reason"), t->reason.text },
            { QStringLiteral("score"), scoreString(t->hasScore, t->score) } },
        t->atMs });
}

void DegradationController::announce(const std::optional<DegradationTransition> &t, bool changed)
{
    if (!t && !changed)
        return;
    // Queued announcements from other threads can arrive after a newer change made on this
    // thread, so snapshotChanged carries the newest snapshot, never an older one.
    auto emitAll = [this, t, changed] {
        if (t) {
            Q_EMIT levelChanged(*t);
            // A pin and release within one health interval must still reach the history.
            Q_EMIT historyPoints(
                { { QStringLiteral("degradation.level"), t->atMs, double(levelValue(t->to)) } });
        }
        if (changed)
            Q_EMIT snapshotChanged(*snapshotPtr());
    };
    if (QThread::currentThread() == thread())
        emitAll();
    else
        QMetaObject::invokeMethod(this, emitAll, Qt::QueuedConnection);
}

} // namespace Shivx
