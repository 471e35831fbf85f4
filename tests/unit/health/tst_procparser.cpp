#include "core/clock.h"
#include "health/hostsampler.h"
#include "health/procparser.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTemporaryFile>
#include <QTest>

#include <unistd.h>

using namespace Shivx;

namespace {
QByteArray fixture(const char *name)
{
    QFile f(QStringLiteral(SHIVX_SOURCE_DIR "/tests/fixtures/proc/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll();
}
} // namespace

class TstProcParser : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stat()
    {
        const auto s = ProcParser::parseStat(fixture("stat"));
        QCOMPARE(s.perCore.size(), 2);
        // total = 10000+500+3000+80000+2000+100+200+50; idle = 80000 + 2000 (iowait)
        QCOMPARE(s.all.total, quint64(95850));
        QCOMPARE(s.all.busy, quint64(95850 - 82000));
        const auto later = ProcParser::parseStat(fixture("stat.later"));
        // Between the two: busy +1000 (600 user, 400 system), total +2000 => 50 %.
        QCOMPARE(later.all.busy - s.all.busy, quint64(1000));
        QCOMPARE(later.all.total - s.all.total, quint64(2000));
    }

    void loadAvg()
    {
        const auto l = ProcParser::parseLoadAvg(fixture("loadavg"));
        QVERIFY(l.ok);
        QCOMPARE(l.load1, 0.52);
        QCOMPARE(l.load15, 0.59);
        QVERIFY(!ProcParser::parseLoadAvg("garbage").ok);
    }

    void memInfo()
    {
        const auto m = ProcParser::parseMemInfo(fixture("meminfo"));
        QVERIFY(m.ok);
        QCOMPARE(m.totalBytes, quint64(16384000) * 1024);
        QCOMPARE(m.availableBytes, quint64(8192000) * 1024);
        QCOMPARE(m.swapTotalBytes - m.swapFreeBytes, quint64(1048576) * 1024);
    }

    void memInfoWithoutMemAvailable()
    {
        const auto m = ProcParser::parseMemInfo(fixture("meminfo.old-kernel"));
        QCOMPARE(m.availableBytes, quint64(600) * 1024);
        QVERIFY(!ProcParser::parseMemInfo("").ok);
    }

    void mounts()
    {
        const auto m = ProcParser::parseMounts(fixture("mounts"));
        QStringList points;
        for (const auto &x : m)
            points << x.mountPoint;
        // Pseudo filesystems, tmpfs, squashfs snaps and single-file bind mounts are not disks;
        // "\040" is a space.
        QCOMPARE(points,
            (QStringList { QStringLiteral("/"), QStringLiteral("/home/my files"),
                QStringLiteral("/var/lib/docker/overlay2/x/merged") }));
        const auto filtered
            = ProcParser::parseMounts(fixture("mounts"), { QStringLiteral("overlay") });
        QCOMPARE(filtered.size(), 2);
    }

    void diskStatsCountsWholeDisksOnly()
    {
        const auto t = ProcParser::parseDiskStats(
            fixture("diskstats"), { QStringLiteral("vda"), QStringLiteral("nvme0n1") });
        QCOMPARE(t.readBytes, quint64(20000 + 8) * 512);
        QCOMPARE(t.writeBytes, quint64(40000 + 16) * 512);
    }

    void netDevSkipsLoopback()
    {
        const auto t = ProcParser::parseNetDev(fixture("net_dev"));
        QCOMPARE(t.readBytes, quint64(1000024));
        QCOMPARE(t.writeBytes, quint64(500012));
    }

    void processStatusAndTicks()
    {
        const auto s = ProcParser::parseProcessStatus(fixture("self_status"));
        QCOMPARE(s.threads, 7);
        QCOMPARE(s.rssBytes, quint64(51200) * 1024);
        // comm contains spaces and a parenthesis: fields are counted after the last ')'.
        QCOMPARE(ProcParser::parseProcessCpuTicks(fixture("self_stat")), quint64(200));
        QCOMPARE(ProcParser::parseProcessCpuTicks("nonsense"), quint64(0));
    }

    void processIdentity()
    {
        const ProcParser::ProcessStat s = ProcParser::parseProcessStat(fixture("self_stat"));
        QCOMPARE(s.state, 'S');
        QCOMPARE(s.ppid, qint64(1));
        QCOMPARE(s.pgrp, qint64(4242));
        QCOMPARE(s.session, qint64(4242));
        QCOMPARE(s.startTicks, quint64(1000));
        QCOMPARE(ProcParser::parseProcessStat("nonsense").state, char(0));
        QCOMPARE(ProcParser::parseProcessStat("1 (x) S 1 2 3").state, char(0)); // cut short
    }

    // The sampler computes rates between two readings of a captured /proc tree.
    void samplerRatesFromFixtureTree()
    {
        QTemporaryDir root;
        QDir(root.path()).mkpath(QStringLiteral("net"));
        QDir(root.path()).mkpath(QStringLiteral("self/fd"));
        auto put = [&](const QString &rel, const QByteArray &data) {
            QFile f(root.filePath(rel));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(data);
        };
        put(QStringLiteral("stat"), fixture("stat"));
        put(QStringLiteral("meminfo"), fixture("meminfo"));
        put(QStringLiteral("loadavg"), fixture("loadavg"));
        put(QStringLiteral("net/dev"), fixture("net_dev"));
        put(QStringLiteral("self/status"), fixture("self_status"));
        put(QStringLiteral("self/stat"), fixture("self_stat"));
        put(QStringLiteral("self/mounts"), QByteArray());
        put(QStringLiteral("self/fd/0"), QByteArray());
        put(QStringLiteral("self/fd/1"), QByteArray());

        ManualClockHolder clock;
        HostSampler sampler(1000, {}, &clock.clock, root.path());
        const HostSample first = sampler.sampleNow();
        QVERIFY(!first.hasRates);
        QCOMPARE(first.memUsedPercent, 50.0);
        QCOMPARE(first.processOpenFds, 2);
        QCOMPARE(first.processThreads, 7);

        put(QStringLiteral("stat"), fixture("stat.later"));
        QByteArray net = fixture("net_dev");
        net.replace("1000000   2000", "1002000   2000");
        put(QStringLiteral("net/dev"), net);
        clock.clock.advanceMs(2000);
        const HostSample second = sampler.sampleNow();
        QVERIFY(second.hasRates);
        QCOMPARE(second.cpuPercent, 50.0);
        QCOMPARE(second.cpuPerCore.size(), 2);
        QCOMPARE(second.cpuPerCore.at(0), 70.0); // busy +700 of +1000
        QCOMPARE(second.cpuPerCore.at(1), 30.0); // busy +300 of +1000
        QCOMPARE(second.netRxBytesPerSec, 1000.0); // +2000 bytes over 2 s
        QCOMPARE(second.netTxBytesPerSec, 0.0);
    }

    // On the real /proc the descriptor count comes from the fd directory's size where the
    // kernel gives it, and the mount table is parsed again only when it changes: both must
    // still say what a full listing says.
    void samplerOnRealProc()
    {
        const auto listedFds = [] {
            // The listing's own descriptor is in it and is not counted.
            return int(QDir(QStringLiteral("/proc/self/fd"))
                           .entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System)
                           .size())
                - 1;
        };
        ManualClockHolder clock;
        HostSampler sampler(1000, {}, &clock.clock, QStringLiteral("/proc"));
        sampler.sampleNow(); // opens the /proc files it keeps
        clock.clock.advanceMs(1000);
        const HostSample first = sampler.sampleNow();
        QCOMPARE(first.processOpenFds, listedFds());
        QTemporaryFile extra;
        QVERIFY(extra.open());
        clock.clock.advanceMs(1000);
        const HostSample second = sampler.sampleNow();
        QCOMPARE(second.processOpenFds, first.processOpenFds + 1);
        QCOMPARE(second.processOpenFds, listedFds());

        QVERIFY(!first.mounts.isEmpty());
        QCOMPARE(second.mounts.size(), first.mounts.size());
        for (int i = 0; i < first.mounts.size(); ++i)
            QCOMPARE(second.mounts.at(i).mountPoint, first.mounts.at(i).mountPoint);
    }

