#include "degradation/degradationpolicy.h"

#include "core/clock.h"
#include "core/timeutil.h"

namespace Shivx {

QString toString(DegradationTransition::Cause cause)
{
    switch (cause) {
    case DegradationTransition::Cause::Score:
        return QStringLiteral("score");
    case DegradationTransition::Cause::Recovery:
        return QStringLiteral("recovery");
    case DegradationTransition::Cause::Pin:
        return QStringLiteral("pin");
    case DegradationTransition::Cause::Release:
        return QStringLiteral("release");
    case DegradationTransition::Cause::Expiry:
        return QStringLiteral("expiry");
    }
    return {};
}

namespace {

QString number(double v)
{
    return QString::number(v, 'f', 1);
}

} // namespace

DegradationPolicy::DegradationPolicy(DegradationConfig config, Clock *clock)
    : m_config(std::move(config))
    , m_clock(clock ? clock : Clock::system())
    , m_sinceMs(m_clock->nowMs())
    , m_reason(makeMessage("degradation.no_score", {}, QStringLiteral("no score yet")))
{
}

DegradationLevel DegradationPolicy::level() const
{
    return m_override.active ? m_override.level : m_automatic;
}

Message DegradationPolicy::afterPin() const
{
    if (!m_hasScore)
        return makeMessage("degradation.no_score", {}, QStringLiteral("no score yet"));
    return makeMessage("degradation.score_means", { m_lastScore, toString(m_automatic) },
        QStringLiteral("score %1 means %2").arg(number(m_lastScore), toString(m_automatic)));
}

Message DegradationPolicy::updateAutomatic(double score, qint64 now)
{
    const bool first = !m_hasScore;
    m_hasScore = true;
    m_lastScore = score;
    const DegradationLevel implied = m_config.levelForScore(score);
    if (implied > m_automatic) {
        // Worse: at once, and any recovery in progress is void.
        m_automatic = implied;
        m_recoverySinceMs = 0;
        const double floor
            = m_config.minScoreOf(degradationLevelFromValue(levelValue(implied) - 1));
        return makeMessage("degradation.score_below", { score, floor },
            QStringLiteral("score %1 below %2").arg(number(score), number(floor)));
    }
    if (implied == m_automatic) {
        // A dip back to the current level's band resets the hold: recovery needs an
        // unbroken stretch of good scores.
        m_recoverySinceMs = 0;
        if (first && !m_override.active) {
            const double floor = m_config.minScoreOf(implied);
            m_reason = makeMessage("degradation.score_at_or_above", { score, floor },
                QStringLiteral("score %1 at or above %2").arg(number(score), number(floor)));
        }
        return {};
    }
    // Better. The level reached after the hold is the worst one the score implied during
    // it, so a score bouncing between LEVEL_1 and NORMAL recovers to LEVEL_1 only.
    if (m_recoverySinceMs == 0) {
        m_recoverySinceMs = now;
        m_recoveryTarget = implied;
    } else if (implied > m_recoveryTarget) {
        m_recoveryTarget = implied;
    }
    if (now - m_recoverySinceMs < m_config.recoveryHoldMs)
        return {};
    m_automatic = m_recoveryTarget;
    const double floor = m_config.minScoreOf(m_automatic);
    const qint64 heldMs = now - m_recoverySinceMs;
    const Message why = makeMessage("degradation.score_held", { floor, heldMs },
        QStringLiteral("score held at or above %1 for %2")
            .arg(number(floor), TimeUtil::formatDurationMs(heldMs)));
    m_recoverySinceMs = 0;
    if (implied < m_automatic) {
        // Still better than where we landed: the next step's hold starts now.
        m_recoverySinceMs = now;
        m_recoveryTarget = implied;
    }
    return why;
}

bool DegradationPolicy::expireIfDue(qint64 now)
{
    if (!m_override.active || now < m_override.untilMs)
        return false;
    m_override.active = false;
    return true;
}

std::optional<DegradationTransition> DegradationPolicy::change(DegradationLevel from,
    DegradationTransition::Cause cause, const Message &reason, const QString &actor, qint64 now)
{
    m_reason = reason;
    if (from == level())
        return std::nullopt;
    m_sinceMs = now;
    DegradationTransition t;
    t.from = from;
    t.to = level();
    t.cause = cause;
    t.hasScore = m_hasScore;
    t.score = m_lastScore;
    t.reason = reason;
    t.actor = actor;
    t.atMs = now;
    return t;
}

std::optional<DegradationTransition> DegradationPolicy::observe(double score)
{
    const qint64 now = m_clock->nowMs();
    const DegradationLevel before = level();
    const DegradationLevel automaticBefore = m_automatic;
    const Message why = updateAutomatic(score, now);
    const DegradationOverride pin = m_override;
    if (expireIfDue(now))
        return change(before, DegradationTransition::Cause::Expiry, pinExpired(pin),
            QStringLiteral("engine"), now);
    if (m_override.active || m_automatic == automaticBefore)
        return std::nullopt;
    return change(before,
        m_automatic > automaticBefore ? DegradationTransition::Cause::Score
                                      : DegradationTransition::Cause::Recovery,
        why, QStringLiteral("engine"), now);
}

std::optional<DegradationTransition> DegradationPolicy::tick()
{
    const qint64 now = m_clock->nowMs();
    const DegradationLevel before = level();
    const DegradationOverride pin = m_override;
    if (!expireIfDue(now))
        return std::nullopt;
    return change(before, DegradationTransition::Cause::Expiry, pinExpired(pin),
        QStringLiteral("engine"), now);
}

std::optional<DegradationTransition> DegradationPolicy::pin(
    DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor)
{
    const qint64 now = m_clock->nowMs();
    const DegradationLevel before = this->level();
    m_override = DegradationOverride { true, level, reason, actor, now,
        now + qMax<qint64>(durationMs, 1) };
    return change(before, DegradationTransition::Cause::Pin,
        makeMessage("degradation.pinned", { actor, durationMs, reason },
            QStringLiteral("pinned by %1 for %2: %3")
                .arg(actor, TimeUtil::formatDurationMs(durationMs), reason)),
        actor, now);
}

std::optional<DegradationTransition> DegradationPolicy::release(const QString &actor)
{
    if (!m_override.active)
        return std::nullopt;
    const qint64 now = m_clock->nowMs();
    const DegradationLevel before = level();
    m_override.active = false;
    const Message then = afterPin();
    return change(before, DegradationTransition::Cause::Release,
        makeMessage("degradation.released", { actor, QVariant::fromValue(then) },
            QStringLiteral("pin released by %1; %2").arg(actor, then.text)),
        actor, now);
}

Message DegradationPolicy::pinExpired(const DegradationOverride &pin) const
{
    const Message then = afterPin();
    return makeMessage("degradation.pin_expired",
        { toString(pin.level), pin.actor, QVariant::fromValue(then) },
        QStringLiteral("pin of %1 by %2 expired; %3")
            .arg(toString(pin.level), pin.actor, then.text));
}

} // namespace Shivx
