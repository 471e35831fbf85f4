#include "core/clock.h"
#include "recovery/circuitbreaker.h"

#include <QTest>

using namespace Shivx;

namespace {

// A call script, one token per step:
//   s / f        a call that succeeds / fails (rejected calls are counted, not recorded)
//   x            a call that is let through and then abandoned (release())
//   h            a call that is let through and still in flight at the end
//   +N           N milliseconds pass
//   !open !closed !auto   an operator forces the breaker
struct Outcome
{
    QStringList transitions; // "closed>open", in order
    int rejected = 0;
};

Outcome play(CircuitBreaker &breaker, ManualClock &clock, const QString &script)
{
    Outcome out;
    const QStringList tokens = script.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &t : tokens) {
        if (t.startsWith(QLatin1Char('+'))) {
            clock.advanceMs(t.mid(1).toLongLong());
        } else if (t.startsWith(QLatin1Char('!'))) {
            BreakerForce f = BreakerForce::Auto;
            if (!parseBreakerForce(t.mid(1), &f))
                qFatal("bad force token %s", qPrintable(t));
            breaker.force(f);
        } else if (!breaker.tryAcquire()) {
            ++out.rejected;
        } else if (t == QLatin1String("s")) {
            breaker.recordSuccess();
        } else if (t == QLatin1String("f")) {
            breaker.recordFailure();
        } else if (t == QLatin1String("x")) {
            breaker.release();
        } else if (t == QLatin1String("h")) {
            continue;
        } else {
            qFatal("bad token %s", qPrintable(t));
        }
    }
    return out;
}

BreakerConfig config(int threshold = 5, int ratePercent = 0, int window = 20,
    qint64 recoveryMs = 60'000, int trials = 1)
{
    BreakerConfig c;
    c.failureThreshold = threshold;
    c.failureRatePercent = ratePercent;
    c.windowSize = window;
    c.recoveryTimeoutMs = recoveryMs;
    c.halfOpenMaxCalls = trials;
    return c;
}

} // namespace

class TestCircuitBreaker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transitions_data();
    void transitions();
    void defaultsAreFiveFailuresAndSixtySeconds();
    void snapshotReportsTimeInStateAndReason();
    void retuneKeepsStateAndCounts();
    void retuneToLowerThresholdAppliesToNextFailure();
    void forcedOpenIgnoresRecoveryTimeout();
    void stateNames();
};

