#pragma once

#include "api/apiroute.h"
#include "core/readinessreport.h"
#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"

#include <QByteArray>
#include <QList>

#include <functional>

namespace Shivx {

class Clock;
class EngineStatus;
class MetricRegistry;

namespace HealthApi {

// GET /api/health/live, /api/health/ready and /api/health/status[?verbose] (docs/http-api.md).
// Handlers run on the API thread and read only thread-safe state: `status` (the Engine's)
// and `readiness` (every module's checks). `livenessLimitMs`: how long the engine's core loop
// may be silent before liveness fails.
QList<ApiRoute> routes(const EngineStatus *status, std::function<Readiness()> readiness,
    Clock *clock, qint64 livenessLimitMs);

// Registers shivx_health_*, shivx_host_*, shivx_process_* and shivx_target_*, mirrored from
// `status` at each collection (`status` outlives the registry's use).
void registerMetrics(MetricRegistry &registry, const EngineStatus *status);

} // namespace HealthApi
} // namespace Shivx
