// The Recovery page against the real engine (real probes, real breakers, real HTTP API on a
// free port), offscreen: the breakers table, the operator's force buttons, configuration
// reload, and the open-breaker notice on the Overview page.

#include "core/config.h"
#include "core/engine.h"
#include "core/timeutil.h"
#include "loopbackport.h"
#include "overview/overviewpage.h"
#include "recovery/breakersmodel.h"
#include "recovery/recoverypage.h"
#include "recovery/recoveryservice.h"
#include "shell/mainwindow.h"
#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSplitter>
#include <QStandardPaths>
#include <QTableView>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Shivx;
using Shivx::Ui::BreakersModel;
using Shivx::Ui::RecoveryPage;

namespace {

QByteArray yaml(quint16 downPort, quint16 upPort, int threshold)
{
    return "engine: {listen: \"127.0.0.1:0\"}\n"
           "recovery:\n"
           "  breaker: {failure_rate: 0, recovery_timeout: 10m}\n"
           "targets:\n"
           "  - {name: down, type: tcp, host: 127.0.0.1, port: "
        + QByteArray::number(downPort)
        + ", interval: 200ms, timeout: 150ms, breaker: {failure_threshold: "
        + QByteArray::number(threshold) + "}}\n"
        + "  - {name: svc, type: tcp, host: 127.0.0.1, port: " + QByteArray::number(upPort)
        + ", interval: 200ms, timeout: 150ms}\n";
}

BreakerSnapshot snapshot(const QString &name, quint64 calls)
{
    BreakerSnapshot b;
    b.name = name;
    b.calls = calls;
    b.lastTransitionMs = 1'700'000'000'000;
    return b;
}

QString stateOf(const BreakersModel *model, const QString &name)
{
    const int row = model->rowOf(name);
    if (row < 0)
        return QStringLiteral("<missing>");
    return toString(BreakerState(model->index(row, 0).data(BreakersModel::StateRole).toInt()));
}

} // namespace

class TstRecoveryPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void modelSignalsOnlyChangedCells();
    void showsBreakersColourCoded();
    void forceButtonsActOnTheSelectedBreaker();
    void reloadRetunesAndKeepsCounts();
    void brokenReloadKeepsRunningConfiguration();
    void overviewShowsOpenBreakersAndPageIsRegistered();
    void copyAndExportBreakers();

private:
    void writeConfig(const QByteArray &text);
    QTemporaryDir m_dir;
    QTcpServer m_service;
    quint16 m_downPort = 0;
    QString m_configPath;
    std::unique_ptr<Engine> m_engine;
};

void TstRecoveryPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QVERIFY(m_service.listen(QHostAddress::LocalHost, 0));
    m_downPort = ShivxTest::closedLoopbackPort();
    m_configPath = m_dir.filePath(QStringLiteral("shivx.yaml"));
}

void TstRecoveryPage::writeConfig(const QByteArray &text)
{
    QFile f(m_configPath);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(text);
}

void TstRecoveryPage::init()
{
    writeConfig(yaml(m_downPort, m_service.serverPort(), 2));
    const auto config = ConfigLoader::loadFile(m_configPath);
    QVERIFY2(config, qPrintable(config ? QString() : config.error().message));
    Engine::Options options;
    options.config = *config;
    options.dataDir = m_dir.filePath(QStringLiteral("data-%1").arg(QTest::currentTestFunction()));
    options.listen = QStringLiteral("127.0.0.1:0");
    m_engine = std::make_unique<Engine>(options);
    QVERIFY(m_engine->start());
}

void TstRecoveryPage::cleanup()
{
    if (m_engine)
        m_engine->stop();
    m_engine.reset();
}

