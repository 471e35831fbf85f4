#include "health/probemessages.h"
#include "health/targetstatemachine.h"

#include <QTest>

using namespace Shivx;

namespace {

constexpr qint64 T0 = 1'700'000'000'000;
constexpr qint64 StepMs = 10'000;

// A probe script, one token per probe, each StepMs after the previous one:
//   S      success in 10 ms         S1500   success in 1500 ms
//   F      failure "connection refused"
//   wN     let N seconds pass before the next probe (no probe)
struct Run
{
    QList<TargetStateMachine::Transition> transitions;
    qint64 lastAtMs = T0;
};

Run play(TargetStateMachine &machine, const QString &script, qint64 startMs = T0)
{
    Run run;
    qint64 now = startMs;
    const QStringList tokens = script.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (const QString &token : tokens) {
        if (token.startsWith(QLatin1Char('w'))) {
            now += token.mid(1).toLongLong() * 1000;
            continue;
        }
        now += StepMs;
        ProbeResult r;
        r.finishedAtMs = now;
        if (token.startsWith(QLatin1Char('S'))) {
            r.ok = true;
            r.latencyMs = token.size() > 1 ? token.mid(1).toDouble() : 10.0;
        } else {
            r.ok = false;
            r.latencyMs = 3.0;
            r.error = ProbeMessages::connectionRefused();
        }
        run.transitions.append(machine.apply(r));
        run.lastAtMs = now;
    }
    return run;
}

TargetSpec spec(int failureThreshold, qint64 slowMs)
{
    TargetSpec s;
    s.name = QStringLiteral("web");
    s.failureThreshold = failureThreshold;
    s.slowThresholdMs = slowMs;
    s.critical = true;
    s.weight = 2.5;
    return s;
}

QString changes(const Run &run)
{
    QStringList out;
    for (const auto &t : run.transitions) {
        if (t.changed)
            out << toString(t.from) + QLatin1String(">") + toString(t.to);
    }
    return out.join(QLatin1Char(' '));
}

} // namespace

class TestTargetStateMachine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void transitions_data();
    void transitions();
    void statusCarriesSpecAndTimes();
    void flappingSettlesAfterWindow();
    void setSpecKeepsCounters();
    void unchangedStateStillReportsReason();
    void rejectedShowsTheLastProbeErrorBeforeCircuitOpen_data();
    void rejectedShowsTheLastProbeErrorBeforeCircuitOpen();
};

