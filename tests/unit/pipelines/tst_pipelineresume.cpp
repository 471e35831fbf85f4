// Resuming what an engine left: attempts a crash left running (finished meanwhile, or not),
// a process whose pid only the status file has, an engine that stops its stages and the next
// that runs them again, and the status file itself.
#include "pipelinerunnerfixture.h"
#include "pipelines/sqlitejobstore.h"
#include "pipelines/stagelauncher.h"
#include "pipelines/stageprocess.h"

#include <QDateTime>
#include <QProcessEnvironment>

using namespace Shivx;

class TstPipelineResume : public PipelineRunnerFixture
{
    Q_OBJECT

    std::unique_ptr<SqliteJobStore> openStore()
    {
        QDir().mkpath(m_dir->filePath(QStringLiteral("data")));
        auto store = SqliteJobStore::open(
            m_dir->filePath(QStringLiteral("data/shivx.db")), QStringLiteral("setup"));
        return store ? std::move(*store) : nullptr;
    }

    // The run a crashed engine left: `pipeline` as written, running, with `stages`; 0 when it
    // could not be stored.
    qint64 leftRun(JobStore &store, const QString &pipeline, const QStringList &stages)
    {
        QFile f(QDir(defsDir()).filePath(pipeline + QStringLiteral(".yaml")));
        if (!f.open(QIODevice::ReadOnly))
            return 0;
        RunRecord r;
        r.pipeline = pipeline;
        r.file = f.fileName();
        r.definition = f.readAll();
        r.state = RunState::Running;
        r.trigger = QStringLiteral("manual");
        r.actor = QStringLiteral("engine");
        const auto id = store.createRun(r, stages);
        return id ? *id : 0;
    }

    // An attempt of `stage` that the crashed engine claimed (its lease still runs), without a
    // pid; its id is 0 when it could not be stored.
    AttemptRecord leftAttempt(
        JobStore &store, qint64 run, const QString &stage, const QString &statusPath)
    {
        AttemptRecord a;
        a.runId = run;
        a.stage = stage;
        a.attempt = 1;
        a.leaseOwner = QStringLiteral("dead-engine");
        a.leaseUntilMs = QDateTime::currentMSecsSinceEpoch() + 60'000;
        a.stdoutPath = side(stage + QStringLiteral(".out"));
        a.stderrPath = side(stage + QStringLiteral(".err"));
        a.statusPath = statusPath;
        const auto claimed = store.claimAttempt(a, { run, stage, StageState::Running, 1, 0, 0 }, 0);
        a.id = claimed ? *claimed : 0;
        return a;
    }

private Q_SLOTS:
    void init() { newDirectory(); }

