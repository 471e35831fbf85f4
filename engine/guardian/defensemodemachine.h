#pragma once

#include "core/message.h"
#include "guardian/defensemode.h"
#include "guardian/guardianconfig.h"
#include "guardian/threatevent.h"

#include <QString>

#include <deque>
#include <optional>

namespace Shivx {

class Clock;

// A change of the defense mode and why, as it is audited and published.
struct ModeChange
{
    DefenseMode from = DefenseMode::Normal;
    DefenseMode to = DefenseMode::Normal;
    Message reason; // code guardian.mode.* (ui/widgets/enginewording.cpp words them)
    QString actor; // "engine" or the operator ("cli:alice")
    qint64 tsMs = 0;
};

// The defense mode's rules, without threads or storage, so that every transition can be
// tested on a ManualClock (tests/unit/guardian/tst_defensemodemachine.cpp).
//
// Up: `elevateWarnings` warning-or-critical events within `elevateWindowMs` raise NORMAL to
// ELEVATED; a critical event (lockdownOnCritical) or a score at or above `lockdownScore`
// raises to LOCKDOWN; a score at or above `elevateScore` to at least ELEVATED; a policy may
// raise to a level. Never down on an event.
// Down, with hysteresis: after `quietMs` without a warning or critical event and without a
// change, one level down; the quiet period starts again from that change, and the warning
// window is emptied, so LOCKDOWN needs two quiet periods to reach NORMAL and a fresh run of
// warnings to climb again. Rejected alternative: dropping straight to NORMAL, which lets an
// attacker who pauses for one period come back to a fully open API.
// The operator's mode is a floor: automatic steps never go below what an operator set, and
// an operator may set any mode, lower too (setting NORMAL removes the floor).
// Not thread-safe: the controller's thread only.
class DefenseModeMachine
{
public:
    DefenseModeMachine(const DefenseModeRules &rules, Clock *clock);

    DefenseMode mode() const { return m_mode; }
    DefenseMode floor() const { return m_floor; }
    qint64 changedMs() const { return m_changedMs; }
    const Message &reason() const { return m_reason; }
    const QString &actor() const { return m_actor; }

    // The state stored before a restart; the quiet period starts again from now.
    void restore(DefenseMode mode, DefenseMode floor, const Message &reason, const QString &actor,
        qint64 changedMs);
    void setRules(const DefenseModeRules &rules) { m_rules = rules; }

    // An event was raised; a change when it raises the mode.
    std::optional<ModeChange> observe(const ThreatEvent &event);
    // A policy raises the mode to at least `mode`.
    std::optional<ModeChange> raiseTo(DefenseMode mode, const Message &reason);
    // Time passed: a change when the quiet period is over.
    std::optional<ModeChange> tick();
    // The operator sets the mode (and the floor) to `mode`; a change even when the mode stays,
    // since the reason and floor do change.
    ModeChange set(DefenseMode mode, const QString &reason, const QString &actor);
    // When tick() may next step down (ms since epoch), or 0 when nothing is above the floor.
    qint64 nextStepDownMs() const;

private:
    ModeChange change(DefenseMode to, const Message &reason, const QString &actor);

    DefenseModeRules m_rules;
    Clock *m_clock;
    DefenseMode m_mode = DefenseMode::Normal;
    DefenseMode m_floor = DefenseMode::Normal;
    Message m_reason;
    QString m_actor = QStringLiteral("engine");
    qint64 m_changedMs = 0;
    qint64 m_lastAlarmMs = 0; // the last warning or critical event
    std::deque<qint64> m_warnings; // times of warning-or-critical events within the window
};

} // namespace Shivx