void TstRecoveryPage::modelSignalsOnlyChangedCells()
{
    BreakersModel model;
    model.update({ snapshot(QStringLiteral("a"), 1), snapshot(QStringLiteral("b"), 1) });
    QCOMPARE(model.rowCount(), 2);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    model.update({ snapshot(QStringLiteral("a"), 1), snapshot(QStringLiteral("b"), 1) });
    QCOMPARE(changed.size(), 0);

    BreakerSnapshot b = snapshot(QStringLiteral("b"), 5);
    b.timeInStateMs = 400; // same second: not a visible change
    model.update({ snapshot(QStringLiteral("a"), 1), b });
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(1, BreakersModel::CallsColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(1, BreakersModel::CallsColumn));
    QCOMPARE(model.index(1, BreakersModel::CallsColumn).data().toString(), QStringLiteral("5"));

    // Open: the state cell (colour included) and the reason change; nothing else.
    changed.clear();
    b.state = BreakerState::Open;
    b.lastReason = makeMessage(
        "breaker.consecutive_failures", { 5 }, QStringLiteral("5 consecutive failures"));
    model.update({ snapshot(QStringLiteral("a"), 1), b });
    QCOMPARE(changed.size(), 2);
    QCOMPARE(changed.at(0).at(0).toModelIndex().column(), int(BreakersModel::StateColumn));
    QVERIFY(changed.at(0).at(2).value<QList<int>>().contains(Qt::BackgroundRole));
    QCOMPARE(changed.at(1).at(0).toModelIndex().column(), int(BreakersModel::ReasonColumn));

    // Rows come and go without resetting the others.
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    model.update({ b, snapshot(QStringLiteral("c"), 0) });
    QCOMPARE(removed.size(), 1);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("c")), 1);
}

