// ThreatScore: each feature moves the score by the points its explanation names, the
// explanation always sums to the total, and the rate is judged against the learned baseline
// of the source's class. On a manual clock.
#include "core/clock.h"
#include "guardian/detectors/threatscore.h"

#include <QTest>

using namespace Shivx;

namespace {

double sum(const ThreatAssessment &a)
{
    double s = 0;
    for (const auto &f : a.features) {
        if (f.points < 0 || f.points > f.maxPoints)
            qFatal("%s: %f outside [0, %f]", qPrintable(f.name), f.points, f.maxPoints);
        s += f.points;
    }
    return s;
}

void verifyExplained(const ThreatAssessment &a)
{
    QVERIFY(qAbs(sum(a) - a.score) < 1e-9);
    double max = 0;
    for (const auto &f : a.features) {
        max += f.maxPoints;
        QVERIFY2(!f.detail.text.isEmpty(), qPrintable(f.name));
        QVERIFY2(f.detail.code.startsWith(QStringLiteral("threat.")), qPrintable(f.name));
    }
    QCOMPARE(max, 100.0);
}

// Ten public sources make ten requests each in one window: the public baseline becomes 10.
void learnPublicBaseline(ThreatScore &t, ManualClock &clock, int perSource = 10)
{
    for (int s = 0; s < 10; ++s)
        for (int i = 0; i < perSource; ++i)
            t.recordRequest(QStringLiteral("198.51.100.%1").arg(s), "/", 200);
    clock.advanceMs(60'000);
}

} // namespace

class TstThreatScore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quietSourceScoresZeroWithAnExplanation()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        const auto a = t.assess(QStringLiteral("203.0.113.1"));
        QCOMPARE(a.score, 0.0);
        QCOMPARE(a.sourceClass, QStringLiteral("public"));
        QCOMPARE(a.features.size(), 5);
        verifyExplained(a);
    }

    void rateAgainstTheLearnedClassBaseline()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        t.recordRequest(QStringLiteral("198.51.100.0"), "/", 200); // opens the first window
        learnPublicBaseline(t, clock);
        QCOMPARE(t.baseline(QStringLiteral("public")), 101.0 / 10); // 101 requests, 10 sources
        QCOMPARE(t.baseline(QStringLiteral("private")), -1.0);
        for (int i = 0; i < 10; ++i)
            t.recordRequest(QStringLiteral("198.51.100.1"), "/", 200);
        for (int i = 0; i < 61; ++i)
            t.recordRequest(QStringLiteral("203.0.113.7"), "/", 200);
        QCOMPARE(t.assess(QStringLiteral("198.51.100.1")).pointsOf(QStringLiteral("rate")), 0.0);
        const auto a = t.assess(QStringLiteral("203.0.113.7"));
        // 61 / 10.1 = 6.04x; 30 points * (6.04 - 1) / (10 - 1)
        QVERIFY(qAbs(a.pointsOf(QStringLiteral("rate")) - 30 * (61 / 10.1 - 1) / 9) < 1e-9);
        QCOMPARE(a.score, a.pointsOf(QStringLiteral("rate")));
        QVERIFY2(
            a.features.first().detail.text.contains(QStringLiteral("the public baseline of 10.1")),
            qPrintable(a.features.first().detail.text));
        verifyExplained(a);
        // The same count from a private address is judged against the floor (no private
        // baseline yet): 61 / 10 = 6.1x.
        for (int i = 0; i < 61; ++i)
            t.recordRequest(QStringLiteral("10.1.2.3"), "/", 200);
        QVERIFY(qAbs(t.assess(QStringLiteral("10.1.2.3")).pointsOf(QStringLiteral("rate"))
                    - 30 * 5.1 / 9)
            < 1e-9);
    }

    void baselineIsAnEwmaOverWindows()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        t.assess(QStringLiteral("x")); // opens the first window
        learnPublicBaseline(t, clock, 10);
        QCOMPARE(t.baseline(QStringLiteral("public")), 10.0);
        learnPublicBaseline(t, clock, 20);
        QCOMPARE(t.baseline(QStringLiteral("public")), 0.2 * 20 + 0.8 * 10);
        clock.advanceMs(600'000); // quiet windows leave it as it was
        QCOMPARE(t.baseline(QStringLiteral("public")), 12.0);
    }

    void authFailuresMoveTheScore()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        for (int i = 0; i < 4; ++i)
            t.recordAuthFailure(QStringLiteral("127.0.0.1"));
        const auto a = t.assess(QStringLiteral("127.0.0.1"));
        QCOMPARE(a.pointsOf(QStringLiteral("auth_failures")), 25.0 * 4 / 10);
        QCOMPARE(a.score, 10.0);
        QCOMPARE(a.sourceClass, QStringLiteral("loopback"));
        verifyExplained(a);
        for (int i = 0; i < 20; ++i)
            t.recordAuthFailure(QStringLiteral("127.0.0.1"));
        QCOMPARE(t.assess(QStringLiteral("127.0.0.1")).score, 25.0); // capped at its maximum
        clock.advanceMs(60'000);
        QCOMPARE(t.assess(QStringLiteral("127.0.0.1")).score, 0.0); // out of the window
    }

    void distinctPathsMoveTheScore()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        for (int i = 0; i < 55; ++i)
            t.recordRequest(
                QStringLiteral("192.168.1.20"), QByteArray("/probe/") + QByteArray::number(i), 200);
        for (int i = 0; i < 20; ++i)
            t.recordRequest(QStringLiteral("192.168.1.20"), "/probe/1", 200); // not distinct
        const auto a = t.assess(QStringLiteral("192.168.1.20"));
        QCOMPARE(a.pointsOf(QStringLiteral("distinct_paths")), 15.0 * (55 - 10) / 90);
        QVERIFY(a.features.at(2).detail.text.startsWith(QStringLiteral("55 distinct paths in 1m")));
        verifyExplained(a);
    }

    void errorRatioMovesTheScoreFromFiveRequests()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        for (int i = 0; i < 2; ++i)
            t.recordRequest(QStringLiteral("::1"), "/", 404);
        QCOMPARE(t.assess(QStringLiteral("::1")).pointsOf(QStringLiteral("error_ratio")), 0.0);
        for (int i = 0; i < 2; ++i)
            t.recordRequest(QStringLiteral("::1"), "/", 401);
        for (int i = 0; i < 4; ++i)
            t.recordRequest(QStringLiteral("::1"), "/", 200);
        const auto a = t.assess(QStringLiteral("::1")); // 4 of 8 failed: 0.5
        QCOMPARE(a.pointsOf(QStringLiteral("error_ratio")), 15.0 * (0.5 - 0.2) / 0.6);
        QCOMPARE(a.sourceClass, QStringLiteral("loopback"));
        verifyExplained(a);
    }

    void watcherHitsMoveTheScoreAndNameTheWatchers()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        t.recordWatcherHit(QStringLiteral("203.0.113.5"), QStringLiteral("sshd"));
        t.recordWatcherHit(QStringLiteral("203.0.113.5"), QStringLiteral("web-4xx"));
        const auto a = t.assess(QStringLiteral("203.0.113.5"));
        QCOMPARE(a.pointsOf(QStringLiteral("watchers")), 10.0);
        QVERIFY(a.features.last().detail.text.endsWith(QStringLiteral("(sshd, web-4xx)")));
        verifyExplained(a);
        clock.advanceMs(30 * 60'000); // within the watcher window, past the request window
        QCOMPARE(t.assess(QStringLiteral("203.0.113.5")).score, 10.0);
        clock.advanceMs(30 * 60'000);
        QCOMPARE(t.assess(QStringLiteral("203.0.113.5")).score, 0.0);
    }

    void everythingAtOnceReachesOneHundred()
    {
        ManualClock clock;
        ThreatScore t({}, &clock);
        const QString s = QStringLiteral("203.0.113.66");
        for (int i = 0; i < 300; ++i)
            t.recordRequest(s, QByteArray("/x") + QByteArray::number(i), 404);
        for (int i = 0; i < 10; ++i)
            t.recordAuthFailure(s);
        for (int i = 0; i < 3; ++i)
            t.recordWatcherHit(s, QStringLiteral("sshd"));
        const auto a = t.assess(s);
        QCOMPARE(a.score, 100.0);
        verifyExplained(a);
    }

    void sourceClasses_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("cls");
        QTest::newRow("127.0.0.1") << "127.0.0.1"
                                   << "loopback";
        QTest::newRow("127.9.8.7") << "127.9.8.7"
                                   << "loopback";
        QTest::newRow("::1") << "::1"
                             << "loopback";
        QTest::newRow("10/8") << "10.0.0.1"
                              << "private";
        QTest::newRow("172.16/12") << "172.31.255.1"
                                   << "private";
        QTest::newRow("192.168/16") << "192.168.0.1"
                                    << "private";
        QTest::newRow("fd00::/8") << "fd12::1"
                                  << "private";
        QTest::newRow("link-local") << "fe80::1"
                                    << "private";
        QTest::newRow("v4-mapped private") << "::ffff:10.0.0.1"
                                           << "private";
        QTest::newRow("public v4") << "203.0.113.1"
                                   << "public";
        QTest::newRow("public v6") << "2001:db8::1"
                                   << "public";
        QTest::newRow("host name") << "example.com"
                                   << "name";
    }

    void sourceClasses()
    {
        QFETCH(QString, source);
        QFETCH(QString, cls);
        QCOMPARE(ThreatScore::sourceClass(source), cls);
    }
};

QTEST_GUILESS_MAIN(TstThreatScore)
#include "tst_threatscore.moc"
