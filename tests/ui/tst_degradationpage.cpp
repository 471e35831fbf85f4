// The Degradation page against a real engine (real controller, real history database):
// the banner follows the level, pinning through the controls works and asks before
// EMERGENCY, the feature matrix highlights the level in effect, and the timeline reads the
// changes back from the history.
#include "core/config.h"
#include "core/engine.h"
#include "core/timeutil.h"
#include "degradation/degradationpage.h"
#include "degradation/degradationservice.h"
#include "degradation/featurematrixmodel.h"
#include "degradation/levelhistory.h"
#include "overview/overviewpage.h"
#include "shell/mainwindow.h"
#include "testengine.h"
#include "widgets/statuscolors.h"
#include "widgets/tableexport.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace Shivx;
using Shivx::Ui::DegradationPage;
using Shivx::Ui::FeatureMatrixModel;
using Shivx::Ui::MainWindow;
using L = DegradationLevel;

namespace {

// Answers the next modal dialog with `button`; `seen` says whether it was the EMERGENCY one.
void answerNextDialog(QMessageBox::StandardButton button, bool *seen)
{
    *seen = false;
    QTimer::singleShot(0, [button, seen] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        *seen = box->objectName() == QLatin1String("emergencyConfirmation");
        box->button(button)->click();
    });
}

HistoryPoint raw(qint64 ts, double v)
{
    return { ts, v, v, v, 1 };
}

} // namespace

class TstDegradationPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void levelChangesFromHistory()
    {
        HistoryQueryResult level { QStringLiteral("degradation.level"), Resolution::Raw,
            { raw(1000, 0), raw(2000, 0), raw(3000, 2), raw(4000, 2), raw(5000, 4),
                raw(6000, 0) } };
        HistoryQueryResult score { QStringLiteral("health.score"), Resolution::Raw,
            { raw(900, 91), raw(1900, 90), raw(2950, 55), raw(3900, 54), raw(4950, 20),
                raw(5950, 85) } };
        const auto changes = Ui::levelChanges(level, &score);
        QCOMPARE(changes.size(), 3);
        // Newest first, each with the score reported at or just before it.
        QCOMPARE(changes.at(0).tsMs, 6000);
        QVERIFY(changes.at(0).from == L::Emergency && changes.at(0).to == L::Normal);
        QCOMPARE(changes.at(0).score, 85.0);
        QVERIFY(changes.at(2).from == L::Normal && changes.at(2).to == L::Level2);
        QCOMPARE(changes.at(2).score, 55.0);
        QVERIFY(changes.at(2).hasScore);

        // A minute rollup counts as its worst level.
        HistoryQueryResult minutes { QStringLiteral("degradation.level"), Resolution::Minute,
            { { 0, 0, 0, 0, 60 }, { 60'000, 0, 3, 0.5, 60 }, { 120'000, 0, 0, 0, 60 } } };
        const auto rolled = Ui::levelChanges(minutes, nullptr);
        QCOMPARE(rolled.size(), 2);
        QVERIFY(rolled.at(1).to == L::Level3);
        QVERIFY(!rolled.at(1).hasScore);
        QVERIFY(Ui::levelChanges(HistoryQueryResult {}, nullptr).isEmpty());
    }

    void bannerControlsMatrixAndTimeline()
    {
        QTemporaryDir dataDir;
        auto engine = ShivxTest::startEngine(dataDir.path(), "sampler: {interval: 200ms}\n");
        QVERIFY(engine);
        MainWindow window(engine.get());
        window.resize(1280, 800);
        window.showPage(window.pageIndex(QStringLiteral("degradation")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        DegradationPage *page = window.page<Ui::DegradationPage>();
        QCOMPARE(window.currentPage(), int(window.pageIndex(QStringLiteral("degradation"))));

        auto *title = page->findChild<QLabel *>(QStringLiteral("bannerTitle"));
        auto *detail = page->findChild<QLabel *>(QStringLiteral("bannerDetail"));
        auto *banner = page->findChild<QWidget *>(QStringLiteral("degradationBanner"));
        auto *levelCombo = page->findChild<QComboBox *>(QStringLiteral("levelCombo"));
        auto *reason = page->findChild<QLineEdit *>(QStringLiteral("reasonEdit"));
        auto *pin = page->findChild<QPushButton *>(QStringLiteral("pinButton"));
        auto *release = page->findChild<QPushButton *>(QStringLiteral("releaseButton"));
        auto *status = page->findChild<QLabel *>(QStringLiteral("actionStatus"));
        auto *timeline = page->findChild<QTableWidget *>(QStringLiteral("timelineTable"));
        auto *overviewLevel = window.page<Ui::OverviewPage>()->findChild<QLabel *>(
            QStringLiteral("degradationLabel"));
        QVERIFY(title && detail && banner && levelCombo && reason && pin && release && status
            && timeline && overviewLevel);

        // NORMAL once the first score is in.
        QTRY_VERIFY_WITH_TIMEOUT(
            detail->text().contains(QStringLiteral("Health score now")), 10000);
        QCOMPARE(title->text(), QStringLiteral("Normal"));
        QVERIFY(overviewLevel->text().startsWith(QStringLiteral("Degradation: Normal")));
        QVERIFY(!release->isEnabled());
        FeatureMatrixModel *matrix = page->matrixModel();
        QCOMPARE(matrix->rowCount(),
            engine->config().section<DegradationConfig>().features.rules().size());
        auto currentColumns = [matrix] {
            QList<int> cols;
            for (int c = 0; c < matrix->columnCount(); ++c)
                if (matrix->data(matrix->index(0, c), FeatureMatrixModel::IsCurrentLevelRole)
                        .toBool())
                    cols << c;
            return cols;
        };
        QCOMPARE(currentColumns(), QList<int> { 0 });

        // No reason: refused, nothing pinned.
        levelCombo->setCurrentIndex(levelValue(L::Level2));
        QTest::mouseClick(pin, Qt::LeftButton);
        QVERIFY(!engine->service<DegradationService>()->snapshot().pin.active);
        QVERIFY(status->text().contains(QStringLiteral("reason")));

        // LEVEL_2 through the controls.
        reason->setText(QStringLiteral("failover drill"));
        QTest::mouseClick(pin, Qt::LeftButton);
        QVERIFY(engine->service<DegradationService>()->snapshot().level == L::Level2);
        QCOMPARE(engine->service<DegradationService>()->snapshot().pin.reason,
            QStringLiteral("failover drill"));
        QVERIFY(engine->service<DegradationService>()->snapshot().pin.actor.startsWith(
            QStringLiteral("console:")));
        QCOMPARE(title->text(), QStringLiteral("Level 2 (pinned)"));
        QCOMPARE(banner->palette().color(QPalette::Window),
            Ui::StatusColors::forDegradationLevel(L::Level2));
        QVERIFY(detail->text().contains(QStringLiteral("failover drill")));
        QCOMPARE(currentColumns(), QList<int> { levelValue(L::Level2) });
        QVERIFY(matrix->data(matrix->index(0, levelValue(L::Level2)), Qt::FontRole)
                    .value<QFont>()
                    .bold());
        QVERIFY(!matrix->data(matrix->index(0, 0), Qt::FontRole).value<QFont>().bold());
        QCOMPARE(
            matrix->headerData(levelValue(L::Level2), Qt::Horizontal, Qt::DisplayRole).toString(),
            QStringLiteral("Level 2 (now)"));
        QVERIFY(release->isEnabled());
        QTRY_VERIFY(overviewLevel->text().startsWith(
            QStringLiteral("Degradation: Level 2 (pinned by console:")));

        // EMERGENCY asks first; Cancel changes nothing.
        levelCombo->setCurrentIndex(levelValue(L::Emergency));
        reason->setText(QStringLiteral("shed everything"));
        bool asked = false;
        answerNextDialog(QMessageBox::Cancel, &asked);
        QTest::mouseClick(pin, Qt::LeftButton);
        QVERIFY(asked);
        QVERIFY(engine->service<DegradationService>()->snapshot().level == L::Level2);
        // Yes pins it, and the engine leaves readiness (liveness is the API's business).
        answerNextDialog(QMessageBox::Yes, &asked);
        QTest::mouseClick(pin, Qt::LeftButton);
        QVERIFY(asked);
        QVERIFY(engine->service<DegradationService>()->snapshot().level == L::Emergency);
        QCOMPARE(title->text(), QStringLiteral("Emergency (pinned)"));
        QCOMPARE(currentColumns(), QList<int> { levelValue(L::Emergency) });
        QTRY_VERIFY(!engine->readiness().ready);

        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        page->grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/degradation-emergency.png"));

        // Release: the score decides again.
        QTest::mouseClick(release, Qt::LeftButton);
        QVERIFY(!engine->service<DegradationService>()->snapshot().pin.active);
        QVERIFY(engine->service<DegradationService>()->snapshot().level == L::Normal);
        QCOMPARE(title->text(), QStringLiteral("Normal"));
        QVERIFY(!release->isEnabled());
        QCOMPARE(currentColumns(), QList<int> { 0 });

        // The timeline reads the three changes back from the history (newest first).
        QTRY_VERIFY_WITH_TIMEOUT(page->levelChangesShown().size() >= 3, 20000);
        const auto changes = page->levelChangesShown();
        QVERIFY(changes.at(0).from == L::Emergency && changes.at(0).to == L::Normal);
        QVERIFY(changes.at(1).from == L::Level2 && changes.at(1).to == L::Emergency);
        QVERIFY(changes.at(2).from == L::Normal && changes.at(2).to == L::Level2);
        QVERIFY(changes.at(0).hasScore);
        QCOMPARE(timeline->rowCount(), int(changes.size()));
        QCOMPARE(timeline->item(0, 2)->text(), QStringLiteral("Normal"));
        QCOMPARE(timeline->item(1, 2)->text(), QStringLiteral("Emergency"));
        // The change's time reads as an age; its tooltip and export hold the UTC time.
        QTableWidgetItem *when = timeline->item(0, 0);
        QVERIFY2(when->text().endsWith(QLatin1String(" ago")), qPrintable(when->text()));
        QCOMPARE(when->toolTip(), TimeUtil::toRfc3339(changes.at(0).tsMs));
        QCOMPARE(Ui::TableExport::cellText(timeline->model()->index(0, 0)), when->toolTip());
        page->grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/degradation.png"));
    }
};

QTEST_MAIN(TstDegradationPage)
#include "tst_degradationpage.moc"
