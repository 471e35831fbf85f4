#include "alerting/alertingservice.h"

#include "alerting/alertingcontroller.h"
#include "core/callonthread.h"

#include <QThread>

namespace Shivx {

namespace {
Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}
} // namespace

AlertingService::AlertingService(QObject *parent)
    : QObject(parent)
{
}

AlertingSnapshot AlertingService::snapshot() const
{
    AlertingController *c = m_controller.load();
    return c ? *c->snapshotPtr() : AlertingSnapshot();
}

template <class T, class Call> Result<T> AlertingService::onController(Call call)
{
    AlertingController *c = m_controller.load();
    if (!c || !c->thread() || !c->thread()->isRunning())
        return notRunning();
    if (c->thread() == QThread::currentThread())
        return call(c);
    Result<T> out = notRunning();
    callOnThread(c, [&out, c, &call] { out = call(c); });
    return out;
}

Result<AlertSilence> AlertingService::silence(const QMap<QString, QString> &matchers,
    qint64 durationMs, const QString &comment, const QString &actor)
{
    return onController<AlertSilence>(
        [&](AlertingController *c) { return c->silence(matchers, durationMs, comment, actor); });
}

Result<void> AlertingService::expireSilence(const QString &id, const QString &actor)
{
    return onController<void>([&](AlertingController *c) { return c->expireSilence(id, actor); });
}

Result<AlertInstance> AlertingService::acknowledge(const QString &fingerprint, const QString &actor)
{
    return onController<AlertInstance>(
        [&](AlertingController *c) { return c->acknowledge(fingerprint, actor); });
}

Result<void> AlertingService::pushAlert(const QMap<QString, QString> &labels,
    const QString &summary, const QString &description, qint64 holdMs)
{
    AlertingController *c = m_controller.load();
    if (!c)
        return notRunning();
    QMetaObject::invokeMethod(
        c, [=] { c->pushAlert(labels, summary, description, holdMs); }, Qt::QueuedConnection);
    return {};
}

Result<QList<AlertHistoryEntry>> AlertingService::history(int limit, const QString &rule)
{
    return onController<QList<AlertHistoryEntry>>(
        [&](AlertingController *c) { return c->history(limit, rule); });
}

} // namespace Shivx
