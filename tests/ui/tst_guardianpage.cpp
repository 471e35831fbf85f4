// The Guardian page against a real engine (real controller, real database): the banner
// follows the mode, the mode is set through the control and its reason dialog, threat rows
// read from the database and then arrive live, the filters narrow them, the chart counts
// events per second, isolations show with their time left and Release ends them, and the
// threat table takes 100000 rows.
#include "core/engine.h"
#include "guardian/guardianpage.h"
#include "guardian/guardianservice.h"
#include "guardian/threatsfilter.h"
#include "guardian/threatsmodel.h"
#include "shell/mainwindow.h"
#include "testengine.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QElapsedTimer>
#include <QGroupBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>

using namespace Shivx;
using Shivx::Ui::GuardianPage;
using Shivx::Ui::MainWindow;
using Shivx::Ui::ThreatsModel;

namespace {

// Answers the next reason dialog with `reason` (empty: cancels it).
void answerReasonDialog(const QString &reason, bool *seen)
{
    *seen = false;
    QTimer::singleShot(0, [reason, seen] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog || dialog->objectName() != QLatin1String("modeReasonDialog"))
            return;
        *seen = true;
        if (reason.isEmpty()) {
            dialog->reject();
            return;
        }
        dialog->setTextValue(reason);
        dialog->accept();
    });
}

ThreatEvent threat(const char *type, ThreatSeverity s, const QString &source)
{
    return ThreatEvent { QLatin1String(type), s, source, QStringLiteral("evidence"), 0, 0 };
}

const char GuardianYaml[] = "guardian:\n"
                            "  mode: {lockdown_on_critical: false, elevate_warnings: 1000}\n";

} // namespace

class TstGuardianPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void bannerModeThreatsAndIsolations()
    {
        QTemporaryDir dataDir;
        auto engine = ShivxTest::startEngine(dataDir.path(), GuardianYaml, ShivxTest::Api::Off);
        QVERIFY(engine);
        GuardianService *service = engine->service<GuardianService>();
        // Rows already in the database before the page opens.
        QVERIFY(service->raise(
            threat("sshd.auth_failure", ThreatSeverity::Warning, QStringLiteral("203.0.113.9"))));
        QVERIFY(service->raise(
            threat("api.request_rate", ThreatSeverity::Info, QStringLiteral("198.51.100.7"))));

        MainWindow window(engine.get());
        window.resize(1280, 860);
        window.showPage(window.pageIndex(QStringLiteral("guardian")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GuardianPage *page = window.page<GuardianPage>();
        QVERIFY(page);
        auto *title = page->findChild<QLabel *>(QStringLiteral("bannerTitle"));
        auto *detail = page->findChild<QLabel *>(QStringLiteral("bannerDetail"));
        auto *modeCombo = page->findChild<QComboBox *>(QStringLiteral("modeCombo"));
        auto *setMode = page->findChild<QPushButton *>(QStringLiteral("setModeButton"));
        auto *status = page->findChild<QLabel *>(QStringLiteral("actionStatus"));
        auto *typeFilter = page->findChild<QComboBox *>(QStringLiteral("threatTypeFilter"));
        auto *severity = page->findChild<QComboBox *>(QStringLiteral("threatSeverityFilter"));
        auto *source = page->findChild<QLineEdit *>(QStringLiteral("threatSourceFilter"));
        auto *isolations = page->findChild<QTableWidget *>(QStringLiteral("isolationsTable"));
        auto *release = page->findChild<QPushButton *>(QStringLiteral("releaseButton"));
        QVERIFY(title && detail && modeCombo && setMode && status && typeFilter && severity
            && source && isolations && release);

        QCOMPARE(title->text(), QStringLiteral("NORMAL"));
        QTRY_COMPARE_WITH_TIMEOUT(page->threatsModel()->rowCount(), 2, 10000);

        // Live rows and the chart's count.
        for (int i = 0; i < 3; ++i)
            QVERIFY(service->raise(threat("api.token_failures", ThreatSeverity::Critical,
                QStringLiteral("192.0.2.%1").arg(i + 1))));
        QTRY_COMPARE_WITH_TIMEOUT(page->threatsModel()->rowCount(), 5, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(
            page->eventRates().last() + page->eventRates().value(page->eventRates().size() - 2)
                >= 3,
            5000);
        // A repeat is counted into its row, not added.
        QVERIFY(service->raise(
            threat("api.token_failures", ThreatSeverity::Critical, QStringLiteral("192.0.2.1"))));
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < page->threatsModel()->rowCount(); ++r)
                    if (page->threatsModel()->record(r).count == 2)
                        return true;
                return false;
            }(),
            5000);
        QCOMPARE(page->threatsModel()->rowCount(), 5);

        // Filters.
        QTRY_VERIFY(typeFilter->findText(QStringLiteral("api.token_failures")) > 0);
        typeFilter->setCurrentIndex(typeFilter->findText(QStringLiteral("api.token_failures")));
        QCOMPARE(page->threatsFilter()->rowCount(), 3);
        typeFilter->setCurrentIndex(0);
        severity->setCurrentIndex(1); // warning and critical
        QCOMPARE(page->threatsFilter()->rowCount(), 4);
        severity->setCurrentIndex(2); // critical only
        QCOMPARE(page->threatsFilter()->rowCount(), 3);
        severity->setCurrentIndex(0);
        source->setText(QStringLiteral("203.0"));
        QCOMPARE(page->threatsFilter()->rowCount(), 1);
        source->clear();
        QCOMPARE(page->threatsFilter()->rowCount(), 5);

        // The mode through the control: a cancelled dialog does nothing.
        modeCombo->setCurrentIndex(modeCombo->findData(int(DefenseMode::Lockdown)));
        bool seen = false;
        answerReasonDialog(QString(), &seen);
        setMode->click();
        QVERIFY(seen);
        QCOMPARE(toString(service->snapshot().mode), toString(DefenseMode::Normal));
        answerReasonDialog(QStringLiteral("   "), &seen);
        setMode->click();
        QVERIFY(seen);
        QCOMPARE(status->text(),
            QStringLiteral("Give a reason of at most 500 characters: it goes into the audit log."));
        answerReasonDialog(QStringLiteral("attack drill"), &seen);
        setMode->click();
        QVERIFY(seen);
        QCOMPARE(toString(service->snapshot().mode), toString(DefenseMode::Lockdown));
        QTRY_COMPARE(title->text(), QStringLiteral("LOCKDOWN"));
        QVERIFY2(
            detail->text().contains(QStringLiteral("attack drill")), qPrintable(detail->text()));

        // Isolations with the time left, and Release.
        QVERIFY(service->isolate(QStringLiteral("203.0.113.9"), 3'600'000, QStringLiteral("scan"),
            QStringLiteral("console:test")));
        QTRY_COMPARE(isolations->rowCount(), 1);
        QCOMPARE(isolations->item(0, 0)->text(), QStringLiteral("203.0.113.9"));
        QVERIFY2(isolations->item(0, 1)->text().contains(QLatin1String("59")),
            qPrintable(isolations->item(0, 1)->text()));
        QVERIFY(!release->isEnabled());
        isolations->selectRow(0);
        QVERIFY(release->isEnabled());
        release->click();
        QVERIFY(service->snapshot().isolations.isEmpty());
        QTRY_COMPARE(isolations->rowCount(), 0);
        QCOMPARE(status->text(), QStringLiteral("203.0.113.9 released."));
    }

    void hundredThousandRows()
    {
        QTemporaryDir dataDir;
        auto engine = ShivxTest::startEngine(dataDir.path(), GuardianYaml, ShivxTest::Api::Off);
        QVERIFY(engine);
        GuardianPage page(engine.get());
        page.resize(1280, 800);
        // The page reads the (empty) database when shown; the 100000 rows go in after that.
        QSignalSpy loaded(&page, &GuardianPage::threatsLoaded);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 10000);
        QList<ThreatRecord> rows;
        rows.reserve(GuardianPage::MaxRows);
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = 0; i < GuardianPage::MaxRows; ++i)
            rows.append({ GuardianPage::MaxRows - i,
                i % 10 == 0 ? QStringLiteral("sshd.auth_failure")
                            : QStringLiteral("api.request_rate"),
                i % 100 == 0 ? ThreatSeverity::Critical : ThreatSeverity::Warning,
                QStringLiteral("10.%1.%2.%3").arg(i >> 16).arg((i >> 8) & 255).arg(i & 255),
                QStringLiteral("evidence %1").arg(i), i % 101, 1 + i % 7, now - i * 1000LL,
                now - i * 1000LL });
        QElapsedTimer t;
        t.start();
        page.threatsModel()->setRecords(rows);
        auto *view = page.findChild<QTableView *>(QStringLiteral("threatsTable"));
        QVERIFY(view);
        QCOMPARE(page.threatsFilter()->rowCount(), GuardianPage::MaxRows);
        // Scroll through it: top, bottom, middle.
        for (int v :
            { view->verticalScrollBar()->maximum(), 0, view->verticalScrollBar()->maximum() / 2 }) {
            view->verticalScrollBar()->setValue(v);
            QCoreApplication::processEvents();
        }
        auto *source = page.findChild<QLineEdit *>(QStringLiteral("threatSourceFilter"));
        source->setText(QStringLiteral("10.1.0."));
        QCOMPARE(page.threatsFilter()->rowCount(), 256);
        source->clear();
        auto *severity = page.findChild<QComboBox *>(QStringLiteral("threatSeverityFilter"));
        severity->setCurrentIndex(2);
        QCOMPARE(page.threatsFilter()->rowCount(), GuardianPage::MaxRows / 100);
        severity->setCurrentIndex(0);
        auto *time = page.findChild<QComboBox *>(QStringLiteral("threatTimeFilter"));
        // Last hour: the rows at most 3600 s older than the filter's "now" (row i is i s old).
        const qint64 hour = 3'600'000;
        const qint64 before = QDateTime::currentMSecsSinceEpoch();
        time->setCurrentIndex(1);
        const qint64 after = QDateTime::currentMSecsSinceEpoch();
        const int shown = page.threatsFilter()->rowCount();
        QVERIFY2(
            shown >= (now - after + hour) / 1000 + 1 && shown <= (now - before + hour) / 1000 + 1,
            qPrintable(QString::number(shown)));
        time->setCurrentIndex(0);
        // Across sources, not within each source's group.
        page.findChild<QCheckBox *>(QStringLiteral("groupBySource"))->setChecked(false);
        view->sortByColumn(ThreatsModel::Score, Qt::DescendingOrder);
        QCOMPARE(
            page.threatsFilter()->data(page.threatsFilter()->index(0, ThreatsModel::Score)).toInt(),
            100);
        // A live row goes on top of the 100000.
        page.threatsModel()->enqueue(
            { GuardianPage::MaxRows + 1, QStringLiteral("new.type"), ThreatSeverity::Critical,
                QStringLiteral("192.0.2.1"), QStringLiteral("e"), 0, 1, now, now });
        page.threatsModel()->flush();
        QCOMPARE(page.threatsModel()->rowCount(), GuardianPage::MaxRows + 1);
        QCOMPARE(page.threatsModel()->record(0).type, QStringLiteral("new.type"));
        qInfo("100000 rows: set, scrolled, filtered four ways and sorted in %lld ms", t.elapsed());
    }
    // The page in English and in German, saved under build/screenshots for a look; every
    // group title and button of the page is translated.
    void screenshotsInEnglishAndGerman()
    {
        QTemporaryDir dataDir;
        // The API on (its ignore list empty), so that real requests give 127.0.0.1 a score.
        auto engine = ShivxTest::startEngine(dataDir.path(),
            QByteArray(GuardianYaml) + "  api: {ignore: []}\n", ShivxTest::Api::FreePort);
        QVERIFY(engine);
        GuardianService *service = engine->service<GuardianService>();
        {
            QNetworkAccessManager nam;
            for (int i = 0; i < 30; ++i) {
                QUrl url = engine->apiUrl();
                url.setPath(QStringLiteral("/probe/%1").arg(i));
                QNetworkReply *reply = nam.get(QNetworkRequest(url));
                QTRY_VERIFY_WITH_TIMEOUT(reply->isFinished(), 10000);
                QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404);
                delete reply;
            }
        }
        QVERIFY(service->raise(
            threat("api.request_rate", ThreatSeverity::Warning, QStringLiteral("127.0.0.1"))));
        for (int i = 0; i < 6; ++i)
            QVERIFY(service->raise(threat(i % 3 ? "api.request_rate" : "sshd.auth_failure",
                i == 5 ? ThreatSeverity::Critical : ThreatSeverity::Warning,
                QStringLiteral("203.0.113.%1").arg(i % 4 + 1))));
        QVERIFY(service->isolate(QStringLiteral("203.0.113.1"), 600'000,
            QStringLiteral("repeated token failures"), QStringLiteral("console:alice")));
        QVERIFY(service->setMode(DefenseMode::Elevated, QStringLiteral("scan from 203.0.113.0/24"),
            QStringLiteral("console:alice")));
        MainWindow window(engine.get());
        window.resize(1280, 860);
        window.showPage(window.pageIndex(QStringLiteral("guardian")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        GuardianPage *page = window.page<GuardianPage>();
        QTRY_COMPARE_WITH_TIMEOUT(page->threatsModel()->rowCount(), 6, 10000);
        // Grouped by source: the rows of one source are next to each other.
        auto *view = page->findChild<QTableView *>(QStringLiteral("threatsTable"));
        QStringList order;
        for (int row = 0; row < view->model()->rowCount(); ++row) {
            const QString source
                = view->model()->index(row, ThreatsModel::Source).data().toString();
            if (order.isEmpty() || order.last() != source) {
                QVERIFY2(!order.contains(source), qPrintable(source));
                order << source;
            }
        }
        // The selected row's source has its score explained, feature by feature.
        int row127 = -1;
        for (int row = 0; row < view->model()->rowCount(); ++row)
            if (view->model()->index(row, ThreatsModel::Source).data().toString()
                == QLatin1String("127.0.0.1"))
                row127 = row;
        QVERIFY(row127 >= 0);
        view->setCurrentIndex(view->model()->index(row127, 0));
        QTRY_COMPARE_WITH_TIMEOUT(page->scoreShown().source, QStringLiteral("127.0.0.1"), 10000);
        QCOMPARE(page->scoreShown().features.size(), 5);
        QVERIFY(page->scoreShown().pointsOf(QStringLiteral("error_ratio")) > 0);
        QVERIFY(page->scoreShown().pointsOf(QStringLiteral("distinct_paths")) > 0);
        auto *scoreTable = page->findChild<QTableWidget *>(QStringLiteral("scoreTable"));
        QCOMPARE(scoreTable->rowCount(), 5);
        QCOMPARE(scoreTable->item(3, 0)->text(), QStringLiteral("Error ratio"));
        QVERIFY2(scoreTable->item(3, 2)->text().contains(QLatin1String("of 30 requests failed")),
            qPrintable(scoreTable->item(3, 2)->text()));
        QVERIFY(page->findChild<QLabel *>(QStringLiteral("scoreTitle"))
                    ->text()
                    .startsWith(QLatin1String("127.0.0.1 scores ")));
        QTest::qWait(1200); // a second of the chart
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(
            window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/guardian-en.png")));

        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QCoreApplication::installTranslator(&german);
        QTest::qWait(100);
        QStringList english;
        for (auto *box : page->findChildren<QGroupBox *>())
            if (box->title() == QLatin1String("Threats")
                || box->title() == QLatin1String("Isolated sources")
                || box->title() == QLatin1String("Defense mode")
                || box->title() == QLatin1String("Threat score"))
                english << box->title();
        for (auto *button : page->findChildren<QPushButton *>())
            if (button->text() == QLatin1String("&Release")
                || button->text() == QStringLiteral("&Set mode…"))
                english << button->text();
        QVERIFY2(english.isEmpty(), qPrintable(english.join(QStringLiteral(", "))));
        QCOMPARE(page->findChild<QLabel *>(QStringLiteral("bannerTitle"))->text(),
            QStringLiteral("ERHÖHT"));
        QCOMPARE(scoreTable->item(3, 0)->text(), QStringLiteral("Fehlerquote"));
        QVERIFY(
            window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/guardian-de.png")));
        QCoreApplication::removeTranslator(&german);
    }
};

QTEST_MAIN(TstGuardianPage)
#include "tst_guardianpage.moc"
