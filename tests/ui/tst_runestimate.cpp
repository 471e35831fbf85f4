// The Pipelines page's estimate of a run's progress and time left: stages done, the longest
// path through the stages still to run weighed with an earlier run's durations (parallel
// branches overlap, they do not add up), a running stage's time spent subtracted, a retry's
// wait added, a stage without an earlier duration counted as the mean, and "not known"
// without any earlier durations.
#include "pipelines/runestimate.h"

#include <QTest>

using namespace Shivx;
using Shivx::Ui::RunEstimate;

namespace {

constexpr qint64 Now = 1'000'000;
using Durations = QHash<QString, qint64>;

// a -> {b, c} -> d: b and c run side by side.
PipelineDefinition diamond()
{
    PipelineDefinition def;
    def.name = QStringLiteral("diamond");
    for (const char *name : { "a", "b", "c", "d" }) {
        StageDefinition s;
        s.name = QLatin1String(name);
        def.stages.append(s);
    }
    def.stages[1].needs = { QStringLiteral("a") };
    def.stages[2].needs = { QStringLiteral("a") };
    def.stages[3].needs = { QStringLiteral("b"), QStringLiteral("c") };
    return def;
}

QList<StageRecord> states(std::initializer_list<std::pair<const char *, StageState>> list)
{
    QList<StageRecord> out;
    for (const auto &[name, state] : list) {
        StageRecord r;
        r.runId = 2;
        r.stage = QLatin1String(name);
        r.state = state;
        out.append(r);
    }
    return out;
}

AttemptRecord attempt(const char *stage, AttemptState state, qint64 started, qint64 finished)
{
    AttemptRecord a;
    a.stage = QLatin1String(stage);
    a.state = state;
    a.startedMs = started;
    a.finishedMs = finished;
    return a;
}

const QHash<QString, qint64> Previous { { QStringLiteral("a"), 1000 },
    { QStringLiteral("b"), 5000 }, { QStringLiteral("c"), 2000 }, { QStringLiteral("d"), 500 } };

} // namespace

class TstRunEstimate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void estimate_data()
    {
        QTest::addColumn<QList<StageRecord>>("stages");
        QTest::addColumn<QList<AttemptRecord>>("attempts");
        QTest::addColumn<Durations>("previous");
        QTest::addColumn<int>("done");
        QTest::addColumn<qint64>("remaining");

        const auto P = StageState::Pending;
        const auto R = StageState::Running;
        const auto S = StageState::Succeeded;
        QTest::newRow("nothing ran: the longest path a, b, d")
            << states({ { "a", P }, { "b", P }, { "c", P }, { "d", P } }) << QList<AttemptRecord>()
            << Previous << 0 << qint64(1000 + 5000 + 500);
        QTest::newRow("a running for 400 ms")
            << states({ { "a", R }, { "b", P }, { "c", P }, { "d", P } })
            << QList<AttemptRecord> { attempt("a", AttemptState::Running, Now - 400, 0) }
            << Previous << 0 << qint64(600 + 5000 + 500);
        QTest::newRow("b and c side by side, c done")
            << states({ { "a", S }, { "b", R }, { "c", S }, { "d", P } })
            << QList<AttemptRecord> { attempt("b", AttemptState::Running, Now - 1000, 0) }
            << Previous << 2 << qint64(4000 + 500);
        QTest::newRow("b over its earlier time: not negative")
            << states({ { "a", S }, { "b", R }, { "c", S }, { "d", P } })
            << QList<AttemptRecord> { attempt("b", AttemptState::Running, Now - 9000, 0) }
            << Previous << 2 << qint64(500);
        QTest::newRow("no earlier durations: not known")
            << states({ { "a", P }, { "b", P }, { "c", P }, { "d", P } }) << QList<AttemptRecord>()
            << QHash<QString, qint64>() << 0 << qint64(-1);
        QTest::newRow("d unknown: the mean of a, b, c")
            << states({ { "a", S }, { "b", S }, { "c", S }, { "d", P } }) << QList<AttemptRecord>()
            << Durations { { QStringLiteral("a"), 1000 }, { QStringLiteral("b"), 5000 },
                   { QStringLiteral("c"), 3000 } }
            << 3 << qint64(3000);
        QTest::newRow("all finished, failures and skips included") << states(
            { { "a", S }, { "b", StageState::Failed }, { "c", S }, { "d", StageState::Skipped } })
                                                                   << QList<AttemptRecord>()
                                                                   << Previous << 4 << qint64(0);
    }

    void estimate()
    {
        QFETCH(QList<StageRecord>, stages);
        QFETCH(QList<AttemptRecord>, attempts);
        QFETCH(Durations, previous);
        QFETCH(int, done);
        QFETCH(qint64, remaining);
        const RunEstimate e = RunEstimate::compute(diamond(), stages, attempts, previous, Now);
        QCOMPARE(e.stagesTotal, 4);
        QCOMPARE(e.stagesDone, done);
        QCOMPARE(e.remainingMs, remaining);
    }

    void retryWaitAddsItsDelay()
    {
        QList<StageRecord> s
            = states({ { "a", StageState::RetryWait }, { "b", StageState::Pending },
                { "c", StageState::Pending }, { "d", StageState::Pending } });
        s[0].nextAttemptMs = Now + 3000;
        const RunEstimate e = RunEstimate::compute(diamond(), s, {}, Previous, Now);
        QCOMPARE(e.remainingMs, qint64(3000 + 1000 + 5000 + 500));
    }

    void durationsFromSucceededAttemptsOnly()
    {
        const QHash<QString, qint64> ms = RunEstimate::durationsOf({
            attempt("a", AttemptState::Failed, 100, 200),
            attempt("a", AttemptState::Succeeded, 300, 1300),
            attempt("b", AttemptState::Cancelled, 100, 900),
            attempt("c", AttemptState::Running, 100, 0),
        });
        QCOMPARE(ms.size(), 1);
        QCOMPARE(ms.value(QStringLiteral("a")), qint64(1000));
    }
};

QTEST_GUILESS_MAIN(TstRunEstimate)
#include "tst_runestimate.moc"
