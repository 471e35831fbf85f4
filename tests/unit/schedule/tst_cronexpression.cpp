#include "schedule/cronexpression.h"

#include <QTest>

using namespace Shivx;

// Every time here is written in the zone it is tested in, with an explicit zone object: the
// results do not depend on the machine's TZ.
namespace {

QDateTime utc(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toUTC();
}

} // namespace

class tst_CronExpression : public QObject
{
    Q_OBJECT
private slots:
    // Known next fire times; `after` and `expected` are instants (UTC, "Z"), so that a time
    // in a repeated hour is unambiguous.
    void nextFireTime_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QDateTime>("after");
        QTest::addColumn<QDateTime>("expected");

        const auto row = [](const char *name, const char *zone, const char *expr, const char *after,
                             const char *expected) {
            QTest::newRow(name) << QString::fromLatin1(zone) << QString::fromLatin1(expr)
                                << utc(after) << utc(expected);
        };
        // Plain days in UTC.
        row("every minute", "UTC", "* * * * *", "2026-05-04T10:00:30Z", "2026-05-04T10:01:00Z");
        row("strictly after", "UTC", "* * * * *", "2026-05-04T10:00:00Z", "2026-05-04T10:01:00Z");
        row("step */15", "UTC", "*/15 * * * *", "2026-05-04T10:16:00Z", "2026-05-04T10:30:00Z");
        row("range with step", "UTC", "10-50/20 * * * *", "2026-05-04T10:31:00Z",
            "2026-05-04T10:50:00Z");
        row("list", "UTC", "5,35 9,17 * * *", "2026-05-04T09:36:00Z", "2026-05-04T17:05:00Z");
        row("hour rolls to next day", "UTC", "0 6 * * *", "2026-05-04T07:00:00Z",
            "2026-05-05T06:00:00Z");
        row("mon-fri from Saturday", "UTC", "0 9 * * mon-fri", "2026-05-09T12:00:00Z",
            "2026-05-11T09:00:00Z"); // 2026-05-09 is a Saturday
        row("7 is Sunday", "UTC", "0 0 * * 7", "2026-05-04T00:00:00Z", "2026-05-10T00:00:00Z");
        row("0 is Sunday", "UTC", "0 0 * * 0", "2026-05-04T00:00:00Z", "2026-05-10T00:00:00Z");
        row("month names", "UTC", "0 0 1 JUL,Dec *", "2026-07-02T00:00:00Z",
            "2026-12-01T00:00:00Z");
        row("dom OR dow", "UTC", "0 0 13 * fri", "2026-05-04T00:00:00Z", "2026-05-08T00:00:00Z");
        row("dom OR dow: the day wins", "UTC", "0 0 13 * fri", "2026-05-08T00:00:00Z",
            "2026-05-13T00:00:00Z");
        row("star dow: AND", "UTC", "0 0 13 * *", "2026-05-04T00:00:00Z", "2026-05-13T00:00:00Z");
        row("*/2 dow makes an AND", "UTC", "0 0 13 * */2", "2026-01-01T00:00:00Z",
            "2026-01-13T00:00:00Z"); // Jan 13 2026: Tuesday (2)
        row("*/2 dow AND skips odd days", "UTC", "0 0 13 * */2", "2026-01-14T00:00:00Z",
            "2026-06-13T00:00:00Z"); // Feb 13 Fri, Mar 13 Fri, Apr 13 Mon, May 13 Wed... Jun 13 Sat
        row("leap day", "UTC", "0 12 29 2 *", "2026-03-01T00:00:00Z", "2028-02-29T12:00:00Z");
        row("31st skips short months", "UTC", "0 0 31 * *", "2026-04-01T00:00:00Z",
            "2026-05-31T00:00:00Z");
        row("@hourly", "UTC", "@hourly", "2026-05-04T10:00:00Z", "2026-05-04T11:00:00Z");
        row("@daily", "UTC", "@daily", "2026-05-04T10:00:00Z", "2026-05-05T00:00:00Z");
        row("@weekly", "UTC", "@weekly", "2026-05-04T10:00:00Z", "2026-05-10T00:00:00Z");
        row("@monthly", "UTC", "@monthly", "2026-05-04T10:00:00Z", "2026-06-01T00:00:00Z");
        row("@yearly", "UTC", "@yearly", "2026-05-04T10:00:00Z", "2027-01-01T00:00:00Z");
        row("year end", "UTC", "59 23 31 12 *", "2026-12-31T23:59:00Z", "2027-12-31T23:59:00Z");

        // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00 UTC.
        row("berlin spring: fixed 02:30 runs at the jump", "Europe/Berlin", "30 2 * * *",
            "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z");
        row("berlin spring: next day normal", "Europe/Berlin", "30 2 * * *", "2026-03-29T01:00:00Z",
            "2026-03-30T00:30:00Z");
        row("berlin spring: fixed 02:00 runs at the jump", "Europe/Berlin", "0 2 * * *",
            "2026-03-28T23:00:00Z", "2026-03-29T01:00:00Z");
        row("berlin spring: fixed 03:00 once", "Europe/Berlin", "0 3 * * *", "2026-03-29T00:00:00Z",
            "2026-03-29T01:00:00Z");
        row("berlin spring: hour wildcard follows the clock", "Europe/Berlin", "30 * * * *",
            "2026-03-29T00:45:00Z", "2026-03-29T01:30:00Z"); // 01:30 UTC = 03:30 CEST
        row("berlin spring: minute wildcard follows the clock", "Europe/Berlin", "*/20 2 * * *",
            "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"); // 02:xx skipped: next day 02:00
        row("berlin spring: two fixed times in the gap fire once", "Europe/Berlin", "0,30 2 * * *",
            "2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z");
        row("berlin spring: before the gap", "Europe/Berlin", "59 1 * * *", "2026-03-28T23:00:00Z",
            "2026-03-29T00:59:00Z");
        row("berlin spring: after the gap", "Europe/Berlin", "30 3 * * *", "2026-03-29T00:30:00Z",
            "2026-03-29T01:30:00Z");

        // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00 UTC; 02:xx
        // happens at 00:xx UTC and again at 01:xx UTC.
        row("berlin autumn: fixed 02:30 first pass", "Europe/Berlin", "30 2 * * *",
            "2026-10-24T23:00:00Z", "2026-10-25T00:30:00Z");
        row("berlin autumn: fixed 02:30 not again", "Europe/Berlin", "30 2 * * *",
            "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z");
        row("berlin autumn: hour wildcard second pass", "Europe/Berlin", "30 * * * *",
            "2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z");
        row("berlin autumn: hour wildcard after second pass", "Europe/Berlin", "30 * * * *",
            "2026-10-25T01:30:00Z", "2026-10-25T02:30:00Z");
        row("berlin autumn: minute wildcard in the hour twice", "Europe/Berlin", "*/15 2 * * *",
            "2026-10-25T00:50:00Z", "2026-10-25T01:00:00Z"); // 02:00 CET
        row("berlin autumn: @hourly both passes", "Europe/Berlin", "@hourly",
            "2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z");
        row("berlin autumn: fixed 03:00 once", "Europe/Berlin", "0 3 * * *", "2026-10-25T00:30:00Z",
            "2026-10-25T02:00:00Z");
        row("berlin autumn: second pass start skips fixed 02:10", "Europe/Berlin", "10 2 * * *",
            "2026-10-25T01:05:00Z", "2026-10-26T01:10:00Z");
        row("berlin autumn: daily midnight unaffected", "Europe/Berlin", "@daily",
            "2026-10-24T23:00:00Z", "2026-10-25T23:00:00Z");

