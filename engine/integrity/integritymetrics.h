#pragma once

namespace Shivx {

class IntegrityService;
class MetricRegistry;

// Registers the shivx_integrity_* families (docs/metrics.md) in `registry`, mirrored from
// `service` at each collection (thread-safe getters), so that they reach /metrics and the
// history. `service` outlives the registry's use (the module's facade lives as long as the
// Engine).
void registerIntegrityMetrics(MetricRegistry &registry, IntegrityService *service);

} // namespace Shivx
