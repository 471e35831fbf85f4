#include "degradation/degradationservice.h"

#include "degradation/degradationcontroller.h"

namespace Shivx {

namespace {

Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}

} // namespace

DegradationService::DegradationService(DegradationConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    auto s = std::make_shared<DegradationSnapshot>();
    s->reason = makeMessage("engine.not_running", {}, QStringLiteral("engine not running"));
    s->features = m_config.features.at(s->level);
    m_stopped = std::move(s);
}

DegradationSnapshot DegradationService::snapshot() const
{
    return *snapshotPtr();
}

std::shared_ptr<const DegradationSnapshot> DegradationService::snapshotPtr() const
{
    DegradationController *controller = m_controller.load();
    return controller ? controller->snapshotPtr() : m_stopped;
}

Result<DegradationSnapshot> DegradationService::pin(
    DegradationLevel level, const QString &reason, qint64 durationMs, const QString &actor)
{
    DegradationController *controller = m_controller.load();
    if (!controller)
        return notRunning();
    return controller->pin(level, reason, durationMs, actor);
}

Result<DegradationSnapshot> DegradationService::release(const QString &actor)
{
    DegradationController *controller = m_controller.load();
    if (!controller)
        return notRunning();
    bool released = false;
    DegradationSnapshot s = controller->release(actor, &released);
    if (!released)
        return makeError("degradation.not_pinned", QStringLiteral("no pin to release"));
    return s;
}

} // namespace Shivx
