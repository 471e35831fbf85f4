#pragma once

#include "alerting/alertingsnapshot.h"

#include <QIcon>
#include <QObject>
#include <QPointer>

class QMenu;
class QSystemTrayIcon;

namespace Shivx {
class AlertingService;
class Engine;
}

namespace Shivx::Ui {

class DesktopNotifications;
class MainWindow;

// The console's tray icon: a dot in the colour of the worst alert state (red: a critical alert
// fires, amber: another fires, green: none; grey while alerting is not running) with the counts
// as its tooltip, and a notification for every alert that starts firing (silenced, inhibited
// and severity-none alerts, such as the Watchdog, are not notified). Clicking the notification
// opens the Alerts page on that alert. Where no system tray exists
// (QSystemTrayIcon::isSystemTrayAvailable() false, e.g. GNOME without the AppIndicator
// extension) notifications go through org.freedesktop.Notifications on the session bus
// (DesktopNotifications) instead. The engine and the window must outlive it. GUI thread only.
class AlertTray : public QObject
{
    Q_OBJECT
public:
    enum class Level { Inactive, Ok, Warning, Critical };

    // `notifications`: where to send notifications when there is no tray; null = the session
    // bus (tests pass a private bus). Owned by the caller when given.
    AlertTray(Engine *engine, MainWindow *window, DesktopNotifications *notifications = nullptr,
        QObject *parent = nullptr);
    ~AlertTray() override;

    Level level() const { return m_level; }
    QString toolTip() const { return m_toolTip; }
    // The tray icon (null where there is no tray) and the D-Bus path (null where there is one).
    QSystemTrayIcon *trayIcon() const { return m_tray; }
    DesktopNotifications *notifications() const { return m_notifications; }
    // Brings the window up on the Alerts page, on the alert with this fingerprint.
    void openAlert(const QString &fingerprint);

    static Level levelOf(const AlertingSnapshot &snapshot);
    static QIcon iconFor(Level level);

Q_SIGNALS:
    // A notification went out for this alert (tray balloon or D-Bus).
    void notified(const QString &fingerprint);

private:
    void onSnapshot(const AlertingSnapshot &snapshot);
    void onTransitions(const QList<AlertTransition> &transitions);
    void retranslate();
    bool eventFilter(QObject *watched, QEvent *event) override;

    QPointer<MainWindow> m_window;
    AlertingService *m_service = nullptr;
    QSystemTrayIcon *m_tray = nullptr;
    QMenu *m_menu = nullptr;
    DesktopNotifications *m_notifications = nullptr;
    AlertingSnapshot m_snapshot;
    Level m_level = Level::Inactive;
    QString m_toolTip;
    QString m_lastNotified; // the fingerprint of the tray's current balloon
};

} // namespace Shivx::Ui
