#pragma once

#include "degradation/degradationconfig.h"
#include "degradation/degradationlevel.h"

#include "core/message.h"

#include <QString>

#include <optional>

namespace Shivx {

class Clock;

// An operator's pin: this level regardless of the score, until `untilMs` or a release.
struct DegradationOverride
{
    bool active = false;
    DegradationLevel level = DegradationLevel::Normal;
    QString reason;
    QString actor; // "console:alice", "cli:bob", "api"
    qint64 sinceMs = 0; // epoch ms
    qint64 untilMs = 0; // epoch ms; the pin expires by itself then
};

// One change of the level in effect.
struct DegradationTransition
{
    enum class Cause { Score, Recovery, Pin, Release, Expiry };

    DegradationLevel from = DegradationLevel::Normal;
    DegradationLevel to = DegradationLevel::Normal;
    Cause cause = Cause::Score;
    bool hasScore = false;
    double score = 0; // the score when it happened (meaningful when hasScore)
    Message reason; // code and English (`text`: the API and the audit log)
    QString actor; // "engine" for score-driven changes
    qint64 atMs = 0;
};
QString toString(DegradationTransition::Cause cause); // "score", "recovery", "pin", ...

// The degradation state machine, without threads or I/O: thresholds turn a score into a
// level; a worse level applies at once, a better one only after the score has stayed good
// enough for the recovery hold (so a noisy score cannot flap); an operator's pin overrides
// both until it expires or is released. Time comes from the injected Clock only.
// Not thread-safe: DegradationController serialises access.
class DegradationPolicy
{
public:
    DegradationPolicy(DegradationConfig config, Clock *clock);

    const DegradationConfig &config() const { return m_config; }

    // Feeds one health score. Returns the change of the level in effect, if any.
    std::optional<DegradationTransition> observe(double score);
    // Checks the pin's expiry (and a recovery hold that ended without a new score).
    std::optional<DegradationTransition> tick();
    // Pins `level` for `durationMs` (> 0). Replaces an earlier pin. Returns the transition,
    // or nullopt when the level in effect stays the same (the pin is still recorded).
    std::optional<DegradationTransition> pin(
        DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor);
    // Ends the pin; the score's level applies again at once. nullopt when the level in
    // effect does not change (or nothing was pinned: see isPinned()).
    std::optional<DegradationTransition> release(const QString &actor);

    // The level in effect: the pin's, else the score's after hysteresis.
    DegradationLevel level() const;
    // The score's level after hysteresis, ignoring any pin.
    DegradationLevel automaticLevel() const { return m_automatic; }
    bool hasScore() const { return m_hasScore; }
    double lastScore() const { return m_lastScore; }
    bool isPinned() const { return m_override.active; }
    const DegradationOverride &currentPin() const { return m_override; }
    // When the level in effect began, and why (epoch ms; "no score yet" before the first).
    qint64 sinceMs() const { return m_sinceMs; }
    const Message &reason() const { return m_reason; }
    // A recovery in progress: the level it would reach and since when the score has been
    // good enough (0 = none).
    qint64 recoverySinceMs() const { return m_recoverySinceMs; }
    DegradationLevel recoveryTarget() const { return m_recoveryTarget; }

private:
    // Updates the automatic level from `score`; returns why it changed (empty if it did not).
    Message updateAutomatic(double score, qint64 now);
    bool expireIfDue(qint64 now);
    std::optional<DegradationTransition> change(DegradationLevel from,
        DegradationTransition::Cause cause, const Message &reason, const QString &actor,
        qint64 now);
    // "score 45.0 means LEVEL_2" or "no score yet", after a pin ends.
    Message afterPin() const;
    Message pinExpired(const DegradationOverride &pin) const;

    DegradationConfig m_config;
    Clock *m_clock;
    DegradationLevel m_automatic = DegradationLevel::Normal;
    bool m_hasScore = false;
    double m_lastScore = 0;
    DegradationOverride m_override;
    qint64 m_sinceMs = 0;
    Message m_reason;
    qint64 m_recoverySinceMs = 0;
    DegradationLevel m_recoveryTarget = DegradationLevel::Normal;
};

} // namespace Shivx
