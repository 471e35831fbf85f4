// DisplayFormat's relative ages and the absolute UTC time behind them, against a fixed "now".

#include "widgets/displayformat.h"

#include <QDateTime>
#include <QTest>

using Shivx::Ui::DisplayFormat;

namespace {
constexpr qint64 Now = 1'796'630'400'000; // 2026-12-07T08:00:00.000Z
constexpr qint64 S = 1000;
} // namespace

class TstDisplayFormat : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void relativeAge_data();
    void relativeAge();
    void olderThanADayReadsAsALocalDate();
    void utcTimeHasMillisecondsAndZ();
};

void TstDisplayFormat::relativeAge_data()
{
    QTest::addColumn<qint64>("ago");
    QTest::addColumn<QString>("text");
    QTest::newRow("now -> 0 s") << qint64(0) << QStringLiteral("0 s ago");
    QTest::newRow("999 ms -> 0 s") << qint64(999) << QStringLiteral("0 s ago");
    QTest::newRow("12 s") << 12 * S << QStringLiteral("12 s ago");
    QTest::newRow("59.9 s -> 59 s") << 59 * S + 900 << QStringLiteral("59 s ago");
    QTest::newRow("60 s -> 1 min") << 60 * S << QStringLiteral("1 min ago");
    QTest::newRow("3 min 59 s -> 3 min") << 239 * S << QStringLiteral("3 min ago");
    QTest::newRow("59 min 59 s -> 59 min") << 3599 * S << QStringLiteral("59 min ago");
    QTest::newRow("1 h") << 3600 * S << QStringLiteral("1 h ago");
    QTest::newRow("23 h 59 min -> 23 h") << 86'399 * S << QStringLiteral("23 h ago");
    QTest::newRow("in the future -> 0 s") << -5 * S << QStringLiteral("0 s ago");
}

void TstDisplayFormat::relativeAge()
{
    QFETCH(qint64, ago);
    QFETCH(QString, text);
    QCOMPARE(DisplayFormat::relativeAge(Now - ago, Now), text);
}

void TstDisplayFormat::olderThanADayReadsAsALocalDate()
{
    const qint64 then = Now - 86'400 * S;
    QCOMPARE(DisplayFormat::relativeAge(then, Now),
        QDateTime::fromMSecsSinceEpoch(then).toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    QCOMPARE(DisplayFormat::relativeAge(0, Now), DisplayFormat::noValue());
}

void TstDisplayFormat::utcTimeHasMillisecondsAndZ()
{
    QCOMPARE(
        DisplayFormat::utcTime(Now - 12 * S + 123), QStringLiteral("2026-12-07T07:59:48.123Z"));
    QCOMPARE(DisplayFormat::utcTime(0), QString());
}

QTEST_MAIN(TstDisplayFormat)
#include "tst_displayformat.moc"
