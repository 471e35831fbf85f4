#include "health/healthjson.h"

#include "core/timeutil.h"

#include <cmath>

namespace Shivx::HealthJson {

QJsonObject status(const HealthReport &report, bool verbose)
{
    // Before the first host sample nothing has been measured: say so instead of a default 100.
    if (report.timestampMs == 0)
        return { { QStringLiteral("score"), QJsonValue() },
            { QStringLiteral("state"), QStringLiteral("unknown") },
            { QStringLiteral("timestamp"), QJsonValue() },
            { QStringLiteral("detail"), QStringLiteral("no sample yet") } };
    QJsonObject o { { QStringLiteral("score"), report.score },
        { QStringLiteral("state"), toString(report.state) },
        { QStringLiteral("timestamp"), TimeUtil::toRfc3339(report.timestampMs) } };
    if (verbose) {
        QJsonArray components;
        for (const auto &c : report.components) {
            components.append(QJsonObject { { QStringLiteral("name"), c.name },
                { QStringLiteral("penalty"), std::round(c.penalty * 100) / 100 },
                { QStringLiteral("max_penalty"), std::round(c.maxPenalty * 100) / 100 },
                { QStringLiteral("detail"), c.detail.text } });
        }
        o.insert(QStringLiteral("components"), components);
    }
    return o;
}

QJsonObject readiness(const Readiness &r)
{
    QJsonObject checks;
    for (const auto &c : r.checks) {
        checks.insert(c.name,
            QJsonObject {
                { QStringLiteral("ok"), c.ok }, { QStringLiteral("detail"), c.detail.text } });
    }
    return { { QStringLiteral("ready"), r.ready },
        { QStringLiteral("status"),
            r.ready ? QStringLiteral("ready") : QStringLiteral("not_ready") },
        { QStringLiteral("checks"), checks } };
}

QJsonArray targets(const QList<TargetStatus> &targets)
{
    QJsonArray a;
    for (const auto &t : targets) {
        a.append(QJsonObject {
            { QStringLiteral("name"), t.name },
            { QStringLiteral("type"), toString(t.kind) },
            { QStringLiteral("state"), toString(t.state) },
            { QStringLiteral("critical"), t.critical },
            { QStringLiteral("weight"), t.weight },
            { QStringLiteral("latency_ms"), std::round(t.latencyMs * 1000) / 1000 },
            { QStringLiteral("consecutive_failures"), t.consecutiveFailures },
            { QStringLiteral("last_error"), t.lastError.text },
            { QStringLiteral("last_check"),
                t.lastCheckMs > 0 ? QJsonValue(TimeUtil::toRfc3339(t.lastCheckMs)) : QJsonValue() },
            { QStringLiteral("checks"), double(t.checks) },
            { QStringLiteral("failures"), double(t.failures) },
        });
    }
    return a;
}

QJsonObject host(const HostSample &s)
{
    QJsonArray mounts;
    for (const auto &m : s.mounts) {
        mounts.append(QJsonObject { { QStringLiteral("mountpoint"), m.mountPoint },
            { QStringLiteral("device"), m.device },
            { QStringLiteral("total_bytes"), double(m.totalBytes) },
            { QStringLiteral("free_bytes"), double(m.freeBytes) },
            { QStringLiteral("used_percent"), m.usedPercent } });
    }
    QJsonArray cores;
    for (double c : s.cpuPerCore)
        cores.append(c);
    return { { QStringLiteral("timestamp"), TimeUtil::toRfc3339(s.timestampMs) },
        { QStringLiteral("cpu_percent"), s.cpuPercent },
        { QStringLiteral("cpu_per_core_percent"), cores },
        { QStringLiteral("load"), QJsonArray { s.load1, s.load5, s.load15 } },
        { QStringLiteral("memory_total_bytes"), double(s.memTotalBytes) },
        { QStringLiteral("memory_available_bytes"), double(s.memAvailableBytes) },
        { QStringLiteral("memory_used_percent"), s.memUsedPercent },
        { QStringLiteral("swap_total_bytes"), double(s.swapTotalBytes) },
        { QStringLiteral("swap_used_bytes"), double(s.swapUsedBytes) },
        { QStringLiteral("filesystems"), mounts },
        { QStringLiteral("disk_read_bytes_per_sec"), s.diskReadBytesPerSec },
        { QStringLiteral("disk_write_bytes_per_sec"), s.diskWriteBytesPerSec },
        { QStringLiteral("net_rx_bytes_per_sec"), s.netRxBytesPerSec },
        { QStringLiteral("net_tx_bytes_per_sec"), s.netTxBytesPerSec },
        { QStringLiteral("engine_threads"), s.processThreads },
        { QStringLiteral("engine_open_fds"), s.processOpenFds },
        { QStringLiteral("engine_rss_bytes"), double(s.processRssBytes) } };
}

} // namespace Shivx::HealthJson
