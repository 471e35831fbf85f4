// The restart decisions of the supervisor, on a ManualClock: backoff growth and cap, the
// crash-loop limit, cooldown with bounded jitter, and operator restarts not counted.
#include "core/clock.h"
#include "recovery/restartplanner.h"

#include <QTest>

using namespace Shivx;

namespace {

RecoverySpec spec(int restarts = 3, qint64 windowMs = 10'000, qint64 cooldownMs = 60'000)
{
    RecoverySpec s;
    s.name = QStringLiteral("svc");
    s.supervised = true;
    s.backoffInitialMs = 100;
    s.backoffMaxMs = 1000;
    s.crashLoopRestarts = restarts;
    s.crashLoopWindowMs = windowMs;
    s.crashLoopCooldownMs = cooldownMs;
    return s;
}

// A random source that returns a fixed fraction of the bound, and records the bounds asked.
struct FixedRandom
{
    double fraction = 0;
    QList<qint64> *bounds = nullptr;
    qint64 operator()(qint64 bound) const
    {
        if (bounds)
            bounds->append(bound);
        return qint64(double(bound) * fraction);
    }
};

} // namespace

class tst_RestartPlanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void backoffGrowsAndIsCapped();
    void policy_data();
    void policy();
    void crashLoopAfterKRestartsInWindow();
    void restartsOutsideWindowDoNotCount();
    void cooldownJitterBounds_data();
    void cooldownJitterBounds();
    void retryAfterCooldownGetsAFreshWindow();
    void operatorRestartsAreNotCounted();
    void stableRunResetsBackoff();
    void probeRestartCountsWhateverThePolicy();
};

