#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace Shivx {

// One process as ResourceAbuse names it.
struct ProcessUsage
{
    qint64 pid = 0;
    QString name; // /proc/PID/comm
    double cpuPercent = 0; // of one core, since the previous read (or since it started)
    quint64 rssBytes = 0;
};

// The processes of the machine from /proc, ranked by CPU or resident memory. Parsing is
// ProcParser's (the host sampler's); this adds the per-process walk and the CPU rates.
// CPU is measured against the previous read of the same process (pid and start time, so a
// reused pid starts afresh); a process seen for the first time is measured over its life.
// Not thread-safe: one owner.
class ProcessTable
{
public:
    enum class Rank { Cpu, Memory };

    explicit ProcessTable(QString procRoot = QStringLiteral("/proc"));

    // Reads every process and returns the `count` highest by `rank`, highest first.
    QList<ProcessUsage> top(Rank rank, int count);

private:
    struct Seen
    {
        quint64 startTicks = 0;
        quint64 cpuTicks = 0;
        double uptimeSeconds = 0;
    };
    QString m_procRoot;
    double m_ticksPerSecond;
    QHash<qint64, Seen> m_seen;
};

} // namespace Shivx
