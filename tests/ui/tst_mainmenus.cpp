// The File and Help menus against a real started engine: enabled where they can act, the
// configuration file opened and reloaded (its error worded in a message box), the About box
// naming the versions and where the engine keeps its data and listens; photographed in English
// and German.

#include "core/config.h"
#include "shell/mainmenus.h"
#include "testconsole.h"
#include "urlrecorder.h"

#include <QAction>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QTranslator>

#include <functional>

using namespace Shivx;
using ShivxTest::Console;

class TstMainMenus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void embeddedConfigurationHasNoFileToOpen();
    void opensAndReloadsTheConfigurationFile();
    void aboutNamesVersionsAndPaths();
    void noTargetsSaysWhatToDo();

private:
    ShivxTest::UrlRecorder m_opened;
};

namespace {

QAction *action(Ui::MainWindow &window, const char *name)
{
    return window.findChild<QAction *>(QLatin1String(name));
}

// Triggers `action`, which shows a modal box, and returns that box's text; `inspect` runs on
// the box (for a photo) before it is closed.
QString modalText(QAction *action, const std::function<void(QMessageBox *)> &inspect = {})
{
    QString text;
    QTimer poll;
    poll.setInterval(20);
    QObject::connect(&poll, &QTimer::timeout, [&] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        poll.stop();
        text = box->text();
        if (inspect)
            inspect(box);
        box->done(QMessageBox::Close);
    });
    poll.start();
    action->trigger();
    return text;
}

QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name + QStringLiteral(".png");
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

} // namespace

void TstMainMenus::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QDesktopServices::setUrlHandler(QStringLiteral("file"), &m_opened, "open");
}

void TstMainMenus::cleanupTestCase()
{
    QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
}

void TstMainMenus::embeddedConfigurationHasNoFileToOpen()
{
    const auto config = ConfigLoader::loadDefault();
    QVERIFY(config);
    Console console;
    QVERIFY(console.open(config.value()));
    Ui::MainWindow &window = console.window();
    QCOMPARE(
        window.windowTitle(), QStringLiteral("ShivX Resilience Console — embedded configuration"));

    QVERIFY(action(window, "openConfigAction"));
    QVERIFY(!action(window, "openConfigAction")->isEnabled());
    QVERIFY(!action(window, "reloadConfigAction")->isEnabled());
    QVERIFY(action(window, "reloadConfigAction")->statusTip().contains(QStringLiteral("--config")));
    QVERIFY(action(window, "quitAction")->isEnabled());
    QCOMPARE(action(window, "quitAction")->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Q));
    QVERIFY(action(window, "aboutAction")->isEnabled());
    // Run from the build tree: the source tree's docs/.
    QVERIFY(action(window, "documentationAction")->isEnabled());
    QCOMPARE(Ui::MainMenus::documentationDir(), QStringLiteral(SHIVX_SOURCE_DIR "/docs"));
    m_opened.urls.clear();
    action(window, "documentationAction")->trigger();
    QCOMPARE(m_opened.urls,
        QList<QUrl> { QUrl::fromLocalFile(QStringLiteral(SHIVX_SOURCE_DIR "/docs")) });

    // Ctrl+Q closes the window, which ends shivx-console.
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_Q, Qt::ControlModifier);
    QVERIFY(!window.isVisible());
}

