// The History page on a real SQLite history: with nothing in the chosen range it says so and
// offers the nearest range that has data of the ticked series.

#include "history/historypage.h"
#include "telemetry/historystore.h"

#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using Shivx::Ui::HistoryPage;

class TstHistoryPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
    }
    void emptyRangeOffersTheNearestWithData_data();
    void emptyRangeOffersTheNearestWithData();
};

void TstHistoryPage::emptyRangeOffersTheNearestWithData_data()
{
    QTest::addColumn<qint64>("ageMs");
    QTest::addColumn<int>("offered"); // HistoryPage::Range
    QTest::addColumn<QString>("button");

    QTest::newRow("two hours old -> last 24 hours")
        << qint64(2 * 3600'000) << int(HistoryPage::Range::Last24Hours)
        << QStringLiteral("&Show Last 24 hours");
    QTest::newRow("40 days old -> a custom range around it")
        << qint64(40LL * 86400'000) << int(HistoryPage::Range::Custom) << QStringLiteral("&Show ");
}

void TstHistoryPage::emptyRangeOffersTheNearestWithData()
{
    QFETCH(qint64, ageMs);
    QFETCH(int, offered);
    QFETCH(QString, button);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString db = dir.filePath(QStringLiteral("shivx.db"));
    const qint64 last = QDateTime::currentMSecsSinceEpoch() - ageMs;
    {
        auto store = HistoryStore::open(db, QStringLiteral("populate"));
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QList<SamplePoint> points;
        for (int i = 0; i < 60; ++i)
            points.append({ QStringLiteral("app.queue"), last - (59 - i) * 1000LL, double(i) });
        QVERIFY((*store)->append(points).ok());
    }

    HistoryPage page(db);
    page.resize(1200, 700);
    page.setRange(HistoryPage::Range::Last15Minutes);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QTRY_VERIFY_WITH_TIMEOUT(page.availableSeries().contains(QStringLiteral("app.queue")), 10000);
    QVERIFY(page.setSeriesChecked(QStringLiteral("app.queue"), true));

    auto *status = page.findChild<QLabel *>(QStringLiteral("historyStatus"));
    auto *nearest = page.findChild<QPushButton *>(QStringLiteral("nearestRangeButton"));
    QVERIFY(status && nearest);
    QTRY_COMPARE(status->text(), QStringLiteral("No data in this range"));
    QVERIFY(nearest->isVisible());
    QVERIFY2(nearest->text().startsWith(button), qPrintable(nearest->text()));
    QVERIFY(page.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/history-empty-%1.png")
                                 .arg(QTest::currentDataTag()[0] == 't' ? "24h" : "custom")));

    nearest->click();
    QCOMPARE(int(page.range()), offered);
    QTRY_VERIFY_WITH_TIMEOUT(page.lineSeries(QStringLiteral("app.queue"))
            && page.lineSeries(QStringLiteral("app.queue"))->count() > 0,
        10000);
    QTRY_VERIFY(!nearest->isVisible());
    QVERIFY(!status->text().contains(QStringLiteral("No data")));
}

QTEST_MAIN(TstHistoryPage)
#include "tst_historypage.moc"
