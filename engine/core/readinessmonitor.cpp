#include "core/readinessmonitor.h"

#include "audit/auditsink.h"
#include "core/clock.h"
#include "core/enginestatus.h"

#include <QLoggingCategory>
#include <QStringList>
#include <QTimer>

Q_LOGGING_CATEGORY(lcReadiness, "shivx.core.readiness")

namespace Shivx {

ReadinessMonitor::ReadinessMonitor(EngineStatus *status, std::function<Readiness()> evaluate,
    AuditSink *audit, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_evaluate(std::move(evaluate))
    , m_audit(audit)
    , m_clock(clock)
{
}

void ReadinessMonitor::start()
{
    m_timer = new QTimer(this);
    connect(m_timer, &QTimer::timeout, this, &ReadinessMonitor::tick);
    m_timer->start(1000);
    tick();
}

void ReadinessMonitor::stop()
{
    if (m_timer)
        m_timer->stop();
}

void ReadinessMonitor::tick()
{
    const qint64 now = m_clock->nowMs();
    m_status->coreHeartbeatMs.store(now);
    const Readiness r = m_evaluate();
    bool changed
        = !m_haveLast || r.ready != m_last.ready || r.checks.size() != m_last.checks.size();
    for (int i = 0; !changed && i < r.checks.size(); ++i)
        changed = r.checks.at(i).ok != m_last.checks.at(i).ok
            || r.checks.at(i).name != m_last.checks.at(i).name;
    if (!changed)
        return;
    if (m_haveLast)
        qCInfo(lcReadiness) << "readiness changed:" << (r.ready ? "ready" : "not ready");
    m_last = r;
    m_haveLast = true;
    Q_EMIT readinessChanged(r);

    QStringList failing;
    for (const ReadinessCheck &c : r.checks)
        if (!c.ok)
            failing.append(c.name);
    const QString key = r.ready ? QStringLiteral("ready") : failing.join(QLatin1Char(','));
    if (!m_audit || key == m_lastAudited)
        return;
    m_lastAudited = key;
    m_audit->record(
        { AuditStreams::resilience(), QStringLiteral("engine"), QStringLiteral("readiness.changed"),
            { { QStringLiteral("state"),
                  r.ready ? QStringLiteral("ready") : QStringLiteral("not_ready") },
                { QStringLiteral("failing"), failing.join(QLatin1Char(',')) } },
            now });
}

} // namespace Shivx
