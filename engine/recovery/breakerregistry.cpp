#include "recovery/breakerregistry.h"

#include "audit/auditsink.h"
#include "core/clock.h"

#include <QLoggingCategory>
#include <QMutexLocker>

Q_LOGGING_CATEGORY(lcBreaker, "shivx.recovery.breaker")

namespace Shivx {

namespace {

QString actionFor(BreakerState to)
{
    switch (to) {
    case BreakerState::Open:
        return QStringLiteral("breaker.opened");
    case BreakerState::HalfOpen:
        return QStringLiteral("breaker.half_opened");
    case BreakerState::Closed:
        return QStringLiteral("breaker.closed");
    }
    return {};
}

} // namespace

BreakerRegistry::BreakerRegistry(Clock *clock, AuditSink *audit, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_audit(audit)
{
    qRegisterMetaType<BreakerTransition>();
    qRegisterMetaType<BreakerSnapshot>();
    qRegisterMetaType<QList<BreakerSnapshot>>();
}

BreakerRegistry::~BreakerRegistry() = default;

void BreakerRegistry::setAuditSink(AuditSink *audit)
{
    m_audit.store(audit);
}

std::shared_ptr<CircuitBreaker> BreakerRegistry::configure(
    const QString &name, const BreakerConfig &config)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_breakers.find(name);
    if (it != m_breakers.end()) {
        (*it)->retune(config);
        return *it;
    }
    auto breaker = std::make_shared<CircuitBreaker>(
        name, config, m_clock, [this](const BreakerTransition &t) { onTransition(t); });
    m_breakers.insert(name, breaker);
    return breaker;
}

std::shared_ptr<CircuitBreaker> BreakerRegistry::find(const QString &name) const
{
    QMutexLocker lock(&m_mutex);
    return m_breakers.value(name);
}

void BreakerRegistry::remove(const QString &name)
{
    QMutexLocker lock(&m_mutex);
    m_breakers.remove(name);
}

QList<BreakerSnapshot> BreakerRegistry::snapshots() const
{
    QList<std::shared_ptr<CircuitBreaker>> breakers;
    {
        QMutexLocker lock(&m_mutex);
        breakers = m_breakers.values(); // QMap: sorted by name
    }
    QList<BreakerSnapshot> list;
    list.reserve(breakers.size());
    for (const auto &b : std::as_const(breakers))
        list.append(b->snapshot());
    return list;
}

Result<BreakerSnapshot> BreakerRegistry::force(
    const QString &name, BreakerForce force, const QString &actor)
{
    const std::shared_ptr<CircuitBreaker> breaker = find(name);
    if (!breaker)
        return makeError("breaker.not_found",
            QStringLiteral("no circuit breaker named \"%1\"").arg(name), { name });
    const BreakerSnapshot before = breaker->snapshot();
    breaker->force(force);
    qCInfo(lcBreaker).noquote() << "breaker" << name << "forced" << toString(force) << "by"
                                << actor;
    if (AuditSink *audit = m_audit.load()) {
        audit->record(
            AuditEvent { AuditStreams::operatorActions(), actor, QStringLiteral("breaker.forced"),
                QJsonObject { { QStringLiteral("breaker"), name },
                    { QStringLiteral("force"), toString(force) },
                    { QStringLiteral("previous_state"), toString(before.state) },
                    { QStringLiteral("previous_force"), toString(before.force) } },
                m_clock->nowMs() });
    }
    return breaker->snapshot();
}

void BreakerRegistry::onTransition(const BreakerTransition &t)
{
    qCInfo(lcBreaker).noquote() << "breaker" << t.name << toString(t.from) << "->" << toString(t.to)
                                << "(" + t.reason.text + ")";
    if (AuditSink *audit = m_audit.load()) {
        audit->record(
            AuditEvent { AuditStreams::resilience(), QStringLiteral("engine"), actionFor(t.to),
                QJsonObject { { QStringLiteral("breaker"), t.name },
                    { QStringLiteral("from"), toString(t.from) },
                    { QStringLiteral("to"), toString(t.to) },
                    { QStringLiteral("reason"), t.reason.text } },
                t.atMs });
    }
    Q_EMIT transitioned(t);
}

} // namespace Shivx
