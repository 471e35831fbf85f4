#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>

namespace Shivx::Ui {

// Desktop notifications through `org.freedesktop.Notifications` (the freedesktop.org Desktop
// Notifications Specification) on a D-Bus connection: what the console uses where no system
// tray exists (GNOME without the AppIndicator extension). Each notification carries a key (the
// alert's fingerprint) and a "default" action; when the user clicks it the server sends
// ActionInvoked and activated(key) follows. GUI thread only; the connection is normally the
// session bus (tests pass a private one).
class DesktopNotifications : public QObject
{
    Q_OBJECT
public:
    enum class Urgency : uchar { Low = 0, Normal = 1, Critical = 2 };

    explicit DesktopNotifications(QDBusConnection bus, QObject *parent = nullptr);

    // The bus is connected and a notification server owns the name.
    bool isAvailable() const;
    // Sends one notification (asynchronously: the server's id comes back later). `key` comes
    // back in activated().
    void notify(const QString &key, const QString &summary, const QString &body, Urgency urgency);

Q_SIGNALS:
    void activated(const QString &key);
    // The server answered Notify with `id` (or an error: `error` set, id 0).
    void delivered(uint id, const QString &error);

private Q_SLOTS:
    void onActionInvoked(uint id, const QString &action);
    void onClosed(uint id, uint reason);

private:
    QDBusConnection m_bus;
    QHash<uint, QString> m_keys; // notification id -> key, until closed
};

} // namespace Shivx::Ui