    // The mount table is parsed again when it changes: a file system mounted and unmounted
    // between samples appears and goes (root only: a loop-mounted ext4 image).
    void samplerSeesMountTableChanges()
    {
        if (::geteuid() != 0)
            QSKIP("mounting a file system needs root");
        QTemporaryDir dir;
        const QString image = dir.filePath(QStringLiteral("fs.img"));
        const QString point = dir.filePath(QStringLiteral("mnt"));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("mnt")));
        QFile f(image);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.resize(8 * 1024 * 1024));
        f.close();
        QCOMPARE(
            QProcess::execute(QStringLiteral("mkfs.ext4"), { QStringLiteral("-q"), image }), 0);
        const auto mountedHere = [&](const HostSample &s) {
            for (const MountUsage &m : s.mounts)
                if (m.mountPoint == point)
                    return true;
            return false;
        };
        ManualClockHolder clock;
        HostSampler sampler(1000, {}, &clock.clock, QStringLiteral("/proc"));
        QVERIFY(!mountedHere(sampler.sampleNow()));
        QVERIFY(!mountedHere(sampler.sampleNow()));
        if (QProcess::execute(QStringLiteral("mount"),
                { QStringLiteral("-o"), QStringLiteral("loop"), image, point })
            != 0)
            QSKIP("no loop device to mount an image on");
        const bool seen = mountedHere(sampler.sampleNow());
        QProcess::execute(QStringLiteral("umount"), { point });
        QVERIFY(seen);
        QVERIFY(!mountedHere(sampler.sampleNow()));
    }

private:
    struct ManualClockHolder
    {
        ManualClock clock { 1'700'000'000'000 };
    };
};

QTEST_GUILESS_MAIN(TstProcParser)
#include "tst_procparser.moc"
