#include "health/healthapi.h"

#include "core/clock.h"
#include "core/enginestatus.h"
#include "core/timeutil.h"
#include "health/healthjson.h"
#include "telemetry/prometheusexposition.h"

#include <QJsonObject>

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

QByteArray metrics(
    const HostSample &h, const QList<TargetStatus> &targets, const HealthReport &health)
{
    PrometheusWriter w;
    using L = PrometheusWriter::Labels;
    const auto s = [](const char *v) { return QString::fromLatin1(v); };

    w.family(
        "shivx_health_score", "gauge", "Weighted health score from 0 (down) to 100 (healthy).");
    if (health.timestampMs > 0) // no sample before anything was measured
        w.sample("shivx_health_score", health.score);
    w.family("shivx_health_component_penalty", "gauge",
        "Points each component takes off the health score.");
    for (const auto &c : health.components)
        w.sample("shivx_health_component_penalty", L { { s("component"), c.name } }, c.penalty);

    w.family("shivx_host_cpu_usage_ratio", "gauge",
        "Share of CPU time spent busy over the last interval, all cores.");
    w.sample("shivx_host_cpu_usage_ratio", h.cpuPercent / 100.0);
    w.family("shivx_host_cpu_core_usage_ratio", "gauge",
        "Share of CPU time spent busy over the last interval, per core.");
    for (int i = 0; i < h.cpuPerCore.size(); ++i)
        w.sample("shivx_host_cpu_core_usage_ratio", L { { s("core"), QString::number(i) } },
            h.cpuPerCore.at(i) / 100.0);
    w.family("shivx_host_load_average", "gauge", "System load average.");
    w.sample("shivx_host_load_average", L { { s("period"), s("1m") } }, h.load1);
    w.sample("shivx_host_load_average", L { { s("period"), s("5m") } }, h.load5);
    w.sample("shivx_host_load_average", L { { s("period"), s("15m") } }, h.load15);
    w.family("shivx_host_memory_total_bytes", "gauge", "Physical memory.");
    w.sample("shivx_host_memory_total_bytes", double(h.memTotalBytes));
    w.family("shivx_host_memory_available_bytes", "gauge",
        "Memory available for new work without swapping.");
    w.sample("shivx_host_memory_available_bytes", double(h.memAvailableBytes));
    w.family("shivx_host_swap_total_bytes", "gauge", "Swap space.");
    w.sample("shivx_host_swap_total_bytes", double(h.swapTotalBytes));
    w.family("shivx_host_swap_used_bytes", "gauge", "Swap space in use.");
    w.sample("shivx_host_swap_used_bytes", double(h.swapUsedBytes));
    w.family("shivx_host_filesystem_size_bytes", "gauge",
        "Filesystem size available to unprivileged users.");
    for (const auto &m : h.mounts)
        w.sample("shivx_host_filesystem_size_bytes",
            L { { s("mountpoint"), m.mountPoint }, { s("device"), m.device } },
            double(m.totalBytes));
    w.family("shivx_host_filesystem_free_bytes", "gauge",
        "Filesystem space free for unprivileged users.");
    for (const auto &m : h.mounts)
        w.sample("shivx_host_filesystem_free_bytes",
            L { { s("mountpoint"), m.mountPoint }, { s("device"), m.device } },
            double(m.freeBytes));
    w.family("shivx_host_disk_read_bytes_total", "counter", "Bytes read from whole disks.");
    w.sample("shivx_host_disk_read_bytes_total", double(h.diskReadBytesTotal));
    w.family("shivx_host_disk_written_bytes_total", "counter", "Bytes written to whole disks.");
    w.sample("shivx_host_disk_written_bytes_total", double(h.diskWriteBytesTotal));
    w.family("shivx_host_network_receive_bytes_total", "counter",
        "Bytes received on all interfaces but loopback.");
    w.sample("shivx_host_network_receive_bytes_total", double(h.netRxBytesTotal));
    w.family("shivx_host_network_transmit_bytes_total", "counter",
        "Bytes sent on all interfaces but loopback.");
    w.sample("shivx_host_network_transmit_bytes_total", double(h.netTxBytesTotal));

    w.family("shivx_process_threads", "gauge", "Threads of the engine process.");
    w.sample("shivx_process_threads", h.processThreads);
    w.family("shivx_process_open_fds", "gauge", "Open file descriptors of the engine process.");
    w.sample("shivx_process_open_fds", h.processOpenFds);
    w.family(
        "shivx_process_resident_memory_bytes", "gauge", "Resident memory of the engine process.");
    w.sample("shivx_process_resident_memory_bytes", double(h.processRssBytes));
    w.family("shivx_process_cpu_seconds_total", "counter", "CPU time used by the engine process.");
    w.sample("shivx_process_cpu_seconds_total", h.processCpuSecondsTotal);

    const auto tl = [&](const TargetStatus &t) {
        return L { { s("target"), t.name }, { s("type"), toString(t.kind) } };
    };
    w.family("shivx_target_up", "gauge", "1 when the target is UP, else 0.");
    for (const auto &t : targets)
        w.sample("shivx_target_up", tl(t), t.state == TargetState::Up ? 1 : 0);
    w.family("shivx_target_state", "gauge",
        "1 for the target's current state (UNKNOWN, UP, DEGRADED, DOWN).");
    for (const auto &t : targets) {
        for (TargetState st :
            { TargetState::Unknown, TargetState::Up, TargetState::Degraded, TargetState::Down }) {
            L l = tl(t);
            l.append({ s("state"), toString(st) });
            w.sample("shivx_target_state", l, t.state == st ? 1 : 0);
        }
    }
    w.family(
        "shivx_target_probe_duration_seconds", "gauge", "Duration of the target's last probe.");
    for (const auto &t : targets)
        w.sample("shivx_target_probe_duration_seconds", tl(t), t.latencyMs / 1000.0);
    w.family("shivx_target_consecutive_failures", "gauge", "Failed probes in a row.");
    for (const auto &t : targets)
        w.sample("shivx_target_consecutive_failures", tl(t), t.consecutiveFailures);
    w.family("shivx_target_probes_total", "counter", "Probes run against the target.");
    for (const auto &t : targets)
        w.sample("shivx_target_probes_total", tl(t), double(t.checks));
    w.family("shivx_target_probe_failures_total", "counter", "Probes of the target that failed.");
    for (const auto &t : targets)
        w.sample("shivx_target_probe_failures_total", tl(t), double(t.failures));

    return w.take();
}

} // namespace Shivx::HealthApi
