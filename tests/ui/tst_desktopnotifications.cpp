// Desktop notifications over D-Bus where no tray exists: the test starts its own session bus
// (dbus-daemon), registers its own org.freedesktop.Notifications on it, starts an engine whose
// rule begins firing, and checks that the console's AlertTray (offscreen: no tray) sends Notify
// with the alert, urgency and a default action, and that the server's ActionInvoked opens the
// Alerts page on that alert. Skips when dbus-daemon is not installed.
#include "alerting/alertingservice.h"
#include "alerts/alertsmodel.h"
#include "alerts/alertspage.h"
#include "alerts/alerttray.h"
#include "alerts/desktopnotifications.h"
#include "core/engine.h"
#include "shell/mainwindow.h"
#include "testengine.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusMetaType>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using Shivx::Ui::AlertsPage;
using Shivx::Ui::AlertTray;
using Shivx::Ui::DesktopNotifications;
using Shivx::Ui::MainWindow;

// The notification server's side: records each Notify call and answers with an id.
class NotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    struct Call
    {
        QString appName, summary, body;
        QStringList actions;
        QVariantMap hints;
        uint id = 0;
    };
    QList<Call> calls;

public Q_SLOTS:
    uint Notify(const QString &appName, uint, const QString &, const QString &summary,
        const QString &body, const QStringList &actions, const QVariantMap &hints, int)
    {
        const uint id = uint(calls.size()) + 100;
        calls.append({ appName, summary, body, actions, hints, id });
        return id;
    }
    QStringList GetCapabilities() { return { QStringLiteral("actions"), QStringLiteral("body") }; }
};

namespace {

const char Yaml[] = R"(alerting:
  interval: 1s
  default_rules: false
)";

} // namespace

class TstDesktopNotifications : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(!QSystemTrayIcon::isSystemTrayAvailable()); // offscreen: the D-Bus path
    }

    void notifyArrivesAndActionOpensTheAlert()
    {
        const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
        if (daemon.isEmpty())
            QSKIP("dbus-daemon is not installed (Debian package dbus-daemon; "
                  "installer/install-deps.sh --test)");
        // A private session bus: never the desktop's, whose notification server would show
        // the test's notifications.
        QProcess bus;
        bus.start(daemon,
            { QStringLiteral("--session"), QStringLiteral("--nofork"),
                QStringLiteral("--print-address=1") });
        QVERIFY2(bus.waitForStarted(5000), qPrintable(bus.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(bus.canReadLine(), 5000);
        const QString address = QString::fromUtf8(bus.readLine()).trimmed();
        QVERIFY2(address.startsWith(QLatin1String("unix:")), qPrintable(address));
        {
            QDBusConnection server
                = QDBusConnection::connectToBus(address, QStringLiteral("server"));
            QDBusConnection client
                = QDBusConnection::connectToBus(address, QStringLiteral("client"));
            QVERIFY2(server.isConnected(), qPrintable(server.lastError().message()));
            QVERIFY(client.isConnected());
            NotificationServer notifications;
            DesktopNotifications desktop(client);
            QVERIFY(!desktop.isAvailable()); // nobody owns the name yet
            QVERIFY(server.registerObject(QStringLiteral("/org/freedesktop/Notifications"),
                &notifications, QDBusConnection::ExportAllSlots));
            QVERIFY(server.registerService(QStringLiteral("org.freedesktop.Notifications")));
            QTRY_VERIFY(desktop.isAvailable());

            // A rule that starts firing 2 s after the engine starts (the tray is there by then).
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
            const QByteArray yaml
                = QByteArray(Yaml) + "  rules: " + rules.fileName().toUtf8() + '\n';
            auto engine = ShivxTest::startEngine(
                dir.filePath(QStringLiteral("data")), yaml, ShivxTest::Api::Off);
            QVERIFY(engine);
            MainWindow window(engine.get());
            window.resize(1100, 700);
            window.show();
            QVERIFY(window.showPage(QStringLiteral("overview")));
            AlertTray tray(engine.get(), &window, &desktop);
            QVERIFY(!tray.trayIcon());
            QCOMPARE(tray.notifications(), &desktop);
            QSignalSpy delivered(&desktop, &DesktopNotifications::delivered);

            QTRY_COMPARE_WITH_TIMEOUT(notifications.calls.size(), 1, 15000);
            const NotificationServer::Call call = notifications.calls.first();
            QCOMPARE(call.appName, QStringLiteral("ShivX"));
            QCOMPARE(call.summary, QStringLiteral("EngineUp firing (critical)"));
            QVERIFY2(call.body.startsWith(QLatin1String("the engine runs")), qPrintable(call.body));
            QCOMPARE(call.actions.value(0), QStringLiteral("default"));
            QCOMPARE(call.hints.value(QStringLiteral("urgency")).toInt(), 2);
            QTRY_COMPARE(delivered.size(), 1);
            QCOMPARE(delivered.first().at(0).toUInt(), call.id);
            QCOMPARE(tray.level(), AlertTray::Level::Critical);
            QVERIFY2(tray.toolTip().startsWith(QLatin1String("ShivX: 1 alert firing, 1 critical")),
                qPrintable(tray.toolTip()));

            // Another client's notification id is ignored; ours opens the alert.
            const auto invoke = [&](uint id) {
                QDBusMessage signal
                    = QDBusMessage::createSignal(QStringLiteral("/org/freedesktop/Notifications"),
                        QStringLiteral("org.freedesktop.Notifications"),
                        QStringLiteral("ActionInvoked"));
                signal << id << QStringLiteral("default");
                QVERIFY(server.send(signal));
            };
            QSignalSpy activated(&desktop, &DesktopNotifications::activated);
            invoke(call.id + 7);
            invoke(call.id);
            QTRY_COMPARE(activated.size(), 1);
            QCOMPARE(window.currentPage(), window.pageIndex(QStringLiteral("alerts")));
            AlertsPage *page = window.page<AlertsPage>();
            auto *firing = page->findChild<QTableView *>(QStringLiteral("firingTable"));
            const QModelIndexList selected = firing->selectionModel()->selectedRows();
            QCOMPARE(selected.size(), 1);
            QCOMPARE(selected.first().data(Shivx::Ui::AlertsModel::FingerprintRole).toString(),
                activated.first().at(0).toString());
            engine->stop();
        }
        QDBusConnection::disconnectFromBus(QStringLiteral("server"));
        QDBusConnection::disconnectFromBus(QStringLiteral("client"));
        bus.terminate();
        QVERIFY(bus.waitForFinished(5000));
    }
};

QTEST_MAIN(TstDesktopNotifications)
#include "tst_desktopnotifications.moc"
