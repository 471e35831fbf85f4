// The console remembers how the operator left it (splitters, column widths, sort orders, the
// History page's range and series) across windows, through QSettings, and "Reset layout" brings
// back the defaults. A real engine, real windows on the offscreen platform.

#include "history/historypage.h"
#include "overview/overviewpage.h"
#include "shell/layoutmemory.h"
#include "shell/mainwindow.h"
#include "testengine.h"

#include <QAction>
#include <QHeaderView>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using Shivx::Ui::HistoryPage;
using Shivx::Ui::MainWindow;

class TstLayoutMemory : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }
    void restoresWhatTheOperatorLeftAndResets();
};

namespace {

struct Window
{
    explicit Window(Engine *engine)
        : w(engine)
    {
        w.resize(1280, 800);
        w.showPage(QStringLiteral("overview"));
        w.show();
    }
    QSplitter *splitter() const
    {
        return w.page<Ui::OverviewPage>()->findChildren<QSplitter *>().value(0);
    }
    QTableView *targets() const { return w.findChild<QTableView *>(QStringLiteral("targetsView")); }
    MainWindow w;
};

bool near(const QList<int> &a, const QList<int> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i)
        if (std::abs(a.at(i) - b.at(i)) > 3)
            return false;
    return true;
}

QString sizes(const QList<int> &s)
{
    QStringList out;
    for (int v : s)
        out << QString::number(v);
    return out.join(QLatin1Char(','));
}

} // namespace

void TstLayoutMemory::restoresWhatTheOperatorLeftAndResets()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    auto engine = ShivxTest::startEngine(dir.path(),
        "sampler: {interval: 200ms}\n"
        "targets:\n"
        "  - {name: a, type: tcp, host: 127.0.0.1, port: 9, interval: 1s, timeout: 200ms}\n"
        "  - {name: b, type: tcp, host: 127.0.0.1, port: 9, interval: 1s, timeout: 200ms}\n");
    QVERIFY(engine);

    QList<int> defaults, left;
    int defaultWidth = 0;
    {
        Window first(engine.get());
        QVERIFY(QTest::qWaitForWindowExposed(&first.w));
        QVERIFY(first.splitter() && first.targets());
        QTest::qWait(
            50); // the window notes its layout after the first pass (MainWindow::showEvent)
        defaults = first.splitter()->sizes();
        defaultWidth = first.targets()->columnWidth(0);
        QCOMPARE(defaults.size(), 2);
        const int total = defaults.at(0) + defaults.at(1);
        first.splitter()->setSizes({ total / 4, total - total / 4 });
        left = first.splitter()->sizes();
        QVERIFY2(!near(left, defaults), qPrintable(sizes(left)));
        first.targets()->setColumnWidth(0, defaultWidth + 77);
        first.targets()->sortByColumn(2, Qt::DescendingOrder);
        first.w.page<HistoryPage>()->setRange(HistoryPage::Range::Last24Hours);
        HistoryPage *history = first.w.page<HistoryPage>();
        first.w.showPage(QStringLiteral("history"));
        QTRY_VERIFY_WITH_TIMEOUT(
            history->availableSeries().contains(QStringLiteral("health.score")), 20000);
        QVERIFY(history->setSeriesChecked(QStringLiteral("health.score"), true));
        QVERIFY(first.w.close());
    }

    Window second(engine.get());
    QVERIFY(QTest::qWaitForWindowExposed(&second.w));
    QTRY_VERIFY2(near(second.splitter()->sizes(), left),
        qPrintable(sizes(second.splitter()->sizes()) + " vs " + sizes(left)));
    QCOMPARE(second.targets()->columnWidth(0), defaultWidth + 77);
    QCOMPARE(second.targets()->horizontalHeader()->sortIndicatorSection(), 2);
    QCOMPARE(second.targets()->horizontalHeader()->sortIndicatorOrder(), Qt::DescendingOrder);
    QCOMPARE(second.w.page<HistoryPage>()->range(), HistoryPage::Range::Last24Hours);
    second.w.showPage(QStringLiteral("history"));
    QTRY_COMPARE_WITH_TIMEOUT(second.w.page<HistoryPage>()->checkedSeries(),
        QStringList { QStringLiteral("health.score") }, 20000);
    second.w.showPage(QStringLiteral("overview"));

    // View > Reset layout.
    auto *reset = second.w.findChild<QAction *>(QStringLiteral("resetLayoutAction"));
    QVERIFY(reset && reset->isEnabled());
    reset->trigger();
    QVERIFY2(near(second.splitter()->sizes(), defaults),
        qPrintable(sizes(second.splitter()->sizes()) + " vs " + sizes(defaults)));
    QCOMPARE(second.targets()->columnWidth(0), defaultWidth);
    QVERIFY(!QSettings().childGroups().contains(Ui::LayoutMemory::settingsGroup()));
    second.w.close();
    engine->stop();
}

QTEST_MAIN(TstLayoutMemory)
#include "tst_layoutmemory.moc"
