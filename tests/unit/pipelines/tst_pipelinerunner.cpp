// The runner with real processes, a real SQLite job store and real files: stages that
// succeed, fail, hang, crash and write artifacts; retries, `when:`, the dead-letter queue,
// limits and definitions that change under a run (resuming: tst_pipelineresume).
#include "pipelinerunnerfixture.h"
#include "pipelines/stagelauncher.h"
#include "pipelines/stageprocess.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <csignal>
#include <thread>

using namespace Shivx;

class TstPipelineRunner : public PipelineRunnerFixture
{
    Q_OBJECT

private Q_SLOTS:
    void init() { newDirectory(); }

    void chainPassesRecordedArtifacts()
    {
        writeDef(QStringLiteral("chain"),
            "params: {greeting: hello}\nstages:\n"
                + shStage(QStringLiteral("produce"),
                    QStringLiteral("echo $SHIVX_PARAM_GREETING > $SHIVX_ARTIFACTS/out.txt; echo "
                                   "to-stdout; echo to-stderr >&2"),
                    QStringLiteral("    artifacts: true\n"))
                + shStage(QStringLiteral("consume"),
                    QStringLiteral("cat $SHIVX_INPUT_PRODUCE/out.txt >> @/consumed"),
                    QStringLiteral("    needs: [produce]\n")));
        auto runner = makeRunner();
        QSignalSpy stages(runner.get(), &PipelineRunner::stageChanged);
        const auto id = runner->trigger(QStringLiteral("chain"),
            { { QStringLiteral("greeting"), QStringLiteral("bonjour") } }, QStringLiteral("manual"),
            QStringLiteral("cli:test"));
        QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 20000);
        QCOMPARE(readAll(side(QStringLiteral("consumed"))), QByteArray("bonjour\n"));
        const auto d = runner->run(*id);
        QCOMPARE(d->artifacts.size(), 1);
        QCOMPARE(d->artifacts.first().path, QStringLiteral("out.txt"));
        QCOMPARE(d->artifacts.first().sha256,
            QString::fromLatin1(
                QCryptographicHash::hash("bonjour\n", QCryptographicHash::Sha256).toHex()));
        QCOMPARE(d->attempts.size(), 2);
        QCOMPARE(readAll(d->attempts.first().stdoutPath), QByteArray("to-stdout\n"));
        QCOMPARE(readAll(d->attempts.first().stderrPath), QByteArray("to-stderr\n"));
        QVERIFY(d->attempts.at(1).scheduleDelayUs >= 0);
        QCOMPARE(d->run.version.size(), 64);
        QVERIFY(stages.count() >= 4); // running and succeeded, for each
        QVERIFY(m_audit.actions().contains(QStringLiteral("pipeline.run_created")));
        QVERIFY(m_audit.actions().contains(QStringLiteral("pipeline.run_finished")));
    }

    // The environment exactly as the launcher passed it (the wrapper shell's, which a shell
    // itself would have tidied): the stage's variables replace the engine's of the same name,
    // the status file's are the launcher's own, and each name is there once.
    void aStagesVariablesReplaceTheEnginesOnce()
    {
        qputenv("SHIVX_TEST_INHERITED", "engine");
        qputenv("SHIVX_TEST_REPLACED", "engine");
        qputenv("SHIVX_STATUS_KEY", "stale"); // as when the engine runs inside a stage
        writeDef(QStringLiteral("envs"),
            "stages:\n"
                + shStage(QStringLiteral("dump"),
                    QStringLiteral("tr \"\\\\000\" \"\\\\n\" < /proc/$PPID/environ > @/env"),
                    QStringLiteral("    env: {SHIVX_TEST_REPLACED: stage}\n")));
        auto runner = makeRunner();
        for (const char *name :
            { "SHIVX_TEST_INHERITED", "SHIVX_TEST_REPLACED", "SHIVX_STATUS_KEY" })
            qunsetenv(name);
        const auto id = runner->trigger(
            QStringLiteral("envs"), {}, QStringLiteral("manual"), QStringLiteral("cli:test"));
        QVERIFY(id.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 20000);
        const QList<QByteArray> lines = readAll(side(QStringLiteral("env"))).split('\n');
        const auto named = [&lines](const QByteArray &name) {
            QList<QByteArray> out;
            for (const QByteArray &l : lines)
                if (l.startsWith(name + '='))
                    out.append(l.mid(name.size() + 1));
            return out;
        };
        QCOMPARE(named("SHIVX_TEST_REPLACED"), QList<QByteArray> { "stage" });
        QCOMPARE(named("SHIVX_TEST_INHERITED"), QList<QByteArray> { "engine" });
        QCOMPARE(named("SHIVX_STAGE"), QList<QByteArray> { "dump" });
        const QList<QByteArray> key = named("SHIVX_STATUS_KEY");
        QCOMPARE(key.size(), 1);
        QCOMPARE(key.first(), QByteArray::number(runner->run(*id)->attempts.first().id));
    }

    void changedArtifactFailsTheDownstreamStage()
    {
        // The downstream stage sleeps behind a gate so that the test can tamper in between.
        writeDef(QStringLiteral("tamper"),
            "stages:\n"
                + shStage(QStringLiteral("produce"), QStringLiteral("echo a > $SHIVX_ARTIFACTS/x"),
                    QStringLiteral("    artifacts: true\n"))
                + shStage(QStringLiteral("gate"), QStringLiteral("sleep 0.5"),
                    QStringLiteral("    needs: [produce]\n"))
                + shStage(QStringLiteral("consume"), QStringLiteral("true"),
                    QStringLiteral("    needs: [produce, gate]\n")));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("tamper"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QVERIFY(id.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stageOf(*runner->run(*id), QStringLiteral("produce")).state),
            toString(StageState::Succeeded), 10000);
        const QString dir = runner->run(*id)->attempts.first().artifactsDir;
        QFile::setPermissions(dir + QStringLiteral("/x"), QFile::ReadOwner | QFile::WriteOwner);
        QFile f(dir + QStringLiteral("/x"));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("b\n");
        f.close();
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::DeadLetter), 10000);
        const auto d = runner->run(*id);
        QCOMPARE(d->run.failedStage, QStringLiteral("consume"));
        QVERIFY2(d->run.error.contains(QStringLiteral("changed since it was recorded")),
            qPrintable(d->run.error));
    }

    void retriesThenDeadLetterThenRetryFromTheFailedStage()
    {
        writeDef(QStringLiteral("flaky"),
            "stages:\n" + shStage(QStringLiteral("first"), QStringLiteral("echo once >> @/first"))
                + shStage(QStringLiteral("second"),
                    QStringLiteral("echo try >> @/second; test -f @/ok"),
                    QStringLiteral("    needs: [first]\n    retries: 2\n"
                                   "    backoff: {initial_delay: 50ms, max_delay: 1s}\n")));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("flaky"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QVERIFY(id.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::DeadLetter), 20000);
        QCOMPARE(readAll(side(QStringLiteral("second"))).count('\n'), 3); // 1 + 2 retries
        auto d = runner->run(*id);
        QCOMPARE(d->run.failedStage, QStringLiteral("second"));
        QCOMPARE(
            toString(stageOf(*d, QStringLiteral("second")).state), toString(StageState::Failed));
        QVERIFY(m_audit.actions().contains(QStringLiteral("pipeline.stage_retry")));
        QVERIFY(m_audit.actions().contains(QStringLiteral("pipeline.dead_lettered")));
        QCOMPARE(runner->counters().deadLetter, 1);

        QCOMPARE(runner->discardDeadLetter(*id + 1000, QStringLiteral("cli:t")).error().code,
            QStringLiteral("pipeline.unknown_run"));
        QFile(side(QStringLiteral("ok"))).open(QIODevice::WriteOnly);
        QVERIFY(runner->retryDeadLetter(*id, QStringLiteral("cli:test")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 20000);
        // The checkpoint held: the first stage ran once in all.
        QCOMPARE(readAll(side(QStringLiteral("first"))), QByteArray("once\n"));
        QCOMPARE(readAll(side(QStringLiteral("second"))).count('\n'), 4);
        QCOMPARE(runner->retryDeadLetter(*id, QStringLiteral("cli:test")).error().code,
            QStringLiteral("pipeline.not_dead_letter"));
        QCOMPARE(runner->counters().deadLetter, 0);
    }

    void discardTakesARunOutOfTheQueue()
    {
        writeDef(QStringLiteral("bad"), "stages:\n" + shStage(QStringLiteral("a"), "exit 3"));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("bad"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::DeadLetter), 10000);
        QCOMPARE(runner->run(*id)->attempts.first().exitCode, 3);
        QVERIFY(runner->discardDeadLetter(*id, QStringLiteral("cli:test")).ok());
        QCOMPARE(toString(stateOf(*runner, *id)), toString(RunState::Discarded));
        QVERIFY(m_audit.actions().contains(QStringLiteral("pipeline.dlq_discard")));
    }

    void timeoutKillsTheWholeGroup()
    {
        writeDef(QStringLiteral("hang"),
            "stages:\n"
                + shStage(QStringLiteral("a"), QStringLiteral("sleep 60 & echo $! > @/child; wait"),
                    QStringLiteral("    timeout: 300ms\n")));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("hang"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::DeadLetter), 10000);
        const auto d = runner->run(*id);
        QCOMPARE(toString(d->attempts.first().state), toString(AttemptState::TimedOut));
        const qint64 child = readAll(side(QStringLiteral("child"))).trimmed().toLongLong();
        QVERIFY(child > 0);
        QTRY_VERIFY_WITH_TIMEOUT(!isAlive(child), 5000);
    }

    void whenConditionsOnUpstreamResults()
    {
        writeDef(QStringLiteral("when"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("kill -SEGV $$"))
                + shStage(QStringLiteral("on-success"), QStringLiteral("echo s >> @/s"),
                    QStringLiteral("    needs: [a]\n"))
                + shStage(QStringLiteral("after-skip"), QStringLiteral("echo s >> @/s"),
                    QStringLiteral("    needs: [on-success]\n"))
                + shStage(QStringLiteral("on-failure"), QStringLiteral("echo f >> @/f"),
                    QStringLiteral("    needs: [a]\n    when: failure\n"))
                + shStage(QStringLiteral("always"), QStringLiteral("echo x >> @/x"),
                    QStringLiteral("    needs: [a, on-failure]\n    when: always\n")));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("when"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::DeadLetter), 10000);
        const auto d = runner->run(*id);
        QCOMPARE(toString(stageOf(*d, QStringLiteral("a")).state), toString(StageState::Failed));
        QCOMPARE(d->attempts.first().exitCode, 128 + SIGSEGV); // through the wrapper shell
        QCOMPARE(toString(stageOf(*d, QStringLiteral("on-success")).state),
            toString(StageState::Skipped));
        QCOMPARE(toString(stageOf(*d, QStringLiteral("after-skip")).state),
            toString(StageState::Skipped));
        QCOMPARE(toString(stageOf(*d, QStringLiteral("on-failure")).state),
            toString(StageState::Succeeded));
        QCOMPARE(
            toString(stageOf(*d, QStringLiteral("always")).state), toString(StageState::Succeeded));
        QVERIFY(!QFile::exists(side(QStringLiteral("s"))));
        QCOMPARE(readAll(side(QStringLiteral("f"))), QByteArray("f\n"));
        QCOMPARE(readAll(side(QStringLiteral("x"))), QByteArray("x\n"));
    }

    void missingCommandFails()
    {
        writeDef(QStringLiteral("missing"),
            "stages:\n  - name: a\n    command: /nonexistent/shivx-no-such-program\n");
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("missing"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::DeadLetter), 10000);
        const auto d = runner->run(*id);
        QCOMPARE(d->attempts.first().exitCode, 127);
        QVERIFY(!readAll(d->attempts.first().stderrPath).isEmpty());
    }

    void limitsHoldParallelStages()
    {
        QByteArray yaml = "concurrency: 2\nstages:\n";
        for (int i = 0; i < 5; ++i)
            yaml += shStage(QStringLiteral("s%1").arg(i),
                QStringLiteral("echo start >> @/log; sleep 0.2; echo end >> @/log"));
        writeDef(QStringLiteral("wide"), yaml);
        auto runner = makeRunner(4);
        int running = 0;
        int most = 0;
        connect(runner.get(), &PipelineRunner::stageChanged, this, [&](const StageRecord &s) {
            if (s.state == StageState::Running)
                most = std::max(most, ++running);
            else if (isFinished(s.state))
                --running;
        });
        const auto id = runner->trigger(
            QStringLiteral("wide"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 20000);
        QCOMPARE(most, 2); // the pipeline's concurrency, below the engine's 4
    }

    // The engine's executor with its only worker busy: the stage of a run started by hand
    // spawns before that of a scheduled run triggered earlier, both claimed meanwhile. The
    // stages outlive the started() report's delay, so that reports come in the order of the
    // spawns rather than of the ends.
    void aManualRunsStageStartsBeforeAnEarlierScheduledOnesOnABusyExecutor()
    {
        writeDef(QStringLiteral("nightly"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("sleep 0.3")));
        writeDef(QStringLiteral("adhoc"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("sleep 0.3")));
        ExecutorConfig config;
        config.workers = 1;
        BoundedExecutor executor(config);
        std::atomic<bool> release { false };
        const auto busy = executor.submit(TaskPriority::High, [&release] {
            while (!release)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        });
        QVERIFY(busy.ok());
        // A failed check returns early: the worker must still be let go, or the executor's
        // destructor waits for it forever.
        const std::shared_ptr<void> letGo(nullptr, [&release](void *) { release = true; });
        auto runner = makeRunner(4, &executor);
        QStringList starts;
        connect(runner.get(), &PipelineRunner::attemptChanged, this, [&](const AttemptRecord &a) {
            if (a.pid > 0 && a.state == AttemptState::Running)
                starts.append(runner->run(a.runId)->run.pipeline);
        });
        const auto scheduled = runner->trigger(
            QStringLiteral("nightly"), {}, QStringLiteral("schedule"), QStringLiteral("engine"));
        const auto manual = runner->trigger(
            QStringLiteral("adhoc"), {}, QStringLiteral("manual"), QStringLiteral("cli:test"));
        QVERIFY(scheduled.ok() && manual.ok());
        QTRY_COMPARE_WITH_TIMEOUT(executor.metrics().queueDepth, 2, 5000);
        release = true;
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *scheduled)), toString(RunState::Succeeded), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *manual)), toString(RunState::Succeeded), 10000);
        QCOMPARE(starts, QStringList({ QStringLiteral("adhoc"), QStringLiteral("nightly") }));
    }

    // Pausing the kind holds the stage's spawn in the executor's queue (its claim stays);
    // cancelling the run meanwhile takes it out without a process; resuming runs the next.
    void pausingTheStageKindHoldsLaunches()
    {
        writeDef(QStringLiteral("held"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("echo ran >> @/ran")));
        BoundedExecutor executor;
        auto runner = makeRunner(4, &executor);
        QVERIFY(executor.setKindPaused(StageLauncher::ManualKind, true).ok());
        const auto first = runner->trigger(
            QStringLiteral("held"), {}, QStringLiteral("manual"), QStringLiteral("cli:test"));
        QVERIFY(first.ok());
        QTRY_COMPARE_WITH_TIMEOUT(executor.metrics().pausedDepth, 1, 5000);
        QTest::qWait(300);
        QCOMPARE(runner->run(*first)->attempts.value(0).pid, 0);
        QVERIFY(!QFile::exists(side(QStringLiteral("ran"))));
        QVERIFY(runner->cancel(*first, QStringLiteral("cli:test")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *first)), toString(RunState::Cancelled), 10000);
        QCOMPARE(executor.metrics().queueDepth, 0);
        QCOMPARE(executor.metrics().cancelled, quint64(1));

        const auto second = runner->trigger(
            QStringLiteral("held"), {}, QStringLiteral("manual"), QStringLiteral("cli:test"));
        QTRY_COMPARE_WITH_TIMEOUT(executor.metrics().pausedDepth, 1, 5000);
        QVERIFY(executor.setKindPaused(StageLauncher::ManualKind, false).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *second)), toString(RunState::Succeeded), 10000);
        QCOMPARE(readAll(side(QStringLiteral("ran"))), QByteArray("ran\n"));
    }

    void maxActiveRunsQueuesTheNext()
    {
        writeDef(QStringLiteral("one"), "stages:\n" + shStage(QStringLiteral("a"), "sleep 0.3"));
        auto runner = makeRunner();
        const auto first = runner->trigger(
            QStringLiteral("one"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        const auto second = runner->trigger(
            QStringLiteral("one"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QCOMPARE(toString(stateOf(*runner, *first)), toString(RunState::Running));
        QCOMPARE(toString(stateOf(*runner, *second)), toString(RunState::Queued));
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *second)), toString(RunState::Succeeded), 10000);
        QCOMPARE(toString(stateOf(*runner, *first)), toString(RunState::Succeeded));
    }

    void unknownPipelineAndParameter()
    {
        writeDef(QStringLiteral("p"), "params: {a: '1'}\nstages: [{name: x, command: 'true'}]\n");
        auto runner = makeRunner();
        QCOMPARE(
            runner->trigger(QStringLiteral("nope"), {}, {}, QStringLiteral("engine")).error().code,
            QStringLiteral("pipeline.unknown"));
        const auto bad = runner->trigger(QStringLiteral("p"),
            { { QStringLiteral("b"), QStringLiteral("2") } }, {}, QStringLiteral("engine"));
        QCOMPARE(bad.error().code, QStringLiteral("pipeline.unknown_param"));
        QVERIFY(bad.error().message.contains(QStringLiteral("(it has: a)")));
    }

    void cancelStopsRunningStages()
    {
        writeDef(QStringLiteral("long"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("sleep 30"))
                + shStage(QStringLiteral("b"), QStringLiteral("true"),
                    QStringLiteral("    needs: [a]\n")));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("long"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QTRY_VERIFY_WITH_TIMEOUT(runner->run(*id)->attempts.value(0).pid > 0, 5000);
        const qint64 pid = runner->run(*id)->attempts.first().pid;
        QVERIFY(runner->cancel(*id, QStringLiteral("cli:test")).ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Cancelled), 10000);
        QVERIFY(!isAlive(pid));
        QCOMPARE(toString(stageOf(*runner->run(*id), QStringLiteral("b")).state),
            toString(StageState::Cancelled));
        QCOMPARE(runner->cancel(*id, QStringLiteral("cli:test")).error().code,
            QStringLiteral("pipeline.not_active"));
    }

    void changedDefinitionLeavesARunInProgressAlone()
    {
        writeDef(QStringLiteral("v"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("sleep 0.6"))
                + shStage(QStringLiteral("b"), QStringLiteral("echo old >> @/b"),
                    QStringLiteral("    needs: [a]\n")));
        auto runner = makeRunner();
        QSignalSpy reloaded(runner.get(), &PipelineRunner::pipelinesChanged);
        const QString before = runner->pipelines().first().definition.version;
        const auto id = runner->trigger(
            QStringLiteral("v"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        writeDef(QStringLiteral("v"),
            "stages:\n" + shStage(QStringLiteral("a"), QStringLiteral("sleep 0.6"))
                + shStage(QStringLiteral("b"), QStringLiteral("echo new >> @/b"),
                    QStringLiteral("    needs: [a]\n")));
        QTRY_VERIFY_WITH_TIMEOUT(reloaded.count() > 0, 5000);
        QVERIFY(runner->pipelines().first().definition.version != before);
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 10000);
        QCOMPARE(readAll(side(QStringLiteral("b"))), QByteArray("old\n"));
        QCOMPARE(runner->run(*id)->run.version, before);
    }

    void pruneKeepsTheConfiguredCount()
    {
        writeDef(QStringLiteral("keep"),
            "retention: {max_runs: 2}\nstages: [{name: a, command: 'true'}]\n");
        auto runner = makeRunner();
        QList<qint64> ids;
        for (int i = 0; i < 4; ++i) {
            ids.append(*runner->trigger(
                QStringLiteral("keep"), {}, QStringLiteral("manual"), QStringLiteral("engine")));
            QTRY_COMPARE_WITH_TIMEOUT(
                toString(stateOf(*runner, ids.last())), toString(RunState::Succeeded), 10000);
        }
        const QString firstDir
            = QFileInfo(runner->run(ids.first())->attempts.first().stdoutPath).path();
        QVERIFY(QFile::exists(firstDir));
        runner->prune();
        QCOMPARE(runner->run(ids.at(0)).error().code, QStringLiteral("pipeline.unknown_run"));
        QCOMPARE(runner->run(ids.at(1)).error().code, QStringLiteral("pipeline.unknown_run"));
        QVERIFY(runner->run(ids.at(3)).ok());
        QVERIFY(!QFile::exists(firstDir));
    }

    // Output goes through pipes into log files created on the first byte: a silent stage
    // creates none (a file costs ~0.4 ms on the bench machine's disk), a loud one's log is
    // whole (more than a pipe holds) by the time its attempt is recorded, and every exit
    // status lands in the run's one status file.
    void logsAreCreatedOnTheFirstByteAndArriveWhole()
    {
        writeDef(QStringLiteral("logs"),
            "stages:\n" + shStage(QStringLiteral("quiet"), QStringLiteral("true"))
                + shStage(QStringLiteral("loud"),
                    QStringLiteral("yes x | head -c 300000; echo oops >&2"),
                    QStringLiteral("    needs: [quiet]\n")));
        auto runner = makeRunner();
        const auto id = runner->trigger(
            QStringLiteral("logs"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QVERIFY(id.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 20000);
        const auto d = runner->run(*id);
        QCOMPARE(d->attempts.size(), 2);
        const AttemptRecord quiet = d->attempts.at(0).stage == QLatin1String("quiet")
            ? d->attempts.at(0)
            : d->attempts.at(1);
        const AttemptRecord loud = d->attempts.at(0).stage == QLatin1String("loud")
            ? d->attempts.at(0)
            : d->attempts.at(1);
        QVERIFY(!quiet.stdoutPath.isEmpty());
        QVERIFY(!QFile::exists(quiet.stdoutPath));
        QVERIFY(!QFile::exists(quiet.stderrPath));
        QCOMPARE(readAll(loud.stdoutPath).size(), 300000);
        QCOMPARE(readAll(loud.stderrPath), QByteArray("oops\n"));
        QCOMPARE(quiet.statusPath, loud.statusPath);
        int code = -1;
        QVERIFY(StageProcess::readStatus(quiet.statusPath, QString::number(quiet.id), &code));
        QCOMPARE(code, 0);
        QVERIFY(StageProcess::readStatus(loud.statusPath, QString::number(loud.id), &code));
        QCOMPARE(code, 0);
    }

    // A process that leaves the stage's group (setsid, so the group kill after the stage's
    // end misses it) and keeps its output open: the stage still ends when its own process
    // does, not when the straggler closes the pipe.
    void aStragglerHoldingTheOutputDoesNotHoldTheStage()
    {
        writeDef(QStringLiteral("straggler"),
            "stages:\n"
                + shStage(QStringLiteral("a"),
                    QStringLiteral(
                        "setsid sh -c \"echo \\$\\$ > @/straggler; exec sleep 30\" & "
                        "while [ ! -s @/straggler ]; do sleep 0.05; done; echo started")));
        auto runner = makeRunner();
        QElapsedTimer took;
        took.start();
        const auto id = runner->trigger(
            QStringLiteral("straggler"), {}, QStringLiteral("manual"), QStringLiteral("engine"));
        QVERIFY(id.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(stateOf(*runner, *id)), toString(RunState::Succeeded), 20000);
        QVERIFY2(took.elapsed() < 15000, qPrintable(QString::number(took.elapsed())));
        const auto d = runner->run(*id);
        QCOMPARE(readAll(d->attempts.first().stdoutPath), QByteArray("started\n"));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(side(QStringLiteral("straggler"))), 5000);
        const qint64 pid = readAll(side(QStringLiteral("straggler"))).trimmed().toLongLong();
        QVERIFY(pid > 0);
        ::kill(pid_t(pid), SIGKILL);
    }
};

QTEST_GUILESS_MAIN(TstPipelineRunner)
#include "tst_pipelinerunner.moc"
