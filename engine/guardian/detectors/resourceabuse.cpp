#include "guardian/detectors/resourceabuse.h"

#include "core/configreader.h"
#include "health/hostsample.h"

#include <yaml-cpp/yaml.h>

namespace Shivx {

QString toString(ResourceKind kind)
{
    return kind == ResourceKind::Cpu ? QStringLiteral("cpu") : QStringLiteral("memory");
}

ResourceReading ResourceReading::fromHostSample(const HostSample &sample)
{
    ResourceReading r;
    r.timeMs = sample.timestampMs;
    if (sample.hasRates)
        r.cpuPercent = sample.cpuPercent;
    r.memoryPercent = sample.memUsedPercent;
    return r;
}

ResourceAbuse::ResourceAbuse(ResourceAbuseConfig config, TopReader reader)
    : m_config(config)
    , m_reader(std::move(reader))
{
    if (!m_reader) {
        m_reader = [this](ResourceKind kind, int count) {
            return m_table.top(
                kind == ResourceKind::Cpu ? ProcessTable::Rank::Cpu : ProcessTable::Rank::Memory,
                count);
        };
    }
}

QList<ResourceAbuseEvent> ResourceAbuse::update(const ResourceReading &reading)
{
    QList<ResourceAbuseEvent> events;
    if (reading.cpuPercent) {
        if (auto e = step(
                ResourceKind::Cpu, m_cpu, *reading.cpuPercent, m_config.cpuPercent, reading.timeMs))
            events.append(*e);
    }
    if (auto e = step(ResourceKind::Memory, m_memory, reading.memoryPercent, m_config.memoryPercent,
            reading.timeMs))
        events.append(*e);
    return events;
}

std::optional<ResourceAbuseEvent> ResourceAbuse::step(
    ResourceKind kind, State &s, double percent, double limit, qint64 timeMs)
{
    ResourceAbuseEvent e;
    e.kind = kind;
    e.percent = percent;
    e.limitPercent = limit;
    e.timeMs = timeMs;
    if (percent > limit) {
        if (!s.above) {
            s.above = true;
            s.sinceMs = timeMs;
            // Primes the CPU rates, so that the report measures the processes over the episode.
            m_reader(kind, m_config.topProcesses);
        }
        if (s.reported || timeMs - s.sinceMs < m_config.sustainMs)
            return std::nullopt;
        s.reported = true;
        e.sinceMs = s.sinceMs;
        e.top = m_reader(kind, m_config.topProcesses);
        return e;
    }
    // At or below the limit: a dip ends an episode that was not reported yet at once (it has
    // to be sustained), a reported one only below the margin.
    if (!s.reported) {
        s.above = false;
        return std::nullopt;
    }
    if (percent >= limit - m_config.clearMarginPercent)
        return std::nullopt;
    e.sinceMs = s.sinceMs;
    e.ended = true;
    s = State();
    return e;
}

namespace Internal {

void readResourceAbuse(
    ConfigReader &r, const YAML::Node &node, const QString &path, ResourceAbuseConfig *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    if (!r.checkKeys(node, path,
            { QStringLiteral("cpu_percent"), QStringLiteral("memory_percent"),
                QStringLiteral("sustain"), QStringLiteral("clear_margin_percent"),
                QStringLiteral("top_processes") }))
        return;
    ResourceAbuseConfig c = *out;
    r.number(node, path, "cpu_percent", &c.cpuPercent, 1, 100);
    r.number(node, path, "memory_percent", &c.memoryPercent, 1, 100);
    r.duration(node, path, "sustain", &c.sustainMs, 0);
    r.number(node, path, "clear_margin_percent", &c.clearMarginPercent, 0, 50);
    r.integer(node, path, "top_processes", &c.topProcesses, 1, 100);
    if (!r.failed())
        *out = c;
}

} // namespace Internal

} // namespace Shivx
