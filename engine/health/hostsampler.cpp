#include "health/hostsampler.h"

#include "core/clock.h"

#include <QDir>
#include <QFile>
#include <QTimer>

#include <cerrno>
#include <cmath>
#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <poll.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

namespace Shivx {

namespace {

double percentOf(quint64 busyDelta, quint64 totalDelta)
{
    if (totalDelta == 0)
        return 0;
    return qBound(0.0, 100.0 * double(busyDelta) / double(totalDelta), 100.0);
}

quint64 delta(quint64 now, quint64 before)
{
    // Counters reset when a device or interface disappears; a negative rate would be a lie.
    return now >= before ? now - before : 0;
}

// History stores values losslessly; two decimals is all a gauge or a chart needs, and
// rounded values compress several times better.
double round2(double v)
{
    return std::round(v * 100.0) / 100.0;
}

} // namespace

HostSampler::HostSampler(
    qint64 intervalMs, QStringList ignoredFsTypes, Clock *clock, QString procRoot, QObject *parent)
    : QObject(parent)
    , m_intervalMs(intervalMs)
    , m_ignoredFsTypes(std::move(ignoredFsTypes))
    , m_clock(clock ? clock : Clock::system())
    , m_procRoot(std::move(procRoot))
{
    const char *names[ProcFileCount] = { "stat", "loadavg", "meminfo", "diskstats", "net/dev",
        "self/status", "self/stat", "self/mounts" };
    for (int i = 0; i < ProcFileCount; ++i)
        m_files[i].path
            = QFile::encodeName(m_procRoot + QLatin1Char('/') + QLatin1String(names[i]));
    struct statfs fs
    {
    };
    m_procfs = ::statfs(QFile::encodeName(m_procRoot).constData(), &fs) == 0
        && fs.f_type == PROC_SUPER_MAGIC;
    const QDir sysBlock(QStringLiteral("/sys/block"));
    for (const QString &name :
        sysBlock.entryList(QDir::Dirs | QDir::NoDotAndDotDot | QDir::System)) {
        if (!name.startsWith(QLatin1String("loop")) && !name.startsWith(QLatin1String("ram")))
            m_wholeDisks.append(name);
    }
}

HostSampler::~HostSampler()
{
    for (ProcFile &f : m_files) {
        if (f.fd >= 0)
            ::close(f.fd);
    }
}

void HostSampler::start()
{
    if (!m_timer) {
        m_timer = new QTimer(this);
        m_timer->setTimerType(Qt::PreciseTimer);
        connect(m_timer, &QTimer::timeout, this, [this] { Q_EMIT sampled(sampleNow()); });
    }
    // The first sample goes out at once: memory, disks and the engine process are known
    // immediately; CPU and I/O rates follow with the second one (hasRates says which).
    if (!m_havePrevious)
        Q_EMIT sampled(sampleNow());
    m_timer->start(int(m_intervalMs));
}

void HostSampler::stop()
{
    if (m_timer)
        m_timer->stop();
}

QByteArray HostSampler::readProc(ProcFileId id)
{
    ProcFile &f = m_files[id];
    if (f.fd < 0) {
        // Opened on first use, and again after a failed read, so a file that appears later
        // (or a test tree filled in afterwards) is picked up.
        f.fd = ::open(f.path.constData(), O_RDONLY | O_CLOEXEC);
        if (f.fd < 0)
            return {};
    }
    // /proc files report size 0, so read until EOF rather than trusting a size.
    if (m_readBuffer.size() < 16 * 1024)
        m_readBuffer.resize(16 * 1024);
    qsizetype used = 0;
    for (;;) {
        if (used == m_readBuffer.size())
            m_readBuffer.resize(m_readBuffer.size() * 2);
        const ssize_t n
            = ::pread(f.fd, m_readBuffer.data() + used, size_t(m_readBuffer.size() - used), used);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            ::close(f.fd);
            f.fd = -1;
            return {};
        }
        if (n == 0)
            break;
        used += n;
    }
    return QByteArray(m_readBuffer.constData(), used);
}

