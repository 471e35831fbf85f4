#include "telemetry/prometheusexposition.h"

#include <QCoreApplication>
#include <QLocale>

#include <cmath>

namespace Shivx {

void PrometheusWriter::family(const char *name, const char *type, const char *help)
{
    m_out += "# HELP ";
    m_out += name;
    m_out += ' ';
    m_out += help;
    m_out += "\n# TYPE ";
    m_out += name;
    m_out += ' ';
    m_out += type;
    m_out += '\n';
}

QByteArray PrometheusWriter::escapeLabelValue(const QString &value)
{
    QByteArray out;
    const QByteArray utf8 = value.toUtf8();
    out.reserve(utf8.size());
    for (char c : utf8) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

QByteArray PrometheusWriter::formatValue(double value)
{
    if (std::isnan(value))
        return "NaN";
    if (std::isinf(value))
        return value > 0 ? "+Inf" : "-Inf";
    if (value == std::floor(value) && std::fabs(value) < 1e15)
        return QByteArray::number(qint64(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest).toLatin1();
}

void PrometheusWriter::sample(const char *name, const Labels &labels, double value)
{
    m_out += name;
    if (!labels.isEmpty()) {
        m_out += '{';
        for (int i = 0; i < labels.size(); ++i) {
            if (i)
                m_out += ',';
            m_out += labels.at(i).first.toLatin1();
            m_out += "=\"";
            m_out += escapeLabelValue(labels.at(i).second);
            m_out += '"';
        }
        m_out += '}';
    }
    m_out += ' ';
    m_out += formatValue(value);
    m_out += '\n';
}

QByteArray renderEngineMetrics(const ExpositionInput &in)
{
    PrometheusWriter w;
    const HostSample &h = in.host;
    using L = PrometheusWriter::Labels;
    const auto s = [](const char *v) { return QString::fromLatin1(v); };

    w.family("shivx_build_info", "gauge", "Version of the running engine; the value is always 1.");
    w.sample("shivx_build_info", L { { s("version"), QCoreApplication::applicationVersion() } }, 1);
    w.family("shivx_engine_start_time_seconds", "gauge", "Unix time the engine started.");
    w.sample("shivx_engine_start_time_seconds", double(in.startedAtMs) / 1000.0);

    w.family(
        "shivx_health_score", "gauge", "Weighted health score from 0 (down) to 100 (healthy).");
    if (in.health.timestampMs > 0) // no sample before anything was measured
        w.sample("shivx_health_score", in.health.score);
    w.family("shivx_health_component_penalty", "gauge",
        "Points each component takes off the health score.");
    for (const auto &c : in.health.components)
        w.sample("shivx_health_component_penalty", L { { s("component"), c.name } }, c.penalty);
    w.family("shivx_ready", "gauge", "1 when the engine is ready to serve, else 0.");
    w.sample("shivx_ready", in.readiness.ready ? 1 : 0);
    w.family("shivx_readiness_check", "gauge", "1 when a readiness check passes, else 0.");
    for (const auto &c : in.readiness.checks)
        w.sample("shivx_readiness_check", L { { s("check"), c.name } }, c.ok ? 1 : 0);

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
    for (const auto &t : in.targets)
        w.sample("shivx_target_up", tl(t), t.state == TargetState::Up ? 1 : 0);
    w.family("shivx_target_state", "gauge",
        "1 for the target's current state (UNKNOWN, UP, DEGRADED, DOWN).");
    for (const auto &t : in.targets) {
        for (TargetState st :
            { TargetState::Unknown, TargetState::Up, TargetState::Degraded, TargetState::Down }) {
            L l = tl(t);
            l.append({ s("state"), toString(st) });
            w.sample("shivx_target_state", l, t.state == st ? 1 : 0);
        }
    }
    w.family(
        "shivx_target_probe_duration_seconds", "gauge", "Duration of the target's last probe.");
    for (const auto &t : in.targets)
        w.sample("shivx_target_probe_duration_seconds", tl(t), t.latencyMs / 1000.0);
    w.family("shivx_target_consecutive_failures", "gauge", "Failed probes in a row.");
    for (const auto &t : in.targets)
        w.sample("shivx_target_consecutive_failures", tl(t), t.consecutiveFailures);
    w.family("shivx_target_probes_total", "counter", "Probes run against the target.");
    for (const auto &t : in.targets)
        w.sample("shivx_target_probes_total", tl(t), double(t.checks));
    w.family("shivx_target_probe_failures_total", "counter", "Probes of the target that failed.");
    for (const auto &t : in.targets)
        w.sample("shivx_target_probe_failures_total", tl(t), double(t.failures));

    w.family("shivx_history_points_written_total", "counter",
        "Metric history points written to storage.");
    w.sample("shivx_history_points_written_total", double(in.historyPointsWritten));
    w.family("shivx_history_write_errors_total", "counter", "Failed metric history writes.");
    w.sample("shivx_history_write_errors_total", double(in.historyWriteErrors));
    w.family("shivx_history_points_dropped_total", "counter",
        "Metric points dropped because their value was not finite.");
    w.sample("shivx_history_points_dropped_total", double(in.historyPointsDropped));
    w.family("shivx_api_requests_total", "counter", "HTTP API requests by status code.");
    for (const auto &c : in.apiRequestsByCode)
        w.sample("shivx_api_requests_total", L { { s("code"), QString::number(c.first) } },
            double(c.second));
    return w.take();
}

} // namespace Shivx
