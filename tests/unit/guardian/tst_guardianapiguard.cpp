// The guard in front of the API: the sliding request window (warning, then 429 with a
// Retry-After that tells the truth), the ignore list, failed token checks from every source,
// isolation (403) and LOCKDOWN (probes only from beyond loopback, the token on loopback).
#include "core/clock.h"
#include "guardian/guardianapiguard.h"
#include "guardiancompare.h"

#include <QTest>

#include <atomic>
#include <thread>

using namespace Shivx;
using D = ApiGuard::Decision;

namespace {

const QString Path = QStringLiteral("/api/guardian");

struct Fixture
{
    explicit Fixture(ApiGuardRules rules = {})
        : guard(rules, &clock, [this](const ThreatEvent &e) { events.append(e); })
    {
    }
    ManualClock clock { 1'700'000'040'000 }; // a whole minute: slices line up with seconds
    QList<ThreatEvent> events;
    GuardianApiGuard guard;
};

ApiGuardRules noIgnore()
{
    ApiGuardRules r;
    r.ignore.clear();
    return r;
}

QHostAddress addr(const char *text)
{
    return QHostAddress(QString::fromLatin1(text));
}

} // namespace

class TstGuardianApiGuard : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sourceKeys()
    {
        QCOMPARE(SourceKey::of(addr("::ffff:127.0.0.2")), SourceKey::of(addr("127.0.0.2")));
        QCOMPARE(SourceKey::of(addr("::ffff:127.0.0.2")).toString(), QStringLiteral("127.0.0.2"));
        QCOMPARE(SourceKey::of(addr("2001:db8::1")).toString(), QStringLiteral("2001:db8::1"));
        QVERIFY(SourceKey::of(addr("127.255.0.9")).isLoopback());
        QVERIFY(SourceKey::of(addr("::1")).isLoopback());
        QVERIFY(!SourceKey::of(addr("128.0.0.1")).isLoopback());
        QVERIFY(!SourceKey::of(addr("::2")).isLoopback());
        const SourceMatcher m({ QStringLiteral("10.1.0.0/16"), QStringLiteral("2001:db8::/32"),
            QStringLiteral("192.0.2.7") });
        QVERIFY(m.contains(SourceKey::of(addr("10.1.255.3"))));
        QVERIFY(!m.contains(SourceKey::of(addr("10.2.0.1"))));
        QVERIFY(m.contains(SourceKey::of(addr("2001:db8:ffff::5"))));
        QVERIFY(m.contains(SourceKey::of(addr("::ffff:192.0.2.7"))));
        QVERIFY(!m.contains(SourceKey::of(addr("192.0.2.8"))));
        QVERIFY(!SourceMatcher::parseEntry(QStringLiteral("10.0.0.0/33")));
        QVERIFY(!SourceMatcher::parseEntry(QStringLiteral("example.org")));
    }

    void hundredRequestsWarnOncePerBurst()
    {
        Fixture f(noIgnore());
        for (int i = 0; i < 99; ++i)
            QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).decision, D::Allow);
        QVERIFY(f.events.isEmpty());
        QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).decision, D::Allow);
        QCOMPARE(f.events.size(), 1);
        QCOMPARE(f.events.at(0).type, QStringLiteral("api.request_rate"));
        QCOMPARE(toString(f.events.at(0).severity), toString(ThreatSeverity::Warning));
        QCOMPARE(f.events.at(0).source, QStringLiteral("127.0.0.2"));
        QCOMPARE(f.events.at(0).evidence, QStringLiteral("100 requests within 60 s"));
        for (int i = 0; i < 50; ++i)
            f.guard.admit(addr("127.0.0.2"), Path);
        QCOMPARE(f.events.size(), 1);
        // Another source has its own window.
        for (int i = 0; i < 99; ++i)
            f.guard.admit(addr("127.0.0.3"), Path);
        QCOMPARE(f.events.size(), 1);
        // Once the window has emptied, a new burst warns again.
        f.clock.advanceMs(61'000);
        for (int i = 0; i < 100; ++i)
            f.guard.admit(addr("127.0.0.2"), Path);
        QCOMPARE(f.events.size(), 2);
    }

    void aboveFiveHundredIs429WithRetryAfter()
    {
        Fixture f(noIgnore());
        // 300 requests at second 0, 200 at second 30: the limit is reached.
        for (int i = 0; i < 300; ++i)
            QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).decision, D::Allow);
        f.clock.advanceMs(30'000);
        for (int i = 0; i < 200; ++i)
            QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).decision, D::Allow);
        ApiGuard::Verdict v = f.guard.admit(addr("127.0.0.2"), Path);
        QCOMPARE(v.decision, D::Refuse);
        QCOMPARE(v.status, 429);
        QCOMPARE(v.code, QStringLiteral("guardian.rate_limited"));
        // The 300 of second 0 leave the window at second 60: 30 s from now.
        QCOMPARE(v.retryAfterSeconds, 30);
        QCOMPARE(f.guard.refusedRateLimited(), quint64(1));
        QCOMPARE(f.events.last().type, QStringLiteral("api.rate_limited"));
        const int eventsBefore = f.events.size();
        for (int i = 0; i < 1000; ++i)
            QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).status, 429);
        QCOMPARE(f.events.size(), eventsBefore); // one event per burst, not per refusal
        // Other sources are not affected.
        QCOMPARE(f.guard.admit(addr("127.0.0.3"), Path).decision, D::Allow);
        // Refused requests do not count: after Retry-After the source is served again.
        f.clock.advanceMs(29'000);
        QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).status, 429);
        f.clock.advanceMs(1'000);
        QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).decision, D::Allow);
    }

    void ignoreListIsExemptFromRateLimits()
    {
        Fixture f; // default: 127.0.0.0/8 and ::1
        for (int i = 0; i < 2000; ++i)
            QCOMPARE(f.guard.admit(addr("127.0.0.2"), Path).decision, D::Allow);
        for (int i = 0; i < 2000; ++i)
            QCOMPARE(f.guard.admit(addr("::1"), Path).decision, D::Allow);
        QVERIFY(f.events.isEmpty());
        for (int i = 0; i < 500; ++i)
            QCOMPARE(f.guard.admit(addr("192.0.2.1"), Path).decision, D::Allow);
        QCOMPARE(f.guard.admit(addr("192.0.2.1"), Path).status, 429);
    }

    void tokenFailuresCountForLoopbackToo()
    {
        Fixture f; // loopback on the ignore list: still counted
        for (int i = 0; i < 4; ++i)
            f.guard.tokenRejected(addr("127.0.0.1"), Path);
        QVERIFY(f.events.isEmpty());
        f.guard.tokenRejected(addr("127.0.0.1"), Path);
        QCOMPARE(f.events.size(), 1);
        QCOMPARE(f.events.at(0).type, QStringLiteral("api.token_failures"));
        QCOMPARE(toString(f.events.at(0).severity), toString(ThreatSeverity::Warning));
        for (int i = 0; i < 4; ++i)
            f.guard.tokenRejected(addr("127.0.0.1"), Path);
        QCOMPARE(f.events.size(), 1);
        f.guard.tokenRejected(addr("127.0.0.1"), Path);
        QCOMPARE(f.events.size(), 2);
        QCOMPARE(toString(f.events.at(1).severity), toString(ThreatSeverity::Critical));
        QVERIFY(f.events.at(1).evidence.startsWith(QStringLiteral("10 failed token checks")));
        // The window is ten minutes: old failures fall out of it.
        f.clock.advanceMs(10 * 60'000 + 10'000);
        for (int i = 0; i < 4; ++i)
            f.guard.tokenRejected(addr("127.0.0.1"), Path);
        QCOMPARE(f.events.size(), 2);
    }

    void isolatedSourceGets403UntilItEnds()
    {
        Fixture f;
        f.guard.setIsolations({ { QStringLiteral("::ffff:192.0.2.9"), f.clock.nowMs() + 5000 } });
        ApiGuard::Verdict v = f.guard.admit(addr("192.0.2.9"), Path);
        QCOMPARE(v.decision, D::Refuse);
        QCOMPARE(v.status, 403);
        QCOMPARE(v.code, QStringLiteral("guardian.isolated"));
        QVERIFY2(v.message.contains(QStringLiteral("5 s")), qPrintable(v.message));
        QCOMPARE(f.guard.admit(addr("192.0.2.10"), Path).decision, D::Allow);
        // Ends at its time even before the controller's tick removes it.
        f.clock.advanceMs(5000);
        QCOMPARE(f.guard.admit(addr("192.0.2.9"), Path).decision, D::Allow);
        QCOMPARE(f.guard.refusedIsolated(), quint64(1));
        f.guard.setIsolations({});
    }

    void lockdownLeavesProbesAndTokenOnLoopback()
    {
        Fixture f;
        f.guard.setMode(DefenseMode::Lockdown);
        for (const char *path : { "/api/health/live", "/api/health/ready" }) {
            QCOMPARE(f.guard.admit(addr("192.0.2.1"), QLatin1String(path)).decision, D::Allow);
            QCOMPARE(f.guard.admit(addr("127.0.0.1"), QLatin1String(path)).decision, D::Allow);
        }
        for (const char *path : { "/metrics", "/api/guardian", "/api/health", "/nope" }) {
            const ApiGuard::Verdict v = f.guard.admit(addr("192.0.2.1"), QLatin1String(path));
            QCOMPARE(v.status, 403);
            QCOMPARE(v.code, QStringLiteral("guardian.lockdown"));
            QCOMPARE(
                f.guard.admit(addr("127.0.0.5"), QLatin1String(path)).decision, D::RequireToken);
            QCOMPARE(f.guard.admit(addr("::1"), QLatin1String(path)).decision, D::RequireToken);
        }
        f.guard.setMode(DefenseMode::Elevated);
        QCOMPARE(f.guard.admit(addr("192.0.2.1"), Path).decision, D::Allow);
        QCOMPARE(f.guard.admit(addr("127.0.0.1"), Path).decision, D::Allow);
    }

    void stopRaisingSilencesEvents()
    {
        Fixture f(noIgnore());
        f.guard.stopRaising();
        for (int i = 0; i < 10; ++i)
            f.guard.tokenRejected(addr("127.0.0.2"), Path);
        QVERIFY(f.events.isEmpty());
    }

    // The score's signals: pushed on the API thread, taken on the guardian's, none lost or
    // counted twice below the cap; above it the rest are dropped and counted.
    void scoreSignalsCrossThreads()
    {
        ManualClock clock;
        GuardianApiGuard guard(ApiGuardRules(), &clock, nullptr);
        constexpr int Requests = 50'000;
        std::atomic<bool> done { false };
        std::thread api([&] {
            const QHostAddress a(QStringLiteral("198.51.100.1"));
            const QString path = QStringLiteral("/api/guardian");
            for (int i = 0; i < Requests; ++i) {
                guard.answered(a, path, i % 2 ? 200 : 404);
                if (i % 1000 == 0)
                    guard.tokenRejected(a, path);
            }
            done = true;
        });
        qint64 answers = 0, failures = 0, errors = 0;
        auto take = [&] {
            for (const auto &s : guard.takeScoreSignals()) {
                QCOMPARE(s.source.toString(), QStringLiteral("198.51.100.1"));
                if (s.status == 0)
                    ++failures;
                else
                    ++answers;
                errors += s.status == 404;
            }
        };
        while (!done)
            take();
        api.join();
        take();
        QCOMPARE(answers, qint64(Requests));
        QCOMPARE(errors, qint64(Requests / 2));
        QCOMPARE(failures, qint64(Requests / 1000));
        QCOMPARE(guard.scoreSignalsDropped(), quint64(0));

        for (std::size_t i = 0; i < GuardianApiGuard::MaxPendingSignals + 10; ++i)
            guard.answered(QHostAddress(QStringLiteral("198.51.100.2")), QStringLiteral("/"), 200);
        QCOMPARE(guard.takeScoreSignals().size(), GuardianApiGuard::MaxPendingSignals);
        QCOMPARE(guard.scoreSignalsDropped(), quint64(10));
    }
};

QTEST_GUILESS_MAIN(TstGuardianApiGuard)
#include "tst_guardianapiguard.moc"
