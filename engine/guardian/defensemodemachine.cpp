#include "guardian/defensemodemachine.h"

#include "core/clock.h"

namespace Shivx {

DefenseModeMachine::DefenseModeMachine(const DefenseModeRules &rules, Clock *clock)
    : m_rules(rules)
    , m_clock(clock)
    , m_reason(makeMessage("guardian.mode.start", {}, QStringLiteral("engine started")))
    , m_changedMs(clock->nowMs())
{
}

void DefenseModeMachine::restore(DefenseMode mode, DefenseMode floor, const Message &reason,
    const QString &actor, qint64 changedMs)
{
    m_mode = mode;
    m_floor = floor;
    m_reason = reason;
    m_actor = actor;
    m_changedMs = changedMs;
    // The engine was down for an unknown part of the quiet period: start it again.
    m_lastAlarmMs = m_clock->nowMs();
    m_warnings.clear();
}

ModeChange DefenseModeMachine::change(DefenseMode to, const Message &reason, const QString &actor)
{
    ModeChange c { m_mode, to, reason, actor, m_clock->nowMs() };
    m_mode = to;
    m_reason = reason;
    m_actor = actor;
    m_changedMs = c.tsMs;
    return c;
}

std::optional<ModeChange> DefenseModeMachine::observe(const ThreatEvent &event)
{
    const qint64 now = m_clock->nowMs();
    const bool alarm = event.severity != ThreatSeverity::Info;
    if (alarm) {
        m_lastAlarmMs = now;
        m_warnings.push_back(now);
    }
    while (!m_warnings.empty() && m_warnings.front() <= now - m_rules.elevateWindowMs)
        m_warnings.pop_front();

    DefenseMode target = m_mode;
    Message why;
    auto raise = [&](DefenseMode to, Message reason) {
        if (to > target) {
            target = to;
            why = std::move(reason);
        }
    };
    if (m_rules.lockdownOnCritical && event.severity == ThreatSeverity::Critical)
        raise(DefenseMode::Lockdown,
            makeMessage("guardian.mode.critical", { event.type, event.source },
                QStringLiteral("critical event %1 from %2").arg(event.type, event.source)));
    if (m_rules.lockdownScore > 0 && event.score >= m_rules.lockdownScore)
        raise(DefenseMode::Lockdown,
            makeMessage("guardian.mode.score", { event.score, m_rules.lockdownScore, event.source },
                QStringLiteral("threat score %1 (at least %2) from %3")
                    .arg(event.score)
                    .arg(m_rules.lockdownScore)
                    .arg(event.source)));
    if (m_rules.elevateScore > 0 && event.score >= m_rules.elevateScore)
        raise(DefenseMode::Elevated,
            makeMessage("guardian.mode.score", { event.score, m_rules.elevateScore, event.source },
                QStringLiteral("threat score %1 (at least %2) from %3")
                    .arg(event.score)
                    .arg(m_rules.elevateScore)
                    .arg(event.source)));
    const qint64 windowS = m_rules.elevateWindowMs / 1000;
    if (m_rules.elevateWarnings > 0 && alarm && int(m_warnings.size()) >= m_rules.elevateWarnings)
        raise(DefenseMode::Elevated,
            makeMessage("guardian.mode.warnings", { qlonglong(m_warnings.size()), windowS },
                QStringLiteral("%1 warnings within %2 s").arg(m_warnings.size()).arg(windowS)));
    if (target == m_mode)
        return std::nullopt;
    return change(target, why, QStringLiteral("engine"));
}

std::optional<ModeChange> DefenseModeMachine::raiseTo(DefenseMode mode, const Message &reason)
{
    if (mode <= m_mode)
        return std::nullopt;
    return change(mode, reason, QStringLiteral("engine"));
}

qint64 DefenseModeMachine::nextStepDownMs() const
{
    if (m_mode <= m_floor)
        return 0;
    return qMax(m_lastAlarmMs, m_changedMs) + m_rules.quietMs;
}

std::optional<ModeChange> DefenseModeMachine::tick()
{
    const qint64 due = nextStepDownMs();
    const qint64 now = m_clock->nowMs();
    if (due == 0 || now < due)
        return std::nullopt;
    m_warnings.clear();
    const DefenseMode to = DefenseMode(int(m_mode) - 1);
    const qint64 quietS = m_rules.quietMs / 1000;
    return change(to,
        makeMessage(
            "guardian.mode.quiet", { quietS }, QStringLiteral("no warning for %1 s").arg(quietS)),
        QStringLiteral("engine"));
}

ModeChange DefenseModeMachine::set(DefenseMode mode, const QString &reason, const QString &actor)
{
    m_floor = mode;
    m_warnings.clear();
    return change(mode,
        makeMessage("guardian.mode.operator", { actor, reason },
            QStringLiteral("set by %1: %2").arg(actor, reason)),
        actor);
}

} // namespace Shivx
