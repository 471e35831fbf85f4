#include "health/procparser.h"

#include <QSet>

namespace Shivx::ProcParser {

namespace {

QList<QByteArray> fields(const QByteArray &line)
{
    return line.simplified().split(' ');
}

QString decodeOctal(const QByteArray &raw)
{
    QByteArray out;
    out.reserve(raw.size());
    for (int i = 0; i < raw.size(); ++i) {
        if (raw.at(i) == '\\' && i + 3 < raw.size()) {
            bool ok = false;
            const int v = raw.mid(i + 1, 3).toInt(&ok, 8);
            if (ok) {
                out.append(static_cast<char>(v));
                i += 3;
                continue;
            }
        }
        out.append(raw.at(i));
    }
    return QString::fromUtf8(out);
}

} // namespace

CpuStat parseStat(const QByteArray &text)
{
    CpuStat s;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.startsWith("cpu"))
            continue;
        const QList<QByteArray> f = fields(line);
        if (f.size() < 5)
            continue;
        // user nice system idle iowait irq softirq steal (guest time is already in user)
        quint64 v[8] = {};
        for (int i = 0; i < 8 && i + 1 < f.size(); ++i)
            v[i] = f.at(i + 1).toULongLong();
        CpuTimes t;
        const quint64 idle = v[3] + v[4];
        t.total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
        t.busy = t.total - idle;
        if (f.at(0) == "cpu")
            s.all = t;
        else
            s.perCore.append(t);
    }
    return s;
}

LoadAvg parseLoadAvg(const QByteArray &text)
{
    LoadAvg l;
    const QList<QByteArray> f = fields(text);
    if (f.size() < 3)
        return l;
    bool a = false, b = false, c = false;
    l.load1 = f.at(0).toDouble(&a);
    l.load5 = f.at(1).toDouble(&b);
    l.load15 = f.at(2).toDouble(&c);
    l.ok = a && b && c;
    return l;
}

MemInfo parseMemInfo(const QByteArray &text)
{
    MemInfo m;
    quint64 freeKb = 0, buffersKb = 0, cachedKb = 0;
    bool haveAvailable = false;
    for (const QByteArray &line : text.split('\n')) {
        const int colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray key = line.left(colon);
        const quint64 kb = fields(line.mid(colon + 1)).value(0).toULongLong();
        if (key == "MemTotal")
            m.totalBytes = kb * 1024;
        else if (key == "MemAvailable") {
            m.availableBytes = kb * 1024;
            haveAvailable = true;
        } else if (key == "MemFree")
            freeKb = kb;
        else if (key == "Buffers")
            buffersKb = kb;
        else if (key == "Cached")
            cachedKb = kb;
        else if (key == "SwapTotal")
            m.swapTotalBytes = kb * 1024;
        else if (key == "SwapFree")
            m.swapFreeBytes = kb * 1024;
    }
    // Kernels before 3.14 have no MemAvailable; free + buffers + cache is the old estimate.
    if (!haveAvailable)
        m.availableBytes = (freeKb + buffersKb + cachedKb) * 1024;
    m.availableBytes = qMin(m.availableBytes, m.totalBytes);
    m.ok = m.totalBytes > 0;
    return m;
}

