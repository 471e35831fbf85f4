#include "guardian/guardianservice.h"

#include "core/callonthread.h"
#include "guardian/guardiancontroller.h"
#include "guardian/threatstore.h"

#include <QThread>

namespace Shivx {

namespace {

Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}

} // namespace

GuardianService::GuardianService(GuardianConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    auto s = std::make_shared<GuardianSnapshot>();
    s->reason = makeMessage("engine.not_running", {}, QStringLiteral("engine not running"));
    m_stopped = std::move(s);
}

void GuardianService::setController(GuardianController *controller, const QString &dbPath)
{
    if (controller)
        m_dbPath = dbPath;
    m_controller.store(controller);
}

GuardianSnapshot GuardianService::snapshot() const
{
    return *snapshotPtr();
}

std::shared_ptr<const GuardianSnapshot> GuardianService::snapshotPtr() const
{
    GuardianController *c = m_controller.load();
    return c ? c->snapshotPtr() : m_stopped;
}

template <class R, class Call> Result<R> GuardianService::onController(Call call)
{
    GuardianController *c = m_controller.load();
    if (!c)
        return notRunning();
    std::optional<Result<R>> out;
    if (c->thread() == QThread::currentThread() || !c->thread()->isRunning())
        out.emplace(call(c));
    else
        callOnThread(c, [&] { out.emplace(call(c)); });
    return out ? *out : Result<R>(notRunning());
}

Result<void> GuardianService::raise(const ThreatEvent &event)
{
    GuardianController *c = m_controller.load();
    if (!c)
        return notRunning();
    QMetaObject::invokeMethod(
        c, [c, event] { c->raise(event); }, Qt::QueuedConnection);
    return {};
}

Result<QList<ThreatRecord>> GuardianService::threats(const ThreatFilter &filter) const
{
    if (!m_controller.load())
        return notRunning();
    return ThreatStore::query(m_dbPath, filter);
}

Result<QList<ThreatAssessment>> GuardianService::assess(const QStringList &sources)
{
    return onController<QList<ThreatAssessment>>(
        [&](GuardianController *c) { return Result<QList<ThreatAssessment>>(c->assess(sources)); });
}

Result<GuardianSnapshot> GuardianService::setMode(
    DefenseMode mode, const QString &reason, const QString &actor)
{
    return onController<GuardianSnapshot>(
        [&](GuardianController *c) { return c->setMode(mode, reason, actor); });
}

Result<Isolation> GuardianService::isolate(
    const QString &source, qint64 durationMs, const QString &reason, const QString &actor)
{
    return onController<Isolation>(
        [&](GuardianController *c) { return c->isolate(source, durationMs, reason, actor); });
}

Result<GuardianSnapshot> GuardianService::release(const QString &source, const QString &actor)
{
    return onController<GuardianSnapshot>(
        [&](GuardianController *c) { return c->release(source, actor); });
}

} // namespace Shivx
