#include "health/healthservice.h"

#include "core/enginestatus.h"

namespace Shivx {

HealthService::HealthService(EngineStatus *status, ScoreConfig score, QObject *parent)
    : QObject(parent)
    , m_status(status)
    , m_score(score)
{
}

HostSample HealthService::lastHostSample() const
{
    return m_status->host();
}

QList<TargetStatus> HealthService::targets() const
{
    return m_status->targets();
}

HealthReport HealthService::health() const
{
    return m_status->health();
}

} // namespace Shivx
