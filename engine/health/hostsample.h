#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx {

struct MountUsage
{
    QString mountPoint;
    QString device;
    quint64 totalBytes = 0;
    quint64 freeBytes = 0; // available to unprivileged users (statvfs f_bavail)
    double usedPercent = 0; // of the space unprivileged users can reach
};

// One reading of the local machine. Rates (bytes/s, CPU %) are computed against the
// previous reading, so the first sample after start has them at 0 and `hasRates` false.
struct HostSample
{
    qint64 timestampMs = 0;
    bool hasRates = false;

    double cpuPercent = 0; // all cores, 0..100
    QList<double> cpuPerCore; // one entry per core, 0..100
    double load1 = 0, load5 = 0, load15 = 0;

    quint64 memTotalBytes = 0;
    quint64 memAvailableBytes = 0;
    quint64 memUsedBytes = 0; // total - available
    double memUsedPercent = 0;
    quint64 swapTotalBytes = 0;
    quint64 swapUsedBytes = 0;

    QList<MountUsage> mounts;
    double diskReadBytesPerSec = 0;
    double diskWriteBytesPerSec = 0;
    double netRxBytesPerSec = 0;
    double netTxBytesPerSec = 0;
    // Cumulative counters behind the rates, for Prometheus counters.
    quint64 diskReadBytesTotal = 0;
    quint64 diskWriteBytesTotal = 0;
    quint64 netRxBytesTotal = 0;
    quint64 netTxBytesTotal = 0;

    // The engine's own process.
    int processThreads = 0;
    int processOpenFds = 0;
    quint64 processRssBytes = 0;
    double processCpuPercent = 0; // of one core
    double processCpuSecondsTotal = 0;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::HostSample)
