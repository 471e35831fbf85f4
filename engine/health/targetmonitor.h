#pragma once

#include "health/target.h"
#include "telemetry/historystore.h"
#include "telemetry/metricregistry.h"

#include <QList>
#include <QMutex>
#include <QObject>

#include <atomic>

namespace Shivx {

class BreakerRegistry;
class Clock;
class MetricRegistry;

// Probes the configured targets on its own thread: the Engine creates it without a parent,
// moves it to the "probes" thread and calls the slots queued. All probes are asynchronous
// (network replies, sockets, child processes), so one hanging target never delays another.
class TargetMonitor : public QObject
{
    Q_OBJECT
public:
    explicit TargetMonitor(Clock *clock = nullptr, QObject *parent = nullptr);
    ~TargetMonitor() override;

    // Every probe then goes through the breaker named after its target (created or retuned
    // by setTargets). Call before start(), from any thread; the registry must outlive this.
    void setBreakers(BreakerRegistry *registry);

    // Registers the scrape families of `prometheus` targets (shivx_target_scrape_*,
    // docs/metrics.md) and keeps them current. Call before start(), from any thread; the
    // registry must outlive this.
    void setMetrics(MetricRegistry *registry);

    // Thread-safe copies of the latest state, in configuration order.
    QList<TargetStatus> snapshot() const;
    // Thread-safe: the series of each `prometheus` target's last successful scrape, as gauge
    // families (ScrapeSeries), for alert rules. A target whose last scrape failed has none,
    // as Prometheus marks a failed scrape's series stale.
    QList<FamilySnapshot> scrapedFamilies() const;
    // Epoch ms of the monitor thread's last heartbeat (a 1 s timer on its thread); the
    // watchdog reports the probe thread as stalled when this stops advancing.
    qint64 lastHeartbeatMs() const { return m_heartbeatMs.load(); }

public Q_SLOTS:
    // Replaces the target list. Targets whose name is kept keep their state and counters.
    void setTargets(const QList<Shivx::TargetSpec> &targets);
    void start();
    // Cancels probes in flight (killing command probes) and stops the timers.
    void stop();
    // Sets a target to `state` with fresh failure counters and drops its probe results until
    // `ignoreProbesUntilMs` (epoch ms): the supervisor calls it after a restart (startup
    // grace) and during a crash loop. Unknown names are ignored.
    void resetTarget(const QString &name, Shivx::TargetState state, qint64 ignoreProbesUntilMs,
        const Shivx::Message &reason);

Q_SIGNALS:
    // Emitted on the monitor thread with the full list: after setTargets (new targets as
    // UNKNOWN) and resetTarget, at once after a probe that changed a target's state, and
    // otherwise at most 100 ms after a completed probe, so that results completing close
    // together share one update. Every result is carried by an update: a target's next result
    // never replaces one that was not sent yet. snapshot() has each result at once.
    void targetsUpdated(const QList<Shivx::TargetStatus> &targets);
    // Emitted on the monitor thread after each successful scrape of a `prometheus` target with
    // the history points it gave (ScrapeSeries; at the scrape's finish time).
    void scraped(const QString &target, const QList<Shivx::SamplePoint> &points);
    // Emitted on the monitor thread when a target's state changes.
    void targetTransitioned(const QString &name, Shivx::TargetState from, Shivx::TargetState to,
        const Shivx::Message &reason);

private:
    struct Private;
    Private *d;
    std::atomic<qint64> m_heartbeatMs { 0 };
    mutable QMutex m_mutex;
};

} // namespace Shivx
