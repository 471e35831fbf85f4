// The Alerts page against a real engine (real alerting thread, real SQLite, a rules file on
// disk): a rule fires and another waits out its `for`, Acknowledge and Silence… (through its
// dialog) act on them and Expire ends the silence, the history lists the transitions, the
// rule editor previews a rule over stored history (shading where it would have fired) and
// saves it into the rules directory, which the engine then evaluates; screenshots in English
// and German.
#include "alerting/alertingconfig.h"
#include "alerting/alertingservice.h"
#include "alerting/consolerulefile.h"
#include "alerts/alerthistorymodel.h"
#include "alerts/alertsmodel.h"
#include "alerts/alertspage.h"
#include "alerts/ruleeditor.h"
#include "alerts/ruleform.h"
#include "alerts/rulepreviewchart.h"
#include "alerts/silencedialog.h"
#include "core/config.h"
#include "core/engine.h"
#include "shell/mainwindow.h"
#include "telemetry/historystore.h"
#include "widgets/displayformat.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>

using namespace Shivx;
using Shivx::Ui::AlertsModel;
using Shivx::Ui::AlertsPage;
using Shivx::Ui::MainWindow;
using Shivx::Ui::SilenceDialog;

namespace {

// shivx_engine_start_time_seconds is set once the engine runs: a condition that holds.
const char RulesYaml[] = R"(groups:
  - name: test
    rules:
      - alert: EngineUp
        series: shivx_engine_start_time_seconds
        op: ">"
        threshold: 0
        for: 0s
        severity: critical
        annotations: { summary: "started at {{ $value }}" }
      - alert: EngineUpLong
        series: shivx_engine_start_time_seconds
        op: ">"
        threshold: 0
        for: 1h
        severity: warning
)";

struct Setup
{
    QTemporaryDir dir;
    std::unique_ptr<Engine> engine;

    bool start()
    {
        QDir(dir.path()).mkpath(QStringLiteral("rules"));
        QFile rules(dir.filePath(QStringLiteral("rules/test.yml")));
        QFile config(dir.filePath(QStringLiteral("shivx.yaml")));
        if (!rules.open(QIODevice::WriteOnly) || rules.write(RulesYaml) < 0
            || !config.open(QIODevice::WriteOnly))
            return false;
        rules.close();
        config.write("alerting:\n  interval: 1s\n  default_rules: false\n  rules: rules\n");
        config.close();
        auto loaded = ConfigLoader::loadFile(config.fileName());
        if (!loaded) {
            qWarning("%s", qPrintable(loaded.error().message));
            return false;
        }
        Engine::Options o;
        o.config = *loaded;
        o.dataDir = dir.filePath(QStringLiteral("data"));
        o.startApi = false;
        engine = std::make_unique<Engine>(o);
        if (auto r = engine->start(); !r) {
            qWarning("%s", qPrintable(r.error().toString()));
            return false;
        }
        return true;
    }
};

// Answers the next silence dialog: 2 hours, only its alertname ticked.
void answerSilenceDialog(bool *seen)
{
    *seen = false;
    QTimer::singleShot(0, [seen] {
        auto *dialog = qobject_cast<SilenceDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        *seen = true;
        for (auto *box : dialog->findChildren<QCheckBox *>())
            box->setChecked(box->objectName() == QLatin1String("match_alertname"));
        dialog->setDuration(2, 1);
        dialog->findChild<QLineEdit *>(QStringLiteral("silenceComment"))
            ->setText(QStringLiteral("maintenance"));
        dialog->accept();
    });
}

// An hour of shivx_test_depth{queue="in"} (1, and 9 between 40 and 28 minutes ago) and of
// {queue="out"} (2) in the engine's history, every 10 s up to `now`.
bool seedHistory(Engine *engine, qint64 now)
{
    {
        auto store = HistoryStore::open(engine->databasePath(), QStringLiteral("test.seed"));
        if (!store)
            return false;
        QList<SamplePoint> points;
        for (qint64 t = now - 3'600'000; t <= now - 10'000; t += 10'000) {
            const bool high = t >= now - 40 * 60'000 && t < now - 28 * 60'000;
            points.append(
                { QStringLiteral("shivx_test_depth{queue=\"in\"}"), t, high ? 9.0 : 1.0 });
            points.append({ QStringLiteral("shivx_test_depth{queue=\"out\"}"), t, 2.0 });
        }
        if (!(*store)->append(points))
            return false;
    }
    QSqlDatabase::removeDatabase(QStringLiteral("test.seed"));
    return true;
}

} // namespace

