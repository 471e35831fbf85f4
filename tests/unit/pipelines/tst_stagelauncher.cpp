// The stage launcher with real processes: reports in order, exit codes and signals, signals
// to the whole group, spawn failures, many launches at once (some forgotten), the blocking
// wait of an engine that stops, and spawns as the executor's work: by priority class when the
// executor is busy, held while their kind is paused, cancelled there by a signal.
#include "core/modulehost.h"
#include "executor/boundedexecutor.h"
#include "pipelines/stagelauncher.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <thread>

using namespace Shivx;

namespace {

StageLaunch shLaunch(const QTemporaryDir &dir, const QString &script, const QString &name)
{
    StageLaunch l;
    l.command = QStringLiteral("/bin/sh");
    l.args = { QStringLiteral("-c"), script };
    l.environment = StageLaunch::encode(QProcessEnvironment::systemEnvironment());
    l.cwd = dir.path();
    l.stdoutPath = dir.filePath(name + QStringLiteral(".out"));
    l.stderrPath = dir.filePath(name + QStringLiteral(".err"));
    l.statusPath = dir.filePath(QStringLiteral("attempts.status"));
    l.statusKey = name;
    return l;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstStageLauncher : public QObject
{
    Q_OBJECT

    struct Reports
    {
        QList<QString> order;
        StageLauncher::Started started;
        StageLauncher::Finished finished;
        bool done = false;
    };

    quint64 launch(StageLauncher &launcher, StageLaunch l, Reports *r)
    {
        return launcher.launch(
            std::move(l), this,
            [r](const StageLauncher::Started &s) {
                r->order.append(QStringLiteral("started"));
                r->started = s;
            },
            [r](const StageLauncher::Finished &f) {
                r->order.append(QStringLiteral("finished"));
                r->finished = f;
                r->done = true;
            });
    }

    // Occupies the executor's only worker until `release` is set.
    static TaskHandle occupy(BoundedExecutor &executor, std::atomic<bool> *release)
    {
        std::atomic<bool> running { false };
        auto h = executor.submit(TaskPriority::High, [release, &running] {
            running = true;
            while (!*release)
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
        });
        while (!running)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return *h;
    }

    static int queuedOf(const BoundedExecutor &executor, const QString &kind)
    {
        for (const WorkKindState &k : executor.metrics().kinds)
            if (k.name == kind)
                return k.queued;
        return -1;
    }

private Q_SLOTS:
    void reportsStartedThenFinishedWithItsExitCode()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        launch(launcher,
            shLaunch(dir, QStringLiteral("echo out; echo err >&2; exit 3"), QStringLiteral("a")),
            &r);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.order, QStringList({ QStringLiteral("started"), QStringLiteral("finished") }));
        QVERIFY(r.started.pid > 0);
        QCOMPARE(r.started.pgid, r.started.pid); // its own group (setsid)
        QVERIFY(r.started.startTicks > 0);
        QVERIFY(!r.started.bootId.isEmpty());
        QCOMPARE(r.finished.exitCode, 3);
        QCOMPARE(r.finished.signal, 0);
        QVERIFY(r.finished.error.isEmpty());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("a.out"))), QByteArray("out\n"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("a.err"))), QByteArray("err\n"));
        // The process as it started and how it ended, in either order: a loaded machine may run
        // the wrapper to its end before the launcher has appended the start.
        const QString status = dir.filePath(QStringLiteral("attempts.status"));
        QByteArrayList lines = readAll(status).split('\n');
        std::sort(lines.begin(), lines.end());
        QCOMPARE(lines,
            QByteArrayList({ "", "a 3",
                "a started " + QByteArray::number(r.started.pid) + ' '
                    + QByteArray::number(r.started.pgid) + ' '
                    + QByteArray::number(r.started.startTicks) + ' '
                    + r.started.bootId.toLatin1() }));
        const auto started = StageLauncher::readStarted(status, QStringLiteral("a"));
        QVERIFY(started);
        QCOMPARE(started->pid, r.started.pid);
        QCOMPARE(started->startTicks, r.started.startTicks);
        QCOMPARE(started->bootId, r.started.bootId);
        QVERIFY(!StageLauncher::readStarted(status, QStringLiteral("b")));
        int code = -1;
        QVERIFY(StageProcess::readStatus(status, QStringLiteral("a"), &code));
        QCOMPARE(code, 3);
    }

    // started() waits up to StartedReportDelayMs for the end, so that a short stage is reported
    // in one go; a stage that runs on is reported started while it runs.
    void aRunningStageIsReportedStartedBeforeItEnds()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        const quint64 id
            = launch(launcher, shLaunch(dir, QStringLiteral("sleep 30"), QStringLiteral("s")), &r);
        QTRY_COMPARE_WITH_TIMEOUT(r.order, QStringList { QStringLiteral("started") }, 5000);
        QVERIFY(r.started.pid > 0);
        QVERIFY(r.started.spawnedNs > 0);
        launcher.signal(id, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.order, QStringList({ QStringLiteral("started"), QStringLiteral("finished") }));
        launcher.forget(id);
    }

    void aSignalReachesTheWholeGroup()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        // The command's own child writes its pid, then both sleep: SIGKILL to the group must
        // end the child too, not only the process the launcher started.
        const quint64 id = launch(launcher,
            shLaunch(dir,
                QStringLiteral("sh -c 'echo $$ > %1; exec sleep 30' & wait")
                    .arg(dir.filePath(QStringLiteral("child"))),
                QStringLiteral("b")),
            &r);
        QTRY_VERIFY_WITH_TIMEOUT(!readAll(dir.filePath(QStringLiteral("child"))).isEmpty(), 10000);
        const pid_t child = pid_t(readAll(dir.filePath(QStringLiteral("child"))).trimmed().toInt());
        QVERIFY(child > 0);
        launcher.signal(id, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.finished.signal, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(child, 0) != 0, 5000);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("b.out")))); // it printed nothing
    }

    void aCommandThatCannotStartIsReportedWithItsFolder()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        StageLaunch l = shLaunch(dir, QStringLiteral("true"), QStringLiteral("c"));
        l.cwd = dir.filePath(QStringLiteral("missing"));
        launch(launcher, l, &r);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.order, QStringList({ QStringLiteral("finished") }));
        QVERIFY2(r.finished.error.contains(l.cwd), qPrintable(r.finished.error));
    }

    void manyAtOnceAndForgottenOnesStaySilent()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        constexpr int Count = 40;
        std::vector<Reports> reports(Count);
        std::vector<quint64> ids;
        for (int i = 0; i < Count; ++i)
            ids.push_back(launch(launcher,
                shLaunch(dir, QStringLiteral("exit %1").arg(i % 7), QString::number(i)),
                &reports[size_t(i)]));
        for (int i = 0; i < Count; i += 2)
            launcher.forget(ids[size_t(i)]);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(reports.begin(), reports.end(),
                [&](const Reports &r) { return (&r - reports.data()) % 2 == 0 || r.done; }),
            30000);
        QTest::qWait(200);
        for (int i = 0; i < Count; ++i) {
            const Reports &r = reports[size_t(i)];
            if (i % 2 == 0) {
                QVERIFY(r.order.isEmpty());
            } else {
                QCOMPARE(r.finished.exitCode, i % 7);
            }
        }
        for (int i = 1; i < Count; i += 2)
            launcher.forget(ids[size_t(i)]);
        // Every one of them started and wrote its status, forgotten or not, each line whole.
        const QList<QByteArray> lines
            = readAll(dir.filePath(QStringLiteral("attempts.status"))).trimmed().split('\n');
        QCOMPARE(lines.size(), 2 * Count);
        const qsizetype startedLines = std::count_if(lines.begin(), lines.end(),
            [](const QByteArray &l) { return l.split(' ').value(1) == "started"; });
        QCOMPARE(startedLines, qsizetype(Count));
        for (int i = 0; i < Count; ++i)
            QVERIFY(StageLauncher::readStarted(
                dir.filePath(QStringLiteral("attempts.status")), QString::number(i)));
    }

    // Two executor workers spawn while earlier stages end: a spawning child holds copies of
    // the other stages' descriptors for a moment, which once kept closed pipes and pidfds in
    // the epoll set, waking the thread 20 to 50 times per stage.
    void theLauncherDoesNotSpinOnDescriptorsItClosed()
    {
        QTemporaryDir dir;
        ExecutorConfig config;
        config.workers = 2;
        BoundedExecutor executor(config);
        StageLauncher launcher(&executor);
        constexpr int Count = 120;
        std::vector<Reports> reports(Count);
        std::vector<quint64> ids;
        for (int i = 0; i < Count; ++i)
            ids.push_back(launch(launcher,
                shLaunch(dir, QStringLiteral("true"), QString::number(i)), &reports[size_t(i)]));
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(reports.begin(), reports.end(), [](const Reports &r) { return r.done; }),
            30000);
        for (const quint64 id : ids)
            launcher.forget(id);
        // Adoption, exit and the two pipes' ends: at most four each, fewer when they coincide.
        QVERIFY2(launcher.wakeups() <= quint64(4 * Count + 10),
            qPrintable(
                QStringLiteral("%1 wake-ups for %2 stages").arg(launcher.wakeups()).arg(Count)));
    }

    void waitReapedTakesTheResultInsteadOfAReport()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        const quint64 id = launch(
            launcher, shLaunch(dir, QStringLiteral("sleep 0.3; exit 5"), QStringLiteral("d")), &r);
        StageLauncher::Finished f;
        QVERIFY(launcher.waitReaped(id, 20000, &f));
        QCOMPARE(f.exitCode, 5);
        QTest::qWait(200);
        QVERIFY(!r.done); // taken by the wait, not reported as well
        QVERIFY(!launcher.waitReaped(id, 10, &f)); // gone
    }

    void destroyingTheLauncherKillsWhatStillRuns()
    {
        QTemporaryDir dir;
        qint64 pid = 0;
        {
            StageLauncher launcher;
            Reports r;
            launch(launcher, shLaunch(dir, QStringLiteral("sleep 30"), QStringLiteral("e")), &r);
            QTRY_VERIFY_WITH_TIMEOUT(r.started.pid > 0, 10000);
            pid = r.started.pid;
        }
        QVERIFY(::kill(pid_t(pid), 0) != 0); // reaped, not a zombie of ours
        // The kill is not reported: `r` is gone (ASan caught a report queued to it that the
        // next test's event loop delivered).
        bool reported = false;
        {
            StageLauncher launcher;
            launcher.launch(
                shLaunch(dir, QStringLiteral("sleep 30"), QStringLiteral("f")), this,
                [](const StageLauncher::Started &) {},
                [&reported](const StageLauncher::Finished &) { reported = true; });
            QTest::qWait(300);
        }
        QTest::qWait(300);
        QVERIFY(!reported);
    }

    void aManualStageQueuedBehindAScheduledOneStartsFirst()
    {
        QTemporaryDir dir;
        ExecutorConfig config;
        config.workers = 1;
        BoundedExecutor executor(config);
        StageLauncher launcher(&executor);
        std::atomic<bool> release { false };
        const TaskHandle busy = occupy(executor, &release);
        // A failed check returns early: the worker must still be let go, or the executor's
        // destructor waits for it forever.
        const std::shared_ptr<void> letGo(nullptr, [&release](void *) { release = true; });
        QStringList starts;
        const auto launchAs = [&](const QString &name, const QString &kind, Reports *r) {
            // Longer than started()'s delay: reported in the order of the spawns.
            StageLaunch l = shLaunch(dir, QStringLiteral("sleep 0.3"), name);
            l.kind = kind;
            launcher.launch(
                l, this,
                [&starts, name, r](const StageLauncher::Started &st) {
                    starts.append(name);
                    r->started = st;
                },
                [r](const StageLauncher::Finished &f) {
                    r->finished = f;
                    r->done = true;
                });
        };
        Reports background, scheduled, manual;
        launchAs(QStringLiteral("background"), StageLauncher::BackgroundKind, &background);
        launchAs(QStringLiteral("scheduled"), StageLauncher::ScheduledKind, &scheduled);
        launchAs(QStringLiteral("manual"), StageLauncher::ManualKind, &manual);
        QCOMPARE(executor.metrics().queueDepth, 3); // counted by the executor, all waiting
        QCOMPARE(queuedOf(executor, StageLauncher::ManualKind), 1);
        release = true;
        QTRY_VERIFY_WITH_TIMEOUT(background.done && scheduled.done && manual.done, 20000);
        QCOMPARE(starts,
            QStringList({ QStringLiteral("manual"), QStringLiteral("scheduled"),
                QStringLiteral("background") }));
        QCOMPARE(manual.finished.exitCode, 0);
        QVERIFY(busy.wait(1000));
        const ExecutorMetrics m = executor.metrics();
        QCOMPARE(m.completed, quint64(4)); // the three spawns and the task that held the worker
        QCOMPARE(m.waitCount, quint64(4));
    }

    void aPausedKindHoldsItsLaunchesAndASignalCancelsThemThere()
    {
        QTemporaryDir dir;
        BoundedExecutor executor;
        StageLauncher launcher(&executor);
        QVERIFY(executor.setKindPaused(StageLauncher::ManualKind, true).ok());
        executor.setCondition(ModuleHost::backgroundTasksOff(), true);
        Reports held, cancelled, background;
        launch(launcher, shLaunch(dir, QStringLiteral("true"), QStringLiteral("held")), &held);
        const quint64 stop = launch(launcher,
            shLaunch(dir, QStringLiteral("echo ran > stopped"), QStringLiteral("cancelled")),
            &cancelled);
        StageLaunch bg = shLaunch(dir, QStringLiteral("true"), QStringLiteral("bg"));
        bg.kind = StageLauncher::BackgroundKind;
        launch(launcher, bg, &background);
        QTest::qWait(300);
        QVERIFY(held.order.isEmpty());
        QVERIFY(background.order.isEmpty());
        QCOMPARE(queuedOf(executor, StageLauncher::ManualKind), 2);
        QCOMPARE(queuedOf(executor, StageLauncher::BackgroundKind), 1);
        QCOMPARE(executor.metrics().pausedDepth, 3);

        // A stop while the spawn waits: it never starts, and its place in the queue is free.
        launcher.signal(stop, SIGTERM);
        QTRY_VERIFY_WITH_TIMEOUT(cancelled.done, 5000);
        QCOMPARE(cancelled.order, QStringList({ QStringLiteral("finished") }));
        QCOMPARE(cancelled.finished.error, QStringLiteral("stopped before it started"));
        QCOMPARE(queuedOf(executor, StageLauncher::ManualKind), 1);
        QCOMPARE(executor.metrics().cancelled, quint64(1));

        QVERIFY(executor.setKindPaused(StageLauncher::ManualKind, false).ok());
        QTRY_VERIFY_WITH_TIMEOUT(held.done, 10000);
        QCOMPARE(held.finished.exitCode, 0);
        QTest::qWait(200);
        QVERIFY(background.order.isEmpty()); // still under background_tasks_off
        executor.setCondition(ModuleHost::backgroundTasksOff(), false);
        QTRY_VERIFY_WITH_TIMEOUT(background.done, 10000);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("stopped"))));
    }

    void destroyingTheLauncherCancelsQueuedSpawns()
    {
        QTemporaryDir dir;
        BoundedExecutor executor;
        QVERIFY(StageLauncher::registerKinds(executor).ok());
        QVERIFY(executor.setKindPaused(StageLauncher::ManualKind, true).ok());
        {
            StageLauncher launcher(&executor);
            Reports r;
            launch(launcher, shLaunch(dir, QStringLiteral("touch ran"), QStringLiteral("q")), &r);
            QCOMPARE(queuedOf(executor, StageLauncher::ManualKind), 1);
        }
        QCOMPARE(queuedOf(executor, StageLauncher::ManualKind), 0);
        QVERIFY(executor.setKindPaused(StageLauncher::ManualKind, false).ok());
        QTest::qWait(200);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("ran"))));
    }

    void aRefusedSpawnIsReportedWithTheExecutorsReason()
    {
        QTemporaryDir dir;
        BoundedExecutor executor;
        StageLauncher launcher(&executor);
        executor.shutdown();
        Reports r;
        launch(launcher, shLaunch(dir, QStringLiteral("true"), QStringLiteral("r")), &r);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 5000);
        QVERIFY2(
            r.finished.error.contains(QStringLiteral("shut down")), qPrintable(r.finished.error));
    }
};

QTEST_GUILESS_MAIN(TstStageLauncher)
#include "tst_stagelauncher.moc"
