#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

// Parsers for the /proc files the host sampler reads. Pure functions over the file text,
// so tests feed captured files as fixtures.
namespace Shivx::ProcParser {

struct CpuTimes
{
    quint64 busy = 0;
    quint64 total = 0;
};

struct CpuStat
{
    CpuTimes all;
    QList<CpuTimes> perCore;
};

// /proc/stat: the "cpu" and "cpuN" lines. iowait counts as idle: a core waiting for the disk
// is free to run other work, and counting it as busy makes an idle machine with a slow disk
// look overloaded.
CpuStat parseStat(const QByteArray &text);

struct LoadAvg
{
    double load1 = 0, load5 = 0, load15 = 0;
    bool ok = false;
};
LoadAvg parseLoadAvg(const QByteArray &text);

struct MemInfo
{
    quint64 totalBytes = 0;
    quint64 availableBytes = 0;
    quint64 swapTotalBytes = 0;
    quint64 swapFreeBytes = 0;
    bool ok = false;
};
MemInfo parseMemInfo(const QByteArray &text);

struct Mount
{
    QString device;
    QString mountPoint;
    QString fsType;
};
// /proc/self/mounts, without pseudo and virtual filesystems (and `extraIgnoredTypes`).
// Octal escapes in paths ("\040" for a space) are decoded.
QList<Mount> parseMounts(const QByteArray &text, const QStringList &extraIgnoredTypes = {});

struct IoTotals
{
    quint64 readBytes = 0;
    quint64 writeBytes = 0;
};
// /proc/diskstats summed over whole disks (`wholeDisks`, from /sys/block), so that a
// partition and its disk are not counted twice.
IoTotals parseDiskStats(const QByteArray &text, const QStringList &wholeDisks);

// /proc/net/dev summed over every interface but loopback.
IoTotals parseNetDev(const QByteArray &text);

struct ProcessStatus
{
    int threads = 0;
    quint64 rssBytes = 0;
};
// /proc/self/status
ProcessStatus parseProcessStatus(const QByteArray &text);

// utime + stime in clock ticks from /proc/self/stat (the comm field may contain spaces).
quint64 parseProcessCpuTicks(const QByteArray &text);

// The identity fields of /proc/PID/stat: with the pid, `startTicks` (clock ticks after boot,
// fixed for the process's life) tells a process from a later one that reuses its pid.
// `state` is 0 when the text cannot be parsed.
struct ProcessStat
{
    char state = 0; // 'R', 'S', 'Z', ...
    qint64 ppid = 0;
    qint64 pgrp = 0;
    qint64 session = 0;
    quint64 startTicks = 0;
};
ProcessStat parseProcessStat(const QByteArray &text);

} // namespace Shivx::ProcParser
