#include "schedule/cronexpression.h"

#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <optional>
#include <vector>

namespace Shivx {

namespace {

constexpr qint64 MinutesPerDay = 24 * 60;
// The largest change of a zone's UTC offset cron treats as a clock change (cron(8): "less
// than 3 hours"); also how far around a wall time the occurrences are looked for.
constexpr qint64 MaxShiftSecs = 3 * 3600;
constexpr qint64 SearchYears = 8; // covers every Feb 29 / weekday combination but impossible ones

const char *const MonthNames[]
    = { "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
const char *const DayNames[] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

struct FieldSpec
{
    const char *name;
    int low;
    int high;
    const char *const *names; // nullptr: numbers only
    int nameCount;
    int nameBase; // the value of names[0]
};

const FieldSpec Fields[] = {
    { "minute", 0, 59, nullptr, 0, 0 },
    { "hour", 0, 23, nullptr, 0, 0 },
    { "day-of-month", 1, 31, nullptr, 0, 0 },
    { "month", 1, 12, MonthNames, 12, 1 },
    { "day-of-week", 0, 7, DayNames, 7, 0 },
};

struct FieldError
{
    QString token;
    QString reason;
};

// One value: a number or (where the field has them) a three-letter name, in range.
std::optional<FieldError> parseValue(const QString &token, const FieldSpec &spec, int *out)
{
    bool isNumber = !token.isEmpty();
    for (QChar c : token)
        isNumber = isNumber && c.isDigit() && c.unicode() < 128;
    if (isNumber) {
        bool ok = false;
        const int v = token.toInt(&ok);
        if (!ok || v < spec.low || v > spec.high)
            return FieldError { token,
                QStringLiteral("out of range %1-%2").arg(spec.low).arg(spec.high) };
        *out = v;
        return std::nullopt;
    }
    for (int i = 0; i < spec.nameCount; ++i) {
        if (token.compare(QLatin1String(spec.names[i]), Qt::CaseInsensitive) == 0) {
            *out = spec.nameBase + i;
            return std::nullopt;
        }
    }
    return FieldError { token,
        spec.names
            ? QStringLiteral("not a number or a name (%1-%2)")
                  .arg(QLatin1String(spec.names[0]), QLatin1String(spec.names[spec.nameCount - 1]))
            : QStringLiteral("not a number") };
}

// A comma-separated list of "*", "N", "A-B", each optionally "/STEP" (not after a single N).
std::optional<FieldError> parseField(
    const QString &text, const FieldSpec &spec, std::vector<bool> *bits)
{
    bits->assign(size_t(spec.high + 1), false);
    const QStringList items = text.split(QLatin1Char(','));
    for (const QString &item : items) {
        if (item.isEmpty())
            return FieldError { text, QStringLiteral("an empty list item") };
        const QStringList parts = item.split(QLatin1Char('/'));
        if (parts.size() > 2)
            return FieldError { item, QStringLiteral("more than one step") };
        const QString base = parts.at(0);
        int low = spec.low;
        int high = spec.high;
        bool single = false;
        if (base != QLatin1String("*")) {
            const int dash = int(base.indexOf(QLatin1Char('-')));
            if (dash < 0) {
                if (auto e = parseValue(base, spec, &low))
                    return e;
                high = low;
                single = true;
            } else {
                if (auto e = parseValue(base.left(dash), spec, &low))
                    return e;
                if (auto e = parseValue(base.mid(dash + 1), spec, &high))
                    return e;
                if (low > high)
                    return FieldError { base, QStringLiteral("a range must run from low to high") };
            }
        }
        int step = 1;
        if (parts.size() == 2) {
            if (single)
                return FieldError { item, QStringLiteral("a step needs a range or *") };
            bool ok = false;
            step = parts.at(1).toInt(&ok);
            bool digits = !parts.at(1).isEmpty();
            for (QChar c : parts.at(1))
                digits = digits && c.isDigit() && c.unicode() < 128;
            if (!ok || !digits || step < 1)
                return FieldError { parts.at(1), QStringLiteral("a step must be a number >= 1") };
        }
        for (int v = low; v <= high; v += step)
            (*bits)[size_t(v)] = true;
    }
    return std::nullopt;
}

QString expand(const QString &text, bool *known)
{
    *known = true;
    const QString t = text.toLower();
    if (t == QLatin1String("@yearly") || t == QLatin1String("@annually"))
        return QStringLiteral("0 0 1 1 *");
    if (t == QLatin1String("@monthly"))
        return QStringLiteral("0 0 1 * *");
    if (t == QLatin1String("@weekly"))
        return QStringLiteral("0 0 * * 0");
    if (t == QLatin1String("@daily") || t == QLatin1String("@midnight"))
        return QStringLiteral("0 0 * * *");
    if (t == QLatin1String("@hourly"))
        return QStringLiteral("0 * * * *");
    *known = false;
    return text;
}

// Wall-clock minutes are counted from the Julian day 0 (no zone), so that dates and minutes
// add up without QDateTime's zone handling.
qint64 wallMinute(const QDate &date, int minuteOfDay)
{
    return date.toJulianDay() * MinutesPerDay + minuteOfDay;
}

const qint64 EpochJulianDay = QDate(1970, 1, 1).toJulianDay();

// Seconds since the epoch if the wall time were UTC.
qint64 wallSecs(qint64 wall)
{
    return (wall - EpochJulianDay * MinutesPerDay) * 60;
}

int offsetAt(const QTimeZone &zone, qint64 utcSecs)
{
    return zone.offsetFromUtc(QDateTime::fromSecsSinceEpoch(utcSecs, Qt::UTC));
}

// The instants whose wall time in `zone` is `wall` (seconds as if UTC): none in a skipped
// hour, two in a repeated one. Zones do not change offset twice within a day.
std::vector<qint64> occurrences(const QTimeZone &zone, qint64 wall)
{
    std::vector<qint64> out;
    const int candidates[]
        = { offsetAt(zone, wall - 86400), offsetAt(zone, wall), offsetAt(zone, wall + 86400) };
    for (int o : candidates) {
        const qint64 t = wall - o;
        if (offsetAt(zone, t) == o && std::find(out.begin(), out.end(), t) == out.end())
            out.push_back(t);
    }
    std::sort(out.begin(), out.end());
    return out;
}

// The instant the clock jumped over `wall`, which lies in a skipped hour.
qint64 jumpOver(const QTimeZone &zone, qint64 wall)
{
    const int before = offsetAt(zone, wall - 86400);
    qint64 lo = wall - offsetAt(zone, wall + 86400); // before the jump
    qint64 hi = wall - before; // after it
    while (hi - lo > 1) {
        const qint64 mid = lo + (hi - lo) / 2;
        if (offsetAt(zone, mid) == before)
            lo = mid;
        else
            hi = mid;
    }
    return hi;
}

} // namespace

Result<CronExpression> CronExpression::parse(const QString &text)
{
    const QString trimmed = text.trimmed();
    QString body = trimmed;
    if (trimmed.startsWith(QLatin1Char('@'))) {
        bool known = false;
        body = expand(trimmed, &known);
        if (!known)
            return makeError("cron.unknown_macro",
                QStringLiteral("Cron expression \"%1\": unknown shorthand; use @yearly, "
                               "@annually, @monthly, @weekly, @daily, @midnight or @hourly")
                    .arg(text),
                { text });
    }
    const QStringList fields
        = body.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
    if (fields.size() != 5)
        return makeError("cron.field_count",
            QStringLiteral("Cron expression \"%1\" has %2 fields; it needs 5: minute hour "
                           "day-of-month month day-of-week")
                .arg(text)
                .arg(fields.size()),
            { text, int(fields.size()) });

    CronExpression c;
    std::vector<bool> bits;
    for (int f = 0; f < 5; ++f) {
        if (auto e = parseField(fields.at(f), Fields[f], &bits)) {
            const QString field = QLatin1String(Fields[f].name);
            return makeError("cron.bad_field",
                QStringLiteral("Cron expression \"%1\": %2 field \"%3\": bad token \"%4\" (%5)")
                    .arg(text, field, fields.at(f), e->token, e->reason),
                { field, e->token });
        }
        for (size_t v = 0; v < bits.size(); ++v) {
            if (!bits[v])
                continue;
            switch (f) {
            case 0:
                c.m_minutes.set(v);
                break;
            case 1:
                c.m_hours.set(v);
                break;
            case 2:
                c.m_days.set(v);
                break;
            case 3:
                c.m_months.set(v);
                break;
            case 4:
                c.m_weekdays.set(v % 7); // 7 is Sunday too
                break;
            }
        }
    }
    const auto star = [&](int f) { return fields.at(f).startsWith(QLatin1Char('*')); };
    c.m_minuteStar = star(0);
    c.m_hourStar = star(1);
    c.m_dayStar = star(2);
    c.m_weekdayStar = star(4);
    c.m_text = trimmed;
    c.m_valid = true;
    return c;
}

bool CronExpression::dayMatches(const QDate &date) const
{
    const bool day = m_days.test(size_t(date.day()));
    const bool weekday = m_weekdays.test(size_t(date.dayOfWeek() % 7));
    // Vixie cron: a "*"-led day field makes the two an AND, otherwise they are an OR.
    return (m_dayStar || m_weekdayStar) ? (day && weekday) : (day || weekday);
}

bool CronExpression::matches(const QDate &date, int hour, int minute) const
{
    return m_valid && hour >= 0 && hour < 24 && minute >= 0 && minute < 60
        && m_months.test(size_t(date.month())) && dayMatches(date) && m_hours.test(size_t(hour))
        && m_minutes.test(size_t(minute));
}

QDateTime CronExpression::nextFireTime(const QDateTime &after, const QTimeZone &zone) const
{
    if (!m_valid || !after.isValid() || !zone.isValid())
        return {};

    // The next matching wall-clock minute at or after `wall`, or -1 after `limit`.
    const auto nextWall = [this](qint64 wall, qint64 limit) -> qint64 {
        while (wall <= limit) {
            const QDate date = QDate::fromJulianDay(wall / MinutesPerDay);
            const int minuteOfDay = int(wall % MinutesPerDay);
            if (!m_months.test(size_t(date.month()))) {
                const QDate first = QDate(date.year(), date.month(), 1).addMonths(1);
                wall = wallMinute(first, 0);
                continue;
            }
            if (!dayMatches(date)) {
                wall = wallMinute(date.addDays(1), 0);
                continue;
            }
            int hour = minuteOfDay / 60;
            int minute = minuteOfDay % 60;
            while (hour < 24 && !m_hours.test(size_t(hour))) {
                ++hour;
                minute = 0;
            }
            if (hour == 24) {
                wall = wallMinute(date.addDays(1), 0);
                continue;
            }
            while (minute < 60 && !m_minutes.test(size_t(minute)))
                ++minute;
            if (minute == 60) {
                wall = wallMinute(date, (hour + 1) * 60);
                continue;
            }
            return wallMinute(date, hour * 60 + minute);
        }
        return -1;
    };

    const qint64 afterSecs = after.toSecsSinceEpoch();
    const qint64 afterWallSecs = afterSecs + offsetAt(zone, afterSecs);
    const qint64 afterWall = EpochJulianDay * MinutesPerDay
        + (afterWallSecs >= 0 ? afterWallSecs / 60 : (afterWallSecs - 59) / 60);
    // Wall times up to MaxShift before `after`'s can still lie ahead of it in real time (the
    // second pass of a repeated hour), so the walk starts there.
    qint64 wall = afterWall - MaxShiftSecs / 60;
    const qint64 limit = afterWall + SearchYears * 366 * MinutesPerDay;
    qint64 best = -1;
    qint64 stopAt = limit;
    while ((wall = nextWall(wall, std::min(limit, stopAt))) >= 0) {
        const qint64 secs = wallSecs(wall);
        const std::vector<qint64> occ = occurrences(zone, secs);
        std::vector<qint64> fire;
        if (occ.empty()) {
            if (!followsClock())
                fire.push_back(jumpOver(zone, secs)); // skipped: right after the jump
        } else if (occ.size() == 1 || followsClock()) {
            fire = occ; // a repeated hour: clock followers run in both passes
        } else {
            fire.push_back(occ.front()); // fixed times run in the first pass only
        }
        for (qint64 t : fire) {
            if (t > afterSecs && (best < 0 || t < best)) {
                best = t;
                // A later wall time cannot fire earlier than `best` once it is more than the
                // largest clock change past best's wall time.
                stopAt
                    = (t + offsetAt(zone, t) + MaxShiftSecs) / 60 + EpochJulianDay * MinutesPerDay;
            }
        }
        ++wall;
    }
    return best < 0 ? QDateTime() : QDateTime::fromSecsSinceEpoch(best, zone);
}

QString toString(MissedRunPolicy policy)
{
    return policy == MissedRunPolicy::Skip ? QStringLiteral("skip")
                                           : QStringLiteral("catch_up_once");
}

bool parseMissedRunPolicy(const QString &text, MissedRunPolicy *out)
{
    if (text == QLatin1String("skip"))
        *out = MissedRunPolicy::Skip;
    else if (text == QLatin1String("catch_up_once"))
        *out = MissedRunPolicy::CatchUpOnce;
    else
        return false;
    return true;
}

MissedRuns missedRuns(const CronExpression &cron, const QDateTime &lastFired, const QDateTime &now,
    MissedRunPolicy policy, const QTimeZone &zone)
{
    MissedRuns r;
    r.next = cron.nextFireTime(now, zone);
    if (!lastFired.isValid() || !cron.isValid() || lastFired >= now)
        return r;
    QDateTime t = lastFired;
    while (r.missed < MissedRuns::MaxCounted) {
        t = cron.nextFireTime(t, zone);
        if (!t.isValid() || t > now)
            break;
        ++r.missed;
        r.latestMissed = t;
    }
    if (r.missed == MissedRuns::MaxCounted) {
        // The count saturated; the latest missed time is still worth naming right, and for
        // a schedule that fires 1000 times in the gap it lies within the last 31 days.
        QDateTime u = std::max(t, now.addDays(-31));
        while ((u = cron.nextFireTime(u, zone)).isValid() && u <= now)
            r.latestMissed = u;
    }
    r.runNow = policy == MissedRunPolicy::CatchUpOnce && r.missed > 0;
    return r;
}

} // namespace Shivx
