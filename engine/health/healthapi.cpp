#include "health/healthapi.h"

#include "core/clock.h"
#include "core/enginestatus.h"
#include "core/timeutil.h"
#include "health/healthjson.h"
#include "telemetry/metricregistry.h"

#include <QJsonObject>
#include <QSet>

namespace Shivx::HealthApi {

namespace {

// Live means the engine's core loop still turns. Degradation and failing targets never make
// liveness fail: a liveness failure gets the process killed, which only a wedged engine
// deserves.
ApiReply live(const EngineStatus *status, Clock *clock, qint64 limitMs)
{
    const qint64 now = clock->nowMs();
    const qint64 beat = status->coreHeartbeatMs.load();
    const qint64 age = now - beat;
    QJsonObject o { { QStringLiteral("timestamp"), TimeUtil::toRfc3339(now) },
        { QStringLiteral("uptime_seconds"), double(now - status->startedAtMs.load()) / 1000.0 } };
    if (beat <= 0 || age > limitMs) {
        o.insert(QStringLiteral("status"), QStringLiteral("stalled"));
        o.insert(QStringLiteral("detail"), QStringLiteral("engine loop silent for %1 ms").arg(age));
        return ApiReply::json(503, o);
    }
    o.insert(QStringLiteral("status"), QStringLiteral("alive"));
    return ApiReply::json(200, o);
}

ApiReply ready(const Readiness &r, Clock *clock)
{
    QJsonObject o = HealthJson::readiness(r);
    o.insert(QStringLiteral("timestamp"), TimeUtil::toRfc3339(clock->nowMs()));
    return ApiReply::json(r.ready ? 200 : 503, o);
}

ApiReply healthStatus(const EngineStatus *status, const ApiRequest &request)
{
    const QUrlQuery &q = request.query;
    const bool verbose = q.hasQueryItem(QStringLiteral("verbose"))
        && q.queryItemValue(QStringLiteral("verbose")) != QLatin1String("false")
        && q.queryItemValue(QStringLiteral("verbose")) != QLatin1String("0");
    QJsonObject o = HealthJson::status(status->health(), verbose);
    if (verbose) {
        o.insert(QStringLiteral("targets"), HealthJson::targets(status->targets()));
        o.insert(QStringLiteral("host"), HealthJson::host(status->host()));
    }
    return ApiReply::json(200, o);
}

} // namespace

QList<ApiRoute> routes(const EngineStatus *status, std::function<Readiness()> readiness,
    Clock *clock, qint64 livenessLimitMs)
{
    clock = clock ? clock : Clock::system();
    return {
        ApiRoute { QStringLiteral("/api/health/live"), false, { "GET" }, false,
            [=](const ApiRequest &) { return live(status, clock, livenessLimitMs); } },
        ApiRoute { QStringLiteral("/api/health/ready"), false, { "GET" }, false,
            [=](const ApiRequest &) { return ready(readiness(), clock); } },
        ApiRoute { QStringLiteral("/api/health/status"), false, { "GET" }, false,
            [=](const ApiRequest &request) { return healthStatus(status, request); } },
    };
}

void registerMetrics(MetricRegistry &registry, const EngineStatus *status)
{
    MetricRegistry &r = registry;
    const auto gauge = [&r](const char *name, const char *help, const QStringList &labels = {}) {
        return r.gauge(QString::fromLatin1(name), QString::fromLatin1(help), labels);
    };
    const auto counter = [&r](const char *name, const char *help, const QStringList &labels = {}) {
        return r.counter(QString::fromLatin1(name), QString::fromLatin1(help), labels);
    };
    const QString component = QStringLiteral("component");
    const QStringList mountLabels { QStringLiteral("mountpoint"), QStringLiteral("device") };
    const QStringList targetLabels { QStringLiteral("target"), QStringLiteral("type") };

    MetricFamily *score
        = gauge("shivx_health_score", "Weighted health score from 0 (down) to 100 (healthy).");
    MetricFamily *penalty = gauge("shivx_health_component_penalty",
        "Points each component takes off the health score.", { component });
    Gauge cpu = gauge("shivx_host_cpu_usage_ratio",
        "Share of CPU time spent busy over the last interval, all cores.")
                    ->gauge();
    MetricFamily *cores = gauge("shivx_host_cpu_core_usage_ratio",
        "Share of CPU time spent busy over the last interval, per core.",
        { QStringLiteral("core") });
    MetricFamily *load
        = gauge("shivx_host_load_average", "System load average.", { QStringLiteral("period") });
    Gauge load1 = load->gauge({ QStringLiteral("1m") });
    Gauge load5 = load->gauge({ QStringLiteral("5m") });
    Gauge load15 = load->gauge({ QStringLiteral("15m") });
    Gauge memTotal = gauge("shivx_host_memory_total_bytes", "Physical memory.")->gauge();
    Gauge memAvailable = gauge(
        "shivx_host_memory_available_bytes", "Memory available for new work without swapping.")
                             ->gauge();
    Gauge memUsed = gauge(
        "shivx_host_memory_used_ratio", "Share of physical memory not available for new work.")
                        ->gauge();
    Gauge swapTotal = gauge("shivx_host_swap_total_bytes", "Swap space.")->gauge();
    Gauge swapUsed = gauge("shivx_host_swap_used_bytes", "Swap space in use.")->gauge();
    MetricFamily *fsSize = gauge("shivx_host_filesystem_size_bytes",
        "Filesystem size available to unprivileged users.", mountLabels);
    MetricFamily *fsFree = gauge("shivx_host_filesystem_free_bytes",
        "Filesystem space free for unprivileged users.", mountLabels);
    MetricFamily *fsFreeRatio = gauge("shivx_host_filesystem_free_ratio",
        "Share of the filesystem free for unprivileged users.", mountLabels);
    Counter diskRead
        = counter("shivx_host_disk_read_bytes_total", "Bytes read from whole disks.")->counter();
    Counter diskWritten
        = counter("shivx_host_disk_written_bytes_total", "Bytes written to whole disks.")
              ->counter();
    Counter netRx = counter(
        "shivx_host_network_receive_bytes_total", "Bytes received on all interfaces but loopback.")
                        ->counter();
    Counter netTx = counter(
        "shivx_host_network_transmit_bytes_total", "Bytes sent on all interfaces but loopback.")
                        ->counter();
    Gauge threads = gauge("shivx_process_threads", "Threads of the engine process.")->gauge();
    Gauge fds
        = gauge("shivx_process_open_fds", "Open file descriptors of the engine process.")->gauge();
    Gauge rss
        = gauge("shivx_process_resident_memory_bytes", "Resident memory of the engine process.")
              ->gauge();
    Counter cpuSeconds
        = counter("shivx_process_cpu_seconds_total", "CPU time used by the engine process.")
              ->counter();
    MetricFamily *up = gauge("shivx_target_up", "1 when the target is UP, else 0.", targetLabels);
    MetricFamily *state = gauge("shivx_target_state",
        "1 for the target's current state (UNKNOWN, UP, DEGRADED, DOWN).",
        targetLabels + QStringList { QStringLiteral("state") });
    MetricFamily *duration = gauge("shivx_target_probe_duration_seconds",
        "Duration of the target's last probe.", targetLabels);
    MetricFamily *consecutive
        = gauge("shivx_target_consecutive_failures", "Failed probes in a row.", targetLabels);
    MetricFamily *probes
        = counter("shivx_target_probes_total", "Probes run against the target.", targetLabels);
    MetricFamily *failures = counter(
        "shivx_target_probe_failures_total", "Probes of the target that failed.", targetLabels);

    r.addCollector([=]() mutable {
        const HostSample h = status->host();
        const HealthReport health = status->health();
        if (health.timestampMs > 0) // no sample before anything was measured
            score->gauge().set(health.score);
        QSet<QString> names;
        for (const auto &c : health.components) {
            penalty->gauge({ c.name }).set(c.penalty);
            names.insert(c.name);
        }
        penalty->retain([&](const QStringList &v) { return names.contains(v.value(0)); });
        cpu.set(h.cpuPercent / 100.0);
        cores->retain(
            [&](const QStringList &v) { return v.value(0).toInt() < h.cpuPerCore.size(); });
        for (int i = 0; i < h.cpuPerCore.size(); ++i)
            cores->gauge({ QString::number(i) }).set(h.cpuPerCore.at(i) / 100.0);
        load1.set(h.load1);
        load5.set(h.load5);
        load15.set(h.load15);
        memTotal.set(double(h.memTotalBytes));
        memAvailable.set(double(h.memAvailableBytes));
        if (h.memTotalBytes > 0)
            memUsed.set(1.0 - double(h.memAvailableBytes) / double(h.memTotalBytes));
        swapTotal.set(double(h.swapTotalBytes));
        swapUsed.set(double(h.swapUsedBytes));
        QSet<QStringList> mounts;
        for (const auto &m : h.mounts) {
            const QStringList l { m.mountPoint, m.device };
            fsSize->gauge(l).set(double(m.totalBytes));
            fsFree->gauge(l).set(double(m.freeBytes));
            if (m.totalBytes > 0)
                fsFreeRatio->gauge(l).set(double(m.freeBytes) / double(m.totalBytes));
            mounts.insert(l);
        }
        fsFreeRatio->retain([&](const QStringList &v) { return mounts.contains(v); });
        fsSize->retain([&](const QStringList &v) { return mounts.contains(v); });
        fsFree->retain([&](const QStringList &v) { return mounts.contains(v); });
        diskRead.advanceTo(double(h.diskReadBytesTotal));
        diskWritten.advanceTo(double(h.diskWriteBytesTotal));
        netRx.advanceTo(double(h.netRxBytesTotal));
        netTx.advanceTo(double(h.netTxBytesTotal));
        threads.set(h.processThreads);
        fds.set(h.processOpenFds);
        rss.set(double(h.processRssBytes));
        cpuSeconds.advanceTo(h.processCpuSecondsTotal);

        QSet<QStringList> targets;
        for (const TargetStatus &t : status->targets()) {
            const QStringList l { t.name, toString(t.kind) };
            targets.insert(l);
            up->gauge(l).set(t.state == TargetState::Up ? 1 : 0);
            for (TargetState st :
                { TargetState::Unknown, TargetState::Up, TargetState::Degraded, TargetState::Down })
                state->gauge(l + QStringList { toString(st) }).set(t.state == st ? 1 : 0);
            duration->gauge(l).set(t.latencyMs / 1000.0);
            consecutive->gauge(l).set(t.consecutiveFailures);
            probes->counter(l).advanceTo(double(t.checks));
            failures->counter(l).advanceTo(double(t.failures));
        }
        const auto known = [&](const QStringList &v) { return targets.contains(v.mid(0, 2)); };
        for (MetricFamily *f : { up, state, duration, consecutive, probes, failures })
            f->retain(known);
    });
}

} // namespace Shivx::HealthApi
