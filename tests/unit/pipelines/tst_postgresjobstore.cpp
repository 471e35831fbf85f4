// The PostgreSQL job store against a real server (PostgresServer: initdb into a temporary
// directory): its location URL, its schema steps, records round-tripping, and claims from two
// connections, where exactly one engine may win each stage attempt.
#include "core/config.h"
#include "pipelines/pipelinesconfig.h"
#include "pipelines/postgresjobstore.h"
#include "postgresserver.h"
#include "postgresstorefixture.h"

#include <QSqlDatabase>
#include <QTest>

#include <atomic>
#include <thread>

using namespace Shivx;
using namespace PostgresStoreFixture;
using ShivxTest::PostgresServer;

class TstPostgresJobStore : public QObject
{
    Q_OBJECT

    std::unique_ptr<PostgresServer> m_server;

    std::unique_ptr<PostgresJobStore> open(const QString &name)
    {
        return openStore(*m_server, name);
    }

private Q_SLOTS:
    void locationUrl_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("error"); // a part of the message; empty = valid
        QTest::newRow("socket") << "postgresql://shivx@/jobs?host=/run/pg"
                                << "";
        QTest::newRow("tcp") << "postgres://u:pw@db.example:6543/jobs"
                             << "";
        QTest::newRow("scheme") << "mysql://u@h/jobs"
                                << "scheme must be postgresql://";
        QTest::newRow("no database") << "postgresql://u@h/"
                                     << "no database name";
        QTest::newRow("no host") << "postgresql://u@/jobs"
                                 << "no host";
        QTest::newRow("relative socket") << "postgresql://u@/jobs?host=run/pg"
                                         << "not absolute";
        QTest::newRow("two hosts") << "postgresql://u@h/jobs?host=/run/pg"
                                   << "given twice";
        QTest::newRow("unknown parameter") << "postgresql://u@h/jobs?sslmode=x"
                                           << "sslmode";
        QTest::newRow("bad port") << "postgresql://u@h/jobs?port=99999"
                                  << "not a port";
    }
    void locationUrl()
    {
        QFETCH(QString, url);
        QFETCH(QString, error);
        const auto loc = PostgresLocation::parse(url);
        if (error.isEmpty()) {
            QVERIFY2(loc.ok(), loc.ok() ? "" : qPrintable(loc.error().message));
            QVERIFY(loc->host == QLatin1String("/run/pg") || loc->port == 6543);
            QCOMPARE(loc->database, QStringLiteral("jobs"));
        } else {
            QVERIFY(!loc.ok());
            QCOMPARE(loc.error().code, QStringLiteral("pipeline.store_url"));
            QVERIFY2(loc.error().message.contains(error), qPrintable(loc.error().message));
            QVERIFY(!loc.error().message.contains(QLatin1String("pw")));
        }
    }

    void configNamesTheKey()
    {
        const auto c = ConfigLoader::parse(
            "pipelines:\n  store: mysql://u@h/jobs\n", QStringLiteral("bad.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.startsWith(QLatin1String("bad.yaml:2: pipelines.store: ")),
            qPrintable(c.error().message));
        const auto good = ConfigLoader::parse(
            "pipelines:\n  store: postgresql://u@h/jobs\n", QStringLiteral("ok.yaml"));
        QVERIFY2(good.ok(), good.ok() ? "" : qPrintable(good.error().message));
        QCOMPARE(good->section<PipelinesConfig>().store, QStringLiteral("postgresql://u@h/jobs"));
    }

    void unreachableServerIsAClearError()
    {
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            QSKIP("Qt's QPSQL driver is not installed: installer/install-deps.sh --test "
                  "installs libqt6sql6-psql");
        QTemporaryDir empty;
        const auto loc = PostgresLocation::parse(
            QStringLiteral("postgresql://shivx@/jobs?host=%1").arg(empty.path()));
        QVERIFY(loc.ok());
        const auto s = PostgresJobStore::open(*loc, QStringLiteral("unreachable"));
        QVERIFY(!s.ok());
        QCOMPARE(s.error().code, QStringLiteral("pipeline.store"));
        QVERIFY2(s.error().message.contains(QLatin1String("cannot connect"))
                && s.error().message.contains(empty.path()),
            qPrintable(s.error().message));
    }

    void startServer()
    {
        if (const QString why = skipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_server = std::make_unique<PostgresServer>();
        QVERIFY2(m_server->start(QStringLiteral("jobs")), qPrintable(m_server->errorString()));
    }

    void schemaIsMigratedOnce()
    {
        if (!m_server)
            QSKIP("no server");
        {
            auto a = open(QStringLiteral("m1"));
            QVERIFY(a);
            auto b = open(QStringLiteral("m2")); // a second engine: nothing to apply again
            QVERIFY(b);
            QCOMPARE(b->schemaSteps().value(), QList<int>({ 1, 2 }));
        }
        // A schema newer than this engine is refused, not written over.
        QVERIFY(!m_server
                     ->psql(QStringLiteral("INSERT INTO pipeline_schema_version VALUES "
                                           "(99, 'future', 0)"))
                     .isNull());
        auto where = PostgresLocation::parse(m_server->url());
        const auto refused = PostgresJobStore::open(*where, QStringLiteral("m3"));
        QVERIFY(!refused.ok());
        QVERIFY2(refused.error().message.contains(QLatin1String("step 99")),
            qPrintable(refused.error().message));
        QVERIFY(!m_server
                     ->psql(QStringLiteral("DELETE FROM pipeline_schema_version WHERE "
                                           "step = 99"))
                     .isNull());
    }

    void recordsRoundTrip()
    {
        if (!m_server)
            QSKIP("no server");
        auto store = open(QStringLiteral("rt"));
        QVERIFY(store);
        const auto id = store->createRun(
            newRun(QStringLiteral("p"), 1000), { QStringLiteral("a"), QStringLiteral("b") });
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
        auto run = store->run(*id);
        QVERIFY(run.ok());
        QCOMPARE(run->definition, newRun({}, 0).definition);
        QCOMPARE(run->params.value(QStringLiteral("k")), QStringLiteral("v'\""));
        run->state = RunState::DeadLetter;
        QVERIFY(store->updateRun(*run).ok());
        RunFilter dead;
        dead.states = { RunState::DeadLetter };
        dead.limit = 0; // no limit
        QCOMPARE(store->runs(dead)->size(), 1);
        QCOMPARE(store->run(*id + 1000).error().code, QStringLiteral("pipeline.unknown_run"));

        const auto a
            = store->claimAttempt(attempt(*id, QStringLiteral("a"), 1, QStringLiteral("e1"), 5000),
                running(*id, QStringLiteral("a"), 1), 1000);
        QVERIFY2(a.ok(), a.ok() ? "" : qPrintable(a.error().message));
        QCOMPARE(store->runningAttempts()->size(), 1);
        QCOMPARE(store->renewLeases(QStringLiteral("e1"), 9000).value(), 1);
        AttemptRecord done = store->attempts(*id)->at(0);
        QCOMPARE(done.leaseUntilMs, 9000);
        done.state = AttemptState::Succeeded;
        done.pid = 4242;
        StageRecord stage = running(*id, QStringLiteral("a"), 1);
        stage.state = StageState::Succeeded;
        const QList<ArtifactRecord> arts { { *id, QStringLiteral("a"), QStringLiteral("m.bin"),
            QStringLiteral("ff"), 7 } };
        QVERIFY(store->finishAttempt(done, stage, arts).ok());
        QVERIFY(store->finishAttempt(done, stage, arts).ok()); // the artifact row is replaced
        QCOMPARE(store->artifacts(*id)->size(), 1);
        QCOMPARE(store->attempts(*id)->at(0).pid, 4242);
        QCOMPARE(store->runningAttempts()->size(), 0);

        QCOMPARE(store->lastFired(QStringLiteral("p")).value(), 0);
        QVERIFY(store->setLastFired(QStringLiteral("p"), 77).ok());
        QVERIFY(store->setLastFired(QStringLiteral("p"), 78).ok());
        QCOMPARE(store->lastFired(QStringLiteral("p")).value(), 78);
        // A fire time is claimed once: the second engine to record it does not run it.
        QCOMPARE(store->claimFire(QStringLiteral("p"), 100).value(), true);
        QCOMPARE(store->claimFire(QStringLiteral("p"), 100).value(), false);
        QCOMPARE(store->claimFire(QStringLiteral("p"), 90).value(), false);
        QCOMPARE(store->claimFire(QStringLiteral("new"), 5).value(), true);
        QCOMPARE(store->lastFired(QStringLiteral("p")).value(), 100);

        // Retention: finished runs go (with stages, attempts, artifacts); dead letters stay.
        const auto old = store->createRun(newRun(QStringLiteral("p"), 10), { QStringLiteral("a") });
        RunRecord oldRun = *store->run(*old);
        oldRun.state = RunState::Succeeded;
        QVERIFY(store->updateRun(oldRun).ok());
        QCOMPARE(store->prune(QStringLiteral("p"), 0, 500).value(), QList<qint64>({ *old }));
        QCOMPARE(store->stages(*old)->size(), 0);
        QVERIFY(store->run(*id).ok());
    }

    void batchKeepsWritesTogether()
    {
        if (!m_server)
            QSKIP("no server");
        auto store = open(QStringLiteral("b1"));
        auto other = open(QStringLiteral("b2"));
        QVERIFY(store && other);
        const auto id = store->createRun(newRun(QStringLiteral("q"), 1), { QStringLiteral("a") });
        QVERIFY(store->beginBatch().ok());
        StageRecord s = running(*id, QStringLiteral("a"), 0);
        s.state = StageState::RetryWait;
        QVERIFY(store->updateStage(s).ok());
        // A failing write (an unknown run) inside the batch spoils neither the batch nor it.
        RunRecord ghost = newRun(QStringLiteral("q"), 1);
        ghost.id = *id;
        QVERIFY(store->updateRun(ghost).ok());
        QVERIFY(!store->createRun(ghost, { QStringLiteral("a"), QStringLiteral("a") }).ok());
        QCOMPARE(toString(other->stages(*id)->at(0).state), toString(StageState::Pending));
        QVERIFY(store->commitBatch().ok());
        QCOMPARE(toString(other->stages(*id)->at(0).state), toString(StageState::RetryWait));
    }

    void claimRespectsLocksLeasesAndStaleViews()
    {
        if (!m_server)
            QSKIP("no server");
        auto e1 = open(QStringLiteral("c1"));
        auto e2 = open(QStringLiteral("c2"));
        QVERIFY(e1 && e2);
        const QString a = QStringLiteral("a");
        const auto id = e1->createRun(newRun(QStringLiteral("c"), 1), { a });
        // e1's claim is in its open batch: e2 skips the locked row instead of waiting.
        QVERIFY(e1->beginBatch().ok());
        QVERIFY(e1->claimAttempt(
                      attempt(*id, a, 1, QStringLiteral("e1"), 5000), running(*id, a, 1), 1000)
                    .ok());
        auto held = e2->claimAttempt(
            attempt(*id, a, 1, QStringLiteral("e2"), 5000), running(*id, a, 1), 1000);
        QCOMPARE(held.error().code, QStringLiteral("pipeline.lease_held"));
        QVERIFY(e1->commitBatch().ok());
        // The same attempt again: e1 already made it.
        held = e2->claimAttempt(
            attempt(*id, a, 1, QStringLiteral("e2"), 5000), running(*id, a, 1), 1000);
        QCOMPARE(held.error().code, QStringLiteral("pipeline.claim_stale"));
        // The next attempt while e1's lease holds: refused.
        held = e2->claimAttempt(
            attempt(*id, a, 2, QStringLiteral("e2"), 9000), running(*id, a, 2), 4000);
        QCOMPARE(held.error().code, QStringLiteral("pipeline.lease_held"));
        // e1 stopped renewing (crashed): after its lease, e2 takes the stage over.
        const auto taken = e2->claimAttempt(
            attempt(*id, a, 2, QStringLiteral("e2"), 9000), running(*id, a, 2), 5001);
        QVERIFY2(taken.ok(), taken.ok() ? "" : qPrintable(taken.error().message));
        const auto attempts = e1->attempts(*id).value();
        QCOMPARE(attempts.size(), 2);
        QCOMPARE(toString(attempts.at(0).state), toString(AttemptState::Interrupted));
        QVERIFY(attempts.at(0).error.contains(QLatin1String("taken over by e2")));
        QCOMPARE(e1->runningAttempts()->size(), 1);
        QCOMPARE(e1->renewLeases(QStringLiteral("e1"), 99999).value(), 0);
        // e2's attempt: nobody takes it over while its lease holds; once expired, one does.
        const qint64 second = attempts.at(1).id;
        QCOMPARE(e1->takeOverAttempt(second, QStringLiteral("e1"), 8999, 20000).value(), false);
        QCOMPARE(e1->takeOverAttempt(second, QStringLiteral("e1"), 9000, 20000).value(), true);
        QCOMPARE(e2->takeOverAttempt(second, QStringLiteral("e2"), 9000, 20000).value(), false);
        // A finished stage is never claimed again.
        StageRecord done = running(*id, a, 2);
        done.state = StageState::Succeeded;
        AttemptRecord end = attempts.at(1);
        end.state = AttemptState::Succeeded;
        QVERIFY(e2->finishAttempt(end, done, {}).ok());
        held = e1->claimAttempt(
            attempt(*id, a, 3, QStringLiteral("e1"), 99999), running(*id, a, 3), 50000);
        QCOMPARE(held.error().code, QStringLiteral("pipeline.claim_stale"));
    }

    // Two engines (threads, each with its own connection) race for the same attempts of 60
    // stages: each attempt is won exactly once, and the loser hears why.
    void twoConnectionsExactlyOneWins()
    {
        if (!m_server)
            QSKIP("no server");
        constexpr int Stages = 60;
        QStringList names;
        for (int i = 0; i < Stages; ++i)
            names.append(QStringLiteral("s%1").arg(i));
        qint64 runId = 0;
        {
            auto setup = open(QStringLiteral("race-setup"));
            QVERIFY(setup);
            runId = setup->createRun(newRun(QStringLiteral("race"), 1), names).value();
        }
        std::atomic<int> ready { 0 };
        std::atomic<bool> go { false };
        std::atomic<int> wins[2] = { { 0 }, { 0 } };
        std::atomic<int> unexpected { 0 };
        auto engine = [&](int n) {
            const QString owner = QStringLiteral("engine%1").arg(n);
            auto store = open(owner);
            ++ready;
            while (!go)
                std::this_thread::yield();
            for (int i = 0; store && i < Stages; ++i) {
                // Opposite orders meet in the middle; the same order collides on every stage.
                const QString &stage = names.at(i);
                const auto r = store->claimAttempt(
                    attempt(runId, stage, 1, owner, 60000), running(runId, stage, 1), 1000);
                if (r.ok())
                    ++wins[n];
                else if (r.error().code != QLatin1String("pipeline.lease_held")
                    && r.error().code != QLatin1String("pipeline.claim_stale"))
                    ++unexpected;
            }
            if (!store)
                ++unexpected;
        };
        std::thread t0(engine, 0);
        std::thread t1(engine, 1);
        while (ready < 2)
            std::this_thread::yield();
        go = true;
        t0.join();
        t1.join();
        QCOMPARE(unexpected.load(), 0);
        QCOMPARE(wins[0] + wins[1], Stages);
        const QString perStage = m_server->psql(
            QStringLiteral("SELECT count(*) FROM pipeline_attempt WHERE run_id = %1 GROUP BY "
                           "stage HAVING count(*) <> 1")
                .arg(runId));
        QCOMPARE(perStage.trimmed(), QString());
        QCOMPARE(m_server
                     ->psql(QStringLiteral("SELECT count(*) FROM pipeline_attempt WHERE "
                                           "run_id = %1")
                                .arg(runId))
                     .trimmed(),
            QString::number(Stages));
        qInfo("engine0 won %d, engine1 won %d", wins[0].load(), wins[1].load());
    }

    // Two engines that both saw the last stage end: exactly one ends the run (and audits it);
    // the other's view does not overwrite what the first stored.
    void aRunEndsOnceOfTwoConnections()
    {
        if (!m_server)
            QSKIP("no server");
        auto a = open(QStringLiteral("end-a"));
        auto b = open(QStringLiteral("end-b"));
        QVERIFY(a && b);
        RunRecord run = newRun(QStringLiteral("ends"), 1);
        run.state = RunState::Running;
        run.id = a->createRun(run, { QStringLiteral("x") }).value();
        QVERIFY(a->beginBatch().ok());
        RunRecord byA = run;
        byA.state = RunState::Succeeded;
        byA.finishedMs = 5;
        QCOMPARE(a->finishRun(byA).value(), true);
        // b's write waits for a's row lock and then finds the run ended.
        std::atomic<int> bResult { -1 };
        std::thread t([&] {
            RunRecord byB = run;
            byB.state = RunState::DeadLetter;
            byB.finishedMs = 6;
            auto other = open(QStringLiteral("end-b2"));
            const auto r = other ? other->finishRun(byB) : Result<bool>(false);
            bResult = r.ok() ? int(*r) : 2;
        });
        QTest::qWait(200);
        QCOMPARE(bResult.load(), -1); // blocked behind a's open batch
        QVERIFY(a->commitBatch().ok());
        t.join();
        QCOMPARE(bResult.load(), 0);
        QCOMPARE(b->finishRun(byA).value(), false);
        const RunRecord stored = b->run(run.id).value();
        QCOMPARE(toString(stored.state), toString(RunState::Succeeded));
        QCOMPARE(stored.finishedMs, qint64(5));
    }

    // The server restarts in the middle of a batch: the store connects again, replays what the
    // batch held (the claim keeps its attempt id) and commits it with what follows; a write
    // outside a batch is retried; while the server is away the batch waits for it.
    void aServerRestartLosesNoWrite()
    {
        if (!m_server)
            QSKIP("no server");
        auto store = open(QStringLiteral("restart"));
        QVERIFY(store);
        RunRecord run = newRun(QStringLiteral("restart"), 1);
        run.state = RunState::Running;
        run.id = store->createRun(run, { QStringLiteral("a"), QStringLiteral("b") }).value();

        QVERIFY(store->beginBatch().ok());
        const qint64 attemptId = store
                                     ->claimAttempt(attempt(run.id, QStringLiteral("a"), 1,
                                                        QStringLiteral("me"), 60000),
                                         running(run.id, QStringLiteral("a"), 1), 1000)
                                     .value();
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        AttemptRecord ended = attempt(run.id, QStringLiteral("a"), 1, QStringLiteral("me"), 60000);
        ended.id = attemptId;
        ended.state = AttemptState::Succeeded;
        StageRecord done = running(run.id, QStringLiteral("a"), 1);
        done.state = StageState::Succeeded;
        const auto finished = store->finishAttempt(ended, done, {});
        QVERIFY2(finished.ok(), finished.ok() ? "" : qPrintable(finished.error().message));
        QVERIFY(store->commitBatch().ok());
        QCOMPARE(m_server
                     ->psql(QStringLiteral("SELECT id, state FROM pipeline_attempt WHERE "
                                           "run_id = %1")
                                .arg(run.id))
                     .trimmed(),
            QStringLiteral("%1|succeeded").arg(attemptId));

        // Outside a batch: the write is retried on the new connection.
        QVERIFY(m_server->restart());
        StageRecord b = running(run.id, QStringLiteral("b"), 0);
        b.state = StageState::RetryWait;
        QVERIFY(store->updateStage(b).ok());

        // The server away across a COMMIT: the batch's writes wait for the next batch.
        QVERIFY(store->beginBatch().ok());
        run.error = QStringLiteral("kept");
        QVERIFY(store->updateRun(run).ok());
        m_server->stop();
        QVERIFY(!store->commitBatch().ok());
        QVERIFY(m_server->restart());
        QVERIFY(store->beginBatch().ok());
        QVERIFY(store->commitBatch().ok());
        QCOMPARE(m_server
                     ->psql(QStringLiteral("SELECT s.state || ' ' || r.error FROM pipeline_stage "
                                           "s JOIN pipeline_run r ON r.id = s.run_id WHERE "
                                           "s.run_id = %1 AND s.stage = 'b'")
                                .arg(run.id))
                     .trimmed(),
            QStringLiteral("retry_wait kept"));
    }

    // Reads and prune after a server restart: the first of them finds the connection gone,
    // connects again and answers, instead of failing until some write reconnects.
    void readsAndPruneReconnect()
    {
        if (!m_server)
            QSKIP("no server");
        auto store = open(QStringLiteral("reads"));
        QVERIFY(store);
        RunRecord run = newRun(QStringLiteral("reads"), 10);
        run.id = store->createRun(run, { QStringLiteral("a") }).value();
        run.state = RunState::Succeeded;
        QVERIFY(store->updateRun(run).ok());

        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        const auto read = store->run(run.id);
        QVERIFY2(read.ok(), read.ok() ? "" : qPrintable(read.error().message));
        QVERIFY(read->state == RunState::Succeeded);
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        const auto listed = store->runs({ QStringLiteral("reads"), {}, 10, false });
        QVERIFY2(listed.ok(), listed.ok() ? "" : qPrintable(listed.error().message));
        QCOMPARE(listed->size(), 1);
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        QCOMPARE(store->stages(run.id)->size(), 1);

        // While the server is away a read fails with a clear error, and works once it is back.
        m_server->stop();
        const auto away = store->attempts(run.id);
        QVERIFY(!away.ok());
        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        QVERIFY(store->attempts(run.id).ok());

        QVERIFY2(m_server->restart(), qPrintable(m_server->errorString()));
        const auto pruned = store->prune(QStringLiteral("reads"), 0, 500);
        QVERIFY2(pruned.ok(), pruned.ok() ? "" : qPrintable(pruned.error().message));
        QCOMPARE(*pruned, QList<qint64> { run.id });
        QVERIFY(!store->run(run.id).ok());
    }

    void serverStopsWithNothingLeft()
    {
        if (!m_server)
            QSKIP("no server");
        const qint64 pid = m_server->isRunning() ? 1 : 0;
        QVERIFY(pid);
        m_server->stop();
        QVERIFY(!m_server->isRunning());
    }
};

QTEST_GUILESS_MAIN(TstPostgresJobStore)
#include "tst_postgresjobstore.moc"
