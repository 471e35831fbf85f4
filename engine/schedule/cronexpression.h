#pragma once

#include "core/result.h"

#include <QDateTime>
#include <QString>
#include <QTimeZone>

#include <bitset>

namespace Shivx {

// A 5-field cron schedule (minute hour day-of-month month day-of-week) as Vixie cron and
// Debian's cron read it:
// - lists "1,15", ranges "1-5", steps "*/15" and "10-50/20" (a step needs a range or "*");
// - month names jan-dec and day names sun-sat, any case, also inside ranges ("mon-fri");
//   day-of-week 0 and 7 are both Sunday;
// - when both day fields are restricted (neither starts with "*"), a day matches if EITHER
//   matches ("0 0 1,15 * mon": the 1st, the 15th and every Monday); when one starts with "*"
//   (including "*/2"), both must match, as in Vixie cron;
// - @yearly (@annually), @monthly, @weekly, @daily (@midnight), @hourly.
//
// Times are wall-clock minutes in a time zone (the system's by default). Across daylight
// saving changes it fires as Debian's cron does (cron(8), "clock changes"): a job at a fixed
// time (neither the minute nor the hour field starts with "*") whose time falls in a skipped
// hour runs right after the jump, and one whose time falls in a repeated hour runs once, at
// the first pass; a job with "*" in the minute or hour field (this includes @hourly) follows
// the clock: nothing for the skipped hour, both passes of the repeated one.
//
// A value type; parse() is the only way to get a valid one.
class CronExpression
{
public:
    CronExpression() = default;

    // Errors: cron.field_count, cron.bad_field (the message names the field and the token,
    // args: field name, token), cron.unknown_macro.
    static Result<CronExpression> parse(const QString &text);

    bool isValid() const { return m_valid; }
    QString text() const { return m_text; }
    // True when the minute or hour field starts with "*": the job follows the clock across DST.
    bool followsClock() const { return m_minuteStar || m_hourStar; }

    // The first fire time strictly after `after`, as an instant (UTC); invalid when the
    // expression never fires in the next eight years ("0 0 30 2 *").
    QDateTime nextFireTime(const QDateTime &after, const QTimeZone &zone) const;
    QDateTime nextFireTime(const QDateTime &after) const
    {
        return nextFireTime(after, QTimeZone::systemTimeZone());
    }

    // Whether the wall-clock date and minute matches the five fields (no DST handling).
    bool matches(const QDate &date, int hour, int minute) const;

private:
    bool dayMatches(const QDate &date) const;

    QString m_text;
    bool m_valid = false;
    std::bitset<60> m_minutes;
    std::bitset<24> m_hours;
    std::bitset<32> m_days; // 1..31
    std::bitset<13> m_months; // 1..12
    std::bitset<7> m_weekdays; // 0 = Sunday
    bool m_minuteStar = false, m_hourStar = false, m_dayStar = false, m_weekdayStar = false;
};

// What to do about fire times that passed while the engine was not running.
enum class MissedRunPolicy {
    Skip, // forget them; wait for the next fire time
    CatchUpOnce, // run once now, however many were missed, then follow the schedule
};
// "skip", "catch_up_once".
QString toString(MissedRunPolicy policy);
bool parseMissedRunPolicy(const QString &text, MissedRunPolicy *out);

struct MissedRuns
{
    int missed = 0; // fire times in (lastFired, now], counted up to MaxCounted
    bool runNow = false; // CatchUpOnce and at least one was missed
    QDateTime latestMissed; // the last of them (invalid when none)
    QDateTime next; // the next fire time after `now`

    static constexpr int MaxCounted = 1000;
};

// The fire times of `cron` in (lastFired, now] and the decision under `policy`. An invalid
// `lastFired` (never fired) misses nothing: a new schedule starts at its next fire time.
MissedRuns missedRuns(const CronExpression &cron, const QDateTime &lastFired, const QDateTime &now,
    MissedRunPolicy policy, const QTimeZone &zone);

} // namespace Shivx
