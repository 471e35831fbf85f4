// Restore on the Integrity page against a real engine with a `protect: restore` set: the
// button is enabled only for restorable selected differences, asks for a reason, restores the
// real files (content verified by hash) and the differences go; the page and the reason dialog
// in English and German as screenshots.
#include "core/engine.h"
#include "integrity/integritydifferencesmodel.h"
#include "integrity/integritypage.h"
#include "integrity/integrityrestorebutton.h"
#include "shell/mainwindow.h"
#include "testengine.h"

#include <QApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTranslator>

#include <unistd.h>

using namespace Shivx;
using Shivx::Ui::IntegrityDifferencesModel;
using Shivx::Ui::IntegrityPage;
using Shivx::Ui::IntegrityRestoreButton;
using Shivx::Ui::MainWindow;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Saves the next modal input dialog as `shot`, then types `reason` and presses OK.
void answerNextDialog(const QString &reason, const QString &shot)
{
    QTimer::singleShot(50, [reason, shot] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->setTextValue(reason);
        if (!shot.isEmpty())
            dialog->grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/") + shot);
        if (reason.isEmpty())
            dialog->reject();
        else
            dialog->accept();
    });
}

} // namespace

class TstIntegrityRestorePage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString file(const char *name) const
    {
        return m_dir.path() + QStringLiteral("/etc/") + QLatin1String(name);
    }

private Q_SLOTS:
    void restoreFromThePage()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(QDir().mkpath(m_dir.path() + QStringLiteral("/etc")));
        QVERIFY(QDir().mkpath(m_dir.path() + QStringLiteral("/var")));
        writeFile(file("sshd_config"), "PermitRootLogin no\n");
        writeFile(file("hosts"), "127.0.0.1 localhost\n");
        writeFile(m_dir.path() + QStringLiteral("/var/log.txt"), "a\n");
        const QByteArray config = QStringLiteral("integrity:\n"
                                                 "  sets:\n"
                                                 "    - name: etc\n"
                                                 "      paths: [%1/etc]\n"
                                                 "      protect: restore\n"
                                                 "    - name: var\n"
                                                 "      paths: [%1/var]\n"
                                                 "  schedule: {fast: 0s, full: 0s}\n")
                                      .arg(m_dir.path())
                                      .toUtf8();
        auto engine = ShivxTest::startEngine(
            m_dir.path() + QStringLiteral("/data"), config, ShivxTest::Api::Off);
        QVERIFY(engine);
        MainWindow window(engine.get());
        window.resize(1280, 800);
        window.showPage(window.pageIndex(QStringLiteral("integrity")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        IntegrityPage *page = window.page<IntegrityPage>();
        QVERIFY(page);
        auto *init = page->findChild<QPushButton *>(QStringLiteral("initButton"));
        auto *fast = page->findChild<QPushButton *>(QStringLiteral("fastCheckButton"));
        auto *baseline = page->findChild<QLabel *>(QStringLiteral("baselineLabel"));
        auto *result = page->findChild<QLabel *>(QStringLiteral("actionResult"));
        IntegrityRestoreButton *restore = page->restoreButton();
        QCOMPARE(restore->objectName(), QStringLiteral("restoreButton"));
        QTRY_VERIFY(init->isEnabled());
        answerNextDialog(QStringLiteral("first baseline"), QString());
        init->click();
        QTRY_VERIFY_WITH_TIMEOUT(baseline->text().contains(QLatin1String("3 file")), 20'000);
        QTRY_VERIFY(fast->isEnabled());

        ::usleep(20'000); // past the file system's timestamp tick
        const QByteArray sshd = readFile(file("sshd_config"));
        writeFile(file("sshd_config"), "PermitRootLogin yes\n");
        QVERIFY(QFile::remove(file("hosts")));
        writeFile(m_dir.path() + QStringLiteral("/var/log.txt"), "b\n");
        fast->click();
        IntegrityDifferencesModel *model = page->differencesModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 20'000);
        QVERIFY(!restore->isEnabled());

        // var/log.txt has no snapshot: selecting it alone leaves Restore off.
        int var = -1;
        for (int i = 0; i < model->rowCount(); ++i)
            if (model->differences().at(i).path.contains(QLatin1String("/var/")))
                var = i;
        QVERIFY(var >= 0);
        page->differencesView()->selectRow(var);
        QTest::qWait(50);
        QVERIFY(!restore->isEnabled());
        page->differencesView()->selectAll();
        QTRY_VERIFY(restore->isEnabled());

        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(window.grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/integrity-restore.png")));
        // Cancel in the dialog restores nothing.
        answerNextDialog(QString(), QStringLiteral("integrity-restore-dialog.png"));
        restore->click();
        QCOMPARE(readFile(file("sshd_config")), QByteArray("PermitRootLogin yes\n"));

        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QVERIFY(QCoreApplication::installTranslator(&german));
        QTRY_COMPARE(restore->text(), QStringLiteral("Auswahl &wiederherstellen…"));
        QTest::qWait(100);
        QVERIFY(window.grab().save(
            QStringLiteral(SHIVX_BINARY_DIR "/screenshots/integrity-restore-de.png")));
        QSignalSpy answered(page, &IntegrityPage::restoreAnswered);
        answerNextDialog(QStringLiteral("Manipulation INC-9"),
            QStringLiteral("integrity-restore-dialog-de.png"));
        restore->click();
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, 20'000);
        QVERIFY2(answered.first().first().toBool(), qPrintable(result->text()));
        QVERIFY2(result->text().contains(QStringLiteral("SHA-256")), qPrintable(result->text()));
        QCoreApplication::removeTranslator(&german);

        QCOMPARE(readFile(file("sshd_config")), sshd);
        QCOMPARE(readFile(file("hosts")), QByteArray("127.0.0.1 localhost\n"));
        QTRY_COMPARE(model->rowCount(), 1);
        QVERIFY(model->differences().first().path.contains(QLatin1String("/var/")));
        engine->stop();
    }
};

QTEST_MAIN(TstIntegrityRestorePage)
#include "tst_integrityrestorepage.moc"
