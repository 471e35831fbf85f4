#include "alerts/desktopnotifications.h"

#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QLoggingCategory>
#include <QVariantMap>

Q_LOGGING_CATEGORY(lcNotifications, "shivx.ui.alerts")

namespace Shivx::Ui {

namespace {
const QString Service = QStringLiteral("org.freedesktop.Notifications");
const QString Path = QStringLiteral("/org/freedesktop/Notifications");
const QString Interface = QStringLiteral("org.freedesktop.Notifications");
} // namespace

DesktopNotifications::DesktopNotifications(QDBusConnection bus, QObject *parent)
    : QObject(parent)
    , m_bus(std::move(bus))
{
    if (!m_bus.isConnected())
        return;
    m_bus.connect(Service, Path, Interface, QStringLiteral("ActionInvoked"), this,
        SLOT(onActionInvoked(uint, QString)));
    m_bus.connect(Service, Path, Interface, QStringLiteral("NotificationClosed"), this,
        SLOT(onClosed(uint, uint)));
}

bool DesktopNotifications::isAvailable() const
{
    return m_bus.isConnected() && m_bus.interface()
        && m_bus.interface()->isServiceRegistered(Service).value();
}

void DesktopNotifications::notify(
    const QString &key, const QString &summary, const QString &body, Urgency urgency)
{
    if (!m_bus.isConnected()) {
        Q_EMIT delivered(0, QStringLiteral("not connected to a D-Bus session bus"));
        return;
    }
    QDBusMessage call
        = QDBusMessage::createMethodCall(Service, Path, Interface, QStringLiteral("Notify"));
    QVariantMap hints;
    hints.insert(QStringLiteral("urgency"), QVariant::fromValue(uchar(urgency)));
    hints.insert(QStringLiteral("desktop-entry"), QStringLiteral("shivx-console"));
    // app_name, replaces_id, app_icon, summary, body, actions (id, label pairs), hints,
    // expire_timeout (-1: the server's default).
    call << QStringLiteral("ShivX") << uint(0) << QStringLiteral("dialog-warning") << summary
         << body << QStringList { QStringLiteral("default"), tr("Open") } << hints << int(-1);
    auto *watcher = new QDBusPendingCallWatcher(m_bus.asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this, watcher, key] {
        watcher->deleteLater();
        const QDBusPendingReply<uint> reply = *watcher;
        if (reply.isError()) {
            qCWarning(lcNotifications).noquote()
                << "Notify failed:" << reply.error().name() << reply.error().message();
            Q_EMIT delivered(0, reply.error().message());
            return;
        }
        m_keys.insert(reply.value(), key);
        Q_EMIT delivered(reply.value(), QString());
    });
}

void DesktopNotifications::onActionInvoked(uint id, const QString &action)
{
    // Servers send ActionInvoked to every client: only ids this object sent count.
    if (action == QLatin1String("default") && m_keys.contains(id))
        Q_EMIT activated(m_keys.value(id));
}

void DesktopNotifications::onClosed(uint id, uint)
{
    m_keys.remove(id);
}

} // namespace Shivx::Ui
