#include "guardian/detectors/processtable.h"

#include "health/procparser.h"

#include <QDir>
#include <QFile>

#include <algorithm>
#include <unistd.h>

namespace Shivx {

namespace {

QByteArray readSmall(const QString &path)
{
    QFile f(path);
    // /proc files report size 0: read until the end instead of trusting it.
    return f.open(QIODevice::ReadOnly | QIODevice::Unbuffered) ? f.read(64 * 1024) : QByteArray();
}

} // namespace

ProcessTable::ProcessTable(QString procRoot)
    : m_procRoot(std::move(procRoot))
    , m_ticksPerSecond(double(::sysconf(_SC_CLK_TCK)))
{
}

QList<ProcessUsage> ProcessTable::top(Rank rank, int count)
{
    const double uptime
        = readSmall(m_procRoot + QStringLiteral("/uptime")).split(' ').value(0).toDouble();
    QList<ProcessUsage> all;
    QHash<qint64, Seen> seen;
    const QStringList entries = QDir(m_procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        const QString dir = m_procRoot + QLatin1Char('/') + entry;
        const QByteArray statText = readSmall(dir + QStringLiteral("/stat"));
        const ProcParser::ProcessStat stat = ProcParser::parseProcessStat(statText);
        if (stat.state == 0)
            continue; // gone between the listing and the read
        Seen now { stat.startTicks, ProcParser::parseProcessCpuTicks(statText), uptime };
        ProcessUsage u;
        u.pid = pid;
        u.name = QString::fromUtf8(readSmall(dir + QStringLiteral("/comm")).trimmed());
        u.rssBytes
            = ProcParser::parseProcessStatus(readSmall(dir + QStringLiteral("/status"))).rssBytes;
        const auto prev = m_seen.constFind(pid);
        double ticks = 0, seconds = 0;
        if (prev != m_seen.constEnd() && prev->startTicks == now.startTicks) {
            ticks = double(now.cpuTicks - qMin(now.cpuTicks, prev->cpuTicks));
            seconds = now.uptimeSeconds - prev->uptimeSeconds;
        } else {
            ticks = double(now.cpuTicks);
            seconds = uptime - double(now.startTicks) / m_ticksPerSecond;
        }
        if (seconds > 0 && m_ticksPerSecond > 0)
            u.cpuPercent = 100.0 * ticks / m_ticksPerSecond / seconds;
        seen.insert(pid, now);
        all.append(u);
    }
    m_seen = seen; // forgets processes that ended
    std::sort(all.begin(), all.end(), [rank](const ProcessUsage &a, const ProcessUsage &b) {
        if (rank == Rank::Cpu && a.cpuPercent != b.cpuPercent)
            return a.cpuPercent > b.cpuPercent;
        if (a.rssBytes != b.rssBytes)
            return a.rssBytes > b.rssBytes;
        return a.pid < b.pid;
    });
    if (all.size() > count)
        all.resize(count);
    return all;
}

} // namespace Shivx
