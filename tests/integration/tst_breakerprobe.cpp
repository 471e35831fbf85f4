#include "core/clock.h"
#include "recovery/breakerregistry.h"
#include "targetmonitorfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace ShivxTest;

// The probe path through a real circuit breaker against a real HTTP server on loopback:
// the server is switched healthy -> failing -> healthy and the breaker must open, keep
// probes off the wire, let a trial through after the recovery timeout, and close. The
// breaker runs on a ManualClock, so the recovery timeout passes when the test says so.
class TestBreakerProbe : public QObject, public TargetMonitorFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { checkPrerequisites(); }
    void cleanup() { reapChildren(); }

    void breakerOpensRejectsHalfOpensAndCloses();
    void failedTrialReopens();
    void retriesRunBeforeAFailureCounts();
    void forcedOpenStopsProbesOfAHealthyTarget();
    void reconfiguringKeepsTheBreaker();

private:
    static TargetSpec guarded(const TestHttpServer &server)
    {
        TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
        spec.breaker.failureThreshold = 3;
        spec.breaker.failureRatePercent = 0;
        spec.breaker.recoveryTimeoutMs = 60'000;
        return spec;
    }
    // Starts `monitor` probing `spec` through a breaker of `registry`.
    static void probeThrough(
        BreakerRegistry &registry, TargetMonitor &monitor, const TargetSpec &spec)
    {
        monitor.setBreakers(&registry);
        monitor.setTargets({ spec });
        monitor.start();
    }
    static BreakerSnapshot breakerOf(const BreakerRegistry &registry)
    {
        const QList<BreakerSnapshot> list = registry.snapshots();
        return list.isEmpty() ? BreakerSnapshot {} : list.constFirst();
    }
};

void TestBreakerProbe::breakerOpensRejectsHalfOpensAndCloses()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    ManualClock clock;
    BreakerRegistry registry(&clock);
    QSignalSpy transitions(&registry, &BreakerRegistry::transitioned);
    TargetMonitor monitor;
    probeThrough(registry, monitor, guarded(server));

    QTRY_COMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("UP"));
    QCOMPARE(toString(breakerOf(registry).state), QStringLiteral("closed"));

    // Failures so far: none, unless a slow (sanitizer) run timed a healthy probe out.
    const quint64 failuresBefore = breakerOf(registry).failures;
    server.setMode(TestHttpServer::WrongStatus);
    QTRY_COMPARE(toString(breakerOf(registry).state), QStringLiteral("open"));
    QCOMPARE(breakerOf(registry).lastReason.text, QStringLiteral("3 consecutive failures"));
    // Open: the target shows why (the last probe's error, then the open breaker), and no
    // request reaches the server any more.
    QTRY_COMPARE(statusOf(monitor, QStringLiteral("web")).lastError.text,
        QStringLiteral("HTTP 503 (expected 200); circuit open"));
    QCOMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("DOWN"));
    const int sent = server.requests(QStringLiteral("/health"));
    QTRY_VERIFY(breakerOf(registry).rejections >= 5); // five 100 ms intervals
    QCOMPARE(server.requests(QStringLiteral("/health")), sent);
    QCOMPARE(breakerOf(registry).failures, failuresBefore + 3);
    QCOMPARE(breakerOf(registry).consecutiveFailures, 3);

    // Healthy again, but the breaker keeps probes off until the recovery timeout passes.
    server.setMode(TestHttpServer::Healthy);
    clock.advanceMs(60'000);
    QTRY_COMPARE(toString(breakerOf(registry).state), QStringLiteral("closed"));
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("UP"));
    QVERIFY(server.requests(QStringLiteral("/health")) > sent);

    QStringList seen;
    for (const auto &args : std::as_const(transitions)) {
        const auto t = args.at(0).value<BreakerTransition>();
        seen << toString(t.from) + QLatin1Char('>') + toString(t.to);
    }
    QCOMPARE(seen, (QStringList { "closed>open", "open>half_open", "half_open>closed" }));
    monitor.stop();
}