void TstRecoveryPage::showsBreakersColourCoded()
{
    RecoveryPage page(m_engine.get());
    page.resize(1000, 500);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    QCOMPARE(page.splitter()->orientation(), Qt::Vertical);
    QCOMPARE(page.splitter()->widget(0)->objectName(), QStringLiteral("breakersBox"));

    const BreakersModel *model = page.breakersModel();
    QTRY_COMPARE(model->rowCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(
        stateOf(model, QStringLiteral("down")), QStringLiteral("open"), 10000);
    QCOMPARE(stateOf(model, QStringLiteral("svc")), QStringLiteral("closed"));
    const int down = model->rowOf(QStringLiteral("down"));
    const int svc = model->rowOf(QStringLiteral("svc"));
    QCOMPARE(
        model->index(down, BreakersModel::StateColumn).data(Qt::BackgroundRole).value<QColor>(),
        Ui::StatusColors::critical());
    QCOMPARE(model->index(svc, BreakersModel::StateColumn).data(Qt::BackgroundRole).value<QColor>(),
        Ui::StatusColors::ok());
    QCOMPARE(
        model->index(down, BreakersModel::StateColumn).data().toString(), QStringLiteral("Open"));
    QCOMPARE(model->index(down, BreakersModel::ReasonColumn).data().toString(),
        QStringLiteral("2 consecutive failures"));
    QTRY_VERIFY(model->index(down, BreakersModel::RejectionsColumn).data().toString().toInt() >= 1);
    // Time in state moves on its own, refreshed once a second.
    const QString since = model->index(down, BreakersModel::TimeInStateColumn).data().toString();
    QTRY_VERIFY_WITH_TIMEOUT(
        model->index(down, BreakersModel::TimeInStateColumn).data().toString() != since, 5000);
    QVERIFY(page.findChild<QLabel *>(QStringLiteral("breakersSummary"))
                ->text()
                .contains(QLatin1String("1 open")));

    const QString dir = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    QVERIFY(page.grab().save(dir + QStringLiteral("/recovery.png")));
}

void TstRecoveryPage::forceButtonsActOnTheSelectedBreaker()
{
    RecoveryPage page(m_engine.get());
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const BreakersModel *model = page.breakersModel();
    QTRY_COMPARE(model->rowCount(), 2);
    // Nothing selected: nothing to act on.
    QVERIFY(!page.forceOpenButton()->isEnabled());
    QVERIFY(!page.forceClosedButton()->isEnabled());
    QVERIFY(!page.automaticButton()->isEnabled());

    page.breakersView()->selectRow(model->rowOf(QStringLiteral("svc")));
    QVERIFY(page.forceOpenButton()->isEnabled());
    QVERIFY(!page.automaticButton()->isEnabled()); // already automatic
    QTest::mouseClick(page.forceOpenButton(), Qt::LeftButton);
    QCOMPARE(stateOf(model, QStringLiteral("svc")), QStringLiteral("open"));
    QCOMPARE(page.messageLabel()->text(), QStringLiteral("Breaker svc forced open."));
    QVERIFY(!page.forceOpenButton()->isEnabled());
    QVERIFY(page.automaticButton()->isEnabled());
    const auto inEngine = [&](const QString &name) {
        for (const BreakerSnapshot &b : m_engine->service<RecoveryService>()->breakers())
            if (b.name == name)
                return b;
        return BreakerSnapshot {};
    };
    QCOMPARE(toString(inEngine(QStringLiteral("svc")).force), QStringLiteral("open"));
    QCOMPARE(model->index(model->rowOf(QStringLiteral("svc")), BreakersModel::StateColumn)
                 .data()
                 .toString(),
        QStringLiteral("Open (Forced open)"));

    QTest::mouseClick(page.automaticButton(), Qt::LeftButton);
    QCOMPARE(stateOf(model, QStringLiteral("svc")), QStringLiteral("closed"));
    QCOMPARE(toString(inEngine(QStringLiteral("svc")).force), QStringLiteral("auto"));

    page.breakersView()->selectRow(model->rowOf(QStringLiteral("down")));
    QTRY_COMPARE_WITH_TIMEOUT(
        stateOf(model, QStringLiteral("down")), QStringLiteral("open"), 10000);
    QTest::mouseClick(page.forceClosedButton(), Qt::LeftButton);
    QCOMPARE(stateOf(model, QStringLiteral("down")), QStringLiteral("closed"));
    QCOMPARE(toString(inEngine(QStringLiteral("down")).force), QStringLiteral("closed"));
    QCOMPARE(RecoveryPage::actor().left(8), QStringLiteral("console:"));
}

void TstRecoveryPage::reloadRetunesAndKeepsCounts()
{
    RecoveryPage page(m_engine.get());
    const BreakersModel *model = page.breakersModel();
    QTRY_COMPARE_WITH_TIMEOUT(
        stateOf(model, QStringLiteral("down")), QStringLiteral("open"), 10000);
    const BreakerSnapshot before = model->breakers().at(model->rowOf(QStringLiteral("down")));

    writeConfig(yaml(m_downPort, m_service.serverPort(), 40));
    QTest::mouseClick(page.reloadButton(), Qt::LeftButton);
    QVERIFY2(page.messageLabel()->text().startsWith(QLatin1String("Configuration reloaded from")),
        qPrintable(page.messageLabel()->text()));
    const BreakerSnapshot after = model->breakers().at(model->rowOf(QStringLiteral("down")));
    QCOMPARE(after.config.failureThreshold, 40);
    QCOMPARE(toString(after.state), QStringLiteral("open"));
    QCOMPARE(after.failures, before.failures);
    QCOMPARE(after.lastTransitionMs, before.lastTransitionMs);
    QVERIFY(after.rejections >= before.rejections);
}

void TstRecoveryPage::brokenReloadKeepsRunningConfiguration()
{
    RecoveryPage page(m_engine.get());
    QTRY_COMPARE(page.breakersModel()->rowCount(), 2);
    writeConfig("targets:\n  - name: down\n    type: nonsense\n");
    QTest::mouseClick(page.reloadButton(), Qt::LeftButton);
    const QString message = page.messageLabel()->text();
    QVERIFY2(message.contains(QLatin1String("not reloaded"))
            && message.contains(QLatin1String("shivx.yaml:3"))
            && message.contains(QLatin1String("targets[0].type")),
        qPrintable(message));
    QCOMPARE(
        page.messageLabel()->palette().color(QPalette::WindowText), Ui::StatusColors::critical());
    QCOMPARE(page.breakersModel()->rowCount(), 2);
    QCOMPARE(m_engine->config().targets.size(), 2);
    QCOMPARE(
        m_engine->service<RecoveryService>()->breakers().constFirst().config.failureThreshold, 2);
}

void TstRecoveryPage::overviewShowsOpenBreakersAndPageIsRegistered()
{
    Ui::MainWindow window(m_engine.get());
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *navigation = window.findChild<QListWidget *>(QStringLiteral("navigation"));
    QVERIFY(navigation);
    QCOMPARE(navigation->item(window.pageIndex(QStringLiteral("recovery")))->text(),
        QStringLiteral("Recovery"));

    window.showPage(window.pageIndex(QStringLiteral("overview")));
    QLabel *notice = window.page<Ui::OverviewPage>()->openBreakersLabel();
    QTRY_VERIFY_WITH_TIMEOUT(notice->isVisible(), 10000);
    QVERIFY2(notice->text().startsWith(QLatin1String("Circuit open: down.")),
        qPrintable(notice->text()));

    window.showPage(window.pageIndex(QStringLiteral("recovery")));
    QCOMPARE(window.currentPage(), int(window.pageIndex(QStringLiteral("recovery"))));
    RecoveryPage *page = window.page<Ui::RecoveryPage>();
    page->breakersView()->selectRow(page->breakersModel()->rowOf(QStringLiteral("down")));
    QTest::mouseClick(page->forceClosedButton(), Qt::LeftButton);
    window.showPage(window.pageIndex(QStringLiteral("overview")));
    QTRY_VERIFY(!notice->isVisible());
    window.close();
}

void TstRecoveryPage::copyAndExportBreakers()
{
    RecoveryPage page(m_engine.get());
    page.resize(1000, 500);
    page.show();
    QVERIFY(QTest::qWaitForWindowExposed(&page));
    const BreakersModel *model = page.breakersModel();
    QTRY_COMPARE_WITH_TIMEOUT(
        stateOf(model, QStringLiteral("down")), QStringLiteral("open"), 10000);
    auto *actions = page.breakersView()->findChild<Ui::TableActions *>();
    QVERIFY(actions);
    QVERIFY(page.breakersView()->actions().contains(actions->copyAction()));

    // The operator hides a column: Copy and Export leave it out.
    page.breakersView()->setColumnHidden(BreakersModel::ReasonColumn, true);
    const int down = model->rowOf(QStringLiteral("down"));
    page.breakersView()->selectRow(down);
    // No event loop runs from here to the last copy, so the model cannot move on meanwhile.
    const BreakerSnapshot b = model->breakers().at(down);
    const QString transition
        = model->index(down, BreakersModel::LastTransitionColumn).data().toString();
    QVERIFY2(transition.endsWith(QLatin1String(" ago")), qPrintable(transition));
    const QString utc = Shivx::TimeUtil::toRfc3339(b.lastTransitionMs);
    QCOMPARE(
        model->index(down, BreakersModel::LastTransitionColumn).data(Qt::ToolTipRole).toString(),
        utc);

    const QString header
        = QStringLiteral("Name\tState\tCalls\tFailures\tRejected\tLast transition\tTime in state");
    const QString row = QStringList { QStringLiteral("down"), QStringLiteral("Open"),
        QString::number(b.calls), QString::number(b.failures), QString::number(b.rejections), utc,
        Ui::DisplayFormat::duration(b.timeInStateMs) }
                            .join(QLatin1Char('\t'));
    QGuiApplication::clipboard()->clear();
    actions->copyAction()->trigger();
    QCOMPARE(
        QGuiApplication::clipboard()->text(), header + QLatin1Char('\n') + row + QLatin1Char('\n'));

    // Ctrl+C on the focused table does the same.
    QGuiApplication::clipboard()->clear();
    page.breakersView()->setFocus();
    QTest::keyClick(page.breakersView(), Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(
        QGuiApplication::clipboard()->text(), header + QLatin1Char('\n') + row + QLatin1Char('\n'));

    // Export: every row, the path given as the dialog would give it.
    QTemporaryDir out;
    const QString path = out.filePath(QStringLiteral("breakers.csv"));
    QVERIFY(actions->exportCsv(path));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QStringList lines
        = QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QString(header).replace(QLatin1Char('\t'), QLatin1Char(',')));
    QCOMPARE(lines.at(1 + down), QString(row).replace(QLatin1Char('\t'), QLatin1Char(',')));
    QVERIFY(
        lines.at(1 + model->rowOf(QStringLiteral("svc"))).startsWith(QLatin1String("svc,Closed,")));

    // A path that cannot be written: the error names the file, nothing is left behind.
    const QString bad = out.filePath(QStringLiteral("no-such-dir/breakers.csv"));
    const Result<void> failed = actions->exportCsv(bad);
    QVERIFY(!failed);
    QVERIFY2(failed.error().message.contains(bad), qPrintable(failed.error().message));
    QVERIFY(!QFile::exists(bad));
}

QTEST_MAIN(TstRecoveryPage)
#include "tst_recoverypage.moc"