void tst_RestartPlanner::backoffGrowsAndIsCapped()
{
    RecoverySpec s = spec(100, 60'000);
    RestartPlanner planner(s, 10'000, FixedRandom {});
    ManualClock clock;
    QList<qint64> delays;
    for (int i = 0; i < 7; ++i) {
        const qint64 started = clock.nowMs();
        clock.advanceMs(50); // a quick crash: never stable
        const auto d = planner.onExit(clock.nowMs(), started, true);
        QCOMPARE(d.kind, RestartPlanner::Decision::Restart);
        QCOMPARE(d.attempt, i + 1);
        delays.append(d.delayMs);
        clock.advanceMs(d.delayMs);
    }
    QCOMPARE(delays, (QList<qint64> { 100, 200, 400, 800, 1000, 1000, 1000 }));
}

void tst_RestartPlanner::policy_data()
{
    QTest::addColumn<RestartPolicy>("policy");
    QTest::addColumn<bool>("failed");
    QTest::addColumn<bool>("restarts");
    QTest::newRow("always, clean exit -> restart") << RestartPolicy::Always << false << true;
    QTest::newRow("always, failure -> restart") << RestartPolicy::Always << true << true;
    QTest::newRow("on-failure, clean exit -> stays stopped")
        << RestartPolicy::OnFailure << false << false;
    QTest::newRow("on-failure, failure -> restart") << RestartPolicy::OnFailure << true << true;
    QTest::newRow("never, failure -> stays stopped") << RestartPolicy::Never << true << false;
}

void tst_RestartPlanner::policy()
{
    QFETCH(RestartPolicy, policy);
    QFETCH(bool, failed);
    QFETCH(bool, restarts);
    RecoverySpec s = spec();
    s.restart = policy;
    RestartPlanner planner(s, 10'000, FixedRandom {});
    const auto d = planner.onExit(2000, 1000, failed);
    QCOMPARE(d.kind, restarts ? RestartPlanner::Decision::Restart : RestartPlanner::Decision::Stay);
}

void tst_RestartPlanner::crashLoopAfterKRestartsInWindow()
{
    RestartPlanner planner(spec(3, 10'000, 60'000), 10'000, FixedRandom {});
    ManualClock clock;
    for (int i = 0; i < 3; ++i) {
        clock.advanceMs(1000);
        const auto d = planner.onExit(clock.nowMs(), clock.nowMs() - 500, true);
        QCOMPARE(d.kind, RestartPlanner::Decision::Restart);
        QCOMPARE(d.restartsInWindow, i + 1);
    }
    clock.advanceMs(1000);
    const auto d = planner.onExit(clock.nowMs(), clock.nowMs() - 500, true);
    QCOMPARE(d.kind, RestartPlanner::Decision::CrashLoop);
    QCOMPARE(d.restartsInWindow, 3);
    QCOMPARE(d.delayMs, 60'000); // jitter 0 with this random source
}

void tst_RestartPlanner::restartsOutsideWindowDoNotCount()
{
    RestartPlanner planner(spec(3, 10'000), 10'000, FixedRandom {});
    ManualClock clock;
    // Three restarts, each 6 s apart: never three within a 10 s window.
    for (int i = 0; i < 10; ++i) {
        clock.advanceMs(6000);
        const auto d = planner.onExit(clock.nowMs(), clock.nowMs() - 100, true);
        QCOMPARE(d.kind, RestartPlanner::Decision::Restart);
        QVERIFY(d.restartsInWindow <= 2);
    }
}

void tst_RestartPlanner::cooldownJitterBounds_data()
{
    QTest::addColumn<double>("fraction");
    QTest::addColumn<qint64>("expected");
    QTest::newRow("no jitter -> cooldown") << 0.0 << qint64(60'000);
    QTest::newRow("half jitter -> cooldown + 10%") << 0.5 << qint64(66'000);
    QTest::newRow("full jitter -> cooldown + 20%") << 1.0 << qint64(72'000);
    QTest::newRow("a source out of range is clamped") << 3.0 << qint64(72'000);
}

void tst_RestartPlanner::cooldownJitterBounds()
{
    QFETCH(double, fraction);
    QFETCH(qint64, expected);
    QList<qint64> bounds;
    RestartPlanner planner(spec(1, 10'000, 60'000), 10'000, FixedRandom { fraction, &bounds });
    QCOMPARE(planner.onExit(1000, 900, true).kind, RestartPlanner::Decision::Restart);
    const auto d = planner.onExit(2000, 1900, true);
    QCOMPARE(d.kind, RestartPlanner::Decision::CrashLoop);
    QCOMPARE(d.delayMs, expected);
    QCOMPARE(bounds, QList<qint64> { 12'000 });
}

void tst_RestartPlanner::retryAfterCooldownGetsAFreshWindow()
{
    RestartPlanner planner(spec(2, 10'000, 5000), 10'000, FixedRandom {});
    ManualClock clock;
    auto crash = [&] {
        clock.advanceMs(100);
        return planner.onExit(clock.nowMs(), clock.nowMs() - 50, true);
    };
    QCOMPARE(crash().kind, RestartPlanner::Decision::Restart);
    QCOMPARE(crash().kind, RestartPlanner::Decision::Restart);
    const auto loop = crash();
    QCOMPARE(loop.kind, RestartPlanner::Decision::CrashLoop);
    clock.advanceMs(loop.delayMs); // the cooldown retry starts the process again
    // The retry never gives up for good: the process gets its restarts again, and the
    // backoff starts over from the initial delay.
    const auto again = crash();
    QCOMPARE(again.kind, RestartPlanner::Decision::Restart);
    QCOMPARE(again.attempt, 1);
    QCOMPARE(again.delayMs, 100);
    QCOMPARE(crash().kind, RestartPlanner::Decision::Restart);
    QCOMPARE(crash().kind, RestartPlanner::Decision::CrashLoop);
}

void tst_RestartPlanner::operatorRestartsAreNotCounted()
{
    RestartPlanner planner(spec(2, 10'000), 10'000, FixedRandom {});
    ManualClock clock;
    clock.advanceMs(100);
    QCOMPARE(planner.onExit(clock.nowMs(), clock.nowMs() - 50, true).kind,
        RestartPlanner::Decision::Restart);
    // Ten operator restarts in a row: the planner is told, nothing is counted.
    for (int i = 0; i < 10; ++i) {
        clock.advanceMs(100);
        planner.onOperatorStart();
    }
    QCOMPARE(planner.consecutiveRestarts(), 0);
    clock.advanceMs(100);
    const auto d = planner.onExit(clock.nowMs(), clock.nowMs() - 50, true);
    QCOMPARE(d.kind, RestartPlanner::Decision::Restart);
    QCOMPARE(d.restartsInWindow, 2);
    QCOMPARE(d.delayMs, 100); // backoff reset by the operator
}

void tst_RestartPlanner::stableRunResetsBackoff()
{
    RestartPlanner planner(spec(100, 60'000), 5000, FixedRandom {});
    QCOMPARE(planner.onExit(1000, 900, true).delayMs, 100);
    QCOMPARE(planner.onExit(2000, 1900, true).delayMs, 200);
    QCOMPARE(planner.onExit(3000, 2900, true).delayMs, 400);
    // Ran 5 s: a good start, so the next crash begins the backoff again.
    QCOMPARE(planner.onExit(9000, 4000, true).delayMs, 100);
}

void tst_RestartPlanner::probeRestartCountsWhateverThePolicy()
{
    RecoverySpec s = spec(1, 10'000);
    s.restart = RestartPolicy::Never;
    RestartPlanner planner(s, 10'000, FixedRandom {});
    QCOMPARE(planner.onExit(1000, 900, false, true).kind, RestartPlanner::Decision::Restart);
    QCOMPARE(planner.onExit(2000, 1900, false, true).kind, RestartPlanner::Decision::CrashLoop);
}

QTEST_GUILESS_MAIN(tst_RestartPlanner)
#include "tst_restartplanner.moc"