void TestBreakerProbe::failedTrialReopens()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    server.setMode(TestHttpServer::WrongStatus);
    ManualClock clock;
    BreakerRegistry registry(&clock);
    TargetMonitor monitor;
    probeThrough(registry, monitor, guarded(server));

    QTRY_COMPARE(toString(breakerOf(registry).state), QStringLiteral("open"));
    QTRY_VERIFY(breakerOf(registry).rejections >= 1);
    const int sent = server.requests(QStringLiteral("/health"));
    QCOMPARE(sent, 3);
    clock.advanceMs(60'000);
    // Exactly one trial goes out, fails, and the breaker opens again for a new timeout.
    QTRY_COMPARE(server.requests(QStringLiteral("/health")), sent + 1);
    QTRY_COMPARE(breakerOf(registry).lastReason.text, QStringLiteral("trial call failed"));
    QCOMPARE(toString(breakerOf(registry).state), QStringLiteral("open"));
    const quint64 rejected = breakerOf(registry).rejections;
    QTRY_VERIFY(breakerOf(registry).rejections >= rejected + 3);
    QCOMPARE(server.requests(QStringLiteral("/health")), sent + 1);
    monitor.stop();
}

void TestBreakerProbe::retriesRunBeforeAFailureCounts()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    server.setMode(TestHttpServer::WrongStatus);
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
    spec.intervalMs = 5000; // one check in this test, retried
    spec.breaker.failureThreshold = 100;
    spec.breaker.failureRatePercent = 0;
    spec.retry.maxAttempts = 3;
    spec.retry.initialDelayMs = 50;
    spec.retry.jitter = 0;
    BreakerRegistry registry;
    TargetMonitor monitor;
    probeThrough(registry, monitor, spec);

    QTRY_COMPARE(statusOf(monitor, QStringLiteral("web")).checks, quint64(1));
    // Three requests, each through the breaker, make one failed check.
    QCOMPARE(server.requests(QStringLiteral("/health")), 3);
    QCOMPARE(breakerOf(registry).calls, quint64(3));
    QCOMPARE(breakerOf(registry).failures, quint64(3));
    QCOMPARE(statusOf(monitor, QStringLiteral("web")).failures, quint64(1));
    QCOMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("DOWN"));
    monitor.stop();
}

void TestBreakerProbe::forcedOpenStopsProbesOfAHealthyTarget()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    BreakerRegistry registry;
    TargetMonitor monitor;
    probeThrough(registry, monitor, guarded(server));
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("UP"));

    QVERIFY(registry.force(QStringLiteral("web"), BreakerForce::Open, QStringLiteral("api")));
    // The last probe succeeded: there is no error to show but the open breaker.
    QTRY_COMPARE(
        statusOf(monitor, QStringLiteral("web")).lastError.text, QStringLiteral("circuit open"));
    const int sent = server.requests(QStringLiteral("/health"));
    QTRY_VERIFY(breakerOf(registry).rejections >= 3);
    QCOMPARE(server.requests(QStringLiteral("/health")), sent);

    QVERIFY(registry.force(QStringLiteral("web"), BreakerForce::Auto, QStringLiteral("api")));
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("UP"));
    QVERIFY(server.requests(QStringLiteral("/health")) > sent);
    monitor.stop();
}

void TestBreakerProbe::reconfiguringKeepsTheBreaker()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    server.setMode(TestHttpServer::WrongStatus);
    ManualClock clock;
    BreakerRegistry registry(&clock);
    TargetMonitor monitor;
    TargetSpec spec = guarded(server);
    probeThrough(registry, monitor, spec);
    QTRY_COMPARE(toString(breakerOf(registry).state), QStringLiteral("open"));

    spec.breaker.failureThreshold = 10;
    monitor.setTargets({ spec });
    BreakerSnapshot after = breakerOf(registry);
    QCOMPARE(toString(after.state), QStringLiteral("open"));
    QCOMPARE(after.failures, quint64(3));
    QCOMPARE(after.config.failureThreshold, 10);

    monitor.setTargets({});
    QVERIFY(registry.snapshots().isEmpty());
    monitor.stop();
}

QTEST_GUILESS_MAIN(TestBreakerProbe)
#include "tst_breakerprobe.moc"
