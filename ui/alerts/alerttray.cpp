#include "alerts/alerttray.h"

#include "alerting/alertingservice.h"
#include "alerts/alertsmodel.h"
#include "alerts/alertspage.h"
#include "alerts/desktopnotifications.h"
#include "core/engine.h"
#include "shell/mainwindow.h"
#include "widgets/statuscolors.h"

#include <QAction>
#include <QApplication>
#include <QEvent>
#include <QMenu>
#include <QPainter>
#include <QSystemTrayIcon>

namespace Shivx::Ui {

AlertTray::AlertTray(
    Engine *engine, MainWindow *window, DesktopNotifications *notifications, QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_service(engine->service<AlertingService>())
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(this);
        m_menu = new QMenu;
        m_menu->addAction(QString(), this, [this] { openAlert(QString()); });
        m_menu->addAction(QString(), qApp, &QApplication::closeAllWindows);
        m_tray->setContextMenu(m_menu);
        connect(
            m_tray, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason r) {
                if (r == QSystemTrayIcon::Trigger || r == QSystemTrayIcon::DoubleClick)
                    openAlert(QString());
            });
        connect(
            m_tray, &QSystemTrayIcon::messageClicked, this, [this] { openAlert(m_lastNotified); });
    } else {
        m_notifications = notifications
            ? notifications
            : new DesktopNotifications(QDBusConnection::sessionBus(), this);
        connect(m_notifications, &DesktopNotifications::activated, this, &AlertTray::openAlert);
    }
    if (window)
        window->installEventFilter(this);
    if (m_service) {
        connect(m_service, &AlertingService::changed, this, &AlertTray::onSnapshot);
        connect(m_service, &AlertingService::transitioned, this, &AlertTray::onTransitions);
        m_snapshot = m_service->snapshot();
    }
    onSnapshot(m_snapshot);
    if (m_tray)
        m_tray->show();
}

AlertTray::~AlertTray()
{
    delete m_menu;
}

AlertTray::Level AlertTray::levelOf(const AlertingSnapshot &snapshot)
{
    if (!snapshot.running)
        return Level::Inactive;
    Level worst = Level::Ok;
    for (const AlertInstance &a : snapshot.alerts) {
        // What an operator is to act on: not silenced, not inhibited, not the Watchdog.
        if (a.state != AlertState::Firing || !a.silencedBy.isEmpty() || a.inhibited
            || a.severity == QLatin1String("none"))
            continue;
        worst = a.severity == QLatin1String("critical") ? Level::Critical
                                                        : qMax(worst, Level::Warning);
    }
    return worst;
}

QIcon AlertTray::iconFor(Level level)
{
    const QColor color = level == Level::Critical ? StatusColors::critical()
        : level == Level::Warning                 ? StatusColors::warning()
        : level == Level::Ok                      ? StatusColors::ok()
                                                  : StatusColors::unknown();
    QIcon icon;
    for (int size : { 16, 22, 24, 32, 48, 64 }) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(QPen(color.darker(150), qMax(1.0, size / 16.0)));
        p.setBrush(color);
        const qreal m = size * 0.12;
        p.drawEllipse(QRectF(m, m, size - 2 * m, size - 2 * m));
        icon.addPixmap(pixmap);
    }
    return icon;
}

void AlertTray::onSnapshot(const AlertingSnapshot &snapshot)
{
    const Level previous = m_level;
    m_snapshot = snapshot;
    m_level = levelOf(snapshot);
    retranslate();
    if (m_tray && (m_level != previous || m_tray->icon().isNull()))
        m_tray->setIcon(iconFor(m_level));
}

void AlertTray::retranslate()
{
    int firing = 0, critical = 0, pending = 0;
    for (const AlertInstance &a : std::as_const(m_snapshot.alerts)) {
        if (!a.silencedBy.isEmpty() || a.inhibited || a.severity == QLatin1String("none"))
            continue;
        if (a.state == AlertState::Firing) {
            ++firing;
            critical += a.severity == QLatin1String("critical");
        } else if (a.state == AlertState::Pending) {
            ++pending;
        }
    }
    QString text;
    if (m_level == Level::Inactive)
        text = tr("ShivX: alerting is not running");
    else if (firing == 0)
        text = tr("ShivX: no alert firing");
    else
        text = (firing == 1 ? tr("ShivX: 1 alert firing")
                            : tr("ShivX: %1 alerts firing").arg(firing))
            + (critical ? tr(", %1 critical").arg(critical) : QString());
    if (pending > 0)
        text += QLatin1Char('\n') + tr("%1 pending").arg(pending);
    m_toolTip = text;
    if (m_tray) {
        m_tray->setToolTip(text);
        const QList<QAction *> actions = m_menu->actions();
        actions.at(0)->setText(tr("Show alerts"));
        actions.at(1)->setText(tr("Quit"));
    }
}

bool AlertTray::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_window && event->type() == QEvent::LanguageChange)
        retranslate();
    return QObject::eventFilter(watched, event);
}

void AlertTray::onTransitions(const QList<AlertTransition> &transitions)
{
    for (const AlertTransition &t : transitions) {
        const AlertInstance &a = t.alert;
        if (a.state != AlertState::Firing || !a.silencedBy.isEmpty() || a.inhibited
            || a.severity == QLatin1String("none"))
            continue;
        const QString title
            = tr("%1 firing (%2)").arg(a.rule, AlertsModel::severityText(a.severity));
        QString body = a.summary;
        const QString labels = AlertsModel::labelsText(a.labels);
        if (!labels.isEmpty())
            body += (body.isEmpty() ? QString() : QStringLiteral("\n")) + labels;
        if (m_tray) {
            m_lastNotified = a.fingerprint;
            m_tray->showMessage(title, body,
                a.severity == QLatin1String("critical") ? QSystemTrayIcon::Critical
                                                        : QSystemTrayIcon::Warning);
        } else {
            m_notifications->notify(a.fingerprint, title, body,
                a.severity == QLatin1String("critical") ? DesktopNotifications::Urgency::Critical
                                                        : DesktopNotifications::Urgency::Normal);
        }
        Q_EMIT notified(a.fingerprint);
    }
}

void AlertTray::openAlert(const QString &fingerprint)
{
    if (!m_window)
        return;
    m_window->showPage(QStringLiteral("alerts"));
    if (!fingerprint.isEmpty())
        if (AlertsPage *page = m_window->page<AlertsPage>())
            page->showAlert(fingerprint);
    m_window->showNormal();
    m_window->raise();
    m_window->activateWindow();
}

} // namespace Shivx::Ui
