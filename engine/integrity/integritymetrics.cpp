#include "integrity/integritymetrics.h"

#include "integrity/integrityservice.h"
#include "telemetry/metricregistry.h"

namespace Shivx {

void registerIntegrityMetrics(MetricRegistry &registry, IntegrityService *service)
{
    MetricRegistry &r = registry;
    const QString mode = QStringLiteral("mode");
    Gauge files = r.gauge(QStringLiteral("shivx_integrity_baseline_files"),
                       QStringLiteral("Files recorded in the integrity baseline."))
                      ->gauge();
    Gauge verified
        = r.gauge(QStringLiteral("shivx_integrity_baseline_verified"),
               QStringLiteral("1 when the baseline file matches the digest the audit chain "
                              "recorded at its last update."))
              ->gauge();
    Counter updates = r.counter(QStringLiteral("shivx_integrity_baseline_updates_total"),
                           QStringLiteral("Baseline updates (init and accept) since the engine "
                                          "started."))
                          ->counter();
    Gauge running = r.gauge(QStringLiteral("shivx_integrity_running"),
                         QStringLiteral("1 while an integrity operation runs."))
                        ->gauge();
    MetricFamily *checks = r.counter(QStringLiteral("shivx_integrity_checks_total"),
        QStringLiteral("Integrity checks since the engine started, by mode and outcome."),
        { mode, QStringLiteral("outcome") });
    MetricFamily *duration = r.gauge(QStringLiteral("shivx_integrity_last_check_duration_seconds"),
        QStringLiteral("Duration of the last completed check of each mode."), { mode });
    MetricFamily *finished = r.gauge(QStringLiteral("shivx_integrity_last_check_timestamp_seconds"),
        QStringLiteral("When the last completed check of each mode finished (Unix time; 0 = "
                       "never)."),
        { mode });
    MetricFamily *differences = r.gauge(QStringLiteral("shivx_integrity_differences"),
        QStringLiteral("Differences from the baseline known now (last check and real-time "
                       "re-checks), by kind."),
        { QStringLiteral("kind") });
    Counter bytes = r.counter(QStringLiteral("shivx_integrity_hashed_bytes_total"),
                         QStringLiteral("Bytes read and hashed by integrity operations since "
                                        "the engine started."))
                        ->counter();
    Counter hashedFiles = r.counter(QStringLiteral("shivx_integrity_hashed_files_total"),
                               QStringLiteral("Files hashed by integrity operations since the "
                                              "engine started."))
                              ->counter();
    Counter realtime = r.counter(QStringLiteral("shivx_integrity_realtime_checks_total"),
                            QStringLiteral("Critical paths re-checked after a file system event "
                                           "since the engine started."))
                           ->counter();
    MetricFamily *restores = r.counter(QStringLiteral("shivx_integrity_restores_total"),
        QStringLiteral("Files put back from their safe snapshots (ok) or that a restore could "
                       "not put back (failed) since the engine started, automatic and "
                       "operators' restores."),
        { QStringLiteral("result") });
    Gauge lastRestore
        = r.gauge(QStringLiteral("shivx_integrity_last_restore_timestamp_seconds"),
               QStringLiteral("When a file was last put back from its safe snapshot (Unix time; "
                              "0 = never since the engine started)."))
              ->gauge();
    Gauge unprotected
        = r.gauge(QStringLiteral("shivx_integrity_snapshot_missing_files"),
               QStringLiteral("Files of protect: restore sets that the last baseline update "
                              "could not copy (too large, changed while read, unreadable): a "
                              "restore cannot put them back."))
              ->gauge();
    Counter pruned = r.counter(QStringLiteral("shivx_integrity_snapshot_pruned_bytes_total"),
                          QStringLiteral("Bytes freed in the safe snapshot store by deleting "
                                         "copies no baseline names any more, since the engine "
                                         "started."))
                         ->counter();
    r.addCollector([=]() mutable {
        const IntegrityBaselineStatus baseline = service->baselineStatus();
        const IntegrityCounters c = service->counters();
        const auto last = service->lastCheck();
        files.set(double(baseline.files));
        verified.set(baseline.verified ? 1 : 0);
        updates.advanceTo(double(c.baselineUpdates));
        running.set(service->progress().running ? 1 : 0);
        for (const IntegrityMode m : { IntegrityMode::Fast, IntegrityMode::Full }) {
            const int i = int(m);
            const QString name = toString(m);
            checks->counter({ name, QStringLiteral("ok") }).advanceTo(double(c.checksOk[i]));
            checks->counter({ name, QStringLiteral("cancelled") })
                .advanceTo(double(c.checksCancelled[i]));
            checks->counter({ name, QStringLiteral("failed") })
                .advanceTo(double(c.checksFailed[i]));
            duration->gauge({ name }).set(c.lastDurationSeconds[i]);
            finished->gauge({ name }).set(double(c.lastFinishedMs[i]) / 1000.0);
        }
        for (const auto kind : { IntegrityDifference::Kind::Added,
                 IntegrityDifference::Kind::Removed, IntegrityDifference::Kind::Changed })
            differences->gauge({ toString(kind) }).set(last ? double(last->count(kind)) : 0);
        bytes.advanceTo(double(c.bytesHashed));
        hashedFiles.advanceTo(double(c.filesHashed));
        realtime.advanceTo(double(c.realtimeChecks));
        restores->counter({ QStringLiteral("ok") }).advanceTo(double(c.restoresOk));
        restores->counter({ QStringLiteral("failed") }).advanceTo(double(c.restoresFailed));
        pruned.advanceTo(double(c.snapshotBytesPruned));
        lastRestore.set(double(c.lastRestoreMs) / 1000.0);
        unprotected.set(double(service->snapshotWarnings().size()));
    });
}

} // namespace Shivx