    // What kill -9 leaves: attempts marked running. One finished while no engine watched (its
    // wrapper wrote status 0): a checkpoint, not run again. One did not: run again.
    void resumesWhatACrashedEngineLeft()
    {
        writeDef(QStringLiteral("resume"),
            "stages:\n" + shStage(QStringLiteral("done"), QStringLiteral("echo d >> @/done"))
                + shStage(QStringLiteral("cut"), QStringLiteral("echo c >> @/cut"))
                + shStage(QStringLiteral("after"), QStringLiteral("echo a >> @/after"),
                    QStringLiteral("    needs: [done, cut]\n")));
        qint64 id = 0;
        {
            const auto store = openStore();
            QVERIFY(store);
            id = leftRun(*store, QStringLiteral("resume"),
                { QStringLiteral("done"), QStringLiteral("cut"), QStringLiteral("after") });
            QVERIFY(id > 0);
            for (const QString &stage : { QStringLiteral("done"), QStringLiteral("cut") })
                QVERIFY(
                    leftAttempt(*store, id, stage, side(stage + QStringLiteral(".status"))).id > 0);
            QFile status(side(QStringLiteral("done.status")));
            QVERIFY(status.open(QIODevice::WriteOnly));
            status.write("0\n");
        }
        auto runner = makeRunner();
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, id)), toString(RunState::Succeeded), 10000);
        QVERIFY(!QFile::exists(side(QStringLiteral("done")))); // never ran again
        QCOMPARE(readAll(side(QStringLiteral("cut"))), QByteArray("c\n"));
        QCOMPARE(readAll(side(QStringLiteral("after"))), QByteArray("a\n"));
        const auto d = runner->run(id);
        QCOMPARE(stageOf(*d, QStringLiteral("cut")).failures, 0); // interrupted is no failure
        QCOMPARE(d->attempts.size(), 4);
        QCOMPARE(toString(d->attempts.at(1).state), toString(AttemptState::Interrupted));
    }

    void shutdownStopsStagesAndTheNextStartRunsThemAgain()
    {
        writeDef(QStringLiteral("stop"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("echo s >> @/a; sleep 30")));
        qint64 id = 0;
        qint64 pid = 0;
        {
            auto runner = makeRunner();
            id = *runner->trigger(
                QStringLiteral("stop"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
            QTRY_VERIFY_WITH_TIMEOUT(runner->run(id)->attempts.value(0).pid > 0, 5000);
            pid = runner->run(id)->attempts.first().pid;
            QTRY_COMPARE_WITH_TIMEOUT(readAll(side(QStringLiteral("a"))), QByteArray("s\n"), 5000);
            runner->shutdown();
        }
        QVERIFY(!isAlive(pid));
        writeDef(QStringLiteral("stop"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("echo s >> @/a")));
        auto runner = makeRunner();
        // The run keeps the definition it started with: the stage sleeps again; cancel it.
        QTRY_COMPARE_WITH_TIMEOUT(readAll(side(QStringLiteral("a"))), QByteArray("s\ns\n"), 5000);
        QCOMPARE(
            toString(runner->run(id)->attempts.first().state), toString(AttemptState::Interrupted));
        QVERIFY(runner->cancel(id, QStringLiteral("cli:test")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, id)), toString(RunState::Cancelled), 10000);
    }

    void statusFileKeepsOneLinePerAttempt()
    {
        const QString path = side(QStringLiteral("attempts.status"));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("7 0\n8 3\n7 1\n");
        }
        int code = -1;
        QVERIFY(StageProcess::readStatus(path, QStringLiteral("8"), &code));
        QCOMPARE(code, 3);
        QVERIFY(StageProcess::readStatus(path, QStringLiteral("7"), &code));
        QCOMPARE(code, 1); // the last line of the key counts
        QVERIFY(!StageProcess::readStatus(path, QStringLiteral("9"), &code));
        QVERIFY(
            !StageProcess::readStatus(side(QStringLiteral("none")), QStringLiteral("7"), &code));
        // An attempt's own file, as engines before the run-wide file wrote it.
        const QString old = side(QStringLiteral("a.1.status"));
        {
            QFile f(old);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("42\n");
        }
        QVERIFY(StageProcess::readStatus(old, QStringLiteral("5"), &code));
        QCOMPARE(code, 42);
    }

    // kill -9 between a stage's spawn and the commit of its pid (which waits for the next
    // turn's commit, PipelineRunner::lazyStore): the database has pid 0, the status file has
    // the process. It is stopped, not left running beside its re-run.
    void aLeftoverWhosePidTheDatabaseNeverGotIsStoppedFromTheStatusFile()
    {
        writeDef(QStringLiteral("orphan"),
            "stages:\n" + shStage(QStringLiteral("s"), QStringLiteral("echo r >> @/ran")));
        qint64 id = 0;
        AttemptRecord a;
        {
            const auto store = openStore();
            QVERIFY(store);
            id = leftRun(*store, QStringLiteral("orphan"), { QStringLiteral("s") });
            QVERIFY(id > 0);
            a = leftAttempt(
                *store, id, QStringLiteral("s"), side(QStringLiteral("attempts.status")));
            QVERIFY(a.id > 0);
        }
        // The dead engine's process, started as the launcher starts one.
        StageLauncher launcher;
        StageLaunch l;
        l.command = QStringLiteral("/bin/sh");
        l.args = { QStringLiteral("-c"),
            QStringLiteral("echo o >> %1; sleep 30").arg(side(QStringLiteral("orphan"))) };
        l.environment = StageLaunch::encode(QProcessEnvironment::systemEnvironment());
        l.cwd = m_dir->path();
        l.statusPath = a.statusPath;
        l.statusKey = QString::number(a.id);
        qint64 pid = 0;
        bool ended = false;
        const quint64 launch = launcher.launch(
            l, this, [&pid](const StageLauncher::Started &st) { pid = st.pid; },
            [&ended](const StageLauncher::Finished &) { ended = true; });
        QTRY_COMPARE_WITH_TIMEOUT(readAll(side(QStringLiteral("orphan"))), QByteArray("o\n"), 5000);
        QVERIFY(pid > 0);

        auto runner = makeRunner();
        QTRY_VERIFY_WITH_TIMEOUT(ended, 10000); // stopped by the runner, not by the test
        QVERIFY(!isAlive(pid));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, id)), toString(RunState::Succeeded), 10000);
        QCOMPARE(readAll(side(QStringLiteral("ran"))), QByteArray("r\n"));
        const auto d = runner->run(id);
        QCOMPARE(toString(d->attempts.first().state), toString(AttemptState::Interrupted));
        launcher.forget(launch);
    }
};

QTEST_GUILESS_MAIN(TstPipelineResume)
#include "tst_pipelineresume.moc"
