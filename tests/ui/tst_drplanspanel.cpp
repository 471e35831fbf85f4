// The DR plans tab of the Backup & DR page against a real engine, a real repository with a
// real snapshot and real plans on disk: the plan list; Activate's confirmation whose OK stays
// off until the plan's name is typed exactly; a dry run first that writes nothing, then
// "Activate for real" restoring, verifying and running a command with every step's state,
// duration and log shown; the report with the measured recovery time exported as a real PDF
// (read back with pdftotext); Abort of a long command ending the run aborted and killing the
// command; and screenshots in English and German (build/screenshots/dr-en.png, dr-de.png).
#include "backup/backuppage.h"
#include "backup/backupservice.h"
#include "backup/dractivatedialog.h"
#include "backup/drplanspanel.h"
#include "backup/drrunview.h"
#include "backup/repository.h"
#include "core/engine.h"
#include "drreport.h"
#include "shell/mainwindow.h"
#include "testengine.h"
#include "widgets/enginewording.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QTreeWidget>

using namespace Shivx;
using Shivx::Ui::BackupPage;
using Shivx::Ui::DrActivateDialog;
using Shivx::Ui::DrPlansPanel;
using Shivx::Ui::MainWindow;

namespace {

const QByteArray Passphrase = "dr page passphrase";

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TstDrPlansPanel : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<MainWindow> m_window;
    BackupPage *m_page = nullptr;
    DrPlansPanel *m_panel = nullptr;
    BackupService *m_service = nullptr;

    QString path(const QString &rel) const { return m_dir.filePath(rel); }

    void selectPlan(const QString &plan)
    {
        QTableWidget *plans = m_panel->plansView();
        for (int row = 0; row < plans->rowCount(); ++row)
            if (plans->item(row, DrPlansPanel::NameColumn)->text() == plan)
                plans->selectRow(row);
        QCOMPARE(m_panel->selectedPlan(), plan);
    }

