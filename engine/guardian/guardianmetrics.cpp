#include "guardian/guardianmetrics.h"

#include "guardian/guardianapiguard.h"
#include "guardian/guardianservice.h"
#include "telemetry/metricregistry.h"

namespace Shivx {

void registerGuardianMetrics(MetricRegistry &registry, GuardianService *service,
    std::shared_ptr<const GuardianApiGuard> guard)
{
    MetricRegistry &r = registry;
    Gauge mode = r.gauge(QStringLiteral("shivx_guardian_mode"),
                      QStringLiteral("Defense mode in effect: 0 NORMAL, 1 ELEVATED, 2 LOCKDOWN."))
                     ->gauge();
    Counter modeChanges = r.counter(QStringLiteral("shivx_guardian_mode_changes_total"),
                               QStringLiteral("Defense mode changes since the engine started."))
                              ->counter();
    MetricFamily *events = r.counter(QStringLiteral("shivx_guardian_events_total"),
        QStringLiteral("Threat events raised since the engine started, by severity."),
        { QStringLiteral("severity") });
    Gauge isolated = r.gauge(QStringLiteral("shivx_guardian_isolated_sources"),
                          QStringLiteral("Sources isolated now."))
                         ->gauge();
    Counter isolations = r.counter(QStringLiteral("shivx_guardian_isolations_total"),
                              QStringLiteral("Isolations begun since the engine started."))
                             ->counter();
    MetricFamily *commands = r.counter(QStringLiteral("shivx_guardian_commands_total"),
        QStringLiteral("Policy commands run since the engine started, by outcome."),
        { QStringLiteral("outcome") });
    MetricFamily *refused = guard
        ? r.counter(QStringLiteral("shivx_guardian_api_refused_total"),
            QStringLiteral("API requests the guardian refused since the engine started, by "
                           "reason."),
            { QStringLiteral("reason") })
        : nullptr;
    r.addCollector([=]() mutable {
        const std::shared_ptr<const GuardianSnapshot> s = service->snapshotPtr();
        mode.set(int(s->mode));
        modeChanges.advanceTo(double(s->modeChanges));
        events->counter({ QStringLiteral("info") }).advanceTo(double(s->eventsInfo));
        events->counter({ QStringLiteral("warning") }).advanceTo(double(s->eventsWarning));
        events->counter({ QStringLiteral("critical") }).advanceTo(double(s->eventsCritical));
        isolated.set(double(s->isolations.size()));
        isolations.advanceTo(double(s->isolationsTotal));
        commands->counter({ QStringLiteral("ok") })
            .advanceTo(double(s->commandsRun - s->commandsFailed));
        commands->counter({ QStringLiteral("failed") }).advanceTo(double(s->commandsFailed));
        if (refused) {
            refused->counter({ QStringLiteral("rate_limited") })
                .advanceTo(double(guard->refusedRateLimited()));
            refused->counter({ QStringLiteral("isolated") })
                .advanceTo(double(guard->refusedIsolated()));
            refused->counter({ QStringLiteral("lockdown") })
                .advanceTo(double(guard->refusedLockdown()));
        }
    });
}

} // namespace Shivx
