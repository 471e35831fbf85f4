// Many threads through one breaker at once: run under TSan (build-tsan) to check the
// lock-free CLOSED path and the locked transitions for data races; the counts check that no
// call is lost between the atomics.
#include "core/clock.h"
#include "recovery/circuitbreaker.h"

#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace Shivx;

class TestCircuitBreakerThreads : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void healthyCallsFromManyThreadsAreAllCounted();
    void failuresFromManyThreadsOpenOnceAndCountEveryCall();
    void mixedTrafficWithForcesAndRetunesStaysConsistent();
};

namespace {

constexpr int Threads = 4;

template <typename Fn> void runThreads(int count, Fn fn)
{
    std::vector<std::unique_ptr<QThread>> threads;
    for (int i = 0; i < count; ++i)
        threads.emplace_back(QThread::create([fn, i] { fn(i); }));
    for (auto &t : threads)
        t->start();
    for (auto &t : threads)
        QVERIFY(t->wait(60'000));
}

} // namespace

void TestCircuitBreakerThreads::healthyCallsFromManyThreadsAreAllCounted()
{
    constexpr int PerThread = 20'000;
    ManualClock clock;
    CircuitBreaker breaker(QStringLiteral("hot"), BreakerConfig {}, &clock);
    std::atomic<int> refused { 0 };
    runThreads(Threads, [&](int) {
        for (int i = 0; i < PerThread; ++i) {
            if (breaker.tryAcquire())
                breaker.recordSuccess();
            else
                refused.fetch_add(1);
        }
    });
    const BreakerSnapshot s = breaker.snapshot();
    QCOMPARE(refused.load(), 0);
    QCOMPARE(toString(s.state), toString(BreakerState::Closed));
    QCOMPARE(s.calls, quint64(Threads * PerThread));
    QCOMPARE(s.failures, quint64(0));
    QCOMPARE(s.windowFailures, 0);
}

void TestCircuitBreakerThreads::failuresFromManyThreadsOpenOnceAndCountEveryCall()
{
    constexpr int PerThread = 5'000;
    ManualClock clock;
    BreakerConfig config;
    config.failureThreshold = 50;
    config.failureRatePercent = 0; // only the consecutive count opens it here
    std::atomic<int> opened { 0 };
    CircuitBreaker breaker(QStringLiteral("down"), config, &clock, [&](const BreakerTransition &t) {
        if (t.to == BreakerState::Open)
            opened.fetch_add(1);
    });
    std::atomic<quint64> let { 0 }, refused { 0 };
    runThreads(Threads, [&](int) {
        for (int i = 0; i < PerThread; ++i) {
            if (breaker.tryAcquire()) {
                let.fetch_add(1);
                breaker.recordFailure();
            } else {
                refused.fetch_add(1);
            }
        }
    });
    const BreakerSnapshot s = breaker.snapshot();
    QCOMPARE(toString(s.state), toString(BreakerState::Open));
    QCOMPARE(opened.load(), 1); // the clock never moves, so it never half-opens
    QCOMPARE(s.calls, let.load());
    QCOMPARE(s.failures, let.load());
    QCOMPARE(s.rejections, refused.load());
    QCOMPARE(s.calls + s.rejections, quint64(Threads * PerThread));
    QVERIFY(s.calls >= quint64(config.failureThreshold));
}

void TestCircuitBreakerThreads::mixedTrafficWithForcesAndRetunesStaysConsistent()
{
    constexpr int PerThread = 5'000;
    ManualClock clock;
    BreakerConfig config;
    config.failureThreshold = 3;
    config.failureRatePercent = 30;
    config.windowSize = 10;
    config.recoveryTimeoutMs = 1;
    config.halfOpenMaxCalls = 2;
    std::atomic<int> transitions { 0 };
    CircuitBreaker breaker(QStringLiteral("mixed"), config, &clock,
        [&](const BreakerTransition &) { transitions.fetch_add(1); });
    std::atomic<quint64> let { 0 }, refused { 0 }, failed { 0 };
    runThreads(Threads + 1, [&](int index) {
        if (index == Threads) { // the operator and the configuration reloads
            for (int i = 0; i < 300; ++i) {
                breaker.force(i % 3 == 0 ? BreakerForce::Open
                        : i % 3 == 1     ? BreakerForce::Closed
                                         : BreakerForce::Auto);
                BreakerConfig c = config;
                c.windowSize = 5 + i % 20;
                breaker.retune(c);
                clock.advanceMs(1);
                (void)breaker.snapshot();
                QThread::yieldCurrentThread();
            }
            return;
        }
        for (int i = 0; i < PerThread; ++i) {
            if (!breaker.tryAcquire()) {
                refused.fetch_add(1);
                continue;
            }
            let.fetch_add(1);
            if ((i + index) % 3 == 0) {
                failed.fetch_add(1);
                breaker.recordFailure();
            } else if ((i + index) % 7 == 0) {
                breaker.release();
            } else {
                breaker.recordSuccess();
            }
        }
    });
    breaker.force(BreakerForce::Auto);
    const BreakerSnapshot s = breaker.snapshot();
    QCOMPARE(s.calls, let.load());
    QCOMPARE(s.rejections, refused.load());
    QCOMPARE(s.failures, failed.load());
    QCOMPARE(toString(s.state), toString(BreakerState::Closed));
    QVERIFY(s.windowFailures >= 0 && s.windowFailures <= s.config.windowSize);
    QVERIFY(transitions.load() > 0);
}

QTEST_GUILESS_MAIN(TestCircuitBreakerThreads)
#include "tst_circuitbreaker_threads.moc"
