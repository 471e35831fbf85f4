// The dialog shivx-console shows for a configuration that does not load, fed the real
// loader's errors: file, line and message apart, Copy and Open in editor.

#include "core/config.h"
#include "shell/configerrordialog.h"
#include "urlrecorder.h"

#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using Shivx::Ui::ConfigErrorDialog;

class TstConfigErrorDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void locate_data();
    void locate();
    void showsFileLineAndMessage();
    void unreadableFileHasNoLine();
};

void TstConfigErrorDialog::locate_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QString>("message");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("what");
    QTest::newRow("file, line, key") << "/etc/shivx.yaml"
                                     << "/etc/shivx.yaml:12: targets[0].timeout: bad duration" << 12
                                     << "targets[0].timeout: bad duration";
    QTest::newRow("colon in the path")
        << "/tmp/a:b/c.yaml"
        << "/tmp/a:b/c.yaml:3: engine: unknown key" << 3 << "engine: unknown key";
    QTest::newRow("unreadable -> no line") << "/x.yaml"
                                           << "/x.yaml: cannot read: No such file or directory" << 0
                                           << "cannot read: No such file or directory";
    QTest::newRow("another file -> whole message") << "/x.yaml"
                                                   << "/y.yaml:1: oops" << 0 << "/y.yaml:1: oops";
    QTest::newRow("no file -> whole message") << ""
                                              << "test:1: oops" << 0 << "test:1: oops";
}

void TstConfigErrorDialog::locate()
{
    QFETCH(QString, file);
    QFETCH(QString, message);
    const ConfigErrorDialog::Location where = ConfigErrorDialog::locate(file, message);
    QTEST(where.line, "line");
    QTEST(where.what, "what");
}

void TstConfigErrorDialog::showsFileLineAndMessage()
{
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("bad.yaml"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("sampler: {interval: 200ms}\nengine:\n  no_such_key: 1\n");
    f.close();
    const auto config = ConfigLoader::loadFile(file);
    QVERIFY(!config);

    ConfigErrorDialog dialog(file, config.error());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY2(dialog.text().contains(QStringLiteral("File: ") + file), qPrintable(dialog.text()));
    QVERIFY2(dialog.text().contains(QStringLiteral("Line: 3")), qPrintable(dialog.text()));
    QVERIFY2(dialog.text().contains(QStringLiteral("no_such_key")), qPrintable(dialog.text()));
    QVERIFY(dialog.grab().save(QStringLiteral(SHIVX_BINARY_DIR "/screenshots/config-error.png")));

    // Copy puts the loader's whole message on the clipboard and leaves the dialog up.
    QApplication::clipboard()->clear();
    dialog.copyButton()->click();
    QCOMPARE(QApplication::clipboard()->text(), config.error().message);
    QVERIFY(dialog.isVisible());

    // Open in editor hands the file to the desktop and leaves the dialog up.
    ShivxTest::UrlRecorder opened;
    QDesktopServices::setUrlHandler(QStringLiteral("file"), &opened, "open");
    QVERIFY(dialog.openButton());
    dialog.openButton()->click();
    QDesktopServices::unsetUrlHandler(QStringLiteral("file"));
    QCOMPARE(opened.urls, QList<QUrl> { QUrl::fromLocalFile(file) });
    QVERIFY(dialog.isVisible());
}

void TstConfigErrorDialog::unreadableFileHasNoLine()
{
    const QString file = QStringLiteral("/nonexistent/shivx.yaml");
    const auto config = ConfigLoader::loadFile(file);
    QVERIFY(!config);
    ConfigErrorDialog dialog(file, config.error());
    QVERIFY(dialog.text().contains(QStringLiteral("cannot read")));
    QVERIFY(!dialog.text().contains(QStringLiteral("Line:")));
    // Nothing to open.
    QVERIFY(!dialog.openButton());
    QVERIFY(dialog.copyButton());
}

QTEST_MAIN(TstConfigErrorDialog)
#include "tst_configerrordialog.moc"
