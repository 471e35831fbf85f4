// The Integrity page against a real engine with a real path set: baseline status, a check
// started from the page finding real changes, the differences table with what changed, an
// accept through the reason dialog, the progress bar with Cancel during a long check, a
// tampered baseline worded on the page, and the page in the window's sidebar.
#include "core/engine.h"
#include "integrity/integritydifferencesmodel.h"
#include "integrity/integritypage.h"
#include "integrity/integrityservice.h"
#include "shell/mainwindow.h"
#include "testengine.h"

#include <QApplication>
#include <QDir>
#include <QEvent>
#include <QFile>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
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
using Shivx::Ui::MainWindow;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

// Types `reason` into the next modal input dialog and presses OK.
void answerNextDialog(const QString &reason)
{
    QTimer::singleShot(0, [reason] {
        auto *dialog = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        dialog->setTextValue(reason);
        dialog->accept();
    });
}

} // namespace

// Remembers that a widget was shown, however briefly.
struct ShowWatch : QObject
{
    bool shown = false;
    bool eventFilter(QObject *, QEvent *event) override
    {
        shown = shown || event->type() == QEvent::Show;
        return false;
    }
};

class TstIntegrityPage : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString tree() const { return m_dir.path() + QStringLiteral("/tree"); }
    QByteArray config() const
    {
        return QStringLiteral("sampler: {interval: 1s}\n"
                              "integrity:\n"
                              "  sets:\n"
                              "    - name: tree\n"
                              "      paths: [%1]\n"
                              "  schedule: {fast: 0s, full: 0s}\n")
            .arg(tree())
            .toUtf8();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(QDir().mkpath(tree()));
        writeFile(tree() + QStringLiteral("/app.conf"), "port=80\n");
        writeFile(tree() + QStringLiteral("/users"), "alice\n");
        writeFile(tree() + QStringLiteral("/big"), QByteArray(64 << 20, 'b'));
    }

    void checkAcceptAndTamper()
    {
        const QString data = m_dir.path() + QStringLiteral("/data");
        auto engine = ShivxTest::startEngine(data, config(), ShivxTest::Api::Off);
        QVERIFY(engine);
        MainWindow window(engine.get());
        window.resize(1280, 800);
        window.showPage(window.pageIndex(QStringLiteral("integrity")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        IntegrityPage *page = window.page<IntegrityPage>();
        QVERIFY(page);
        auto *baseline = page->findChild<QLabel *>(QStringLiteral("baselineLabel"));
        auto *fast = page->findChild<QPushButton *>(QStringLiteral("fastCheckButton"));
        auto *init = page->findChild<QPushButton *>(QStringLiteral("initButton"));
        auto *acceptAll = page->findChild<QPushButton *>(QStringLiteral("acceptAllButton"));
        auto *progress = page->findChild<QProgressBar *>(QStringLiteral("checkProgress"));
        auto *cancel = page->findChild<QPushButton *>(QStringLiteral("cancelButton"));
        auto *lastCheck = page->findChild<QLabel *>(QStringLiteral("lastCheckLabel"));
        auto *result = page->findChild<QLabel *>(QStringLiteral("actionResult"));

        QTRY_VERIFY(baseline->text().contains(QLatin1String("No baseline yet")));
        QVERIFY(!fast->isEnabled());
        QTRY_VERIFY(init->isEnabled());
        answerNextDialog(QStringLiteral("first baseline"));
        init->click();
        QTRY_VERIFY_WITH_TIMEOUT(baseline->text().contains(QLatin1String("3 file")), 20'000);
        QVERIFY(baseline->text().contains(QLatin1String("verified")));
        QTRY_VERIFY(fast->isEnabled());

        ::usleep(20'000); // past the file system's timestamp tick
        writeFile(tree() + QStringLiteral("/users"), "alice\nmallory\n");
        QVERIFY(QFile::setPermissions(tree() + QStringLiteral("/app.conf"),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther | QFile::WriteOther));
        writeFile(tree() + QStringLiteral("/new"), "x\n");
        fast->click();
        IntegrityDifferencesModel *model = page->differencesModel();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), 3, 20'000);
        QVERIFY(lastCheck->text().contains(QLatin1String("fast")));
        QVERIFY(lastCheck->text().contains(QLatin1String("1 added, 0 removed, 2 changed")));
        const int users = model->differences().at(2).path.endsWith(QLatin1String("users")) ? 2 : -1;
        QVERIFY(users >= 0);
        QCOMPARE(model->index(users, IntegrityDifferencesModel::KindColumn).data().toString(),
            QStringLiteral("Changed"));
        const QString what
            = model->index(users, IntegrityDifferencesModel::AttributesColumn).data().toString();
        QVERIFY2(what.contains(QLatin1String("content")) && what.contains(QLatin1String("size")),
            qPrintable(what));
        QVERIFY(model->index(0, IntegrityDifferencesModel::AttributesColumn)
                    .data()
                    .toString()
                    .contains(QLatin1String("permissions")));

        // Accept one through the selection and the reason dialog.
        QSignalSpy answered(page, &IntegrityPage::acceptAnswered);
        page->differencesView()->selectRow(users);
        auto *acceptSelected = page->findChild<QPushButton *>(QStringLiteral("acceptButton"));
        QTRY_VERIFY(acceptSelected->isEnabled());
        answerNextDialog(QStringLiteral("mallory joined"));
        acceptSelected->click();
        QTRY_COMPARE_WITH_TIMEOUT(answered.size(), 1, 20'000);
        QVERIFY(answered.first().first().toBool());
        QCOMPARE(model->rowCount(), 2);
        QVERIFY2(result->text().contains(QLatin1String("1 change")), qPrintable(result->text()));
        // An empty reason is refused before anything is sent.
        answerNextDialog(QStringLiteral("  "));
        acceptAll->click();
        QTRY_VERIFY(result->text().contains(QLatin1String("needs a reason")));
        QCOMPARE(model->rowCount(), 2);

        // The page in English and, after a language change, in German.
        QDir().mkpath(QStringLiteral(SHIVX_BINARY_DIR "/screenshots"));
        QVERIFY(window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/integrity.png")));
        QTranslator german;
        QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
        QVERIFY(QCoreApplication::installTranslator(&german));
        QTRY_COMPARE(fast->text(), QStringLiteral("Schnelle &Prüfung"));
        QTRY_VERIFY2(lastCheck->text().startsWith(QStringLiteral("Letzte Prüfung")),
            qPrintable(lastCheck->text()));
        QCOMPARE(model->headerData(IntegrityDifferencesModel::AttributesColumn, Qt::Horizontal)
                     .toString(),
            QStringLiteral("Was sich geändert hat"));
        QTest::qWait(100); // the layouts follow the longer German texts on their next pass
        QVERIFY(
            window.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/integrity-de.png")));
        QCoreApplication::removeTranslator(&german);
        QTRY_COMPARE(fast->text(), QStringLiteral("Fast &check"));

        // A full check of 64 MiB shows progress with Cancel, and Cancel works.
        // On a quiet machine with the files in the page cache the check can end between two
        // polls, so the Show events themselves are what is checked.
        QVERIFY(!progress->isVisible());
        ShowWatch progressShown, cancelShown;
        progress->installEventFilter(&progressShown);
        cancel->installEventFilter(&cancelShown);
        engine->service<IntegrityService>()->check(
            IntegrityMode::Full, QStringLiteral("console:test"));
        QTRY_VERIFY(progressShown.shown && cancelShown.shown);
        QTRY_VERIFY_WITH_TIMEOUT(cancel->isEnabled() || !progress->isVisible(), 10'000);
        if (cancel->isEnabled()) {
            cancel->click();
            QTRY_VERIFY_WITH_TIMEOUT(!progress->isVisible(), 10'000);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!progress->isVisible(), 20'000);

        // A baseline edited behind the engine's back is worded on the page.
        QFile db(data + QStringLiteral("/integrity/baseline.db"));
        QVERIFY(db.open(QIODevice::ReadWrite));
        db.seek(db.size() - 1);
        db.write("X");
        db.close();
        fast->click();
        QTRY_VERIFY_WITH_TIMEOUT(baseline->text().contains(QLatin1String("NOT verified")), 20'000);
        QVERIFY2(result->text().contains(QLatin1String("changed outside the engine")),
            qPrintable(result->text()));
        engine->stop();
    }
};

QTEST_MAIN(TstIntegrityPage)
#include "tst_integritypage.moc"