QList<Mount> parseMounts(const QByteArray &text, const QStringList &extraIgnoredTypes)
{
    static const QSet<QString> pseudo = { QStringLiteral("proc"), QStringLiteral("sysfs"),
        QStringLiteral("devtmpfs"), QStringLiteral("devpts"), QStringLiteral("tmpfs"),
        QStringLiteral("cgroup"), QStringLiteral("cgroup2"), QStringLiteral("pstore"),
        QStringLiteral("securityfs"), QStringLiteral("debugfs"), QStringLiteral("tracefs"),
        QStringLiteral("mqueue"), QStringLiteral("hugetlbfs"), QStringLiteral("fusectl"),
        QStringLiteral("configfs"), QStringLiteral("bpf"), QStringLiteral("autofs"),
        QStringLiteral("binfmt_misc"), QStringLiteral("rpc_pipefs"), QStringLiteral("nsfs"),
        QStringLiteral("squashfs"), QStringLiteral("efivarfs"), QStringLiteral("ramfs"),
        QStringLiteral("selinuxfs"), QStringLiteral("fuse.gvfsd-fuse"),
        QStringLiteral("fuse.portal"), QStringLiteral("overlay.lower") };
    QList<Mount> out;
    QSet<QString> seenPoints;
    for (const QByteArray &line : text.split('\n')) {
        const QList<QByteArray> f = fields(line);
        if (f.size() < 3)
            continue;
        Mount m { decodeOctal(f.at(0)), decodeOctal(f.at(1)), QString::fromLatin1(f.at(2)) };
        if (pseudo.contains(m.fsType) || extraIgnoredTypes.contains(m.fsType))
            continue;
        // Bind mounts of single files (container /etc/hosts and friends) are not disks.
        if (m.mountPoint.startsWith(QLatin1String("/etc/"))
            || m.mountPoint.startsWith(QLatin1String("/proc/"))
            || m.mountPoint.startsWith(QLatin1String("/sys/"))
            || m.mountPoint.startsWith(QLatin1String("/dev/")))
            continue;
        if (seenPoints.contains(m.mountPoint))
            continue;
        seenPoints.insert(m.mountPoint);
        out.append(m);
    }
    return out;
}

IoTotals parseDiskStats(const QByteArray &text, const QStringList &wholeDisks)
{
    IoTotals t;
    const QSet<QString> disks(wholeDisks.begin(), wholeDisks.end());
    for (const QByteArray &line : text.split('\n')) {
        const QList<QByteArray> f = fields(line);
        if (f.size() < 10)
            continue;
        const QString name = QString::fromLatin1(f.at(2));
        if (!disks.contains(name))
            continue;
        // Fields 6 and 10 (1-based after major minor name) are sectors read / written; the
        // kernel's diskstats sector is always 512 bytes regardless of the device's own.
        t.readBytes += f.at(5).toULongLong() * 512;
        t.writeBytes += f.at(9).toULongLong() * 512;
    }
    return t;
}

IoTotals parseNetDev(const QByteArray &text)
{
    IoTotals t;
    for (const QByteArray &line : text.split('\n')) {
        const int colon = line.indexOf(':');
        if (colon < 0)
            continue;
        const QByteArray name = line.left(colon).trimmed();
        if (name == "lo" || name.contains('|'))
            continue;
        const QList<QByteArray> f = fields(line.mid(colon + 1));
        if (f.size() < 9)
            continue;
        t.readBytes += f.at(0).toULongLong(); // received
        t.writeBytes += f.at(8).toULongLong(); // transmitted
    }
    return t;
}

ProcessStatus parseProcessStatus(const QByteArray &text)
{
    ProcessStatus s;
    for (const QByteArray &line : text.split('\n')) {
        if (line.startsWith("Threads:"))
            s.threads = fields(line.mid(8)).value(0).toInt();
        else if (line.startsWith("VmRSS:"))
            s.rssBytes = fields(line.mid(6)).value(0).toULongLong() * 1024;
    }
    return s;
}

quint64 parseProcessCpuTicks(const QByteArray &text)
{
    const int close = text.lastIndexOf(')');
    if (close < 0)
        return 0;
    // After "pid (comm) ": state is field 3; utime and stime are fields 14 and 15.
    const QList<QByteArray> f = fields(text.mid(close + 1));
    if (f.size() < 13)
        return 0;
    return f.at(11).toULongLong() + f.at(12).toULongLong();
}

ProcessStat parseProcessStat(const QByteArray &text)
{
    const int close = text.lastIndexOf(')');
    if (close < 0)
        return {};
    // After "pid (comm) ": state, ppid, pgrp, session are fields 3..6; starttime is field 22.
    const QList<QByteArray> f = fields(text.mid(close + 1));
    if (f.size() < 20 || f.at(0).size() != 1)
        return {};
    ProcessStat s;
    s.state = f.at(0).at(0);
    s.ppid = f.at(1).toLongLong();
    s.pgrp = f.at(2).toLongLong();
    s.session = f.at(3).toLongLong();
    s.startTicks = f.at(19).toULongLong();
    return s;
}

} // namespace Shivx::ProcParser
