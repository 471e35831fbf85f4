// ResourceAbuse: sustained CPU or memory above the limit, on readings with their own times and
// a recorded process list; then ProcessTable and the detector on the real /proc with a busy
// child process and a large allocation of our own.
#include "core/configreader.h"
#include "guardian/detectors/resourceabuse.h"
#include "health/hostsample.h"

#include <QCoreApplication>
#include <QProcess>
#include <QTest>

#include <yaml-cpp/yaml.h>

using namespace Shivx;

namespace {

constexpr qint64 T0 = 1'700'000'000'000;

ResourceReading reading(qint64 atMs, std::optional<double> cpu, double memory)
{
    ResourceReading r;
    r.timeMs = T0 + atMs;
    r.cpuPercent = cpu;
    r.memoryPercent = memory;
    return r;
}

struct FakeTop
{
    QList<ResourceKind> calls;
    ResourceAbuse::TopReader reader()
    {
        return [this](ResourceKind kind, int count) {
            calls.append(kind);
            QList<ProcessUsage> out;
            for (int i = 0; i < count; ++i)
                out.append({ 100 + i, QStringLiteral("p%1").arg(i), 90.0 - i, quint64(1000 - i) });
            return out;
        };
    }
};

} // namespace

class TstResourceAbuse : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sustainedCpuIsReportedOnceWithTheTopProcesses()
    {
        FakeTop top;
        ResourceAbuseConfig c;
        c.sustainMs = 120'000;
        c.topProcesses = 3;
        ResourceAbuse a(c, top.reader());
        QVERIFY(a.update(reading(0, 96, 50)).isEmpty());
        QCOMPARE(top.calls.size(), 1); // primed when the episode began
        QVERIFY(a.update(reading(60'000, 99, 50)).isEmpty());
        QVERIFY(a.update(reading(119'999, 97, 50)).isEmpty());
        QVERIFY(!a.active(ResourceKind::Cpu));
        const auto events = a.update(reading(120'000, 98, 50));
        QCOMPARE(events.size(), 1);
        const ResourceAbuseEvent &e = events.first();
        QVERIFY(e.kind == ResourceKind::Cpu);
        QVERIFY(!e.ended);
        QCOMPARE(e.percent, 98.0);
        QCOMPARE(e.limitPercent, 95.0);
        QCOMPARE(e.sinceMs, T0);
        QCOMPARE(e.timeMs, T0 + 120'000);
        QCOMPARE(e.top.size(), 3);
        QCOMPARE(e.top.first().name, QStringLiteral("p0"));
        QVERIFY(a.active(ResourceKind::Cpu));
        QVERIFY(a.update(reading(200'000, 99, 50)).isEmpty()); // once per episode
        QCOMPARE(toString(e.kind), QStringLiteral("cpu"));
    }

    void aDipBeforeTheSustainedPeriodStartsAgain()
    {
        FakeTop top;
        ResourceAbuse a({}, top.reader());
        a.update(reading(0, 99, 10));
        a.update(reading(100'000, 95, 10)); // at the limit is not above it
        QVERIFY(a.update(reading(130'000, 99, 10)).isEmpty());
        QVERIFY(a.update(reading(249'999, 99, 10)).isEmpty());
        QCOMPARE(a.update(reading(250'000, 99, 10)).size(), 1);
    }

    void aReadingWithoutCpuRateNeitherCountsNorResets()
    {
        FakeTop top;
        ResourceAbuse a({}, top.reader());
        a.update(reading(0, 99, 10));
        QVERIFY(a.update(reading(60'000, std::nullopt, 10)).isEmpty());
        QCOMPARE(a.update(reading(120'000, 99, 10)).size(), 1);
    }

    void memoryIsItsOwnEpisode()
    {
        FakeTop top;
        ResourceAbuseConfig c;
        c.sustainMs = 10'000;
        ResourceAbuse a(c, top.reader());
        a.update(reading(0, 99, 97));
        const auto both = a.update(reading(10'000, 99, 97));
        QCOMPARE(both.size(), 2);
        QVERIFY(both.at(0).kind == ResourceKind::Cpu);
        QVERIFY(both.at(1).kind == ResourceKind::Memory);
        QVERIFY(top.calls.last() == ResourceKind::Memory);
    }

    void anEpisodeEndsBelowTheMarginOnly()
    {
        FakeTop top;
        ResourceAbuseConfig c;
        c.sustainMs = 0;
        ResourceAbuse a(c, top.reader());
        QCOMPARE(a.update(reading(0, std::nullopt, 99)).size(), 1);
        QVERIFY(a.update(reading(1000, std::nullopt, 91)).isEmpty()); // within 5 of the limit
        QVERIFY(a.update(reading(2000, std::nullopt, 96)).isEmpty()); // still the same episode
        const auto end = a.update(reading(3000, std::nullopt, 89.9));
        QCOMPARE(end.size(), 1);
        QVERIFY(end.first().ended);
        QCOMPARE(end.first().sinceMs, T0);
        QVERIFY(end.first().top.isEmpty());
        QVERIFY(!a.active(ResourceKind::Memory));
        QCOMPARE(a.update(reading(4000, std::nullopt, 99)).size(), 1); // a new episode
    }

    void readingFromTheHostSample()
    {
        HostSample s;
        s.timestampMs = 42;
        s.cpuPercent = 97;
        s.memUsedPercent = 12;
        QVERIFY(!ResourceReading::fromHostSample(s).cpuPercent.has_value()); // no rate yet
        s.hasRates = true;
        const ResourceReading r = ResourceReading::fromHostSample(s);
        QCOMPARE(r.timeMs, qint64(42));
        QCOMPARE(*r.cpuPercent, 97.0);
        QCOMPARE(r.memoryPercent, 12.0);
    }

    void configReadsItsKeysAndNamesTheBadOne()
    {
        const YAML::Node root = YAML::Load("guardian:\n  resource_abuse:\n    cpu_percent: 90\n"
                                           "    sustain: 5m\n    top_processes: 3\n");
        Internal::ConfigReader r(QStringLiteral("g.yaml"));
        ResourceAbuseConfig c;
        Internal::readResourceAbuse(
            r, root["guardian"]["resource_abuse"], QStringLiteral("guardian.resource_abuse"), &c);
        QVERIFY(!r.failed());
        QCOMPARE(c.cpuPercent, 90.0);
        QCOMPARE(c.memoryPercent, 95.0);
        QCOMPARE(c.sustainMs, qint64(300'000));
        QCOMPARE(c.topProcesses, 3);

        const YAML::Node bad
            = YAML::Load("guardian:\n  resource_abuse:\n    memory_percent: 120\n");
        Internal::ConfigReader rb(QStringLiteral("g.yaml"));
        Internal::readResourceAbuse(
            rb, bad["guardian"]["resource_abuse"], QStringLiteral("guardian.resource_abuse"), &c);
        QVERIFY(rb.failed());
        QCOMPARE(rb.error->message,
            QStringLiteral("g.yaml:3: guardian.resource_abuse.memory_percent: 120 is out of range "
                           "[1, 100]"));
        QCOMPARE(c.memoryPercent, 95.0); // unchanged on error
    }

    void realProcNamesABusyProcessAndALargeOne()
    {
        QProcess busy;
        busy.start(QStringLiteral("/bin/sh"),
            { QStringLiteral("-c"), QStringLiteral("while :; do :; done") });
        QVERIFY(busy.waitForStarted());
        const qint64 busyPid = busy.processId();
        // 256 MiB of our own, touched, so that it is resident.
        QByteArray big(256 * 1024 * 1024, 'x');
        ProcessTable table;
        table.top(ProcessTable::Rank::Cpu, 1'000'000);
        QTest::qWait(500);
        const auto byCpu = table.top(ProcessTable::Rank::Cpu, 1'000'000);
        busy.kill();
        busy.waitForFinished();
        const auto it = std::find_if(byCpu.begin(), byCpu.end(),
            [busyPid](const ProcessUsage &u) { return u.pid == busyPid; });
        QVERIFY(it != byCpu.end());
        QCOMPARE(it->name, QStringLiteral("sh"));
        QVERIFY2(it->cpuPercent > 1, qPrintable(QString::number(it->cpuPercent)));
        for (int i = 1; i < byCpu.size(); ++i)
            QVERIFY(byCpu.at(i - 1).cpuPercent >= byCpu.at(i).cpuPercent);

        ResourceAbuseConfig c;
        c.sustainMs = 0;
        c.topProcesses = 1'000'000;
        ResourceAbuse a(c); // the real /proc
        const auto events = a.update(reading(0, std::nullopt, 99));
        QCOMPARE(events.size(), 1);
        const auto &top = events.first().top;
        const qint64 self = QCoreApplication::applicationPid();
        const auto me = std::find_if(
            top.begin(), top.end(), [self](const ProcessUsage &u) { return u.pid == self; });
        QVERIFY(me != top.end());
        QVERIFY2(me->rssBytes >= quint64(big.size()), qPrintable(QString::number(me->rssBytes)));
        QCOMPARE(me->name, QStringLiteral("tst_resourceabu")); // comm keeps 15 characters
        for (int i = 1; i < top.size(); ++i)
            QVERIFY(top.at(i - 1).rssBytes >= top.at(i).rssBytes);
    }
};

QTEST_GUILESS_MAIN(TstResourceAbuse)
#include "tst_resourceabuse.moc"
