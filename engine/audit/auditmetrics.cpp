#include "audit/auditmetrics.h"

#include "audit/auditwriter.h"
#include "telemetry/metricregistry.h"

namespace Shivx {

void registerAuditMetrics(MetricRegistry &registry, const AuditWriter *writer)
{
    MetricRegistry &r = registry;
    MetricFamily *entries = r.counter(QStringLiteral("shivx_audit_entries_total"),
        QStringLiteral("Entries appended to the audit chain, by stream."),
        { QStringLiteral("stream") });
    Counter repairs = r.counter(QStringLiteral("shivx_audit_repairs_total"),
                           QStringLiteral("Repair entries appended for torn tails or stale "
                                          "heads found in the audit chain."))
                          ->counter();
    Counter failed = r.counter(QStringLiteral("shivx_audit_failed_batches_total"),
                          QStringLiteral("Audit batches that could not be appended (retried)."))
                         ->counter();
    Gauge queued = r.gauge(QStringLiteral("shivx_audit_queued_events"),
                        QStringLiteral("Audit events waiting to be appended."))
                       ->gauge();
    Gauge writable = r.gauge(QStringLiteral("shivx_audit_chain_writable"),
                          QStringLiteral("1 while the audit chain can be extended, 0 after a "
                                         "batch failed until one succeeds."))
                         ->gauge();
    r.addCollector([=]() mutable {
        const AuditWriter::Stats s = writer->stats();
        for (auto it = s.entriesByStream.cbegin(); it != s.entriesByStream.cend(); ++it)
            entries->counter({ it.key() }).advanceTo(double(it.value()));
        repairs.advanceTo(double(s.repairs));
        failed.advanceTo(double(s.failedBatches));
        queued.set(double(s.queued));
        writable.set(s.lastBatchFailed ? 0 : 1);
    });
}

} // namespace Shivx
