#include "health/healthscore.h"

#include <QTest>

using namespace Shivx;

namespace {

HostSample host(double cpu, double mem, double disk)
{
    HostSample h;
    h.hasRates = true;
    h.cpuPercent = cpu;
    h.memUsedPercent = mem;
    h.mounts.append({ QStringLiteral("/"), QStringLiteral("/dev/vda1"), 100, 100, disk });
    return h;
}

TargetStatus target(const char *name, TargetState state, double weight = 1, bool critical = false)
{
    TargetStatus t;
    t.name = QString::fromLatin1(name);
    t.state = state;
    t.weight = weight;
    t.critical = critical;
    return t;
}

} // namespace

class TstHealthScore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // Defaults: CPU warns above 70 % (max 15), memory above 80 % (max 20), disk above 85 % (max
    // 15).
    void hostBoundaries_data()
    {
        QTest::addColumn<double>("cpu");
        QTest::addColumn<double>("mem");
        QTest::addColumn<double>("disk");
        QTest::addColumn<double>("score");
        QTest::newRow("idle machine -> 100") << 10.0 << 30.0 << 40.0 << 100.0;
        QTest::newRow("cpu exactly at threshold -> no penalty") << 70.0 << 0.0 << 0.0 << 100.0;
        QTest::newRow("cpu halfway 85% -> -7.5") << 85.0 << 0.0 << 0.0 << 92.5;
        QTest::newRow("cpu 100% -> -15") << 100.0 << 0.0 << 0.0 << 85.0;
        QTest::newRow("memory exactly at threshold") << 0.0 << 80.0 << 0.0 << 100.0;
        QTest::newRow("memory 90% -> -10") << 0.0 << 90.0 << 0.0 << 90.0;
        QTest::newRow("memory 100% -> -20") << 0.0 << 100.0 << 0.0 << 80.0;
        QTest::newRow("disk 100% -> -15") << 0.0 << 0.0 << 100.0 << 85.0;
        QTest::newRow("everything saturated -> 50") << 100.0 << 100.0 << 100.0 << 50.0;
    }
    void hostBoundaries()
    {
        QFETCH(double, cpu);
        QFETCH(double, mem);
        QFETCH(double, disk);
        QFETCH(double, score);
        const HealthReport r = HealthScore().compute(host(cpu, mem, disk), {}, {}, 1);
        QCOMPARE(r.score, score);
    }

    void stateBands_data()
    {
        QTest::addColumn<double>("cpu");
        QTest::addColumn<double>("mem");
        QTest::addColumn<int>("targetsDown");
        QTest::addColumn<int>("state");
        QTest::newRow("100 healthy") << 0.0 << 0.0 << 0 << int(HealthState::Healthy);
        QTest::newRow("80 still healthy") << 0.0 << 100.0 << 0 << int(HealthState::Healthy);
        QTest::newRow("below 80 degraded") << 100.0 << 100.0 << 0 << int(HealthState::Degraded);
        QTest::newRow("50 degraded") << 0.0 << 0.0 << 1 << int(HealthState::Degraded);
        QTest::newRow("below 50 critical") << 100.0 << 0.0 << 1 << int(HealthState::Critical);
    }
    void stateBands()
    {
        QFETCH(double, cpu);
        QFETCH(double, mem);
        QFETCH(int, targetsDown);
        QFETCH(int, state);
        QList<TargetStatus> t;
        if (targetsDown)
            t.append(target("only", TargetState::Down));
        const HealthReport r = HealthScore().compute(host(cpu, mem, 0), t, {}, 1);
        QCOMPARE(int(r.state), state);
    }

    void targetsShareFiftyPointsByWeight()
    {
        const QList<TargetStatus> t { target("a", TargetState::Down, 3),
            target("b", TargetState::Up, 1) };
        const HealthReport r = HealthScore().compute(host(0, 0, 0), t, {}, 1);
        QCOMPARE(r.penaltyOf(QStringLiteral("target:a")), 37.5);
        QCOMPARE(r.penaltyOf(QStringLiteral("target:b")), 0.0);
        QCOMPARE(r.score, 62.5);
    }

    void degradedAndUnknownTakePartialShare()
    {
        const QList<TargetStatus> t { target("a", TargetState::Degraded),
            target("b", TargetState::Unknown) };
        const HealthReport r = HealthScore().compute(host(0, 0, 0), t, {}, 1);
        QCOMPARE(r.penaltyOf(QStringLiteral("target:a")), 12.5);
        QCOMPARE(r.penaltyOf(QStringLiteral("target:b")), 6.25);
    }

    void criticalDownCapsScore()
    {
        // One critical target DOWN among ten: its share is only 5 points, but the cap holds it
        // at 49.
        QList<TargetStatus> t { target("core", TargetState::Down, 1, true) };
        for (int i = 0; i < 9; ++i)
            t.append(target("ok", TargetState::Up));
        const HealthReport r = HealthScore().compute(host(0, 0, 0), t, {}, 1);
        QCOMPARE(r.score, 49.0);
        QCOMPARE(int(r.state), int(HealthState::Critical));
        QVERIFY(r.penaltyOf(QStringLiteral("critical-target-cap")) > 0);
    }

    void criticalUpDoesNotCap()
    {
        const HealthReport r = HealthScore().compute(
            host(0, 0, 0), { target("core", TargetState::Up, 1, true) }, {}, 1);
        QCOMPARE(r.score, 100.0);
    }

    void stalledThreadCostsWatchdogPenalty()
    {
        const HealthReport r
            = HealthScore().compute(host(0, 0, 0), {}, { { QStringLiteral("sampler"), 9000 } }, 1);
        QCOMPARE(r.score, 75.0);
        QCOMPARE(r.penaltyOf(QStringLiteral("watchdog:sampler")), 25.0);
    }

    void neverBelowZero()
    {
        QList<TargetStatus> t { target("a", TargetState::Down) };
        const HealthReport r = HealthScore().compute(host(100, 100, 100), t,
            { { QStringLiteral("sampler"), 1 }, { QStringLiteral("probes"), 1 } }, 1);
        QCOMPARE(r.score, 0.0);
    }

    void componentsExplainTheScore()
    {
        const HealthReport r
            = HealthScore().compute(host(85, 90, 10), { target("web", TargetState::Down) }, {}, 1);
        double sum = 0;
        for (const auto &c : r.components)
            sum += c.penalty;
        QCOMPARE(100.0 - sum, r.score);
        QVERIFY(r.components.constFirst().detail.text.contains(QLatin1String("85.0%")));
        QCOMPARE(r.components.constFirst().detail.code, QStringLiteral("score.cpu"));
    }

    void cpuNotJudgedBeforeFirstRate()
    {
        HostSample h = host(100, 0, 0);
        h.hasRates = false;
        QCOMPARE(HealthScore().compute(h, {}, {}, 1).score, 100.0);
    }

    void configurableThresholds()
    {
        ScoreConfig c;
        c.cpuWarnPercent = 50;
        c.cpuMaxPenalty = 40;
        QCOMPARE(HealthScore(c).compute(host(75, 0, 0), {}, {}, 1).score, 80.0);
    }
};

QTEST_GUILESS_MAIN(TstHealthScore)
#include "tst_healthscore.moc"