class TstAlertsPage : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void firingAcknowledgeSilenceAndHistory()
    {
        Setup s;
        QVERIFY(s.start());
        AlertingService *service = s.engine->service<AlertingService>();
        MainWindow window(s.engine.get());
        window.resize(1280, 860);
        QVERIFY(window.showPage(QStringLiteral("alerts")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        AlertsPage *page = window.page<AlertsPage>();
        QVERIFY(page);
        auto *tabs = page->findChild<QTabWidget *>(QStringLiteral("alertsTabs"));
        auto *firing = page->findChild<QTableView *>(QStringLiteral("firingTable"));
        auto *pending = page->findChild<QTableView *>(QStringLiteral("pendingTable"));
        auto *ack = page->findChild<QPushButton *>(QStringLiteral("acknowledgeButton"));
        auto *silence = page->findChild<QPushButton *>(QStringLiteral("silenceButton"));
        auto *expire = page->findChild<QPushButton *>(QStringLiteral("expireSilenceButton"));
        auto *silences = page->findChild<QTableWidget *>(QStringLiteral("silencesTable"));
        auto *summary = page->findChild<QLabel *>(QStringLiteral("alertsSummary"));
        QVERIFY(tabs && firing && pending && ack && silence && expire && silences && summary);

        QTRY_COMPARE_WITH_TIMEOUT(page->model(AlertsPage::FiringTab)->rowCount(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(page->model(AlertsPage::PendingTab)->rowCount(), 1, 10000);
        QCOMPARE(summary->text(), QStringLiteral("1 alert firing — 1 critical"));
        QCOMPARE(tabs->tabText(AlertsPage::FiringTab), QStringLiteral("Firing (1)"));
        QCOMPARE(firing->model()->index(0, AlertsModel::AlertColumn).data().toString(),
            QStringLiteral("EngineUp"));
        QVERIFY(firing->model()
                    ->index(0, AlertsModel::SummaryColumn)
                    .data()
                    .toString()
                    .startsWith(QLatin1String("started at ")));

        // Acknowledge: nothing selected, nothing to do.
        tabs->setCurrentIndex(AlertsPage::FiringTab);
        QVERIFY(!ack->isEnabled());
        firing->selectRow(0);
        QVERIFY(ack->isEnabled());
        ack->click();
        QCOMPARE(page->actionStatus(), QStringLiteral("Acknowledged: EngineUp."));
        const auto acked = [&] {
            for (const AlertInstance &a : service->snapshot().alerts)
                if (a.rule == QLatin1String("EngineUp"))
                    return a.ackedBy;
            return QString();
        };
        QVERIFY2(acked().startsWith(QLatin1String("console:")), qPrintable(acked()));
        QTRY_VERIFY(!firing->model()->index(0, AlertsModel::AckColumn).data().toString().isEmpty());

        // Silence the pending one through the dialog: it moves to the Silenced tab.
        tabs->setCurrentIndex(AlertsPage::PendingTab);
        pending->selectRow(0);
        QVERIFY(silence->isEnabled());
        bool seen = false;
        answerSilenceDialog(&seen);
        silence->click();
        QVERIFY(seen);
        QVERIFY2(page->actionStatus().startsWith(QLatin1String("Silenced until ")),
            qPrintable(page->actionStatus()));
        QCOMPARE(service->snapshot().silences.size(), 1);
        const AlertSilence made = service->snapshot().silences.first();
        QCOMPARE(made.matchers, (QMap<QString, QString> { { "alertname", "EngineUpLong" } }));
        QCOMPARE(made.comment, QStringLiteral("maintenance"));
        QVERIFY(qAbs(made.endsAtMs - made.startsAtMs - 2 * 3'600'000) < 1000);
        QTRY_COMPARE(page->model(AlertsPage::SilencedTab)->rowCount(), 1);
        QCOMPARE(page->model(AlertsPage::PendingTab)->rowCount(), 0);
        QCOMPARE(silences->rowCount(), 1);
        QCOMPARE(silences->item(0, 0)->text(), QStringLiteral("alertname=EngineUpLong"));

        // Expire it: the alert is pending again.
        tabs->setCurrentIndex(AlertsPage::SilencedTab);
        QVERIFY(!expire->isEnabled());
        silences->selectRow(0);
        QVERIFY(expire->isEnabled());
        expire->click();
        QTRY_COMPARE(page->model(AlertsPage::PendingTab)->rowCount(), 1);
        QTRY_COMPARE(silences->rowCount(), 0);

        // The history names the transitions (newest first).
        tabs->setCurrentIndex(AlertsPage::HistoryTab);
        QSignalSpy loaded(page, &AlertsPage::historyLoaded);
        page->reloadHistory();
        QTRY_VERIFY(loaded.size() >= 1);
        QStringList transitions;
        for (const AlertHistoryEntry &e : page->historyModel()->entries())
            transitions << e.rule + QLatin1Char(':') + e.from + QLatin1Char('>') + e.to;
        QVERIFY2(transitions.contains(QStringLiteral("EngineUp:pending>firing")),
            qPrintable(transitions.join(QLatin1Char(' '))));
        QVERIFY(transitions.contains(QStringLiteral("EngineUpLong:inactive>pending")));

        // A fired alert from the tray lands on its row.
        const QString fp = service->snapshot().alerts.first().fingerprint;
        QVERIFY(page->showAlert(fp));
        QVERIFY(tabs->currentIndex() <= AlertsPage::SilencedTab);
        QVERIFY(!page->showAlert(QStringLiteral("no-such-fingerprint")));
        QCOMPARE(tabs->currentIndex(), int(AlertsPage::HistoryTab));
    }

    void ruleEditorPreviewsAndSaves()
    {
        Setup s;
        QVERIFY(s.start());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 bumpFrom = now - 40 * 60'000, bumpTo = now - 28 * 60'000;
        QVERIFY(seedHistory(s.engine.get(), now));

        AlertsPage page(s.engine.get());
        page.resize(1280, 860);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto *editor = page.ruleEditor();
        auto *name = editor->findChild<QLineEdit *>(QStringLiteral("ruleName"));
        auto *series = editor->findChild<QLineEdit *>(QStringLiteral("ruleSeries"));
        auto *threshold = editor->findChild<QLineEdit *>(QStringLiteral("ruleThreshold"));
        auto *forEdit = editor->findChild<QLineEdit *>(QStringLiteral("ruleFor"));
        auto *range = editor->findChild<QComboBox *>(QStringLiteral("previewRange"));
        auto *previewButton = editor->findChild<QPushButton *>(QStringLiteral("previewButton"));
        auto *saveButton = editor->findChild<QPushButton *>(QStringLiteral("saveRuleButton"));
        QVERIFY(name && series && threshold && forEdit && range && previewButton && saveButton);

        // A field the loader refuses is named.
        name->setText(QStringLiteral("QueueDeep"));
        series->setText(QStringLiteral("shivx_test_depth{queue=in}"));
        threshold->setText(QStringLiteral("5"));
        forEdit->setText(QStringLiteral("2m"));
        previewButton->click();
        QVERIFY2(editor->statusText().startsWith(QLatin1String("series: selector")),
            qPrintable(editor->statusText()));

        series->setText(QStringLiteral("shivx_test_depth{queue=\"in\"}"));
        range->setCurrentIndex(0); // the last hour
        QSignalSpy done(editor, &Shivx::Ui::RuleEditor::previewFinished);
        previewButton->click();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        const auto firing = editor->chart()->firingSpans();
        QCOMPARE(firing.size(), 1);
        // Above 5 from bumpFrom; firing after `for` (2 min), until the last high sample.
        QVERIFY2(qAbs(firing.first().fromMs - (bumpFrom + 120'000)) <= 10'000,
            qPrintable(QString::number(firing.first().fromMs - bumpFrom)));
        QVERIFY(qAbs(firing.first().toMs - (bumpTo - 10'000)) <= 10'000);
        QCOMPARE(editor->chart()->pendingSpans().size(), 1);
        QVERIFY2(editor->chart()->caption().contains(QLatin1String("would have fired once")),
            qPrintable(editor->chart()->caption()));

        // A name the defaults or the files hold already is refused, and the file put back.
        name->setText(QStringLiteral("EngineUp"));
        saveButton->click();
        QVERIFY2(editor->statusText().startsWith(QLatin1String("Not saved: ")),
            qPrintable(editor->statusText()));
        const QString consoleFile = s.dir.filePath(QStringLiteral("rules/console-rules.yml"));
        QVERIFY(!QFile::exists(consoleFile));

        // Saved: the file holds it and the engine evaluates it.
        name->setText(QStringLiteral("QueueDeep"));
        saveButton->click();
        QVERIFY2(editor->statusText().startsWith(QLatin1String("Saved QueueDeep")),
            qPrintable(editor->statusText()));
        QVERIFY(QFile::exists(consoleFile));
        QFile f(consoleFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const auto reread = parseAlertRules(f.readAll(), consoleFile);
        QVERIFY2(reread, reread ? "" : qPrintable(reread.error().message));
        QCOMPARE(reread->size(), 1);
        QCOMPARE(reread->first().name, QStringLiteral("QueueDeep"));
        QCOMPARE(reread->first().forMs, 120'000);
        QCOMPARE(
            reread->first().series.toString(), QStringLiteral("shivx_test_depth{queue=\"in\"}"));
        bool known = false;
        for (const AlertRule &r : s.engine->config().section<AlertingConfig>().rules)
            known = known || r.name == QLatin1String("QueueDeep");
        QVERIFY(known);
        QTRY_COMPARE_WITH_TIMEOUT(s.engine->service<AlertingService>()->snapshot().rules, 3, 5000);
    }

    // "likely LEVEL_N in ~T", as the Alerts and the Degradation page show it; nothing when no
    // worse level is likely.
    void forecastWording()
    {
        HealthForecast f;
        QVERIFY(AlertsPage::forecastText(f).isEmpty());
        f.likely = true;
        f.level = QStringLiteral("LEVEL_2");
        f.etaMs = 40 * 60'000 + 20'000;
        f.slopePerHour = -12.5;
        const QString text = AlertsPage::forecastText(f);
        QVERIFY2(text.startsWith(QLatin1String("Health score trend: likely "))
                && text.contains(
                    Shivx::Ui::DisplayFormat::degradationLevel(DegradationLevel::Level2))
                && text.contains(
                    QLatin1String("~") + Shivx::Ui::DisplayFormat::duration(40 * 60'000))
                && text.contains(QLatin1String("-12.5 points an hour")),
            qPrintable(text));
    }

    // The page in English and in German, saved under build/screenshots for a look.
    void screenshotsInEnglishAndGerman()
    {
        Setup s;
        QVERIFY(s.start());
        MainWindow window(s.engine.get());
        window.resize(1280, 860);
        QVERIFY(window.showPage(QStringLiteral("alerts")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        AlertsPage *page = window.page<AlertsPage>();
        QTRY_COMPARE_WITH_TIMEOUT(page->model(AlertsPage::FiringTab)->rowCount(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(page->model(AlertsPage::PendingTab)->rowCount(), 1, 10000);
        auto *firing = page->findChild<QTableView *>(QStringLiteral("firingTable"));
        firing->selectRow(0);
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/alerts-en.png")));

        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QCoreApplication::installTranslator(&german);
        QTest::qWait(100);
        auto *tabs = page->findChild<QTabWidget *>(QStringLiteral("alertsTabs"));
        QCOMPARE(tabs->tabText(AlertsPage::FiringTab), QStringLiteral("Aktiv (1)"));
        for (auto *b : page->findChildren<QPushButton *>())
            QVERIFY2(b->text() != QLatin1String("&Acknowledge")
                    && b->text() != QLatin1String("&Preview"),
                qPrintable(b->text()));
        QVERIFY(window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/alerts-de.png")));
        // The rule editor with a preview: an average over 5 minutes above 4 for 2 minutes.
        QVERIFY(seedHistory(s.engine.get(), QDateTime::currentMSecsSinceEpoch()));
        tabs->setCurrentIndex(AlertsPage::RulesTab);
        auto *editor = page->ruleEditor();
        AlertRule rule;
        rule.name = QStringLiteral("QueueDeep");
        rule.series = *SeriesSelector::parse(QStringLiteral("shivx_test_depth"));
        rule.function = WindowFunction::Avg;
        rule.windowMs = 300'000;
        rule.threshold = 4;
        rule.forMs = 120'000;
        rule.summary = QStringLiteral("{{ $labels.queue }} holds {{ $value }} items");
        editor->form()->setRule(rule);
        editor->findChild<QComboBox *>(QStringLiteral("previewRange"))->setCurrentIndex(0);
        QSignalSpy done(editor, &Shivx::Ui::RuleEditor::previewFinished);
        editor->preview();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 20000);
        QCOMPARE(editor->chart()->firingSpans().size(), 1);
        QTest::qWait(50);
        QVERIFY(window.grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/alerts-rules-de.png")));
        QCoreApplication::removeTranslator(&german);
        QTest::qWait(50);
        QVERIFY(window.grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/alerts-rules-en.png")));
    }
};

QTEST_MAIN(TstAlertsPage)
#include "tst_alertspage.moc"
