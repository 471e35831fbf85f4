// The degradation state machine on a manual clock: every threshold, the hysteresis on the
// way back, a noisy score that must not flap, and operator pins with expiry and release.
#include "core/clock.h"
#include "degradation/degradationpolicy.h"

#include <QTest>

using namespace Shivx;
using L = DegradationLevel;

namespace {

// One step of a scenario: let `advanceMs` pass, feed `score`, expect `level` in effect.
struct Step
{
    qint64 advanceMs;
    double score;
    L level;
};

// `count` scores `everyMs` apart, all expecting the same level.
QList<Step> repeat(int count, qint64 everyMs, double score, L level)
{
    return QList<Step>(count, Step { everyMs, score, level });
}

} // namespace

Q_DECLARE_METATYPE(QList<Step>)

class TstDegradationPolicy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void noScoreYetStaysNormal()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        QCOMPARE(toString(p.level()), toString(L::Normal));
        QVERIFY(!p.hasScore());
        QCOMPARE(p.reason().text, QStringLiteral("no score yet"));
        clock.advanceMs(3'600'000);
        QVERIFY(!p.tick());
        QCOMPARE(toString(p.level()), toString(L::Normal));
        QCOMPARE(p.reason().text, QStringLiteral("no score yet"));
    }

    void scenario_data()
    {
        QTest::addColumn<QList<Step>>("steps");
        QTest::newRow("score 90 -> NORMAL, nothing happens")
            << QList<Step> { { 0, 90, L::Normal } };
        QTest::newRow("exactly 80 is still NORMAL") << QList<Step> { { 0, 80, L::Normal } };
        QTest::newRow("79.9 -> LEVEL_1 at once")
            << QList<Step> { { 0, 90, L::Normal }, { 1000, 79.9, L::Level1 } };
        QTest::newRow("exactly 60 is LEVEL_1") << QList<Step> { { 0, 60, L::Level1 } };
        QTest::newRow("59.9 -> LEVEL_2") << QList<Step> { { 0, 59.9, L::Level2 } };
        QTest::newRow("exactly 50 is LEVEL_2") << QList<Step> { { 0, 50, L::Level2 } };
        QTest::newRow("49.9 -> LEVEL_3") << QList<Step> { { 0, 49.9, L::Level3 } };
        QTest::newRow("exactly 30 is LEVEL_3") << QList<Step> { { 0, 30, L::Level3 } };
        QTest::newRow("29.9 -> EMERGENCY") << QList<Step> { { 0, 29.9, L::Emergency } };
        QTest::newRow("0 -> EMERGENCY") << QList<Step> { { 0, 0, L::Emergency } };
        QTest::newRow("NORMAL -> EMERGENCY in one step, no stops between")
            << QList<Step> { { 0, 95, L::Normal }, { 1000, 10, L::Emergency } };
        QTest::newRow("worse and worse, each at once") << QList<Step> { { 0, 70, L::Level1 },
            { 1000, 55, L::Level2 }, { 1000, 40, L::Level3 }, { 1000, 20, L::Emergency } };
        QTest::newRow("first score below a threshold degrades at once")
            << QList<Step> { { 0, 45, L::Level3 } };

        QList<Step> hold { { 0, 40, L::Level3 } };
        hold += repeat(60, 1000, 90, L::Level3); // the hold starts at the first good score
        hold += Step { 1000, 90, L::Normal };
        QTest::newRow("recovery waits the 60 s hold, then goes straight to NORMAL") << hold;

        QList<Step> dip { { 0, 40, L::Level3 } };
        dip += repeat(50, 1000, 90, L::Level3);
        dip += Step { 1000, 45, L::Level3 }; // back in LEVEL_3's band: the hold starts again
        dip += repeat(60, 1000, 90, L::Level3);
        dip += Step { 1000, 90, L::Normal };
        QTest::newRow("a dip during the hold resets it") << dip;

        QList<Step> partial { { 0, 40, L::Level3 } };
        partial += repeat(30, 1000, 90, L::Level3);
        partial += Step { 1000, 70, L::Level3 }; // better than LEVEL_3, but only LEVEL_1
        partial += repeat(29, 1000, 90, L::Level3);
        partial += Step { 1000, 90, L::Level1 }; // 60 s after the hold began: the worst seen
        partial += repeat(59, 1000, 90, L::Level1);
        partial += Step { 1000, 90, L::Normal };
        QTest::newRow("recovery reaches the worst level seen during the hold, one hold per step")
            << partial;

        QList<Step> worseDuringHold { { 0, 55, L::Level2 } };
        worseDuringHold += repeat(30, 1000, 85, L::Level2);
        worseDuringHold += Step { 1000, 20, L::Emergency };
        worseDuringHold += repeat(60, 1000, 85, L::Emergency);
        worseDuringHold += Step { 1000, 85, L::Normal };
        QTest::newRow("a drop during the hold applies at once and voids the hold")
            << worseDuringHold;

        QList<Step> slow { { 0, 40, L::Level3 }, { 1000, 90, L::Level3 }, { 59'999, 90, L::Level3 },
            { 1, 90, L::Normal } };
        QTest::newRow("two samples 60 s apart are enough (hold measured on the clock)") << slow;
    }

    void scenario()
    {
        QFETCH(QList<Step>, steps);
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        for (int i = 0; i < steps.size(); ++i) {
            const Step &s = steps.at(i);
            clock.advanceMs(s.advanceMs);
            const L before = p.level();
            const auto t = p.observe(s.score);
            QVERIFY2(p.level() == s.level,
                qPrintable(QStringLiteral("step %1 (score %2): level %3, expected %4")
                               .arg(i)
                               .arg(s.score)
                               .arg(toString(p.level()), toString(s.level))));
            QCOMPARE(bool(t), before != s.level);
            if (t) {
                QCOMPARE(toString(t->from), toString(before));
                QCOMPARE(toString(t->to), toString(s.level));
                QVERIFY(t->hasScore);
                QCOMPARE(t->score, s.score);
                QCOMPARE(t->atMs, clock.nowMs());
                QCOMPARE(p.sinceMs(), clock.nowMs());
                QCOMPARE(toString(t->cause),
                    toString(s.level > before ? DegradationTransition::Cause::Score
                                              : DegradationTransition::Cause::Recovery));
                QCOMPARE(p.reason(), t->reason);
            }
        }
    }

    // A score bouncing across the NORMAL threshold every second for ten minutes: one step
    // down, one (held) step back, and then no flapping at all.
    void noisyScoreDoesNotFlap()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        int transitions = 0;
        if (p.observe(55))
            ++transitions;
        QCOMPARE(toString(p.level()), toString(L::Level2));
        for (int i = 0; i < 600; ++i) {
            clock.advanceMs(1000);
            if (p.observe(i % 2 ? 65 : 85))
                ++transitions;
            if (i >= 60)
                QCOMPARE(toString(p.level()), toString(L::Level1));
        }
        QCOMPARE(transitions, 2); // NORMAL -> LEVEL_2, LEVEL_2 -> LEVEL_1
        QCOMPARE(toString(p.level()), toString(L::Level1));
    }

    void reasonsNameTheScore()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        auto t = p.observe(45.24);
        QVERIFY(t);
        QCOMPARE(t->reason.text, QStringLiteral("score 45.2 below 50.0"));
        QCOMPARE(t->reason.code, QStringLiteral("degradation.score_below"));
        QCOMPARE(t->reason.args, (QVariantList { 45.24, 50.0 }));
        clock.advanceMs(60'000);
        p.observe(92);
        clock.advanceMs(60'000);
        t = p.observe(92);
        QVERIFY(t);
        QCOMPARE(t->reason.text, QStringLiteral("score held at or above 80.0 for 1m"));
    }

    void customThresholdsAndHold()
    {
        DegradationConfig c;
        c.normalMin = 90;
        c.level1Min = 70;
        c.level2Min = 40;
        c.level3Min = 10;
        c.recoveryHoldMs = 5000;
        ManualClock clock;
        DegradationPolicy p(c, &clock);
        p.observe(85);
        QCOMPARE(toString(p.level()), toString(L::Level1));
        p.observe(39);
        QCOMPARE(toString(p.level()), toString(L::Level3));
        p.observe(9.9);
        QCOMPARE(toString(p.level()), toString(L::Emergency));
        clock.advanceMs(1000);
        p.observe(95);
        clock.advanceMs(4999);
        p.observe(95);
        QCOMPARE(toString(p.level()), toString(L::Emergency));
        clock.advanceMs(1);
        p.observe(95);
        QCOMPARE(toString(p.level()), toString(L::Normal));
    }

    void zeroHoldRecoversAtOnce()
    {
        DegradationConfig c;
        c.recoveryHoldMs = 0;
        ManualClock clock;
        DegradationPolicy p(c, &clock);
        p.observe(20);
        QCOMPARE(toString(p.level()), toString(L::Emergency));
        p.observe(65);
        QCOMPARE(toString(p.level()), toString(L::Level1));
        p.observe(99);
        QCOMPARE(toString(p.level()), toString(L::Normal));
    }

    void pinOverridesScoreUntilItExpires()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        p.observe(95);
        auto t = p.pin(
            L::Emergency, QStringLiteral("maintenance"), 30 * 60'000, QStringLiteral("cli:alice"));
        QVERIFY(t);
        QCOMPARE(toString(t->from), toString(L::Normal));
        QCOMPARE(toString(t->to), toString(L::Emergency));
        QCOMPARE(toString(t->cause), toString(DegradationTransition::Cause::Pin));
        QCOMPARE(t->actor, QStringLiteral("cli:alice"));
        QCOMPARE(t->score, 95.0);
        QVERIFY(p.isPinned());
        QCOMPARE(p.currentPin().untilMs, clock.nowMs() + 30 * 60'000);
        QCOMPARE(p.reason().text, QStringLiteral("pinned by cli:alice for 30m: maintenance"));

        // Scores keep arriving and move the automatic level, not the one in effect.
        clock.advanceMs(1000);
        QVERIFY(!p.observe(40));
        QCOMPARE(toString(p.level()), toString(L::Emergency));
        QCOMPARE(toString(p.automaticLevel()), toString(L::Level3));

        clock.advanceMs(30 * 60'000 - 1001);
        QVERIFY(!p.tick());
        QVERIFY(p.isPinned());
        clock.advanceMs(1);
        t = p.tick();
        QVERIFY(t);
        QCOMPARE(toString(t->cause), toString(DegradationTransition::Cause::Expiry));
        QCOMPARE(toString(t->to), toString(L::Level3));
        QCOMPARE(t->actor, QStringLiteral("engine"));
        QVERIFY(!p.isPinned());
        QVERIFY(t->reason.text.contains(QStringLiteral("expired")));
    }

    void pinExpiryIsNoticedByAScoreToo()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        p.observe(90);
        p.pin(L::Level2, QStringLiteral("drill"), 10'000, QStringLiteral("api"));
        clock.advanceMs(10'000);
        const auto t = p.observe(90);
        QVERIFY(t);
        QCOMPARE(toString(t->cause), toString(DegradationTransition::Cause::Expiry));
        QCOMPARE(toString(t->from), toString(L::Level2));
        QCOMPARE(toString(t->to), toString(L::Normal));
    }

    void pinBetterThanScoreThenRelease()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        p.observe(40);
        QCOMPARE(toString(p.level()), toString(L::Level3));
        auto t = p.pin(L::Normal, QStringLiteral("known false alarm"), 3'600'000,
            QStringLiteral("console:bob"));
        QVERIFY(t);
        QCOMPARE(toString(p.level()), toString(L::Normal));
        // The automatic level goes on with its hysteresis underneath the pin.
        for (int i = 0; i < 30; ++i) {
            clock.advanceMs(1000);
            QVERIFY(!p.observe(70));
        }
        QCOMPARE(toString(p.automaticLevel()), toString(L::Level3));
        t = p.release(QStringLiteral("console:bob"));
        QVERIFY(t);
        QCOMPARE(toString(t->cause), toString(DegradationTransition::Cause::Release));
        QCOMPARE(toString(t->to), toString(L::Level3));
        QCOMPARE(t->actor, QStringLiteral("console:bob"));
        QVERIFY(!p.isPinned());
        // The hold that ran during the pin still counts.
        clock.advanceMs(31'000);
        t = p.observe(70);
        QVERIFY(t);
        QCOMPARE(toString(t->to), toString(L::Level1));
    }

    void pinAtTheCurrentLevelIsRecordedWithoutTransition()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        p.observe(55);
        const qint64 since = p.sinceMs();
        clock.advanceMs(5000);
        QVERIFY(!p.pin(L::Level2, QStringLiteral("hold here"), 60'000, QStringLiteral("api")));
        QVERIFY(p.isPinned());
        QCOMPARE(p.sinceMs(), since);
        clock.advanceMs(1000);
        QVERIFY(!p.observe(99)); // pinned: no recovery
        QCOMPARE(toString(p.level()), toString(L::Level2));
        QVERIFY(!p.release(QStringLiteral("api"))); // the score still means LEVEL_2 (hold)
        QVERIFY(!p.isPinned());
    }

    void aNewPinReplacesTheOld()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        p.observe(90);
        p.pin(L::Level1, QStringLiteral("a"), 60'000, QStringLiteral("api"));
        const auto t = p.pin(L::Level3, QStringLiteral("b"), 120'000, QStringLiteral("api"));
        QVERIFY(t);
        QCOMPARE(toString(t->from), toString(L::Level1));
        QCOMPARE(toString(t->to), toString(L::Level3));
        QCOMPARE(p.currentPin().reason, QStringLiteral("b"));
        clock.advanceMs(60'000);
        QVERIFY(!p.tick());
        clock.advanceMs(60'000);
        QVERIFY(p.tick());
        QCOMPARE(toString(p.level()), toString(L::Normal));
    }

    void releaseWithoutPinDoesNothing()
    {
        ManualClock clock;
        DegradationPolicy p({}, &clock);
        p.observe(40);
        QVERIFY(!p.release(QStringLiteral("api")));
        QCOMPARE(toString(p.level()), toString(L::Level3));
    }
};

QTEST_GUILESS_MAIN(TstDegradationPolicy)
#include "tst_degradationpolicy.moc"