void TestCircuitBreaker::transitions_data()
{
    QTest::addColumn<BreakerConfig>("cfg");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QStringList>("transitions");
    QTest::addColumn<int>("rejected");
    QTest::addColumn<int>("calls");
    QTest::addColumn<int>("failures");

    const QStringList none;
    QTest::newRow("5 consecutive failures -> open")
        << config() << "f f f f f"
        << "open" << QStringList { "closed>open" } << 0 << 5 << 5;
    QTest::newRow("4 failures then a success -> stays closed") << config() << "f f f f s f f f f"
                                                               << "closed" << none << 0 << 9 << 8;
    QTest::newRow("failure rate over window -> open")
        << config(100, 50, 10) << "s f s f s f s f s f"
        << "open" << QStringList { "closed>open" } << 0 << 10 << 5;
    QTest::newRow("failure rate under threshold -> stays closed")
        << config(100, 50, 10) << "s s f s s f s s f s s f"
        << "closed" << none << 0 << 12 << 4;
    QTest::newRow("failure rate before the window is full -> stays closed")
        << config(100, 50, 10) << "f s f s f"
        << "closed" << none << 0 << 5 << 3;
    QTest::newRow("failure rate judged over the last window only")
        << config(100, 50, 4) << "f f s s s s f s"
        << "closed" << none << 0 << 8 << 3;
    QTest::newRow("rejections counted while open")
        << config(2) << "f f s s s"
        << "open" << QStringList { "closed>open" } << 3 << 2 << 2;
    QTest::newRow("recovery timeout not yet passed -> still rejects")
        << config(2, 0, 20, 1000) << "f f +999 s"
        << "open" << QStringList { "closed>open" } << 1 << 2 << 2;
    QTest::newRow("half-open trial succeeds -> closed")
        << config(2, 0, 20, 1000) << "f f +1000 s"
        << "closed" << QStringList { "closed>open", "open>half_open", "half_open>closed" } << 0 << 3
        << 2;
    QTest::newRow("half-open trial fails -> open")
        << config(2, 0, 20, 1000) << "f f +1000 f s"
        << "open" << QStringList { "closed>open", "open>half_open", "half_open>open" } << 1 << 3
        << 3;
    QTest::newRow("half-open lets only the configured trials through")
        << config(2, 0, 20, 1000, 2) << "f f +1000 h h h"
        << "half_open" << QStringList { "closed>open", "open>half_open" } << 1 << 4 << 2;
    QTest::newRow("abandoned trial frees its slot")
        << config(2, 0, 20, 1000) << "f f +1000 x s"
        << "closed" << QStringList { "closed>open", "open>half_open", "half_open>closed" } << 0 << 4
        << 2;
    QTest::newRow("half-open needs every trial to succeed")
        << config(2, 0, 20, 1000, 2) << "f f +1000 s s"
        << "closed" << QStringList { "closed>open", "open>half_open", "half_open>closed" } << 0 << 4
        << 2;
    QTest::newRow("reopened breaker waits a full recovery timeout again")
        << config(2, 0, 20, 1000) << "f f +1000 f +999 s +1 s"
        << "closed"
        << QStringList { "closed>open", "open>half_open", "half_open>open", "open>half_open",
               "half_open>closed" }
        << 1 << 4 << 3;
    QTest::newRow("closing starts the failure count over")
        << config(2, 0, 20, 1000) << "f f +1000 s f"
        << "closed" << QStringList { "closed>open", "open>half_open", "half_open>closed" } << 0 << 4
        << 3;
    QTest::newRow("forced open rejects a healthy service")
        << config() << "s !open s s"
        << "open" << QStringList { "closed>open" } << 2 << 1 << 0;
    QTest::newRow("forced closed never opens") << config(2) << "!closed f f f f f s"
                                               << "closed" << none << 0 << 6 << 5;
    QTest::newRow("forced closed from open lets calls through")
        << config(2) << "f f !closed s"
        << "closed" << QStringList { "closed>open", "open>closed" } << 0 << 3 << 2;
    QTest::newRow("auto after forced open -> closed")
        << config() << "!open s !auto s"
        << "closed" << QStringList { "closed>open", "open>closed" } << 1 << 1 << 0;
    QTest::newRow("auto after forced closed counts failures afresh")
        << config(2) << "!closed f f f !auto f"
        << "closed" << none << 0 << 4 << 4;
}

void TestCircuitBreaker::transitions()
{
    QFETCH(BreakerConfig, cfg);
    QFETCH(QString, script);
    QFETCH(QString, state);
    QFETCH(QStringList, transitions);
    QFETCH(int, rejected);
    QFETCH(int, calls);
    QFETCH(int, failures);

    ManualClock clock;
    QStringList seen;
    CircuitBreaker breaker(QStringLiteral("db"), cfg, &clock, [&](const BreakerTransition &t) {
        QCOMPARE(t.name, QStringLiteral("db"));
        QCOMPARE(t.atMs, clock.nowMs());
        QVERIFY(!t.reason.isEmpty());
        seen << toString(t.from) + QLatin1Char('>') + toString(t.to);
    });
    const Outcome out = play(breaker, clock, script);
    const BreakerSnapshot s = breaker.snapshot();
    QCOMPARE(toString(s.state), state);
    QCOMPARE(seen, transitions);
    QCOMPARE(out.rejected, rejected);
    QCOMPARE(s.rejections, quint64(rejected));
    QCOMPARE(s.calls, quint64(calls));
    QCOMPARE(s.failures, quint64(failures));
}

