#include "recovery/recoveryservice.h"

#include "recovery/breakerregistry.h"
#include "recovery/processsupervisor.h"

namespace Shivx {

RecoveryService::RecoveryService(BreakerRegistry *breakers, QObject *parent)
    : QObject(parent)
    , m_breakers(breakers)
{
    // Transitions come from whichever thread ran the call; forcing comes from the caller's.
    connect(
        m_breakers, &BreakerRegistry::transitioned, this,
        [this](const BreakerTransition &t) {
            Q_EMIT breakerTransitioned(t);
            Q_EMIT breakersChanged(m_breakers->snapshots());
        },
        Qt::QueuedConnection);
}

QList<BreakerSnapshot> RecoveryService::breakers() const
{
    return m_breakers->snapshots();
}

Result<BreakerSnapshot> RecoveryService::forceBreaker(
    const QString &name, BreakerForce force, const QString &actor)
{
    const Result<BreakerSnapshot> r = m_breakers->force(name, force, actor);
    if (r)
        announceBreakers();
    return r;
}

void RecoveryService::announceBreakers()
{
    // Queued, so that the signal leaves on the Engine's thread whoever called.
    QMetaObject::invokeMethod(
        this, [this] { Q_EMIT breakersChanged(m_breakers->snapshots()); }, Qt::QueuedConnection);
}

QList<ProcessSnapshot> RecoveryService::processes() const
{
    ProcessSupervisor *supervisor = m_supervisor.load();
    return supervisor ? supervisor->snapshot() : QList<ProcessSnapshot>();
}

Result<void> RecoveryService::startProcess(const QString &name, const QString &actor)
{
    return request(Op::Start, name, actor);
}

Result<void> RecoveryService::stopProcess(const QString &name, const QString &actor)
{
    return request(Op::Stop, name, actor);
}

Result<void> RecoveryService::restartProcess(const QString &name, const QString &actor)
{
    return request(Op::Restart, name, actor);
}

Result<void> RecoveryService::request(Op op, const QString &name, const QString &actor)
{
    ProcessSupervisor *supervisor = m_supervisor.load();
    if (!supervisor)
        return makeError("engine.not_running", QStringLiteral("the engine is not running"));
    const bool known = op == Op::Start ? supervisor->startProcess(name, actor)
        : op == Op::Stop               ? supervisor->stopProcess(name, actor)
                                       : supervisor->restartProcess(name, actor);
    if (!known)
        return makeError("recovery.unknown_process",
            QStringLiteral("no supervised process named \"%1\"").arg(name.left(64)),
            { name.left(64) });
    return {};
}

} // namespace Shivx