    // Confirms `plan` through the dialog as an operator would, and returns the run it started.
    DrRun confirm(const QString &plan, bool dryRunFirst)
    {
        selectPlan(plan);
        auto *activate = m_panel->findChild<QPushButton *>(QStringLiteral("drActivateButton"));
        if (!activate->isEnabled())
            return {};
        activate->click();
        auto *dialog = m_panel->findChild<DrActivateDialog *>();
        if (!dialog || !dialog->isVisible())
            return {};
        dialog->findChild<QCheckBox *>(QStringLiteral("drDryRunFirst"))->setChecked(dryRunFirst);
        dialog->findChild<QLineEdit *>(QStringLiteral("drConfirmName"))->setText(plan);
        QSignalSpy answered(m_panel, &DrPlansPanel::commandAnswered);
        dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok)->click();
        if (!answered.wait(10'000) || !answered.first().at(0).toBool())
            return {};
        return answered.first().at(1).value<DrRun>();
    }

    // Waits until the view shows run `id` ended; returns its state.
    QString finalState(qint64 id, int timeoutMs = 60'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const DrRun &r = m_panel->runView()->run();
            if (r.id == id && r.finished())
                return r.state;
            QTest::qWait(20);
        }
        return QStringLiteral("<timeout>");
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        writeFile(path(QStringLiteral("pw")), Passphrase + '\n');
        writeFile(path(QStringLiteral("src/etc/app.conf")), "port = 8080\n");
        writeFile(path(QStringLiteral("src/data/notes.txt")), QByteArray(200'000, 'n'));
        writeFile(path(QStringLiteral("plans/recover-app.yaml")),
            QStringLiteral(
                "description: Restore the app's files into a recovery directory and check them.\n"
                "steps:\n"
                "  - {name: restore-app, action: restore, set: app, snapshot: latest,\n"
                "     to: %1/recovered, timeout: 60s}\n"
                "  - {name: verify-app, action: verify_restore, set: app, snapshot: latest,\n"
                "     to: %1/recovered, timeout: 60s}\n"
                "  - {name: list-files, action: run_command,\n"
                "     command: [/bin/sh, -c, 'echo restored-ok; sleep 0.3'], timeout: 30s}\n"
                "  - {name: tell-team, action: notify, message: app recovered}\n")
                .arg(m_dir.path())
                .toUtf8());
        writeFile(path(QStringLiteral("plans/slow-plan.yaml")),
            QStringLiteral("description: A command that takes long, for Abort.\n"
                           "steps:\n"
                           "  - {name: long-command, action: run_command, timeout: 120s,\n"
                           "     command: [/bin/sh, -c, 'echo $$ > %1/slow.pid; exec sleep 60']}\n"
                           "  - {name: after, action: notify, message: not reached}\n")
                .arg(m_dir.path())
                .toUtf8());
        Backup::Repository::InitOptions options;
        options.scrypt.n = 1u << 10; // a quick key derivation: this test is not about scrypt
        const auto repo = Backup::Repository::init(path(QStringLiteral("repo")),
            Backup::Credential {
                Backup::Credential::Kind::Passphrase, Passphrase, QStringLiteral("test") },
            options);
        QVERIFY2(repo, qPrintable(repo ? QString() : repo.error().toString()));

        m_engine = ShivxTest::startEngine(path(QStringLiteral("data")),
            QStringLiteral("sampler: {interval: 1s}\n"
                           "backup:\n"
                           "  repository: %1/repo\n"
                           "  password_file: %1/pw\n"
                           "  dr_plans: %1/plans\n"
                           "  sets:\n"
                           "    app:\n"
                           "      paths: [%1/src]\n")
                .arg(m_dir.path())
                .toUtf8(),
            ShivxTest::Api::Off);
        QVERIFY(m_engine);
        m_service = m_engine->service<BackupService>();
        QVERIFY(m_service);
        // The snapshot the plan restores.
        const auto op = m_service->backupNow(
            QStringLiteral("app"), QStringLiteral("full"), QStringLiteral("test"));
        QVERIFY2(op, qPrintable(op ? QString() : op.error().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(m_service->operation(op->id)->finished(), 30'000);
        QCOMPARE(m_service->operation(op->id)->state, QStringLiteral("succeeded"));

        m_window = std::make_unique<MainWindow>(m_engine.get());
        m_window->resize(1400, 900);
        QVERIFY(m_window->showPage(QStringLiteral("backup")));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_page = m_window->page<BackupPage>();
        QVERIFY(m_page);
        m_page->showTab(1);
        m_panel = m_page->drPlansPanel();
        QVERIFY(m_panel);
        QTRY_COMPARE_WITH_TIMEOUT(m_panel->plansView()->rowCount(), 2, 10'000);
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_engine.reset();
    }

    void planListShowsNameAndSteps()
    {
        QTableWidget *plans = m_panel->plansView();
        QCOMPARE(plans->item(0, DrPlansPanel::NameColumn)->text(), QStringLiteral("recover-app"));
        QCOMPARE(plans->item(0, DrPlansPanel::StepsColumn)->text(), QStringLiteral("4"));
        QCOMPARE(plans->item(1, DrPlansPanel::NameColumn)->text(), QStringLiteral("slow-plan"));
        QVERIFY(plans->item(0, DrPlansPanel::DescriptionColumn)->text().contains("recovery"));
    }

    void okStaysOffUntilTheNameIsTyped()
    {
        selectPlan(QStringLiteral("recover-app"));
        DrActivateDialog *dialog = m_panel->openActivateDialog();
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        QVERIFY(dialog->findChild<QLabel *>(QStringLiteral("drActivateText"))
                    ->text()
                    .contains(QLatin1String("recover-app")));
        QPushButton *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        auto *name = dialog->findChild<QLineEdit *>(QStringLiteral("drConfirmName"));
        QVERIFY(!ok->isEnabled());
        name->setText(QStringLiteral("recover"));
        QVERIFY(!ok->isEnabled());
        name->setText(QStringLiteral("Recover-App"));
        QVERIFY2(!ok->isEnabled(), "the name must match exactly");
        name->setText(QStringLiteral("recover-app"));
        QVERIFY(ok->isEnabled());
        QVERIFY(dialog->dryRunFirst()); // the safe choice is the default
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(dialog->grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/dr-activate-en.png")));
        dialog->reject();
    }

    void dryRunFirstThenTheRealRunWithItsReport()
    {
        const DrRun dry = confirm(QStringLiteral("recover-app"), true);
        QVERIFY(dry.id > 0);
        QVERIFY(dry.dryRun);
        QCOMPARE(finalState(dry.id), QStringLiteral("succeeded"));
        QVERIFY2(!QFile::exists(path(QStringLiteral("recovered"))), "the dry run wrote");
        QPushButton *real = m_panel->runView()->realRunButton();
        QTRY_VERIFY(real->isVisible());

        QSignalSpy answered(m_panel, &DrPlansPanel::commandAnswered);
        real->click();
        QVERIFY(answered.wait(10'000));
        const DrRun run = answered.first().at(1).value<DrRun>();
        QVERIFY(run.id > dry.id);
        QVERIFY(!run.dryRun);
        QCOMPARE(finalState(run.id), QStringLiteral("succeeded"));
        QCOMPARE(
            readFile(path(QStringLiteral("recovered") + path(QStringLiteral("src/etc/app.conf")))),
            QByteArray("port = 8080\n"));

        // Each step's state, duration and outcome; the command's output in the log.
        QTreeWidget *steps = m_panel->runView()->stepsView();
        QCOMPARE(steps->topLevelItemCount(), 4);
        for (int i = 0; i < 4; ++i) {
            QCOMPARE(steps->topLevelItem(i)->text(2), QStringLiteral("Succeeded"));
            QVERIFY(!steps->topLevelItem(i)->text(3).isEmpty());
        }
        QVERIFY2(steps->topLevelItem(1)->text(4).contains(QLatin1String("match the manifest")),
            qPrintable(steps->topLevelItem(1)->text(4)));
        QVERIFY(m_panel->runView()
                    ->findChild<QPlainTextEdit *>(QStringLiteral("drLog"))
                    ->toPlainText()
                    .contains(QLatin1String("[list-files] restored-ok")));
        const QString report
            = m_panel->runView()->findChild<QLabel *>(QStringLiteral("drReport"))->text();
        QVERIFY2(report.contains(QLatin1String("Measured recovery time")), qPrintable(report));
        QVERIFY(report.contains(QStringLiteral("run %1").arg(run.id)));
        // The plan list has the run and its recovery time now.
        QTableWidget *plans = m_panel->plansView();
        QTRY_VERIFY(plans->item(0, DrPlansPanel::LastRunColumn)->text().contains("Succeeded"));
        QVERIFY(plans->item(0, DrPlansPanel::RecoveryColumn)->text().contains(QLatin1Char('s')));

        // Export PDF: a real PDF whose text has the plan, every step and the recovery time.
        const QString pdf = path(QStringLiteral("dr-report.pdf"));
        const auto written = m_panel->runView()->exportPdf(pdf);
        QVERIFY2(written, qPrintable(written ? QString() : written.error().message));
        QVERIFY(readFile(pdf).startsWith("%PDF-"));
        QProcess text;
        text.start(
            QStringLiteral("pdftotext"), { QStringLiteral("-layout"), pdf, QStringLiteral("-") });
        QVERIFY(text.waitForFinished(30'000));
        const QString out = QString::fromUtf8(text.readAllStandardOutput());
        for (const char *want :
            { "Disaster recovery report", "recover-app", "restore-app", "verify-app", "list-files",
                "tell-team", "Measured recovery time", "restored-ok", "dr.activated" })
            QVERIFY2(out.contains(QLatin1String(want)), want);
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(m_window->grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/dr-en.png")));
    }

    void abortEndsTheRunAndKillsItsCommand()
    {
        const DrRun run = confirm(QStringLiteral("slow-plan"), false);
        QVERIFY(run.id > 0);
        const QString pidFile = path(QStringLiteral("slow.pid"));
        QTRY_VERIFY_WITH_TIMEOUT(
            QFile::exists(pidFile) && !readFile(pidFile).trimmed().isEmpty(), 10'000);
        const QString proc
            = QStringLiteral("/proc/%1").arg(QString::fromLatin1(readFile(pidFile).trimmed()));
        QVERIFY(QFile::exists(proc));
        QPushButton *abort = m_panel->runView()->abortButton();
        QTRY_VERIFY(abort->isVisible() && abort->isEnabled());
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(m_window->grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/dr-running-en.png")));
        abort->click();
        QCOMPARE(finalState(run.id, 10'000), QStringLiteral("aborted"));
        QTreeWidget *steps = m_panel->runView()->stepsView();
        QCOMPARE(steps->topLevelItem(0)->text(2), QStringLiteral("Failed"));
        QVERIFY2(steps->topLevelItem(0)->text(4).startsWith(QLatin1String("Aborted by ")),
            qPrintable(steps->topLevelItem(0)->text(4)));
        QCOMPARE(steps->topLevelItem(1)->text(2), QStringLiteral("Skipped"));
        QTRY_VERIFY2_WITH_TIMEOUT(!QFile::exists(proc), "the command outlived the abort", 5000);
        QVERIFY(!abort->isVisible());
    }

    // The tab in German: every string translated.
    void screenshotInGerman()
    {
        // Show the finished real run again for the screenshot.
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QCoreApplication::installTranslator(&german);
        QTest::qWait(200);
        auto *activate = m_panel->findChild<QPushButton *>(QStringLiteral("drActivateButton"));
        QCOMPARE(activate->text(), QStringLiteral("&Aktivieren…"));
        QCOMPARE(m_panel->runView()->stepsView()->topLevelItem(1)->text(2),
            QStringLiteral("Übersprungen"));
        // The step's outcome is a code the console words: German in the view and the report.
        const QString outcome = m_panel->runView()->stepsView()->topLevelItem(0)->text(4);
        QVERIFY2(outcome.startsWith(QLatin1String("Abgebrochen von ")), qPrintable(outcome));
        const QString report
            = Reports::DrReport::html(m_panel->runView()->run(), &Ui::EngineWording::message);
        QVERIFY2(report.contains(outcome.toHtmlEscaped()), qPrintable(report));
        QVERIFY(!report.contains(QLatin1String("aborted by")));
        QVERIFY(m_window->grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/dr-de.png")));
        QCoreApplication::removeTranslator(&german);
        QTest::qWait(50);
        QCOMPARE(activate->text(), QStringLiteral("&Activate…"));
    }
};

QTEST_MAIN(TstDrPlansPanel)
#include "tst_drplanspanel.moc"
