#pragma once

namespace Shivx {

class AuditWriter;
class MetricRegistry;

// Registers shivx_audit_*: entries appended by stream, repairs, failed batches, the queue and
// whether the chain can be extended, mirrored from AuditWriter::stats() at each collection.
// `writer` outlives the registry's use.
void registerAuditMetrics(MetricRegistry &registry, const AuditWriter *writer);

} // namespace Shivx
