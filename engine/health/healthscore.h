#pragma once

#include "health/healthconfig.h"
#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"

namespace Shivx {

// A component the watchdog found stalled ("sampler", "probes", "storage").
struct StalledComponent
{
    QString name;
    qint64 silentForMs = 0;
};

// The weighted 0-100 health score. The formula is in docs/health-score.md; each rule here
// has a row in tst_healthscore at its boundaries.
class HealthScore
{
public:
    // The score's states: HEALTHY from HealthyMin, DEGRADED from DegradedMin, else CRITICAL.
    static constexpr double HealthyMin = 80;
    static constexpr double DegradedMin = 50;

    explicit HealthScore(ScoreConfig config = {})
        : m_config(config)
    {
    }

    HealthReport compute(const HostSample &host, const QList<TargetStatus> &targets,
        const QList<StalledComponent> &stalled, qint64 nowMs) const;

    // The host part of the score can only use a sample that has rates; before the first one
    // (the first second after start) CPU is not judged.
    static double linearPenalty(double value, double warnAt, double maxPenalty);

private:
    ScoreConfig m_config;
};

} // namespace Shivx
