// The Backup & DR page against a real engine with a real repository (made in a temporary
// directory with a password file) and real files: Back up now reaching succeeded with the
// snapshot in the sets table, the history and its chart; a quick verify; the Restore wizard
// with a snapshot picked from the list, a dry run whose listed changes are shown and nothing
// written, then the real restore into another directory writing the files; the wizard's
// worded refusal of a relative target; Cancel of a long backup ending cancelled; and
// screenshots in English and German.
#include "backup/backuphistorychart.h"
#include "backup/backuphistorymodel.h"
#include "backup/backupoperationspanel.h"
#include "backup/backuppage.h"
#include "backup/backupservice.h"
#include "backup/backupsetsmodel.h"
#include "backup/repository.h"
#include "backup/restorewizard.h"
#include "core/engine.h"
#include "shell/mainwindow.h"
#include "testengine.h"

#include <QAbstractButton>
#include <QComboBox>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QTreeWidget>

using namespace Shivx;
using Shivx::Ui::BackupPage;
using Shivx::Ui::BackupSetsModel;
using Shivx::Ui::MainWindow;
using Shivx::Ui::RestoreWizard;

namespace {

const QByteArray Passphrase = "backup page passphrase";

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(b.data()), size / 4);
    return b;
}

// The one file called `name` below `root`, or "".
QString findFile(const QString &root, const QString &name)
{
    QDirIterator it(root, { name }, QDir::Files, QDirIterator::Subdirectories);
    return it.hasNext() ? it.next() : QString();
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

} // namespace

class TstBackupPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<MainWindow> m_window;
    BackupPage *m_page = nullptr;
    BackupService *m_service = nullptr;

    QString path(const QString &rel) const { return m_dir.filePath(rel); }
    QByteArray config() const
    {
        return QStringLiteral("sampler: {interval: 1s}\n"
                              "backup:\n"
                              "  repository: %1/repo\n"
                              "  password_file: %1/pw\n"
                              "  sets:\n"
                              "    app:\n"
                              "      paths: [%1/src]\n"
                              "    big:\n"
                              "      paths: [%1/big]\n")
            .arg(m_dir.path())
            .toUtf8();
    }

    // Selects the sets table's row of `set`.
    void selectSet(const QString &set)
    {
        auto *view = m_page->findChild<QTableView *>(QStringLiteral("setsView"));
        const int row = m_page->setsModel()->rowOf(set);
        QVERIFY(row >= 0);
        view->selectRow(row);
        QCOMPARE(m_page->selectedSet(), set);
    }

    // Clicks `button` and returns the operation the service queued for it.
    BackupOperation clickCommand(QPushButton *button)
    {
        QSignalSpy answered(m_page, &BackupPage::commandAnswered);
        button->click();
        if (!answered.wait(10'000) || !answered.first().at(0).toBool())
            return {};
        return answered.first().at(1).value<BackupOperation>();
    }

    QString finalState(qint64 id, int timeoutMs = 60'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const auto op = m_service->operation(id);
            if (op && op->finished())
                return op->state;
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
        writeFile(path(QStringLiteral("src/data/blob.bin")), randomBytes(1'500'000));
        // Large enough that a backup of it is still running when Cancel is clicked.
        for (int i = 0; i < 4; ++i)
            writeFile(path(QStringLiteral("big/part-%1.bin").arg(i)), randomBytes(60'000'000));
        Backup::Repository::InitOptions options;
        options.scrypt.n = 1u << 10; // a quick key derivation: this test is not about scrypt
        const auto repo = Backup::Repository::init(path(QStringLiteral("repo")),
            Backup::Credential {
                Backup::Credential::Kind::Passphrase, Passphrase, QStringLiteral("test") },
            options);
        QVERIFY2(repo, qPrintable(repo ? QString() : repo.error().toString()));

        m_engine
            = ShivxTest::startEngine(path(QStringLiteral("data")), config(), ShivxTest::Api::Off);
        QVERIFY(m_engine);
        m_service = m_engine->service<BackupService>();
        QVERIFY(m_service);
        m_window = std::make_unique<MainWindow>(m_engine.get());
        m_window->resize(1400, 900);
        QVERIFY(m_window->showPage(QStringLiteral("backup")));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        m_page = m_window->page<BackupPage>();
        QVERIFY(m_page);
        QTRY_COMPARE_WITH_TIMEOUT(m_page->setsModel()->rowCount(), 2, 10'000);
        auto *problem = m_page->findChild<QLabel *>(QStringLiteral("problemLabel"));
        QVERIFY2(problem->isHidden(), qPrintable(problem->text()));
    }

    void cleanupTestCase()
    {
        m_window.reset();
        m_engine.reset();
    }

    void backUpNowReachesSucceeded()
    {
        selectSet(QStringLiteral("app"));
        auto *type = m_page->findChild<QComboBox *>(QStringLiteral("backupType"));
        type->setCurrentIndex(type->findData(QStringLiteral("full")));
        auto *backup = m_page->findChild<QPushButton *>(QStringLiteral("backupNowButton"));
        QTRY_VERIFY(backup->isEnabled());
        const BackupOperation op = clickCommand(backup);
        QVERIFY(op.id > 0);
        QCOMPARE(op.kind, QStringLiteral("backup"));
        QCOMPARE(op.type, QStringLiteral("full"));
        QCOMPARE(finalState(op.id), QStringLiteral("succeeded"));

        // The sets table shows the snapshot: time, size, type.
        const int row = m_page->setsModel()->rowOf(QStringLiteral("app"));
        const auto cell = [this, row](int column) {
            return m_page->setsModel()->index(row, column).data().toString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            cell(BackupSetsModel::LastBackupColumn) != QLatin1String("never"), 10'000);
        QCOMPARE(cell(BackupSetsModel::TypeColumn), QStringLiteral("full"));
        QVERIFY2(cell(BackupSetsModel::SizeColumn).contains(QLatin1String("MB"))
                || cell(BackupSetsModel::SizeColumn).contains(QLatin1String("MiB")),
            qPrintable(cell(BackupSetsModel::SizeColumn)));
        auto *result = m_page->findChild<QLabel *>(QStringLiteral("actionResult"));
        QTRY_VERIFY(result->text().contains(QLatin1String("succeeded")));
        QVERIFY2(result->text().contains(QLatin1String("2 file")), qPrintable(result->text()));
        // The history and its chart have it.
        QTRY_VERIFY_WITH_TIMEOUT(m_page->historyModel()->rowCount() >= 1, 10'000);
        QCOMPARE(m_page->historyModel()
                     ->index(0, Shivx::Ui::BackupHistoryModel::StateColumn)
                     .data()
                     .toString(),
            QStringLiteral("succeeded"));
        QTRY_COMPARE(m_page->historyChart()->backups(), 1);

        // A quick verify from the page; the Verified column says so.
        auto *verify = m_page->findChild<QPushButton *>(QStringLiteral("verifyButton"));
        const BackupOperation v = clickCommand(verify);
        QVERIFY(v.id > 0);
        QCOMPARE(v.type, QStringLiteral("quick"));
        QCOMPARE(finalState(v.id), QStringLiteral("succeeded"));
        QTRY_VERIFY(cell(BackupSetsModel::VerifiedColumn).startsWith(QLatin1String("OK")));
    }

    void restoreWithDryRunToAnotherDirectory()
    {
        selectSet(QStringLiteral("app"));
        auto *restoreButton = m_page->findChild<QPushButton *>(QStringLiteral("restoreButton"));
        QVERIFY(restoreButton->isEnabled());
        restoreButton->click();
        RestoreWizard *wizard = m_page->restoreWizard();
        QVERIFY(wizard);
        QTRY_VERIFY(wizard->isVisible());
        auto *snapshots = wizard->findChild<QTableWidget *>(QStringLiteral("snapshotList"));
        QTRY_COMPARE_WITH_TIMEOUT(snapshots->rowCount(), 1, 10'000);
        snapshots->selectRow(0);
        QVERIFY(wizard->findChild<QRadioButton *>(QStringLiteral("snapshotRadio"))->isChecked());
        wizard->next();
        QCOMPARE(wizard->currentId(), int(RestoreWizard::ScopePage));

        // A relative target is refused in words, and Next stays off.
        auto *target = wizard->findChild<QLineEdit *>(QStringLiteral("restoreTarget"));
        target->setText(QStringLiteral("relative/dir"));
        auto *problem = wizard->findChild<QLabel *>(QStringLiteral("scopeProblem"));
        QVERIFY(problem->text().contains(QLatin1String("absolute directory")));
        QVERIFY(!wizard->button(QWizard::NextButton)->isEnabled());
        const QString into = path(QStringLiteral("restored"));
        target->setText(into);
        QVERIFY(problem->text().isEmpty());
        QVERIFY(wizard->button(QWizard::NextButton)->isEnabled());

        QSignalSpy dry(wizard, &RestoreWizard::dryRunFinished);
        wizard->next();
        QCOMPARE(wizard->currentId(), int(RestoreWizard::DryRunPage));
        QVERIFY(!wizard->button(QWizard::FinishButton)->isEnabled());
        QVERIFY(dry.wait(30'000));
        QCOMPARE(wizard->dryRun().state, QStringLiteral("succeeded"));
        auto *changes = wizard->findChild<QTreeWidget *>(QStringLiteral("dryRunChanges"));
        QStringList listed;
        for (int i = 0; i < changes->topLevelItemCount(); ++i)
            listed << changes->topLevelItem(i)->text(2);
        QVERIFY2(listed.join(QLatin1Char('\n')).contains(QLatin1String("etc/app.conf")),
            qPrintable(listed.join(QLatin1Char('\n'))));
        QVERIFY2(findFile(into, QStringLiteral("app.conf")).isEmpty(), "the dry run wrote");
        QVERIFY(wizard->button(QWizard::FinishButton)->isEnabled());
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(wizard->grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/backup-restore-dryrun-en.png")));

        // Restore: the files arrive, byte for byte.
        QSignalSpy answered(m_page, &BackupPage::commandAnswered);
        wizard->button(QWizard::FinishButton)->click();
        QVERIFY(answered.wait(10'000));
        const auto op = answered.first().at(1).value<BackupOperation>();
        QCOMPARE(op.kind, QStringLiteral("restore"));
        QCOMPARE(finalState(op.id), QStringLiteral("succeeded"));
        const QString conf = findFile(into, QStringLiteral("app.conf"));
        QVERIFY2(!conf.isEmpty(), "nothing restored");
        QCOMPARE(readFile(conf), QByteArray("port = 8080\n"));
        QCOMPARE(readFile(findFile(into, QStringLiteral("blob.bin"))),
            readFile(path(QStringLiteral("src/data/blob.bin"))));
        QTRY_VERIFY(m_page->findChild<QLabel *>(QStringLiteral("actionResult"))
                        ->text()
                        .contains(QLatin1String("written to")));
    }

    void cancelOfALongBackupEndsCancelled()
    {
        selectSet(QStringLiteral("big"));
        auto *backup = m_page->findChild<QPushButton *>(QStringLiteral("backupNowButton"));
        const BackupOperation op = clickCommand(backup);
        QVERIFY(op.id > 0);
        QPushButton *cancel = nullptr;
        QTRY_VERIFY((cancel = m_page->operationsPanel()->cancelButton(op.id)) != nullptr);
        // While it runs, its line shows progress with an ETA once the total is known.
        QTRY_VERIFY_WITH_TIMEOUT(
            m_service->operation(op.id)->state != QLatin1String("queued"), 10'000);
        QVERIFY2(!m_service->operation(op.id)->finished(), "the backup ended before Cancel");
        // The line follows the running operation (a late command answer must not set it back).
        auto *line = m_page->operationsPanel()->findChild<QWidget *>(
            QStringLiteral("operation-%1").arg(op.id));
        QVERIFY(line);
        auto *detail = line->findChild<QLabel *>(QStringLiteral("operationDetail"));
        QTRY_VERIFY2(!detail->text().contains(QLatin1String("queued")), qPrintable(detail->text()));
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(m_window->grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/backup-running-en.png")));
        cancel->click();
        QCOMPARE(finalState(op.id), QStringLiteral("cancelled"));
        QTRY_VERIFY(!m_page->operationsPanel()->shownIds().contains(op.id));
        QTRY_VERIFY(m_page->findChild<QLabel *>(QStringLiteral("actionResult"))
                        ->text()
                        .contains(QLatin1String("cancelled")));
    }

    // The page in English and German, saved under build/screenshots for a look.
    void screenshotsInEnglishAndGerman()
    {
        selectSet(QStringLiteral("app"));
        QTest::qWait(200);
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(
            m_window->grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/backup-en.png")));
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QCoreApplication::installTranslator(&german);
        QTest::qWait(200);
        auto *backup = m_page->findChild<QPushButton *>(QStringLiteral("backupNowButton"));
        QCOMPARE(backup->text(), QStringLiteral("&Jetzt sichern"));
        QVERIFY(
            m_window->grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/backup-de.png")));
        QCoreApplication::removeTranslator(&german);
        QTest::qWait(50);
        QCOMPARE(backup->text(), QStringLiteral("&Back up now"));
    }
};

QTEST_MAIN(TstBackupPage)
#include "tst_backuppage.moc"
