// Several engines sharing one PostgreSQL job store (PostgresServer: initdb into a temporary
// directory), each a store of its own: a pipeline's concurrency and max_active_runs hold for
// all of them together, and each hears of the others' commits (LISTEN/NOTIFY).
#include "pipelines/postgresjobstore.h"
#include "postgresserver.h"
#include "postgresstorefixture.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QTest>

using namespace Shivx;
using namespace PostgresStoreFixture;
using ShivxTest::PostgresServer;

class TstPostgresEngines : public QObject
{
    Q_OBJECT

    std::unique_ptr<PostgresServer> m_server;

    std::unique_ptr<PostgresJobStore> open(const QString &name)
    {
        return openStore(*m_server, name);
    }

private Q_SLOTS:
    void startServer()
    {
        if (const QString why = skipReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        m_server = std::make_unique<PostgresServer>();
        QVERIFY2(m_server->start(QStringLiteral("jobs")), qPrintable(m_server->errorString()));
    }

    // A pipeline's concurrency holds across engines: with 2, two engines running one stage
    // each leave no room for a third claim until one of them ends or its lease expires; while
    // one engine claims for the pipeline (its batch open) the other moves on.
    void concurrencyHoldsAcrossEngines()
    {
        if (!m_server)
            QSKIP("no server");
        auto e1 = open(QStringLiteral("cc1"));
        auto e2 = open(QStringLiteral("cc2"));
        QVERIFY(e1 && e2);
        const QString p = QStringLiteral("limited");
        const ClaimLimit two { p, 2 };
        const auto run1 = e1->createRun(newRun(p, 1), { QStringLiteral("a"), QStringLiteral("b") });
        const auto run2 = e2->createRun(newRun(p, 2), { QStringLiteral("c") });
        const auto other
            = e2->createRun(newRun(QStringLiteral("free"), 3), { QStringLiteral("d") });
        QVERIFY(run1.ok() && run2.ok() && other.ok());
        const auto claim
            = [](PostgresJobStore &e, qint64 run, const QString &stage, const QString &owner,
                  qint64 until, qint64 now, const ClaimLimit &l) {
                  return e.claimAttempt(
                      attempt(run, stage, 1, owner, until), running(run, stage, 1), now, l);
              };
        QVERIFY(claim(*e1, *run1, QStringLiteral("a"), QStringLiteral("e1"), 5000, 1000, two).ok());
        // e1 claims inside its batch: e2 finds the pipeline being claimed and moves on.
        QVERIFY(e1->beginBatch().ok());
        QVERIFY(claim(*e1, *run1, QStringLiteral("b"), QStringLiteral("e1"), 5000, 1000, two).ok());
        auto refused
            = claim(*e2, *run2, QStringLiteral("c"), QStringLiteral("e2"), 5000, 1000, two);
        QCOMPARE(refused.error().code, QStringLiteral("pipeline.lease_held"));
        QVERIFY(e1->commitBatch().ok());
        // Two run (both e1's): e2's claim would be the third.
        refused = claim(*e2, *run2, QStringLiteral("c"), QStringLiteral("e2"), 5000, 1000, two);
        QCOMPARE(refused.error().code, QStringLiteral("pipeline.concurrency_full"));
        QVERIFY2(refused.error().message.contains(QLatin1String("concurrency is 2")),
            qPrintable(refused.error().message));
        // Another pipeline is not held back.
        QVERIFY(claim(*e2, *other, QStringLiteral("d"), QStringLiteral("e2"), 5000, 1000,
            ClaimLimit { QStringLiteral("free"), 1 })
                    .ok());
        // One of e1's attempts ends: room for e2.
        AttemptRecord ended = attempt(*run1, QStringLiteral("a"), 1, QStringLiteral("e1"), 5000);
        ended.id = e1->attempts(*run1)->first().id;
        ended.state = AttemptState::Succeeded;
        StageRecord done = running(*run1, QStringLiteral("a"), 1);
        done.state = StageState::Succeeded;
        QVERIFY(e1->finishAttempt(ended, done, {}).ok());
        QVERIFY(claim(*e2, *run2, QStringLiteral("c"), QStringLiteral("e2"), 9000, 2000, two).ok());
        // Without a limit the same claim shape is never refused for the count.
        const auto run3 = e2->createRun(newRun(p, 4), { QStringLiteral("e") });
        refused = claim(*e2, *run3, QStringLiteral("e"), QStringLiteral("e2"), 9000, 2000, two);
        QCOMPARE(refused.error().code, QStringLiteral("pipeline.concurrency_full"));
        QVERIFY(claim(*e2, *run3, QStringLiteral("e"), QStringLiteral("e2"), 9000, 2000, {}).ok());
        // e1 died: once its lease has expired its attempt no longer counts.
        const auto run4 = e2->createRun(newRun(p, 5), { QStringLiteral("f") });
        refused
            = claim(*e2, *run4, QStringLiteral("f"), QStringLiteral("e2"), 9000, 4000, { p, 3 });
        QCOMPARE(refused.error().code, QStringLiteral("pipeline.concurrency_full"));
        QVERIFY(claim(*e2, *run4, QStringLiteral("f"), QStringLiteral("e2"), 9000, 5001, { p, 3 })
                    .ok());
    }

    // max_active_runs holds across engines: a queued run starts only while fewer runs of its
    // pipeline run on all engines; while one engine decides for a pipeline (its batch open)
    // the other is told to try again rather than wait.
    void maxActiveRunsHoldAcrossEngines()
    {
        if (!m_server)
            QSKIP("no server");
        auto e1 = open(QStringLiteral("ma1"));
        auto e2 = open(QStringLiteral("ma2"));
        QVERIFY(e1 && e2);
        const QString p = QStringLiteral("maxed");
        const auto queued = [&](PostgresJobStore &e, qint64 created) {
            RunRecord r = newRun(p, created);
            r.id = e.createRun(r, { QStringLiteral("a") }).value();
            r.state = RunState::Running;
            r.startedMs = created + 1;
            return r;
        };
        RunRecord r1 = queued(*e1, 1);
        RunRecord r2 = queued(*e2, 2);
        QCOMPARE(e1->activateRun(r1, 1).value(), true);
        QCOMPARE(e2->activateRun(r2, 1).value(), false);
        QCOMPARE(e2->run(r2.id)->state == RunState::Queued, true);
        QCOMPARE(e2->activateRun(r2, 2).value(), true);
        // Activating a run that already runs (another engine did) is no second run.
        QCOMPARE(e1->activateRun(r2, 2).value(), true);

        RunRecord r3 = queued(*e1, 3);
        QCOMPARE(e2->activateRun(r3, 2).value(), false);
        r1.state = RunState::Succeeded;
        r1.finishedMs = 10;
        QVERIFY(e1->finishRun(r1).value());
        QVERIFY(e1->beginBatch().ok());
        QCOMPARE(e1->activateRun(r3, 2).value(), true);
        RunRecord r4 = queued(*e2, 4);
        const auto busy = e2->activateRun(r4, 5);
        QCOMPARE(busy.error().code, QStringLiteral("pipeline.lease_held"));
        QVERIFY(e1->commitBatch().ok());
        QCOMPARE(e2->activateRun(r4, 5).value(), true);
        // A finished run is not started again.
        QCOMPARE(e2->activateRun(r1, 5).value(), false);
        QVERIFY(e2->run(r1.id)->state == RunState::Succeeded);
    }

    // Another engine's commit reaches a listening store at once (LISTEN/NOTIFY); its own does
    // not, nor does a lease renewal.
    void otherEnginesChangesAreNotified()
    {
        if (!m_server)
            QSKIP("no server");
        auto a = open(QStringLiteral("listen-a"));
        auto b = open(QStringLiteral("listen-b"));
        QVERIFY(a && b);
        int heard = 0;
        a->setChangeListener([&heard] { ++heard; });
        RunRecord mine = newRun(QStringLiteral("listen"), 1);
        mine.id = a->createRun(mine, { QStringLiteral("x") }).value();
        QTest::qWait(300);
        QCOMPARE(heard, 0);

        QElapsedTimer took;
        took.start();
        const auto theirs = b->createRun(newRun(QStringLiteral("listen"), 2), {});
        QVERIFY(theirs.ok());
        QTRY_VERIFY_WITH_TIMEOUT(heard > 0, 5000);
        qInfo("notified %lld ms after the other engine's commit", took.elapsed());

        // A batch of several writes is one notification; a lease renewal is none.
        QTest::qWait(100);
        heard = 0;
        QVERIFY(b->beginBatch().ok());
        RunRecord run = *b->run(*theirs);
        run.state = RunState::Running;
        QVERIFY(b->updateRun(run).ok());
        QVERIFY(b->updateRun(run).ok());
        QVERIFY(b->commitBatch().ok());
        QTRY_COMPARE_WITH_TIMEOUT(heard, 1, 5000);
        QVERIFY(b->renewLeases(QStringLiteral("nobody"), 5).ok());
        QTest::qWait(300);
        QCOMPARE(heard, 1);

        a->setChangeListener({});
    }

    void cleanupTestCase() { m_server.reset(); }
};

QTEST_GUILESS_MAIN(TstPostgresEngines)
#include "tst_postgresengines.moc"
