#pragma once

#include "guardian/detectors/processtable.h"

#include <QList>
#include <QMetaType>

#include <functional>
#include <optional>

namespace YAML {
class Node;
}

namespace Shivx {

struct HostSample;
namespace Internal {
class ConfigReader;
}

enum class ResourceKind { Cpu, Memory };
// "cpu", "memory": stable codes for events and the audit log.
QString toString(ResourceKind kind);

struct ResourceAbuseConfig
{
    double cpuPercent = 95; // of all cores
    double memoryPercent = 95; // of physical memory, used = total - available
    // How long a reading must stay above its limit before it is abuse.
    qint64 sustainMs = 120'000;
    // An episode ends when the reading falls this far below the limit (hysteresis, so that
    // a machine hovering at the limit does not start a new episode every sample).
    double clearMarginPercent = 5;
    int topProcesses = 5;
};

// One reading of the machine: CPU and memory in percent at `timeMs` (ms since the epoch).
// A reading without a CPU rate (the sampler's first) passes cpuPercent as nullopt.
struct ResourceReading
{
    qint64 timeMs = 0;
    std::optional<double> cpuPercent;
    double memoryPercent = 0;

    static ResourceReading fromHostSample(const HostSample &sample);
};

// An episode of abuse that began (ended = false: it has lasted sustainMs) or ended.
struct ResourceAbuseEvent
{
    ResourceKind kind = ResourceKind::Cpu;
    bool ended = false;
    double percent = 0; // the reading that decided
    double limitPercent = 0;
    qint64 sinceMs = 0; // the first reading above the limit
    qint64 timeMs = 0;
    // Highest first: by CPU for a CPU episode, by resident memory for a memory episode.
    // Empty on an ended event.
    QList<ProcessUsage> top;
};

// CPU or memory above its limit for a sustained period, naming the top processes.
// Pure over its inputs: readings carry their time, and the top processes come from a
// function (a ProcessTable on the real /proc by default), so tests drive it with readings
// and a fake list. The process list is read when an episode starts (so that CPU is
// measured over the episode when it is reported) and when it is reported.
// Not thread-safe: fed by one owner (the guardian, from the sampler's readings).
class ResourceAbuse
{
public:
    using TopReader = std::function<QList<ProcessUsage>(ResourceKind kind, int count)>;

    // Without a reader, the processes come from a ProcessTable on /proc.
    explicit ResourceAbuse(ResourceAbuseConfig config = {}, TopReader reader = {});

    // The events this reading causes: at most one per kind (an episode reported, or ended).
    QList<ResourceAbuseEvent> update(const ResourceReading &reading);

    bool active(ResourceKind kind) const { return state(kind).reported; }

private:
    struct State
    {
        bool above = false;
        bool reported = false;
        qint64 sinceMs = 0;
    };
    const State &state(ResourceKind kind) const
    {
        return kind == ResourceKind::Cpu ? m_cpu : m_memory;
    }
    std::optional<ResourceAbuseEvent> step(
        ResourceKind kind, State &s, double percent, double limit, qint64 timeMs);

    ResourceAbuseConfig m_config;
    TopReader m_reader;
    ProcessTable m_table;
    State m_cpu;
    State m_memory;
};

namespace Internal {
// Reads `guardian.resource_abuse:` at `path` (undefined or null: the defaults). Errors go to
// `r` as "file:line: key: message".
void readResourceAbuse(
    ConfigReader &r, const YAML::Node &node, const QString &path, ResourceAbuseConfig *out);
} // namespace Internal

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::ResourceAbuseEvent)
