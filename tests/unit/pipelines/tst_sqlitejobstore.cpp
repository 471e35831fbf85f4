// The SQLite job store on a real database file: runs, stage claims under leases, finished
// attempts with artifacts, the attempts a crash leaves running, and retention.
#include "pipelines/sqlitejobstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstSqliteJobStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    std::unique_ptr<SqliteJobStore> open(const QString &name = QStringLiteral("t"))
    {
        auto s = SqliteJobStore::open(m_dir.filePath(QStringLiteral("shivx.db")), name);
        if (!s)
            qWarning() << s.error().message;
        return s ? std::move(*s) : nullptr;
    }

    static RunRecord newRun(const QString &pipeline, qint64 createdMs)
    {
        RunRecord r;
        r.pipeline = pipeline;
        r.version = QStringLiteral("abc");
        r.file = QStringLiteral("p.yaml");
        r.definition = "stages: []";
        r.params = { { QStringLiteral("k"), QStringLiteral("v") } };
        r.trigger = QStringLiteral("manual");
        r.actor = QStringLiteral("cli:test");
        r.createdMs = createdMs;
        return r;
    }

    static AttemptRecord attemptOf(qint64 run, const QString &owner, qint64 leaseUntil)
    {
        AttemptRecord a;
        a.runId = run;
        a.stage = QStringLiteral("a");
        a.attempt = 1;
        a.leaseOwner = owner;
        a.leaseUntilMs = leaseUntil;
        a.stdoutPath = QStringLiteral("o");
        a.stderrPath = QStringLiteral("e");
        a.statusPath = QStringLiteral("s");
        return a;
    }

