// Every transition of the defense mode on a manual clock: up on warnings in a window, on a
// critical event, on a score, on a policy; down one level per quiet period; the operator's
// mode as a floor; and the state restored after a restart.
#include "core/clock.h"
#include "guardian/defensemodemachine.h"
#include "guardiancompare.h"

#include <QTest>

using namespace Shivx;
using M = DefenseMode;

namespace {

constexpr qint64 Minute = 60'000;

DefenseModeRules rules()
{
    DefenseModeRules r;
    r.elevateWarnings = 3;
    r.elevateWindowMs = 5 * Minute;
    r.lockdownOnCritical = true;
    r.elevateScore = 60;
    r.lockdownScore = 90;
    r.quietMs = 10 * Minute;
    return r;
}

ThreatEvent threat(ThreatSeverity s, int score = 0)
{
    return ThreatEvent { QStringLiteral("api.request_rate"), s, QStringLiteral("203.0.113.9"),
        QStringLiteral("evidence"), score, 0 };
}

} // namespace

class TstDefenseModeMachine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void warningsWithinWindowElevate()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        QVERIFY(!m.observe(threat(ThreatSeverity::Warning)));
        clock.advanceMs(Minute);
        QVERIFY(!m.observe(threat(ThreatSeverity::Warning)));
        clock.advanceMs(Minute);
        const auto c = m.observe(threat(ThreatSeverity::Warning));
        QVERIFY(c);
        QCOMPARE(toString(c->from), toString(M::Normal));
        QCOMPARE(toString(c->to), toString(M::Elevated));
        QCOMPARE(c->reason.code, QStringLiteral("guardian.mode.warnings"));
        QCOMPARE(c->actor, QStringLiteral("engine"));
        QCOMPARE(toString(m.mode()), toString(M::Elevated));
        // More warnings keep ELEVATED: warnings alone never lock down.
        QVERIFY(!m.observe(threat(ThreatSeverity::Warning)));
        QCOMPARE(toString(m.mode()), toString(M::Elevated));
    }

    void warningsOutsideWindowDoNotElevate()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        for (int i = 0; i < 6; ++i) {
            QVERIFY2(!m.observe(threat(ThreatSeverity::Warning)), qPrintable(QString::number(i)));
            clock.advanceMs(3 * Minute); // two in any 5-minute window, never three
        }
        QCOMPARE(toString(m.mode()), toString(M::Normal));
    }

    void infoEventsNeitherElevateNorBreakQuiet()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        for (int i = 0; i < 10; ++i)
            QVERIFY(!m.observe(threat(ThreatSeverity::Info)));
        QCOMPARE(toString(m.mode()), toString(M::Normal));
        m.set(M::Elevated, QStringLiteral("drill"), QStringLiteral("cli:alice"));
        m.set(M::Normal, QStringLiteral("drill over"), QStringLiteral("cli:alice"));
        QVERIFY(m.raiseTo(M::Elevated, Message::verbatim(QStringLiteral("policy"))));
        clock.advanceMs(9 * Minute);
        m.observe(threat(ThreatSeverity::Info));
        clock.advanceMs(Minute);
        const auto c = m.tick();
        QVERIFY(c);
        QCOMPARE(toString(c->to), toString(M::Normal));
    }

    void criticalLocksDownFromNormalAndElevated()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        auto c = m.observe(threat(ThreatSeverity::Critical));
        QVERIFY(c);
        QCOMPARE(toString(c->from), toString(M::Normal));
        QCOMPARE(toString(c->to), toString(M::Lockdown));
        QCOMPARE(c->reason.code, QStringLiteral("guardian.mode.critical"));

        DefenseModeMachine e(rules(), &clock);
        QVERIFY(e.raiseTo(M::Elevated, Message::verbatim(QStringLiteral("policy"))));
        c = e.observe(threat(ThreatSeverity::Critical));
        QVERIFY(c);
        QCOMPARE(toString(c->from), toString(M::Elevated));
        QCOMPARE(toString(c->to), toString(M::Lockdown));
        QVERIFY(!e.observe(threat(ThreatSeverity::Critical))); // already there
    }

    void criticalWithoutLockdownRuleCountsAsWarning()
    {
        ManualClock clock;
        DefenseModeRules r = rules();
        r.lockdownOnCritical = false;
        DefenseModeMachine m(r, &clock);
        QVERIFY(!m.observe(threat(ThreatSeverity::Critical)));
        QVERIFY(!m.observe(threat(ThreatSeverity::Critical)));
        const auto c = m.observe(threat(ThreatSeverity::Critical));
        QVERIFY(c);
        QCOMPARE(toString(c->to), toString(M::Elevated));
    }

    void scoresElevateAndLockDown_data()
    {
        QTest::addColumn<int>("score");
        QTest::addColumn<int>("expected");
        QTest::newRow("59 -> stays NORMAL") << 59 << int(M::Normal);
        QTest::newRow("60 -> ELEVATED") << 60 << int(M::Elevated);
        QTest::newRow("89 -> ELEVATED") << 89 << int(M::Elevated);
        QTest::newRow("90 -> LOCKDOWN") << 90 << int(M::Lockdown);
        QTest::newRow("100 -> LOCKDOWN") << 100 << int(M::Lockdown);
    }
    void scoresElevateAndLockDown()
    {
        QFETCH(int, score);
        QFETCH(int, expected);
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        const auto c = m.observe(threat(ThreatSeverity::Info, score));
        QCOMPARE(int(m.mode()), expected);
        QCOMPARE(c.has_value(), expected != int(M::Normal));
        if (c)
            QCOMPARE(c->reason.code, QStringLiteral("guardian.mode.score"));
    }

    void policyRaisesButNeverLowers()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        const auto c = m.raiseTo(M::Lockdown, Message::verbatim(QStringLiteral("policy")));
        QVERIFY(c);
        QCOMPARE(toString(c->to), toString(M::Lockdown));
        QVERIFY(!m.raiseTo(M::Elevated, Message::verbatim(QStringLiteral("policy"))));
        QCOMPARE(toString(m.mode()), toString(M::Lockdown));
    }

    void quietStepsDownOneLevelAtATime()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        QVERIFY(m.observe(threat(ThreatSeverity::Critical)));
        QCOMPARE(m.nextStepDownMs(), clock.nowMs() + 10 * Minute);
        clock.advanceMs(10 * Minute - 1);
        QVERIFY(!m.tick());
        clock.advanceMs(1);
        auto c = m.tick();
        QVERIFY(c);
        QCOMPARE(toString(c->from), toString(M::Lockdown));
        QCOMPARE(toString(c->to), toString(M::Elevated));
        QCOMPARE(c->reason.code, QStringLiteral("guardian.mode.quiet"));
        // Hysteresis: the next step needs a whole quiet period of its own.
        clock.advanceMs(10 * Minute - 1);
        QVERIFY(!m.tick());
        clock.advanceMs(1);
        c = m.tick();
        QVERIFY(c);
        QCOMPARE(toString(c->from), toString(M::Elevated));
        QCOMPARE(toString(c->to), toString(M::Normal));
        clock.advanceMs(60 * Minute);
        QVERIFY(!m.tick());
        QCOMPARE(m.nextStepDownMs(), 0);
    }

    void warningRestartsTheQuietPeriod()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        QVERIFY(m.raiseTo(M::Elevated, Message::verbatim(QStringLiteral("policy"))));
        clock.advanceMs(9 * Minute);
        QVERIFY(!m.observe(threat(ThreatSeverity::Warning)));
        clock.advanceMs(9 * Minute);
        QVERIFY(!m.tick());
        clock.advanceMs(Minute);
        QVERIFY(m.tick());
        QCOMPARE(toString(m.mode()), toString(M::Normal));
    }

    void steppingDownEmptiesTheWarningWindow()
    {
        ManualClock clock;
        DefenseModeRules r = rules();
        r.quietMs = 2 * Minute; // shorter than the warning window
        DefenseModeMachine m(r, &clock);
        m.observe(threat(ThreatSeverity::Warning));
        m.observe(threat(ThreatSeverity::Warning));
        QVERIFY(m.observe(threat(ThreatSeverity::Warning)));
        clock.advanceMs(2 * Minute);
        QVERIFY(m.tick());
        QCOMPARE(toString(m.mode()), toString(M::Normal));
        // The three warnings are still within 5 minutes, but a fresh run is needed.
        QVERIFY(!m.observe(threat(ThreatSeverity::Warning)));
        QVERIFY(!m.observe(threat(ThreatSeverity::Warning)));
        QVERIFY(m.observe(threat(ThreatSeverity::Warning)));
    }

    void operatorSetsAnyModeAndItIsAFloor()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        ModeChange c
            = m.set(M::Elevated, QStringLiteral("scan expected"), QStringLiteral("cli:al"));
        QCOMPARE(toString(c.from), toString(M::Normal));
        QCOMPARE(toString(c.to), toString(M::Elevated));
        QCOMPARE(c.actor, QStringLiteral("cli:al"));
        QCOMPARE(c.reason.code, QStringLiteral("guardian.mode.operator"));
        QCOMPARE(c.reason.args,
            (QVariantList { QStringLiteral("cli:al"), QStringLiteral("scan expected") }));
        QCOMPARE(toString(m.floor()), toString(M::Elevated));
        clock.advanceMs(60 * Minute);
        QVERIFY(!m.tick()); // never below the operator's mode
        QCOMPARE(toString(m.mode()), toString(M::Elevated));

        // Automatic escalation still goes above the floor, and falls back to it, not below.
        QVERIFY(m.observe(threat(ThreatSeverity::Critical)));
        QCOMPARE(toString(m.mode()), toString(M::Lockdown));
        clock.advanceMs(10 * Minute);
        QVERIFY(m.tick());
        QCOMPARE(toString(m.mode()), toString(M::Elevated));
        clock.advanceMs(10 * Minute);
        QVERIFY(!m.tick());

        // The operator may lower too: LOCKDOWN -> NORMAL directly, and the floor goes.
        m.set(M::Lockdown, QStringLiteral("attack"), QStringLiteral("console:bo"));
        QCOMPARE(toString(m.mode()), toString(M::Lockdown));
        c = m.set(M::Normal, QStringLiteral("over"), QStringLiteral("console:bo"));
        QCOMPARE(toString(c.from), toString(M::Lockdown));
        QCOMPARE(toString(c.to), toString(M::Normal));
        QCOMPARE(toString(m.floor()), toString(M::Normal));
        QCOMPARE(m.nextStepDownMs(), 0);
    }

    void restoredStateRestartsTheQuietPeriod()
    {
        ManualClock clock;
        DefenseModeMachine m(rules(), &clock);
        const qint64 changed = clock.nowMs() - 60 * Minute; // long before the restart
        m.restore(M::Lockdown, M::Normal, Message::verbatim(QStringLiteral("before")),
            QStringLiteral("engine"), changed);
        QCOMPARE(toString(m.mode()), toString(M::Lockdown));
        QCOMPARE(m.changedMs(), changed);
        QVERIFY(!m.tick()); // not at once, although the change is an hour old
        clock.advanceMs(10 * Minute);
        QVERIFY(m.tick());
        QCOMPARE(toString(m.mode()), toString(M::Elevated));
    }
};

QTEST_GUILESS_MAIN(TstDefenseModeMachine)
#include "tst_defensemodemachine.moc"
