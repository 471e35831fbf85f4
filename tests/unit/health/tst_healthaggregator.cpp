#include "core/clock.h"
#include "core/enginestatus.h"
#include "health/healthaggregator.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>

using namespace Shivx;

namespace {

HostSample sampleAt(qint64 ts)
{
    HostSample s;
    s.timestampMs = ts;
    s.hasRates = true;
    s.cpuPercent = 12.5;
    s.cpuPerCore = { 10, 15 };
    s.memTotalBytes = 1000;
    s.memUsedPercent = 40;
    s.mounts.append({ QStringLiteral("/"), QStringLiteral("/dev/x"), 100, 60, 40 });
    return s;
}

} // namespace

class TstHealthAggregator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The watchdog reads each thread's heartbeat; a sampler that stops beating becomes a
    // failing component of the score and fails health's readiness checks, and recovers when
    // it beats again.
    void watchdogReportsStalledSampler()
    {
        ManualClock clock(1'000'000);
        EngineStatus status;
        status.startedAtMs.store(clock.nowMs());
        status.setStorage({ true, QStringLiteral("writable"), 0, 0, 0 });
        std::atomic<qint64> samplerBeat { clock.nowMs() };
        std::atomic<qint64> probesBeat { clock.nowMs() };
        HealthConfig config;
        config.watchdogStallMs = 5000;
        HealthAggregator agg(config, &status,
            { [&] { return samplerBeat.load(); }, [&] { return probesBeat.load(); } }, &clock);
        QSignalSpy health(&agg, &HealthAggregator::healthChanged);

        agg.onHostSample(sampleAt(clock.nowMs()));
        QCOMPARE(health.count(), 1);
        QCOMPARE(health.last().at(0).value<HealthReport>().score, 100.0);
        QVERIFY(agg.currentReadiness().ready);

        // Six seconds without a sample; the probe thread keeps beating.
        clock.advanceMs(6000);
        probesBeat.store(clock.nowMs());
        agg.start(); // runs the first tick at once
        const HealthReport stalled = status.health();
        QCOMPARE(stalled.penaltyOf(QStringLiteral("watchdog:sampler")), 25.0);
        QCOMPARE(stalled.penaltyOf(QStringLiteral("watchdog:probes")), -1.0);
        QCOMPARE(stalled.score, 75.0);
        const Readiness r = agg.currentReadiness();
        QVERIFY(!r.ready);

        // The sampler comes back.
        samplerBeat.store(clock.nowMs());
        agg.onHostSample(sampleAt(clock.nowMs()));
        QCOMPARE(status.health().score, 100.0);
        QVERIFY(agg.currentReadiness().ready);
        agg.stop();
    }

    // No score is published before anything was measured, unless the watchdog has a finding.
    void noScoreBeforeTheFirstSample()
    {
        ManualClock clock(3'000'000);
        EngineStatus status;
        status.startedAtMs.store(clock.nowMs());
        std::atomic<qint64> samplerBeat { 0 };
        HealthConfig config;
        config.watchdogStallMs = 5000;
        HealthAggregator agg(config, &status, { [&] { return samplerBeat.load(); }, {} }, &clock);
        QSignalSpy health(&agg, &HealthAggregator::healthChanged);
        agg.start();
        QCOMPARE(health.count(), 0);
        QCOMPARE(status.health().timestampMs, 0LL);

        // The sampler never produced anything within the stall limit: that is a finding,
        // published on the aggregator's next (real, 1 s) timer tick.
        clock.advanceMs(6000);
        QTRY_COMPARE(health.count(), 1);
        QCOMPARE(
            health.last().at(0).value<HealthReport>().penaltyOf(QStringLiteral("watchdog:sampler")),
            25.0);
        agg.stop();
    }

    void samplesBecomeHistoryPoints()
    {
        ManualClock clock(2'000'000);
        EngineStatus status;
        HealthConfig config;
        HealthAggregator agg(config, &status, {}, &clock);
        QSignalSpy points(&agg, &HealthAggregator::historyPoints);

        TargetStatus t;
        t.name = QStringLiteral("web");
        t.state = TargetState::Up;
        t.latencyMs = 12.3456;
        t.lastCheckMs = clock.nowMs() - 100;
        agg.onTargets({ t });
        agg.onHostSample(sampleAt(clock.nowMs()));
        QCOMPARE(points.count(), 1);
        const auto list = points.last().at(0).value<QList<SamplePoint>>();
        QHash<QString, SamplePoint> byName;
        for (const auto &p : list)
            byName.insert(p.series, p);
        QCOMPARE(byName.value(QStringLiteral("host.cpu.percent")).value, 12.5);
        QCOMPARE(byName.value(QStringLiteral("host.cpu.core1.percent")).value, 15.0);
        QCOMPARE(byName.value(QStringLiteral("host.fs./.used_percent")).value, 40.0);
        QCOMPARE(byName.value(QStringLiteral("health.score")).value, 100.0);
        QCOMPARE(byName.value(QStringLiteral("target.web.up")).value, 1.0);
        QCOMPARE(byName.value(QStringLiteral("target.web.latency_ms")).value, 12.346);
        QCOMPARE(byName.value(QStringLiteral("target.web.up")).tsMs, t.lastCheckMs);

        // A target is recorded once per probe, not once per host sample.
        clock.advanceMs(1000);
        agg.onHostSample(sampleAt(clock.nowMs()));
        for (const auto &p : points.last().at(0).value<QList<SamplePoint>>())
            QVERIFY(!p.series.startsWith(QLatin1String("target.")));
    }
};

QTEST_GUILESS_MAIN(TstHealthAggregator)
#include "tst_healthaggregator.moc"
