#pragma once

#include "health/healthreport.h"
#include "health/target.h"

namespace Shivx {

struct ReadinessInputs
{
    bool storageOk = false;
    QString storageDetail;
    qint64 samplerLastMs = 0;
    qint64 probesHeartbeatMs = 0;
    qint64 nowMs = 0;
    qint64 stallMs = 5000;
    QList<TargetStatus> targets;
};

// Ready only when storage is writable, the sampler is alive and every critical target is UP.
// A DEGRADED critical target is not UP: readiness gates traffic, so it takes the strict view.
Readiness evaluateReadiness(const ReadinessInputs &in);

} // namespace Shivx
