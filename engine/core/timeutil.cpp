#include "core/timeutil.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

#include <cstdio>

namespace Shivx::TimeUtil {

Result<qint64> parseDurationMs(const QString &text)
{
    static const QRegularExpression part(QStringLiteral("(\\d+)(ms|s|m|h|d)"));
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return makeError("duration.empty", QStringLiteral("empty duration"));

    qint64 total = 0;
    int pos = 0;
    auto it = part.globalMatch(trimmed);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart() != pos)
            break;
        bool ok = false;
        const qint64 n = m.captured(1).toLongLong(&ok);
        if (!ok || n > 1'000'000'000)
            return makeError(
                "duration.range", QStringLiteral("duration \"%1\" is too large").arg(text));
        const QString unit = m.captured(2);
        qint64 factor = 1;
        if (unit == QLatin1String("s"))
            factor = 1000;
        else if (unit == QLatin1String("m"))
            factor = 60'000;
        else if (unit == QLatin1String("h"))
            factor = 3'600'000;
        else if (unit == QLatin1String("d"))
            factor = 86'400'000;
        // Each part fits (n <= 1e9, factor <= 8.64e7); a long sum of them may not.
        if (__builtin_add_overflow(total, n * factor, &total))
            return makeError(
                "duration.range", QStringLiteral("duration \"%1\" is too large").arg(text));
        pos = m.capturedEnd();
    }
    if (pos != trimmed.size()) {
        return makeError("duration.invalid",
            QStringLiteral("\"%1\" is not a duration (expected e.g. 250ms, 5s, 1m, 2h, 7d)")
                .arg(text));
    }
    return total;
}

QString formatDurationMs(qint64 ms)
{
    if (ms == 0)
        return QStringLiteral("0s");
    QString out;
    if (ms < 0) {
        out += QLatin1Char('-');
        ms = -ms;
    }
    const struct
    {
        qint64 factor;
        const char *unit;
    } units[]
        = { { 86'400'000, "d" }, { 3'600'000, "h" }, { 60'000, "m" }, { 1000, "s" }, { 1, "ms" } };
    for (const auto &u : units) {
        if (ms >= u.factor) {
            out += QString::number(ms / u.factor) + QLatin1String(u.unit);
            ms %= u.factor;
        }
    }
    return out;
}

QString toRfc3339(qint64 epochMs)
{
    // Integer civil-from-days (H. Hinnant) instead of QDateTime::toString: every audit entry
    // carries a timestamp, and Qt's formatter cost more than hashing the entry.
    constexpr qint64 msPerDay = 86'400'000;
    constexpr qint64 year10000 = 253'402'300'800'000; // 10000-01-01T00:00:00Z
    if (epochMs < 0 || epochMs >= year10000)
        return QDateTime::fromMSecsSinceEpoch(epochMs, QTimeZone::utc())
            .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
    const qint64 days = epochMs / msPerDay;
    const qint64 msOfDay = epochMs % msPerDay;
    const qint64 z = days + 719'468;
    const qint64 era = z / 146'097;
    const qint64 doe = z - era * 146'097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const int day = int(doy - (153 * mp + 2) / 5 + 1);
    const int month = int(mp < 10 ? mp + 3 : mp - 9);
    const int year = int(yoe + era * 400 + (month <= 2 ? 1 : 0));
    char buf[80]; // room for any int per field keeps -Wformat-truncation quiet
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", year, month, day,
        int(msOfDay / 3'600'000), int(msOfDay / 60'000 % 60), int(msOfDay / 1000 % 60),
        int(msOfDay % 1000));
    return QString::fromLatin1(buf);
}

Result<qint64> parseTimePoint(const QString &text, qint64 nowMs)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return makeError("time.empty", QStringLiteral("empty time"));
    if (t == QLatin1String("now"))
        return nowMs;
    if (t.startsWith(QLatin1Char('-')) || t.startsWith(QLatin1Char('+'))) {
        const auto d = parseDurationMs(t.mid(1));
        if (!d)
            return makeError(
                "time.invalid", QStringLiteral("\"%1\": %2").arg(t, d.error().message));
        return t.startsWith(QLatin1Char('-')) ? nowMs - *d : nowMs + *d;
    }
    bool isNumber = false;
    const qint64 n = t.toLongLong(&isNumber);
    if (isNumber)
        return n;
    const QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
    if (!dt.isValid() || !t.contains(QLatin1Char('T'))) {
        return makeError("time.invalid",
            QStringLiteral("\"%1\" is not a time (expected RFC 3339 such as "
                           "2026-11-29T03:00:00Z, or relative such as -1h)")
                .arg(t));
    }
    return dt.toMSecsSinceEpoch();
}

} // namespace Shivx::TimeUtil
