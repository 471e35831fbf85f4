#pragma once

#include "core/result.h"
#include "recovery/circuitbreaker.h"

#include <QList>
#include <QMap>
#include <QMutex>
#include <QObject>

#include <memory>

namespace Shivx {

class AuditSink;
class Clock;

// The engine's circuit breakers, one per name (for target probes: the target's name).
// Thread-safe: services on any thread fetch their breaker here, the API thread lists and
// forces them. Breakers are shared_ptr so a caller holding one survives its removal.
//
// Audit: every transition goes to the "resilience" stream (actor "engine", actions
// "breaker.opened", "breaker.half_opened", "breaker.closed"); every force to the "operator"
// stream (action "breaker.forced") with the actor given by the caller.
class BreakerRegistry : public QObject
{
    Q_OBJECT
public:
    // `audit` may be null (nothing recorded); it must outlive the registry.
    explicit BreakerRegistry(
        Clock *clock = nullptr, AuditSink *audit = nullptr, QObject *parent = nullptr);
    ~BreakerRegistry() override;

    // The breaker called `name`, created with `config`, or the existing one retuned to
    // `config`: state and counts are kept, so a configuration reload never resets them.
    // Where transitions and forces are recorded from now on (null = nowhere). Call while
    // no breaker is in use (the Engine does at start); the sink must outlive the registry.
    void setAuditSink(AuditSink *audit);

    std::shared_ptr<CircuitBreaker> configure(const QString &name, const BreakerConfig &config);
    std::shared_ptr<CircuitBreaker> find(const QString &name) const;
    void remove(const QString &name);

    // Sorted by name.
    QList<BreakerSnapshot> snapshots() const;

    // Operator override; records it in the audit log as done by `actor`
    // ("cli:USER", "console:USER", "api"). Fails with code "breaker.not_found".
    Result<BreakerSnapshot> force(const QString &name, BreakerForce force, const QString &actor);

Q_SIGNALS:
    // Emitted on the thread whose call made the breaker change state (a probe's, the API's).
    void transitioned(const Shivx::BreakerTransition &transition);

private:
    void onTransition(const BreakerTransition &t);

    Clock *m_clock;
    std::atomic<AuditSink *> m_audit;
    mutable QMutex m_mutex;
    QMap<QString, std::shared_ptr<CircuitBreaker>> m_breakers;
};

} // namespace Shivx