private Q_SLOTS:
    void runRoundTrip()
    {
        auto store = open();
        QVERIFY(store);
        const auto id = store->createRun(
            newRun(QStringLiteral("p"), 1000), { QStringLiteral("a"), QStringLiteral("b") });
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
        auto run = store->run(*id);
        QVERIFY(run.ok());
        QCOMPARE(run->params.value(QStringLiteral("k")), QStringLiteral("v"));
        QCOMPARE(run->definition, QByteArray("stages: []"));
        QCOMPARE(toString(run->state), toString(RunState::Queued));
        run->state = RunState::DeadLetter;
        run->error = QStringLiteral("boom");
        QVERIFY(store->updateRun(*run).ok());
        QCOMPARE(toString(store->run(*id)->state), toString(RunState::DeadLetter));
        const auto stages = store->stages(*id);
        QCOMPARE(stages->size(), 2);
        QCOMPARE(toString(stages->at(0).state), toString(StageState::Pending));
        QCOMPARE(store->run(*id + 100).error().code, QStringLiteral("pipeline.unknown_run"));
        RunFilter dead;
        dead.states = { RunState::DeadLetter };
        QCOMPARE(store->runs(dead)->size(), 1);
    }

    void leaseKeepsASecondClaimOut()
    {
        auto store = open();
        const qint64 run
            = *store->createRun(newRun(QStringLiteral("q"), 1), { QStringLiteral("a") });
        StageRecord stage { run, QStringLiteral("a"), StageState::Running, 1, 0, 0 };
        const auto first
            = store->claimAttempt(attemptOf(run, QStringLiteral("one"), 5000), stage, 1000);
        QVERIFY(first.ok());
        // Another engine, while the lease holds: refused.
        AttemptRecord second = attemptOf(run, QStringLiteral("two"), 9000);
        second.attempt = 2;
        const auto refused = store->claimAttempt(second, stage, 4000);
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().code, QStringLiteral("pipeline.lease_held"));
        // A heartbeat extends it.
        QCOMPARE(*store->renewLeases(QStringLiteral("one"), 20000), 1);
        QVERIFY(!store->claimAttempt(second, stage, 15000).ok());
        // Expired: taken over.
        QVERIFY(store->claimAttempt(second, stage, 20001).ok());
        QCOMPARE(store->runningAttempts()->size(), 2);
    }

    void finishedAttemptKeepsArtifacts()
    {
        auto store = open();
        const qint64 run
            = *store->createRun(newRun(QStringLiteral("r"), 1), { QStringLiteral("a") });
        StageRecord stage { run, QStringLiteral("a"), StageState::Running, 1, 0, 0 };
        AttemptRecord a = attemptOf(run, QStringLiteral("one"), 5000);
        a.id = *store->claimAttempt(a, stage, 0);
        a.pid = 4242;
        a.startTicks = 99;
        a.bootId = QStringLiteral("boot");
        QVERIFY(store->updateAttempt(a).ok());
        QCOMPARE(store->runningAttempts()->last().startTicks, quint64(99));
        a.state = AttemptState::Succeeded;
        stage.state = StageState::Succeeded;
        QVERIFY(store
                    ->finishAttempt(a, stage,
                        { { run, QStringLiteral("a"), QStringLiteral("model.txt"),
                            QStringLiteral("ff"), 12 } })
                    .ok());
        const auto stillRunning = store->runningAttempts();
        QVERIFY(stillRunning.ok());
        for (const AttemptRecord &r : stillRunning.value())
            QVERIFY(r.runId != run);
        QCOMPARE(store->artifacts(run)->size(), 1);
        QCOMPARE(store->artifacts(run)->first().sha256, QStringLiteral("ff"));
        QCOMPARE(toString(store->stages(run)->first().state), toString(StageState::Succeeded));
        QCOMPARE(store->attempts(run)->first().pid, 4242);
    }

    void pruneKeepsTheNewestAndTheDeadLetters()
    {
        auto store = open();
        QList<qint64> ids;
        for (int i = 0; i < 5; ++i) {
            RunRecord r = newRun(QStringLiteral("s"), 1000 * (i + 1));
            r.state = i == 0 ? RunState::DeadLetter : RunState::Succeeded;
            ids.append(*store->createRun(r, { QStringLiteral("a") }));
        }
        // Keep 2 by count: runs 2 and 3 go (1 is dead-lettered and stays).
        const auto doomed = store->prune(QStringLiteral("s"), 2, 0);
        QVERIFY(doomed.ok());
        QCOMPARE(*doomed, (QList<qint64> { ids.at(2), ids.at(1) }));
        QVERIFY(!store->run(ids.at(1)).ok());
        QVERIFY(store->run(ids.at(0)).ok());
        QVERIFY(store->stages(ids.at(1))->isEmpty());
        // By age: older than 4500 ms -> run 3 (created at 4000) goes, run 4 stays.
        QCOMPARE(*store->prune(QStringLiteral("s"), 0, 4500), QList<qint64> { ids.at(3) });
        QCOMPARE(store->runs({ QStringLiteral("s"), {}, 100, false })->size(), 2);
    }

    void fireTimesAndTakeOversAreClaimedOnce()
    {
        auto store = open(QStringLiteral("claims"));
        QVERIFY(store);
        QCOMPARE(store->claimFire(QStringLiteral("f"), 100).value(), true);
        QCOMPARE(store->claimFire(QStringLiteral("f"), 100).value(), false);
        QCOMPARE(store->claimFire(QStringLiteral("f"), 50).value(), false);
        QCOMPARE(store->lastFired(QStringLiteral("f")).value(), 100);
        const auto id = store->createRun(newRun(QStringLiteral("t"), 1), { QStringLiteral("a") });
        StageRecord s { *id, QStringLiteral("a"), StageState::Running, 1, 0, 0 };
        const auto a = store->claimAttempt(attemptOf(*id, QStringLiteral("old"), 5000), s, 1000);
        QVERIFY(a.ok());
        // Not before the lease has expired, and only once after.
        QCOMPARE(store->takeOverAttempt(*a, QStringLiteral("new"), 4999, 9000).value(), false);
        QCOMPARE(store->takeOverAttempt(*a, QStringLiteral("new"), 5000, 9000).value(), true);
        QCOMPARE(store->takeOverAttempt(*a, QStringLiteral("third"), 5000, 9000).value(), false);
        QCOMPARE(store->attempts(*id)->at(0).leaseOwner, QStringLiteral("new"));
    }

    void aRunEndsOnce()
    {
        auto store = open(QStringLiteral("ends"));
        QVERIFY(store);
        RunRecord run = newRun(QStringLiteral("e"), 1);
        run.state = RunState::Running;
        run.id = store->createRun(run, { QStringLiteral("a") }).value();
        run.state = RunState::Succeeded;
        run.finishedMs = 7;
        QCOMPARE(store->finishRun(run).value(), true);
        RunRecord late = run;
        late.state = RunState::Cancelled;
        QCOMPARE(store->finishRun(late).value(), false);
        QCOMPARE(toString(store->run(run.id)->state), toString(RunState::Succeeded));
        QCOMPARE(store->run(run.id)->finishedMs, qint64(7));
    }
};

QTEST_GUILESS_MAIN(TstSqliteJobStore)
#include "tst_sqlitejobstore.moc"
