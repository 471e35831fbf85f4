#pragma once

#include <memory>

namespace Shivx {

class GuardianApiGuard;
class GuardianService;
class MetricRegistry;

// Registers the shivx_guardian_* families (docs/metrics.md) in `registry`, mirrored at each
// collection from the service's snapshot and, when given, the API guard's refusal counts
// (both thread-safe). `service` lives as long as the Engine; the guard is shared.
void registerGuardianMetrics(MetricRegistry &registry, GuardianService *service,
    std::shared_ptr<const GuardianApiGuard> guard);

} // namespace Shivx