void TestTargetStateMachine::transitions_data()
{
    QTest::addColumn<int>("threshold");
    QTest::addColumn<qint64>("slowMs");
    QTest::addColumn<QString>("script");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("changes");
    QTest::addColumn<QString>("lastError");
    QTest::addColumn<int>("consecutiveFailures");
    QTest::addColumn<int>("consecutiveSuccesses");
    QTest::addColumn<int>("checks");
    QTest::addColumn<int>("failures");
    QTest::addColumn<int>("flapChanges");

    const QString refused = QStringLiteral("connection refused");
    QTest::newRow("no probe yet -> UNKNOWN") << 3 << qint64(0) << ""
                                             << "UNKNOWN"
                                             << ""
                                             << "" << 0 << 0 << 0 << 0 << 0;
    QTest::newRow("first success -> UP") << 3 << qint64(0) << "S"
                                         << "UP"
                                         << "UNKNOWN>UP"
                                         << "" << 0 << 1 << 1 << 0 << 0;
    QTest::newRow("success slower than threshold -> DEGRADED slow")
        << 3 << qint64(1000) << "S1500"
        << "DEGRADED"
        << "UNKNOWN>DEGRADED"
        << "slow: 1500ms (threshold 1s)" << 0 << 1 << 1 << 0 << 0;
    QTest::newRow("latency equal to slow threshold -> UP") << 3 << qint64(1000) << "S1000"
                                                           << "UP"
                                                           << "UNKNOWN>UP"
                                                           << "" << 0 << 1 << 1 << 0 << 0;
    QTest::newRow("slow threshold 0 never degrades") << 3 << qint64(0) << "S90000"
                                                     << "UP"
                                                     << "UNKNOWN>UP"
                                                     << "" << 0 << 1 << 1 << 0 << 0;
    QTest::newRow("slow then fast -> UP") << 3 << qint64(1000) << "S1500 S20"
                                          << "UP"
                                          << "UNKNOWN>DEGRADED DEGRADED>UP"
                                          << "" << 0 << 2 << 2 << 0 << 1;
    QTest::newRow("first failure below threshold -> DEGRADED")
        << 3 << qint64(0) << "F"
        << "DEGRADED"
        << "UNKNOWN>DEGRADED" << refused << 1 << 0 << 1 << 1 << 0;
    QTest::newRow("failures below threshold stay DEGRADED")
        << 3 << qint64(0) << "S F F"
        << "DEGRADED"
        << "UNKNOWN>UP UP>DEGRADED" << refused << 2 << 0 << 3 << 2 << 1;
    QTest::newRow("failures at threshold -> DOWN")
        << 3 << qint64(0) << "S F F F"
        << "DOWN"
        << "UNKNOWN>UP UP>DEGRADED DEGRADED>DOWN" << refused << 3 << 0 << 4 << 3 << 2;
    QTest::newRow("threshold 1: first failure -> DOWN")
        << 1 << qint64(0) << "F"
        << "DOWN"
        << "UNKNOWN>DOWN" << refused << 1 << 0 << 1 << 1 << 0;
    QTest::newRow("threshold 0 is treated as 1")
        << 0 << qint64(0) << "S F"
        << "DOWN"
        << "UNKNOWN>UP UP>DOWN" << refused << 1 << 0 << 2 << 1 << 1;
    QTest::newRow("DOWN stays DOWN on further failures")
        << 2 << qint64(0) << "F F F F F"
        << "DOWN"
        << "UNKNOWN>DEGRADED DEGRADED>DOWN" << refused << 5 << 0 << 5 << 5 << 1;
    QTest::newRow("success resets consecutive failures before threshold")
        << 3 << qint64(0) << "F F S F F"
        << "DEGRADED"
        << "UNKNOWN>DEGRADED DEGRADED>UP UP>DEGRADED" << refused << 2 << 0 << 5 << 4 << 2;
    QTest::newRow("recovery from DOWN -> UP") << 2 << qint64(0) << "F F S S"
                                              << "UP"
                                              << "UNKNOWN>DEGRADED DEGRADED>DOWN DOWN>UP"
                                              << "" << 0 << 2 << 4 << 2 << 2;
    QTest::newRow("recovery from DOWN while slow -> DEGRADED slow")
        << 1 << qint64(100) << "F S500"
        << "DEGRADED"
        << "UNKNOWN>DOWN DOWN>DEGRADED"
        << "slow: 500ms (threshold 100ms)" << 0 << 1 << 2 << 1 << 1;
    QTest::newRow("four changes in window is not flapping")
        << 1 << qint64(0) << "S F S F S"
        << "UP"
        << "UNKNOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>UP"
        << "" << 0 << 1 << 5 << 2 << 4;
    QTest::newRow("success after five changes in window -> DEGRADED flapping")
        << 1 << qint64(0) << "S F S F S F S"
        << "DEGRADED"
        << "UNKNOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>DEGRADED"
        << "flapping: 5 state changes in 5m" << 0 << 1 << 7 << 3 << 6;
    QTest::newRow("flapping target stays DEGRADED on further successes")
        << 1 << qint64(0) << "S F S F S F S S S"
        << "DEGRADED"
        << "UNKNOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>DEGRADED"
        << "flapping: 6 state changes in 5m" << 0 << 3 << 9 << 3 << 6;
    QTest::newRow("changes spread wider than the window are not flapping")
        << 1 << qint64(0) << "S F w200 S F w200 S F w200 S"
        << "UP"
        << "UNKNOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>UP UP>DOWN DOWN>UP"
        << "" << 0 << 1 << 7 << 3 << 3;
}

void TestTargetStateMachine::transitions()
{
    QFETCH(int, threshold);
    QFETCH(qint64, slowMs);
    QFETCH(QString, script);

    TargetStateMachine machine(spec(threshold, slowMs));
    const Run run = play(machine, script);
    const TargetStatus &s = machine.status();

    QTEST(toString(s.state), "state");
    QTEST(changes(run), "changes");
    QTEST(s.lastError.text, "lastError");
    QTEST(s.consecutiveFailures, "consecutiveFailures");
    QTEST(s.consecutiveSuccesses, "consecutiveSuccesses");
    QTEST(int(s.checks), "checks");
    QTEST(int(s.failures), "failures");
    QTEST(s.transitionsLastMinutes, "flapChanges");
}

void TestTargetStateMachine::statusCarriesSpecAndTimes()
{
    TargetStateMachine machine(spec(2, 0));
    QCOMPARE(machine.status().name, QStringLiteral("web"));
    QCOMPARE(machine.status().critical, true);
    QCOMPARE(machine.status().weight, 2.5);
    QCOMPARE(machine.status().lastCheckMs, 0);
    QCOMPARE(machine.status().lastChangeMs, 0);

    play(machine, QStringLiteral("S"));
    QCOMPARE(machine.status().lastCheckMs, T0 + StepMs);
    QCOMPARE(machine.status().lastChangeMs, T0 + StepMs);
    QCOMPARE(machine.status().latencyMs, 10.0);

    // No change: lastChangeMs stays, lastCheckMs moves.
    play(machine, QStringLiteral("S"), T0 + StepMs);
    QCOMPARE(machine.status().lastCheckMs, T0 + 2 * StepMs);
    QCOMPARE(machine.status().lastChangeMs, T0 + StepMs);

    const Run run = play(machine, QStringLiteral("F F"), T0 + 2 * StepMs);
    QCOMPARE(run.transitions.size(), 2);
    QCOMPARE(
        run.transitions.at(0).reason.text, QStringLiteral("connection refused (failure 1 of 2)"));
    QCOMPARE(run.transitions.at(1).reason.text,
        QStringLiteral("connection refused (2 consecutive failures)"));
    QCOMPARE(machine.status().lastChangeMs, T0 + 4 * StepMs);
    QCOMPARE(machine.status().latencyMs, 3.0);
}

