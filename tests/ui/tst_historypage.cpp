// The History page on a real SQLite history: with nothing in the chosen range it says so and
// offers the nearest range that has data of the ticked series; ticked series become charts of
// dashboards, which a new page (a restarted console) shows again, opens in Explore, and
// removes chart by chart or whole.

#include "history/dashboardview.h"
#include "history/historychartview.h"
#include "history/historypage.h"
#include "telemetry/historystore.h"

#include <QApplication>
#include <QDateTime>
#include <QDir>
#include <QLabel>
#include <QLineSeries>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

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
    void dashboardsKeepSetsOfCharts();
};

namespace {

// Points of `series` over the last minute, so that "Last 15 minutes" shows them.
void populate(const QString &db, const QStringList &series)
{
    auto store = HistoryStore::open(db, QStringLiteral("populate"));
    QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<SamplePoint> points;
    for (const QString &name : series)
        for (int i = 0; i < 60; ++i)
            points.append({ name, now - (59 - i) * 1000LL, double(i % 7) + name.size() });
    QVERIFY((*store)->append(points).ok());
}

int shownLines(Shivx::Ui::HistoryChartView *view)
{
    int n = 0;
    for (const QString &name : view->seriesNames())
        n += view->segments(name).value(0) && view->segments(name).value(0)->count() > 0;
    return n;
}

} // namespace

void TstHistoryPage::dashboardsKeepSetsOfCharts()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The operator's settings in a file of this test, not in the account running it.
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, dir.path());
    QSettings().remove(QStringLiteral("history/dashboards"));
    const QString db = dir.filePath(QStringLiteral("shivx.db"));
    populate(db,
        { QStringLiteral("app.cpu_percent"), QStringLiteral("app.mem_percent"),
            QStringLiteral("disk.free_bytes") });

    {
        HistoryPage page(db);
        page.resize(1200, 800);
        page.setRange(HistoryPage::Range::Last15Minutes);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_VERIFY_WITH_TIMEOUT(
            page.availableSeries().contains(QStringLiteral("disk.free_bytes")), 10000);
        QVERIFY(!page.addToDashboard(QStringLiteral("Ops"), QString())); // nothing ticked
        QVERIFY(page.setSeriesChecked(QStringLiteral("app.cpu_percent"), true));
        QVERIFY(page.setSeriesChecked(QStringLiteral("app.mem_percent"), true));
        QVERIFY(!page.addToDashboard(QStringLiteral("  "), QStringLiteral("App")));
        QVERIFY(page.addToDashboard(QStringLiteral("Ops"), QStringLiteral("App load")));
        QVERIFY(page.setSeriesChecked(QStringLiteral("app.cpu_percent"), false));
        QVERIFY(page.setSeriesChecked(QStringLiteral("app.mem_percent"), false));
        QVERIFY(page.setSeriesChecked(QStringLiteral("disk.free_bytes"), true));
        QVERIFY(page.addToDashboard(QStringLiteral("Ops"), QString()));
        QCOMPARE(page.tabs()->count(), 2);
    }

    // A new page, as after a restart: the dashboard is there with both charts, and draws them.
    HistoryPage page(db);
    page.resize(1200, 800);
    page.setRange(HistoryPage::Range::Last15Minutes);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(page.tabs()->count(), 2);
    QCOMPARE(page.tabs()->tabText(1), QStringLiteral("Ops"));
    page.showDashboard(QStringLiteral("Ops"));
    Shivx::Ui::DashboardView *view = page.dashboardView(QStringLiteral("Ops"));
    QVERIFY(view);
    QCOMPARE(view->chartViews().size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(shownLines(view->chartViews().at(0)), 2, 10000);
    QTRY_COMPARE_WITH_TIMEOUT(shownLines(view->chartViews().at(1)), 1, 10000);
    QCOMPARE(view->shownPoints(), 180);
    auto *addButton = page.findChild<QPushButton *>(QStringLiteral("addToDashboardButton"));
    QVERIFY(addButton && !addButton->isVisible()); // Explore's action, not the dashboard's
    QVERIFY(
        page.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/history-dashboard.png")));

    // Explore opens the chart's series alone in the Explore tab.
    view->findChild<QPushButton *>(QStringLiteral("exploreChartButton1"))->click();
    QCOMPARE(page.tabs()->currentIndex(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(
        page.checkedSeries(), QStringList { QStringLiteral("disk.free_bytes") }, 10000);
    QVERIFY(addButton->isVisible() && addButton->isEnabled());

    // Remove takes one chart away; Delete (confirmed) the whole dashboard.
    page.showDashboard(QStringLiteral("Ops"));
    page.dashboardView(QStringLiteral("Ops"))
        ->findChild<QPushButton *>(QStringLiteral("removeChartButton0"))
        ->click();
    QTRY_COMPARE(page.dashboardView(QStringLiteral("Ops"))->chartViews().size(), 1);
    QCOMPARE(page.tabs()->currentWidget(), page.dashboardView(QStringLiteral("Ops")));
    QTimer::singleShot(0, [] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (box)
            box->button(QMessageBox::Yes)->click();
    });
    page.dashboardView(QStringLiteral("Ops"))
        ->findChild<QPushButton *>(QStringLiteral("deleteDashboardButton"))
        ->click();
    QTRY_COMPARE(page.tabs()->count(), 1);
    QVERIFY(HistoryPage(db).tabs()->count() == 1);
}

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
    page.showExplore();
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