void TstMainMenus::opensAndReloadsTheConfigurationFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString file = dir.filePath(QStringLiteral("shivx.yaml"));
    const QByteArray good = "sampler: {interval: 200ms}\n";
    QVERIFY(writeFile(file, good));
    const auto config = ConfigLoader::loadFile(file);
    QVERIFY(config);
    Console console;
    QVERIFY(console.open(config.value()));
    Ui::MainWindow &window = console.window();
    QCOMPARE(window.windowTitle(),
        QStringLiteral("ShivX Resilience Console — ") + QDir::toNativeSeparators(file));
    QVERIFY(action(window, "openConfigAction")->isEnabled());
    QVERIFY(action(window, "reloadConfigAction")->isEnabled());

    m_opened.urls.clear();
    action(window, "openConfigAction")->trigger();
    QCOMPARE(m_opened.urls, QList<QUrl> { QUrl::fromLocalFile(file) });

    // A bad file: the worded error names the file and line; the running configuration stays.
    QVERIFY(writeFile(file, good + "engine:\n  no_such_key: 1\n"));
    const QString error = modalText(action(window, "reloadConfigAction"));
    QVERIFY2(error.startsWith(QStringLiteral("The configuration file has an error: ")),
        qPrintable(error));
    QVERIFY2(error.contains(file + QStringLiteral(":3:")), qPrintable(error));
    QVERIFY2(error.contains(QStringLiteral("no_such_key")), qPrintable(error));

    // Fixed: reloaded, and the status bar says so.
    QVERIFY(writeFile(file, good + "targets: []\n"));
    action(window, "reloadConfigAction")->trigger();
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    QVERIFY2(window.statusBar()->currentMessage().startsWith(
                 QStringLiteral("Configuration reloaded from ")),
        qPrintable(window.statusBar()->currentMessage()));
}

// The Overview without targets points at where they come from and at the menu that reads them.
void TstMainMenus::noTargetsSaysWhatToDo()
{
    Console console;
    QVERIFY(console.open("sampler: {interval: 200ms}\n"));
    const auto *summary = console.window().findChild<QLabel *>(QStringLiteral("targetsSummary"));
    QVERIFY(summary);
    QTRY_VERIFY(summary->text().startsWith(QStringLiteral("No targets configured")));
    QVERIFY2(summary->text().contains(QStringLiteral("docs/configuration.md"))
            && summary->text().contains(QStringLiteral("File > Reload configuration")),
        qPrintable(summary->text()));
}

void TstMainMenus::aboutNamesVersionsAndPaths()
{
    Console console;
    QVERIFY(console.open("sampler: {interval: 200ms}\n"));
    Ui::MainWindow &window = console.window();
    const QString api = console.engine().apiUrl().toString();
    QVERIFY(api.startsWith(QStringLiteral("http://127.0.0.1:")));

    const auto photograph = [&](const QString &name) {
        return [name](QMessageBox *box) {
            QTest::qWait(50);
            QVERIFY(box->grab().save(screenshotPath(name)));
        };
    };
    const QString text = modalText(action(window, "aboutAction"), photograph("about"));
    QVERIFY2(text.contains(QString::fromLatin1(qVersion())), qPrintable(text));
    QVERIFY2(text.contains(QDir::toNativeSeparators(console.dataDir()).toHtmlEscaped()),
        qPrintable(text));
    QVERIFY2(text.contains(api), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("OpenSSL 3")), qPrintable(text));

    // The File menu, open, in English and German.
    auto *fileMenu = window.findChild<QMenu *>(QStringLiteral("fileMenu"));
    QVERIFY(fileMenu);
    fileMenu->popup(window.mapToGlobal(QPoint(0, 0)));
    QVERIFY(QTest::qWaitForWindowExposed(fileMenu));
    QVERIFY(fileMenu->grab().save(screenshotPath(QStringLiteral("file-menu"))));
    fileMenu->close();

    QTranslator german;
    QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
    QVERIFY(QCoreApplication::installTranslator(&german));
    QTRY_COMPARE(fileMenu->title(), QStringLiteral("&Datei"));
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("ShivX Resilience Console — ")));
    fileMenu->popup(window.mapToGlobal(QPoint(0, 0)));
    QVERIFY(QTest::qWaitForWindowExposed(fileMenu));
    QVERIFY(fileMenu->grab().save(screenshotPath(QStringLiteral("file-menu-de"))));
    fileMenu->close();
    const QString germanText
        = modalText(action(window, "aboutAction"), photograph(QStringLiteral("about-de")));
    QVERIFY2(germanText.contains(QStringLiteral("Datenverzeichnis")), qPrintable(germanText));
    QVERIFY(QCoreApplication::removeTranslator(&german));
}

QTEST_MAIN(TstMainMenus)
#include "tst_mainmenus.moc"
