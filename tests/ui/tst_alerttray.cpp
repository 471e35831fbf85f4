// The console's tray icon in a real tray: the test starts Xvfb and trayer (a system tray host),
// runs on the xcb platform, and checks that the icon is embedded, takes the colour of the worst
// alert state with the counts as its tooltip, shows a message when a rule starts firing, and
// that clicking the message opens the Alerts page on that alert. Skips, naming the package,
// when Xvfb or trayer is not installed.
#include "alerting/alertingservice.h"
#include "alerts/alertsmodel.h"
#include "alerts/alertspage.h"
#include "alerts/alerttray.h"
#include "core/engine.h"
#include "shell/mainwindow.h"
#include "testengine.h"
#include "widgets/statuscolors.h"

#include <QApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Shivx;
using Shivx::Ui::AlertsPage;
using Shivx::Ui::AlertTray;
using Shivx::Ui::MainWindow;

namespace {

// Xvfb on a free display with trayer on it, for the test's lifetime; `missing` names what is
// not installed.
struct TrayHost
{
    QProcess xvfb;
    QProcess trayer;
    QString missing;
    QString display;

    bool start()
    {
        const QString xvfbPath = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
        const QString trayerPath = QStandardPaths::findExecutable(QStringLiteral("trayer"));
        if (xvfbPath.isEmpty())
            missing = QStringLiteral("Xvfb (Debian package xvfb)");
        else if (trayerPath.isEmpty())
            missing = QStringLiteral("trayer (Debian package trayer)");
        if (!missing.isEmpty())
            return false;
        int n = 90 + int(QCoreApplication::applicationPid() % 400);
        while (QFileInfo::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(n))
            || QFileInfo::exists(QStringLiteral("/tmp/.X%1-lock").arg(n)))
            ++n;
        display = QStringLiteral(":%1").arg(n);
        xvfb.start(xvfbPath,
            { display, QStringLiteral("-nolisten"), QStringLiteral("tcp"),
                QStringLiteral("-screen"), QStringLiteral("0"), QStringLiteral("1280x900x24") });
        if (!xvfb.waitForStarted(5000))
            return false;
        for (int i = 0; i < 100 && !QFileInfo::exists(QStringLiteral("/tmp/.X11-unix/X%1").arg(n));
             ++i)
            QThread::msleep(50);
        qputenv("DISPLAY", display.toUtf8());
        trayer.start(trayerPath,
            { QStringLiteral("--edge"), QStringLiteral("top"), QStringLiteral("--align"),
                QStringLiteral("right"), QStringLiteral("--height"), QStringLiteral("24") });
        return trayer.waitForStarted(5000);
    }

    ~TrayHost()
    {
        for (QProcess *p : { &trayer, &xvfb })
            if (p->state() != QProcess::NotRunning) {
                p->terminate();
                if (!p->waitForFinished(5000)) {
                    p->kill();
                    p->waitForFinished(5000);
                }
            }
    }
};

TrayHost *host = nullptr;

} // namespace

class TstAlertTray : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void worstStateAndMessageOpensTheAlert()
    {
        if (!host->missing.isEmpty())
            QSKIP(qPrintable(QStringLiteral("not installed: %1 (installer/install-deps.sh --test)")
                                 .arg(host->missing)));
        QVERIFY2(QGuiApplication::platformName() == QLatin1String("xcb"),
            qPrintable(QGuiApplication::platformName()));
        // trayer takes the tray selection once its window is up.
        QTRY_VERIFY_WITH_TIMEOUT(QSystemTrayIcon::isSystemTrayAvailable(), 10000);

        QTemporaryDir dir;
        QFile rules(dir.filePath(QStringLiteral("rules.yml")));
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write("groups:\n  - name: t\n    rules:\n"
                    "      - alert: EngineUp\n"
                    "        series: shivx_engine_start_time_seconds\n"
                    "        op: \">\"\n        threshold: 0\n        for: 2s\n"
                    "        severity: critical\n"
                    "        annotations: { summary: \"the engine runs\" }\n");
        rules.close();
        const QByteArray yaml = "alerting:\n  interval: 1s\n  default_rules: false\n  rules: "
            + rules.fileName().toUtf8() + '\n';
        auto engine = ShivxTest::startEngine(
            dir.filePath(QStringLiteral("data")), yaml, ShivxTest::Api::Off);
        QVERIFY(engine);
        MainWindow window(engine.get());
        window.resize(1100, 700);
        window.show();
        QVERIFY(window.showPage(QStringLiteral("overview")));
        AlertTray tray(engine.get(), &window);
        QVERIFY(tray.trayIcon());
        QVERIFY(!tray.notifications());
        QVERIFY(tray.trayIcon()->isVisible());
        // Embedded: the tray host gave the icon a place on the screen.
        QTRY_VERIFY_WITH_TIMEOUT(tray.trayIcon()->geometry().isValid(), 10000);
        QCOMPARE(tray.level(), AlertTray::Level::Ok);
        QCOMPARE(tray.trayIcon()->toolTip(), QStringLiteral("ShivX: no alert firing\n1 pending"));
        const auto centre = [&] {
            const QImage image = tray.trayIcon()->icon().pixmap(32, 32).toImage();
            return image.pixelColor(16, 16);
        };
        QCOMPARE(centre(), Shivx::Ui::StatusColors::ok());

        QSignalSpy notified(&tray, &AlertTray::notified);
        QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, 15000);
        QCOMPARE(tray.level(), AlertTray::Level::Critical);
        QCOMPARE(tray.trayIcon()->toolTip(), QStringLiteral("ShivX: 1 alert firing, 1 critical"));
        QCOMPARE(centre(), Shivx::Ui::StatusColors::critical());

        // The message: Qt's own balloon next to the icon on an X11 tray. Clicking it opens the
        // alert.
        QWidget *balloon = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (QWidget *w : QApplication::topLevelWidgets())
                    if (qstrcmp(w->metaObject()->className(), "QBalloonTip") == 0 && w->isVisible())
                        balloon = w;
                return balloon != nullptr;
            }(),
            5000);
        QTest::mouseClick(balloon, Qt::LeftButton, {}, QPoint(10, 10));
        QTRY_COMPARE(window.currentPage(), window.pageIndex(QStringLiteral("alerts")));
        auto *firing
            = window.page<AlertsPage>()->findChild<QTableView *>(QStringLiteral("firingTable"));
        const QModelIndexList selected = firing->selectionModel()->selectedRows();
        QCOMPARE(selected.size(), 1);
        QCOMPARE(selected.first().data(Shivx::Ui::AlertsModel::FingerprintRole).toString(),
            notified.first().at(0).toString());
        engine->stop();
    }
};

int main(int argc, char **argv)
{
    TrayHost trayHost;
    host = &trayHost;
    // A session bus with a StatusNotifierWatcher would turn the icon into a D-Bus one: the
    // X11 tray (XEmbed) is what trayer hosts.
    qunsetenv("DBUS_SESSION_BUS_ADDRESS");
    if (trayHost.start())
        qputenv("QT_QPA_PLATFORM", "xcb");
    else if (trayHost.missing.isEmpty())
        qFatal("Xvfb or trayer did not start");
    QApplication app(argc, argv);
    TstAlertTray test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_alerttray.moc"
