#include "audit/auditsink.h"
#include "core/clock.h"
#include "recordingauditsink.h"
#include "recovery/breakerregistry.h"

#include <QMutex>
#include <QSignalSpy>
#include <QTest>

using namespace Shivx;

namespace {

// Keeps what was recorded, to check the audit trail of transitions and forces.

BreakerConfig threshold(int n)
{
    BreakerConfig c;
    c.failureThreshold = n;
    c.recoveryTimeoutMs = 1000;
    return c;
}

void fail(CircuitBreaker &b, int times)
{
    for (int i = 0; i < times; ++i) {
        if (b.tryAcquire())
            b.recordFailure();
    }
}

} // namespace

class TestBreakerRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void configureCreatesOncePerName();
    void configureRetunesKeepingStateAndCounts();
    void snapshotsAreSortedByName();
    void transitionsAreSignalledAndAudited();
    void forceIsAuditedWithActor();
    void forceUnknownNameFails();
    void removedBreakerSurvivesForItsHolder();
};

void TestBreakerRegistry::configureCreatesOncePerName()
{
    ManualClock clock;
    BreakerRegistry registry(&clock);
    auto a = registry.configure(QStringLiteral("a"), threshold(2));
    auto again = registry.configure(QStringLiteral("a"), threshold(2));
    QCOMPARE(a.get(), again.get());
    QCOMPARE(registry.find(QStringLiteral("a")).get(), a.get());
    QVERIFY(!registry.find(QStringLiteral("b")));
}

void TestBreakerRegistry::configureRetunesKeepingStateAndCounts()
{
    ManualClock clock;
    BreakerRegistry registry(&clock);
    auto a = registry.configure(QStringLiteral("a"), threshold(2));
    fail(*a, 3); // two failures open it, the third is rejected
    registry.configure(QStringLiteral("a"), threshold(9));
    const BreakerSnapshot s = registry.snapshots().constFirst();
    QCOMPARE(toString(s.state), toString(BreakerState::Open));
    QCOMPARE(s.failures, quint64(2));
    QCOMPARE(s.rejections, quint64(1));
    QCOMPARE(s.config.failureThreshold, 9);
}

void TestBreakerRegistry::snapshotsAreSortedByName()
{
    BreakerRegistry registry;
    for (const char *name : { "web", "db", "cache" })
        registry.configure(QString::fromLatin1(name), BreakerConfig {});
    QStringList names;
    for (const BreakerSnapshot &s : registry.snapshots())
        names << s.name;
    QCOMPARE(names, (QStringList { "cache", "db", "web" }));
}

void TestBreakerRegistry::transitionsAreSignalledAndAudited()
{
    ManualClock clock;
    RecordingAuditSink sink;
    BreakerRegistry registry(&clock, &sink);
    QSignalSpy spy(&registry, &BreakerRegistry::transitioned);
    auto db = registry.configure(QStringLiteral("db"), threshold(2));
    fail(*db, 2);
    clock.advanceMs(1000);
    QVERIFY(db->tryAcquire());
    db->recordSuccess();

    QCOMPARE(spy.size(), 3);
    QCOMPARE(toString(spy.at(0).at(0).value<BreakerTransition>().to), toString(BreakerState::Open));
    const QList<AuditEvent> events = sink.events();
    QStringList actions;
    for (const AuditEvent &e : events) {
        QCOMPARE(e.stream, QStringLiteral("resilience"));
        QCOMPARE(e.actor, QStringLiteral("engine"));
        QCOMPARE(e.data.value(QStringLiteral("breaker")).toString(), QStringLiteral("db"));
        actions << e.action;
    }
    QCOMPARE(actions, (QStringList { "breaker.opened", "breaker.half_opened", "breaker.closed" }));
    QCOMPARE(events.at(0).data.value(QStringLiteral("reason")).toString(),
        QStringLiteral("2 consecutive failures"));
    QCOMPARE(events.at(0).tsMs, clock.nowMs() - 1000);
}

void TestBreakerRegistry::forceIsAuditedWithActor()
{
    ManualClock clock;
    RecordingAuditSink sink;
    BreakerRegistry registry(&clock, &sink);
    registry.configure(QStringLiteral("db"), threshold(2));
    const auto forced
        = registry.force(QStringLiteral("db"), BreakerForce::Open, QStringLiteral("cli:alice"));
    QVERIFY(forced);
    QCOMPARE(toString(forced->state), toString(BreakerState::Open));
    QCOMPARE(toString(forced->force), toString(BreakerForce::Open));

    const QList<AuditEvent> events = sink.events();
    QCOMPARE(events.size(), 2); // the transition, then the operator action
    QCOMPARE(events.at(0).action, QStringLiteral("breaker.opened"));
    const AuditEvent &op = events.at(1);
    QCOMPARE(op.stream, QStringLiteral("operator"));
    QCOMPARE(op.actor, QStringLiteral("cli:alice"));
    QCOMPARE(op.action, QStringLiteral("breaker.forced"));
    QCOMPARE(op.data.value(QStringLiteral("force")).toString(), QStringLiteral("open"));
    QCOMPARE(op.data.value(QStringLiteral("previous_state")).toString(), QStringLiteral("closed"));
}

void TestBreakerRegistry::forceUnknownNameFails()
{
    RecordingAuditSink sink;
    BreakerRegistry registry(nullptr, &sink);
    const auto r
        = registry.force(QStringLiteral("nope"), BreakerForce::Open, QStringLiteral("api"));
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("breaker.not_found"));
    QVERIFY(r.error().message.contains(QLatin1String("\"nope\"")));
    QVERIFY(sink.events().isEmpty());
}

void TestBreakerRegistry::removedBreakerSurvivesForItsHolder()
{
    BreakerRegistry registry;
    auto held = registry.configure(QStringLiteral("gone"), threshold(1));
    registry.remove(QStringLiteral("gone"));
    QVERIFY(registry.snapshots().isEmpty());
    fail(*held, 1);
    QCOMPARE(toString(held->state()), toString(BreakerState::Open));
}

QTEST_GUILESS_MAIN(TestBreakerRegistry)
#include "tst_breakerregistry.moc"