int HostSampler::countOpenFds() const
{
    // Linux 6.2 and later give the count as the size of the fd directory: one call instead of
    // a directory listing that makes a dentry per descriptor.
    if (m_procfs) {
        struct stat st
        {
        };
        const QByteArray fdDir = QFile::encodeName(m_procRoot + QStringLiteral("/self/fd"));
        if (::stat(fdDir.constData(), &st) == 0 && st.st_size > 0)
            return int(st.st_size);
    }
    // readdir rather than QDir::entryList: the count is all that is needed, not a QString per
    // descriptor.
    DIR *dir = ::opendir(QFile::encodeName(m_procRoot + QStringLiteral("/self/fd")).constData());
    if (!dir)
        return 0;
    int count = 0;
    while (const dirent *e = ::readdir(dir)) {
        if (!(e->d_name[0] == '.'
                && (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0'))))
            ++count;
    }
    ::closedir(dir);
    // In procfs the listing sees its own descriptor, which is not the engine's.
    return m_procfs ? qMax(0, count - 1) : count;
}

bool HostSampler::mountsChanged()
{
    const int fd = m_files[SelfMounts].fd;
    if (!m_procfs || fd < 0 || !m_haveMounts)
        return true;
    // procfs flags a change of the mount table on the open file (proc(5)); poll() clears it.
    pollfd p { fd, POLLPRI, 0 };
    return ::poll(&p, 1, 0) != 0;
}

void HostSampler::sampleMounts(HostSample &s)
{
    if (mountsChanged()) {
        m_mounts = ProcParser::parseMounts(readProc(SelfMounts), m_ignoredFsTypes);
        m_haveMounts = m_files[SelfMounts].fd >= 0;
    }
    QList<unsigned long> seenDevices;
    for (const auto &m : std::as_const(m_mounts)) {
        struct statvfs st
        {
        };
        if (::statvfs(QFile::encodeName(m.mountPoint).constData(), &st) != 0 || st.f_blocks == 0)
            continue;
        if (seenDevices.contains(st.f_fsid))
            continue;
        seenDevices.append(st.f_fsid);
        MountUsage u;
        u.mountPoint = m.mountPoint;
        u.device = m.device;
        const quint64 frsize = st.f_frsize ? st.f_frsize : st.f_bsize;
        // Percentages are of the space unprivileged users can reach (df's convention):
        // used / (used + available), excluding blocks reserved for root.
        const quint64 used = (st.f_blocks - st.f_bfree) * frsize;
        u.freeBytes = quint64(st.f_bavail) * frsize;
        u.totalBytes = used + u.freeBytes;
        u.usedPercent = u.totalBytes ? round2(100.0 * double(used) / double(u.totalBytes)) : 0;
        s.mounts.append(u);
    }
}

HostSample HostSampler::sampleNow()
{
    HostSample s;
    s.timestampMs = m_clock->nowMs();

    const auto cpu = ProcParser::parseStat(readProc(Stat));
    const auto load = ProcParser::parseLoadAvg(readProc(LoadAvg));
    const auto mem = ProcParser::parseMemInfo(readProc(MemInfo));
    const auto disk = ProcParser::parseDiskStats(readProc(DiskStats), m_wholeDisks);
    const auto net = ProcParser::parseNetDev(readProc(NetDev));
    const auto proc = ProcParser::parseProcessStatus(readProc(SelfStatus));
    const quint64 procTicks = ProcParser::parseProcessCpuTicks(readProc(SelfStat));

    s.load1 = load.load1;
    s.load5 = load.load5;
    s.load15 = load.load15;
    s.memTotalBytes = mem.totalBytes;
    s.memAvailableBytes = mem.availableBytes;
    s.memUsedBytes = mem.totalBytes - mem.availableBytes;
    s.memUsedPercent
        = mem.totalBytes ? round2(100.0 * double(s.memUsedBytes) / double(mem.totalBytes)) : 0;
    s.swapTotalBytes = mem.swapTotalBytes;
    s.swapUsedBytes = mem.swapTotalBytes - qMin(mem.swapFreeBytes, mem.swapTotalBytes);
    s.processThreads = proc.threads;
    s.processRssBytes = proc.rssBytes;
    s.processOpenFds = countOpenFds();
    sampleMounts(s);
    s.diskReadBytesTotal = disk.readBytes;
    s.diskWriteBytesTotal = disk.writeBytes;
    s.netRxBytesTotal = net.readBytes;
    s.netTxBytesTotal = net.writeBytes;
    static const double ticksPerSecond = double(::sysconf(_SC_CLK_TCK));
    s.processCpuSecondsTotal = double(procTicks) / ticksPerSecond;

    const double seconds = double(s.timestampMs - m_prevMs) / 1000.0;
    if (m_havePrevious && seconds > 0) {
        s.hasRates = true;
        s.cpuPercent = round2(percentOf(
            delta(cpu.all.busy, m_prevCpu.all.busy), delta(cpu.all.total, m_prevCpu.all.total)));
        for (int i = 0; i < cpu.perCore.size(); ++i) {
            const auto prev = m_prevCpu.perCore.value(i);
            s.cpuPerCore.append(round2(percentOf(delta(cpu.perCore.at(i).busy, prev.busy),
                delta(cpu.perCore.at(i).total, prev.total))));
        }
        s.diskReadBytesPerSec
            = std::round(double(delta(disk.readBytes, m_prevDisk.readBytes)) / seconds);
        s.diskWriteBytesPerSec
            = std::round(double(delta(disk.writeBytes, m_prevDisk.writeBytes)) / seconds);
        s.netRxBytesPerSec
            = std::round(double(delta(net.readBytes, m_prevNet.readBytes)) / seconds);
        s.netTxBytesPerSec
            = std::round(double(delta(net.writeBytes, m_prevNet.writeBytes)) / seconds);
        s.processCpuPercent
            = round2(100.0 * double(delta(procTicks, m_prevProcTicks)) / ticksPerSecond / seconds);
    } else {
        for (int i = 0; i < cpu.perCore.size(); ++i)
            s.cpuPerCore.append(0);
    }

    m_havePrevious = true;
    m_prevMs = s.timestampMs;
    m_prevCpu = cpu;
    m_prevDisk = disk;
    m_prevNet = net;
    m_prevProcTicks = procTicks;
    m_lastSampleMs.store(s.timestampMs);
    return s;
}

} // namespace Shivx
