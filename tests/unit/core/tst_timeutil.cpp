#include "core/timeutil.h"

#include <QDateTime>
#include <QTest>
#include <QTimeZone>

using namespace Shivx;

class TstTimeUtil : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void duration_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("ms");
        QTest::newRow("milliseconds") << "250ms" << true << 250LL;
        QTest::newRow("seconds") << "5s" << true << 5000LL;
        QTest::newRow("minutes") << "1m" << true << 60000LL;
        QTest::newRow("compound") << "1h30m" << true << 5400000LL;
        QTest::newRow("days") << "7d" << true << 604800000LL;
        QTest::newRow("bad unit 5x") << "5x" << false << 0LL;
        QTest::newRow("bare number") << "5" << false << 0LL;
        QTest::newRow("empty") << "" << false << 0LL;
        QTest::newRow("negative") << "-5s" << false << 0LL;
        QTest::newRow("trailing junk") << "5s!" << false << 0LL;
        QTest::newRow("unit first") << "s5" << false << 0LL;
    }
    void duration()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qint64, ms);
        const auto r = TimeUtil::parseDurationMs(text);
        QCOMPARE(r.ok(), ok);
        if (ok)
            QCOMPARE(*r, ms);
        else
            QVERIFY(r.error().message.contains(text.isEmpty() ? QStringLiteral("empty") : text));
    }

    void formatDuration()
    {
        QCOMPARE(TimeUtil::formatDurationMs(90000), QStringLiteral("1m30s"));
        QCOMPARE(TimeUtil::formatDurationMs(250), QStringLiteral("250ms"));
        QCOMPARE(TimeUtil::formatDurationMs(0), QStringLiteral("0s"));
        QCOMPARE(*TimeUtil::parseDurationMs(TimeUtil::formatDurationMs(93784005)), 93784005LL);
    }

    void rfc3339()
    {
        QCOMPARE(TimeUtil::toRfc3339(0), QStringLiteral("1970-01-01T00:00:00.000Z"));
        QCOMPARE(TimeUtil::toRfc3339(1700000000123), QStringLiteral("2023-11-14T22:13:20.123Z"));
    }

    void rfc3339MatchesQDateTime_data()
    {
        QTest::addColumn<qint64>("ms");
        const auto at = [](int y, int m, int d) {
            return QDateTime(QDate(y, m, d), QTime(23, 59, 59, 999), QTimeZone::utc())
                .toMSecsSinceEpoch();
        };
        QTest::newRow("leap day 2000") << at(2000, 2, 29);
        QTest::newRow("day after leap day 2024") << at(2024, 3, 1);
        QTest::newRow("2100-02-28 (no leap day)") << at(2100, 2, 28);
        QTest::newRow("2100-03-01") << at(2100, 3, 1);
        QTest::newRow("new year 2027") << at(2026, 12, 31) + 1;
        QTest::newRow("9999-12-31") << at(9999, 12, 31);
        QTest::newRow("before 1970 (Qt path)") << qint64(-1);
    }
    void rfc3339MatchesQDateTime()
    {
        QFETCH(qint64, ms);
        QCOMPARE(TimeUtil::toRfc3339(ms),
            QDateTime::fromMSecsSinceEpoch(ms, QTimeZone::utc())
                .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ")));
    }

    void timePoint_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<qint64>("ms");
        const qint64 now = 1700000000000;
        QTest::newRow("relative hour") << "-1h" << true << now - 3600000;
        QTest::newRow("relative days") << "-30d" << true << now - 30LL * 86400000;
        QTest::newRow("now") << "now" << true << now;
        QTest::newRow("rfc3339 utc") << "2023-11-14T22:13:20Z" << true << 1700000000000LL;
        QTest::newRow("rfc3339 millis") << "2023-11-14T22:13:20.500Z" << true << 1700000000500LL;
        QTest::newRow("rfc3339 offset") << "2023-11-14T23:13:20+01:00" << true << 1700000000000LL;
        QTest::newRow("epoch ms") << "1700000000000" << true << 1700000000000LL;
        QTest::newRow("date only") << "2023-11-14" << false << 0LL;
        QTest::newRow("garbage") << "yesterday" << false << 0LL;
        QTest::newRow("bad relative") << "-1x" << false << 0LL;
    }
    void timePoint()
    {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(qint64, ms);
        const auto r = TimeUtil::parseTimePoint(text, 1700000000000);
        QCOMPARE(r.ok(), ok);
        if (ok)
            QCOMPARE(*r, ms);
    }
};

QTEST_GUILESS_MAIN(TstTimeUtil)
#include "tst_timeutil.moc"