void TestTargetStateMachine::flappingSettlesAfterWindow()
{
    TargetStateMachine machine(spec(1, 0), 4, 5 * 60 * 1000);
    Run run = play(machine, QStringLiteral("S F S F S F S"));
    QCOMPARE(toString(machine.status().state), QStringLiteral("DEGRADED"));
    QVERIFY(machine.status().lastError.text.startsWith(QLatin1String("flapping")));

    // A whole window later the old changes have aged out and the next success is UP.
    run = play(machine, QStringLiteral("w301 S"), run.lastAtMs);
    QCOMPARE(toString(machine.status().state), QStringLiteral("UP"));
    QVERIFY(run.transitions.last().changed);
    QCOMPARE(toString(run.transitions.last().from), QStringLiteral("DEGRADED"));
    QCOMPARE(run.transitions.last().reason.text, QStringLiteral("probe succeeded in 10ms"));
    QCOMPARE(machine.status().transitionsLastMinutes, 1);
    QCOMPARE(machine.status().lastError.text, QString());
}

void TestTargetStateMachine::setSpecKeepsCounters()
{
    TargetStateMachine machine(spec(3, 0));
    play(machine, QStringLiteral("S F F"));
    QCOMPARE(toString(machine.status().state), QStringLiteral("DEGRADED"));

    TargetSpec stricter = spec(2, 0);
    stricter.critical = false;
    stricter.weight = 1.0;
    machine.setSpec(stricter);
    QCOMPARE(machine.status().consecutiveFailures, 2);
    QCOMPARE(machine.status().checks, quint64(3));
    QCOMPARE(machine.status().critical, false);
    QCOMPARE(machine.status().weight, 1.0);

    // The next failure is judged against the new threshold.
    play(machine, QStringLiteral("F"), T0 + 3 * StepMs);
    QCOMPARE(toString(machine.status().state), QStringLiteral("DOWN"));
}

void TestTargetStateMachine::unchangedStateStillReportsReason()
{
    TargetStateMachine machine(spec(1, 0));
    const Run run = play(machine, QStringLiteral("F F"));
    QVERIFY(run.transitions.at(0).changed);
    QVERIFY(!run.transitions.at(1).changed);
    QCOMPARE(toString(run.transitions.at(1).from), QStringLiteral("DOWN"));
    QCOMPARE(toString(run.transitions.at(1).to), QStringLiteral("DOWN"));
    QCOMPARE(run.transitions.at(1).reason.text,
        QStringLiteral("connection refused (2 consecutive failures)"));
}

void TestTargetStateMachine::rejectedShowsTheLastProbeErrorBeforeCircuitOpen_data()
{
    QTest::addColumn<QString>("script");
    QTest::addColumn<int>("rejections");
    QTest::addColumn<QString>("error");

    QTest::newRow("failures, then rejected -> last error; circuit open")
        << "S F F F" << 1 << "connection refused; circuit open";
    QTest::newRow("rejected again -> the suffix is not repeated")
        << "F F" << 3 << "connection refused; circuit open";
    QTest::newRow("last probe succeeded (forced open) -> circuit open")
        << "F S" << 2 << "circuit open";
    QTest::newRow("never probed -> circuit open") << "" << 1 << "circuit open";
}

void TestTargetStateMachine::rejectedShowsTheLastProbeErrorBeforeCircuitOpen()
{
    QFETCH(QString, script);
    QFETCH(int, rejections);
    QFETCH(QString, error);

    TargetStateMachine machine(spec(3, 0));
    const Run run = play(machine, script);
    const quint64 checks = machine.status().checks;
    const quint64 failures = machine.status().failures;
    TargetStateMachine::Transition last;
    for (int i = 1; i <= rejections; ++i)
        last = machine.applyRejected(run.lastAtMs + i * StepMs);
    QCOMPARE(toString(machine.status().state), QStringLiteral("DOWN"));
    QCOMPARE(machine.status().lastError.text, error);
    QCOMPARE(last.reason.text, error);
    QCOMPARE(machine.status().lastCheckMs, run.lastAtMs + rejections * StepMs);
    // Nothing was probed: the counters stay.
    QCOMPARE(machine.status().checks, checks);
    QCOMPARE(machine.status().failures, failures);
}

QTEST_GUILESS_MAIN(TestTargetStateMachine)
#include "tst_targetstatemachine.moc"