void TestCircuitBreaker::defaultsAreFiveFailuresAndSixtySeconds()
{
    const BreakerConfig c;
    QCOMPARE(c.failureThreshold, 5);
    QCOMPARE(c.recoveryTimeoutMs, 60'000);
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("x"), c, &clock);
    play(breaker, clock, QStringLiteral("f f f f f"));
    QCOMPARE(toString(breaker.state()), toString(BreakerState::Open));
    clock.advanceMs(59'999);
    QVERIFY(!breaker.tryAcquire());
    clock.advanceMs(1);
    QVERIFY(breaker.tryAcquire());
    QCOMPARE(toString(breaker.state()), toString(BreakerState::HalfOpen));
}

void TestCircuitBreaker::snapshotReportsTimeInStateAndReason()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("api"), config(3), &clock);
    const qint64 created = clock.nowMs();
    QCOMPARE(breaker.snapshot().lastTransitionMs, created);
    clock.advanceMs(5000);
    play(breaker, clock, QStringLiteral("f f f"));
    clock.advanceMs(1500);
    const BreakerSnapshot s = breaker.snapshot();
    QCOMPARE(s.name, QStringLiteral("api"));
    QCOMPARE(toString(s.state), toString(BreakerState::Open));
    QCOMPARE(s.lastTransitionMs, created + 5000);
    QCOMPARE(s.timeInStateMs, 1500);
    QCOMPARE(s.lastReason.text, QStringLiteral("3 consecutive failures"));
    QCOMPARE(s.lastReason.code, QStringLiteral("breaker.consecutive_failures"));
    QCOMPARE(s.lastReason.args, QVariantList { 3 });
    QCOMPARE(s.consecutiveFailures, 3);
    QCOMPARE(s.config.failureThreshold, 3);
}

void TestCircuitBreaker::retuneKeepsStateAndCounts()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("db"), config(2, 0, 20, 10'000), &clock);
    play(breaker, clock, QStringLiteral("s f f s s"));
    const BreakerSnapshot before = breaker.snapshot();
    QCOMPARE(toString(before.state), toString(BreakerState::Open));

    clock.advanceMs(2000);
    breaker.retune(config(10, 30, 50, 3000, 2));
    const BreakerSnapshot after = breaker.snapshot();
    QCOMPARE(toString(after.state), toString(BreakerState::Open));
    QCOMPARE(after.calls, before.calls);
    QCOMPARE(after.failures, before.failures);
    QCOMPARE(after.rejections, before.rejections);
    QCOMPARE(after.lastTransitionMs, before.lastTransitionMs);
    QCOMPARE(after.config.failureThreshold, 10);
    QCOMPARE(after.config.failureRatePercent, 30);
    QCOMPARE(after.config.windowSize, 50);
    QCOMPARE(after.config.halfOpenMaxCalls, 2);
    // The new, shorter recovery timeout counts from the time it opened.
    clock.advanceMs(1000);
    QVERIFY(breaker.tryAcquire());
    QCOMPARE(toString(breaker.state()), toString(BreakerState::HalfOpen));
}

void TestCircuitBreaker::retuneToLowerThresholdAppliesToNextFailure()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("db"), config(10), &clock);
    play(breaker, clock, QStringLiteral("f f f"));
    QCOMPARE(toString(breaker.state()), toString(BreakerState::Closed));
    breaker.retune(config(4));
    QCOMPARE(breaker.snapshot().consecutiveFailures, 3);
    play(breaker, clock, QStringLiteral("f"));
    QCOMPARE(toString(breaker.state()), toString(BreakerState::Open));
    QCOMPARE(breaker.snapshot().lastReason.text, QStringLiteral("4 consecutive failures"));
}

void TestCircuitBreaker::forcedOpenIgnoresRecoveryTimeout()
{
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("db"), config(5, 0, 20, 1000), &clock);
    breaker.force(BreakerForce::Open);
    clock.advanceMs(10'000);
    QVERIFY(!breaker.tryAcquire());
    const BreakerSnapshot s = breaker.snapshot();
    QCOMPARE(toString(s.state), toString(BreakerState::Open));
    QCOMPARE(toString(s.force), toString(BreakerForce::Open));
    QCOMPARE(s.lastReason.text, QStringLiteral("forced open"));
}

void TestCircuitBreaker::stateNames()
{
    QCOMPARE(toString(BreakerState::Closed), QStringLiteral("closed"));
    QCOMPARE(toString(BreakerState::Open), QStringLiteral("open"));
    QCOMPARE(toString(BreakerState::HalfOpen), QStringLiteral("half_open"));
    BreakerForce f = BreakerForce::Open;
    QVERIFY(parseBreakerForce(QStringLiteral("auto"), &f));
    QCOMPARE(toString(f), toString(BreakerForce::Auto));
    QVERIFY(!parseBreakerForce(QStringLiteral("Open"), &f));
    QVERIFY(!parseBreakerForce(QString(), &f));
}

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