        // America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT at 07:00 UTC; 2026-11-01
        // 02:00 EDT -> 01:00 EST at 06:00 UTC (01:xx happens twice).
        row("new york spring: fixed 02:15 at the jump", "America/New_York", "15 2 * * *",
            "2026-03-08T05:00:00Z", "2026-03-08T07:00:00Z");
        row("new york spring: hour wildcard skips", "America/New_York", "15 * * * *",
            "2026-03-08T06:20:00Z", "2026-03-08T07:15:00Z"); // 03:15 EDT
        row("new york autumn: fixed 01:30 once", "America/New_York", "30 1 * * *",
            "2026-11-01T05:00:00Z", "2026-11-01T05:30:00Z");
        row("new york autumn: fixed 01:30 not again", "America/New_York", "30 1 * * *",
            "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z");
        row("new york autumn: every 10 minutes runs both passes", "America/New_York",
            "*/10 * * * *", "2026-11-01T05:55:00Z", "2026-11-01T06:00:00Z"); // 01:00 EST
        row("new york autumn: weekday fixed", "America/New_York", "0 9 * * mon",
            "2026-11-01T05:00:00Z", "2026-11-02T14:00:00Z");
    }
    void nextFireTime()
    {
        QFETCH(QString, zone);
        QFETCH(QString, expression);
        QFETCH(QDateTime, after);
        QFETCH(QDateTime, expected);
        const QTimeZone tz(zone.toLatin1());
        QVERIFY2(tz.isValid(), qPrintable(zone));
        const auto cron = CronExpression::parse(expression);
        QVERIFY2(cron.ok(), qPrintable(cron.ok() ? QString() : cron.error().message));
        const QDateTime next = cron->nextFireTime(after, tz);
        QVERIFY2(next == expected,
            qPrintable(QStringLiteral("got %1, want %2")
                           .arg(next.toUTC().toString(Qt::ISODate),
                               expected.toUTC().toString(Qt::ISODate))));
        QCOMPARE(next.timeZone(), tz); // reported in the schedule's zone
    }

    // A whole DST day, one fire after the other: a fixed job fires once a day, a clock
    // follower fires for every wall-clock hour that happens.
    void dstDayCounts_data()
    {
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("day");
        QTest::addColumn<int>("fires");
        QTest::newRow("berlin spring fixed") << "Europe/Berlin"
                                             << "30 2 * * *"
                                             << "2026-03-29" << 1;
        QTest::newRow("berlin spring hourly") << "Europe/Berlin"
                                              << "30 * * * *"
                                              << "2026-03-29" << 23;
        QTest::newRow("berlin autumn fixed") << "Europe/Berlin"
                                             << "30 2 * * *"
                                             << "2026-10-25" << 1;
        QTest::newRow("berlin autumn hourly") << "Europe/Berlin"
                                              << "30 * * * *"
                                              << "2026-10-25" << 25;
        QTest::newRow("new york autumn every 5 min") << "America/New_York"
                                                     << "*/5 * * * *"
                                                     << "2026-11-01" << 25 * 12;
    }
    void dstDayCounts()
    {
        QFETCH(QString, zone);
        QFETCH(QString, expression);
        QFETCH(QString, day);
        QFETCH(int, fires);
        const QTimeZone tz(zone.toLatin1());
        const QDate date = QDate::fromString(day, Qt::ISODate);
        const QDateTime start = QDateTime(date, QTime(0, 0), tz).addSecs(-1);
        const QDateTime end = QDateTime(date.addDays(1), QTime(0, 0), tz);
        const auto cron = CronExpression::parse(expression);
        QVERIFY(cron.ok());
        int count = 0;
        for (QDateTime t = cron->nextFireTime(start, tz); t.isValid() && t < end;
             t = cron->nextFireTime(t, tz))
            ++count;
        QCOMPARE(count, fires);
    }

    void neverFires()
    {
        const auto cron = CronExpression::parse(QStringLiteral("0 0 30 2 *"));
        QVERIFY(cron.ok());
        QVERIFY(!cron->nextFireTime(utc("2026-01-01T00:00:00Z"), QTimeZone::utc()).isValid());
    }

    void parseErrors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("token");
        QTest::newRow("minute out of range") << "60 * * * *"
                                             << "cron.bad_field"
                                             << "minute"
                                             << "60";
        QTest::newRow("hour out of range") << "0 24 * * *"
                                           << "cron.bad_field"
                                           << "hour"
                                           << "24";
        QTest::newRow("day zero") << "0 0 0 * *"
                                  << "cron.bad_field"
                                  << "day-of-month"
                                  << "0";
        QTest::newRow("bad month name") << "0 0 1 jun-foo *"
                                        << "cron.bad_field"
                                        << "month"
                                        << "foo";
        QTest::newRow("day name in month") << "0 0 1 mon *"
                                           << "cron.bad_field"
                                           << "month"
                                           << "mon";
        QTest::newRow("bad weekday") << "0 0 * * 8"
                                     << "cron.bad_field"
                                     << "day-of-week"
                                     << "8";
        QTest::newRow("reversed range") << "0 5-1 * * *"
                                        << "cron.bad_field"
                                        << "hour"
                                        << "5-1";
        QTest::newRow("step zero") << "*/0 * * * *"
                                   << "cron.bad_field"
                                   << "minute"
                                   << "0";
        QTest::newRow("step after a single value") << "5/15 * * * *"
                                                   << "cron.bad_field"
                                                   << "minute"
                                                   << "5/15";
        QTest::newRow("negative") << "-1 * * * *"
                                  << "cron.bad_field"
                                  << "minute"
                                  << "";
        QTest::newRow("empty list item") << "1,,2 * * * *"
                                         << "cron.bad_field"
                                         << "minute"
                                         << "1,,2";
        QTest::newRow("letters") << "0 x * * *"
                                 << "cron.bad_field"
                                 << "hour"
                                 << "x";
        QTest::newRow("four fields") << "* * * *"
                                     << "cron.field_count"
                                     << ""
                                     << "";
        QTest::newRow("six fields") << "* * * * * *"
                                    << "cron.field_count"
                                    << ""
                                    << "";
        QTest::newRow("empty") << ""
                               << "cron.field_count"
                               << ""
                               << "";
        QTest::newRow("unknown macro") << "@fortnightly"
                                       << "cron.unknown_macro"
                                       << ""
                                       << "";
    }
    void parseErrors()
    {
        QFETCH(QString, expression);
        QFETCH(QString, code);
        QFETCH(QString, field);
        QFETCH(QString, token);
        const auto r = CronExpression::parse(expression);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, code);
        QVERIFY2(r.error().message.contains(QLatin1Char('"') + expression + QLatin1Char('"')),
            qPrintable(r.error().message));
        if (!field.isEmpty()) {
            QCOMPARE(r.error().args.value(0).toString(), field);
            QCOMPARE(r.error().args.value(1).toString(), token);
            QVERIFY2(r.error().message.contains(field + QLatin1String(" field")),
                qPrintable(r.error().message));
            QVERIFY2(r.error().message.contains(QStringLiteral("bad token \"%1\"").arg(token)),
                qPrintable(r.error().message));
        }
    }

    void followsClock()
    {
        QVERIFY(CronExpression::parse(QStringLiteral("*/5 3 * * *"))->followsClock());
        QVERIFY(CronExpression::parse(QStringLiteral("0 * * * *"))->followsClock());
        QVERIFY(CronExpression::parse(QStringLiteral("@hourly"))->followsClock());
        QVERIFY(!CronExpression::parse(QStringLiteral("0-59 0-23 * * *"))->followsClock());
        QVERIFY(!CronExpression::parse(QStringLiteral("@daily"))->followsClock());
    }

    void missedRunPolicy_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QDateTime>("lastFired");
        QTest::addColumn<QDateTime>("now");
        QTest::addColumn<int>("policy");
        QTest::addColumn<int>("missed");
        QTest::addColumn<bool>("runNow");
        QTest::addColumn<QDateTime>("latestMissed");
        QTest::addColumn<QDateTime>("next");
        const int skip = int(MissedRunPolicy::Skip);
        const int catchUp = int(MissedRunPolicy::CatchUpOnce);
        QTest::newRow("hourly, 3 missed, skip")
            << "0 * * * *" << utc("2026-05-04T10:00:00Z") << utc("2026-05-04T13:20:00Z") << skip
            << 3 << false << utc("2026-05-04T13:00:00Z") << utc("2026-05-04T14:00:00Z");
        QTest::newRow("hourly, 3 missed, catch up once")
            << "0 * * * *" << utc("2026-05-04T10:00:00Z") << utc("2026-05-04T13:20:00Z") << catchUp
            << 3 << true << utc("2026-05-04T13:00:00Z") << utc("2026-05-04T14:00:00Z");
        QTest::newRow("none missed")
            << "0 * * * *" << utc("2026-05-04T10:00:00Z") << utc("2026-05-04T10:59:00Z") << catchUp
            << 0 << false << QDateTime() << utc("2026-05-04T11:00:00Z");
        QTest::newRow("due exactly now counts")
            << "0 * * * *" << utc("2026-05-04T10:00:00Z") << utc("2026-05-04T11:00:00Z") << catchUp
            << 1 << true << utc("2026-05-04T11:00:00Z") << utc("2026-05-04T12:00:00Z");
        QTest::newRow("never fired: nothing missed")
            << "0 * * * *" << QDateTime() << utc("2026-05-04T13:20:00Z") << catchUp << 0 << false
            << QDateTime() << utc("2026-05-04T14:00:00Z");
        QTest::newRow("clock went back")
            << "0 * * * *" << utc("2026-05-04T13:00:00Z") << utc("2026-05-04T12:00:00Z") << catchUp
            << 0 << false << QDateTime() << utc("2026-05-04T13:00:00Z");
        QTest::newRow("count saturates")
            << "* * * * *" << utc("2026-05-01T00:00:00Z") << utc("2026-05-04T00:00:30Z") << catchUp
            << MissedRuns::MaxCounted << true << utc("2026-05-04T00:00:00Z")
            << utc("2026-05-04T00:01:00Z");
    }
    void missedRunPolicy()
    {
        QFETCH(QString, expression);
        QFETCH(QDateTime, lastFired);
        QFETCH(QDateTime, now);
        QFETCH(int, policy);
        QFETCH(int, missed);
        QFETCH(bool, runNow);
        QFETCH(QDateTime, latestMissed);
        QFETCH(QDateTime, next);
        const auto cron = CronExpression::parse(expression);
        QVERIFY(cron.ok());
        const MissedRuns r
            = missedRuns(*cron, lastFired, now, MissedRunPolicy(policy), QTimeZone::utc());
        QCOMPARE(r.missed, missed);
        QCOMPARE(r.runNow, runNow);
        QCOMPARE(r.latestMissed, latestMissed);
        QCOMPARE(r.next, next);
    }

    void policyNames()
    {
        MissedRunPolicy p = MissedRunPolicy::Skip;
        QVERIFY(parseMissedRunPolicy(QStringLiteral("catch_up_once"), &p));
        QCOMPARE(toString(p), QStringLiteral("catch_up_once"));
        QCOMPARE(toString(MissedRunPolicy::Skip), QStringLiteral("skip"));
        QVERIFY(!parseMissedRunPolicy(QStringLiteral("catchup"), &p));
    }

    void systemZoneOverload()
    {
        const auto cron = CronExpression::parse(QStringLiteral("0 12 * * *"));
        const QDateTime after = QDateTime::currentDateTime();
        QCOMPARE(cron->nextFireTime(after), cron->nextFireTime(after, QTimeZone::systemTimeZone()));
    }
};

QTEST_GUILESS_MAIN(tst_CronExpression)
#include "tst_cronexpression.moc"
