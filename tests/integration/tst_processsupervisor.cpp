// The supervisor wired to a real TargetMonitor, as the Engine wires them: a target failing
// its HTTP probe N times in a row gets its process restarted (or its restart_command run),
// then a startup grace with fresh counters; a crash loop marks the target DOWN; every step
// is audited.
#include "health/targetmonitor.h"
#include "recovery/childrecord.h"
#include "recovery/processsupervisor.h"
#include "supervisorfixture.h"
#include "targetmonitorfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

#include <csignal>

using namespace Shivx;
using namespace ShivxTest;

class tst_ProcessSupervisor : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    struct Rig
    {
        RecordingAuditSink audit;
        TargetMonitor monitor;
        std::unique_ptr<ProcessSupervisor> supervisor;

        Rig(const QList<TargetSpec> &targets, const QList<RecoverySpec> &recovery,
            const QString &logDir)
        {
            supervisor = std::make_unique<ProcessSupervisor>(
                recovery, logDir, nullptr, &audit, [](qint64) { return qint64(0); });
            QObject::connect(&monitor, &TargetMonitor::targetsUpdated, supervisor.get(),
                &ProcessSupervisor::onTargetsUpdated);
            QObject::connect(supervisor.get(), &ProcessSupervisor::targetResetRequested, &monitor,
                &TargetMonitor::resetTarget);
            monitor.setTargets(targets);
            monitor.start();
            supervisor->start();
        }
        ~Rig()
        {
            monitor.stop();
            supervisor->shutdown();
        }
        ProcessSnapshot process(const QString &name) const
        {
            for (const ProcessSnapshot &s : supervisor->snapshot()) {
                if (s.name == name)
                    return s;
            }
            return {};
        }
        QStringList names() const
        {
            QStringList out;
            for (const ProcessSnapshot &s : supervisor->snapshot())
                out.append(s.name);
            return out;
        }
        QList<AuditEvent> events(const QString &action) const
        {
            QList<AuditEvent> out;
            for (const AuditEvent &e : audit.events()) {
                if (e.action == action)
                    out.append(e);
            }
            return out;
        }
    };

    // What an earlier engine left running: the helper in its own session, with its record
    // in `logs`. Returns once the helper has applied its options (it wrote its pid file), so
    // that an ignored SIGTERM is really ignored.
    static bool startEarlierRun(QProcess &earlier, const QString &logs, const QString &name,
        bool ignoresTerm, qint64 stopTimeoutMs)
    {
        const QString pidFile = logs + QStringLiteral("-earlier.pid");
        earlier.setChildProcessModifier([] { ::setsid(); });
        QStringList args { QStringLiteral("--pidfile"), pidFile, QStringLiteral("--hang") };
        if (ignoresTerm)
            args.prepend(QStringLiteral("--ignore-term"));
        earlier.start(ChildProgram, args);
        if (!earlier.waitForStarted())
            return false;
        QElapsedTimer t;
        t.start();
        while (readPidFile(pidFile) != earlier.processId() && t.elapsed() < 10'000)
            QTest::qWait(10);
        const auto record
            = ChildRecord::ofChild(name, earlier.processId(), stopTimeoutMs, ChildProgram, 0);
        return record && record->save(logs);
    }

    static RecoverySpec supervised(const QString &name, const QStringList &args)
    {
        RecoverySpec s = childSpec(name, args);
        s.restartAfterFailures = 3;
        s.startupGraceMs = 600;
        return s;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void cleanup() { QTRY_COMPARE(childrenOfThisProcess(), QList<qint64>()); }

    void failedProbesRestartTheProcess()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        TargetSpec target = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
        target.failureThreshold = 3;
        Rig rig({ target }, { supervised(QStringLiteral("web"), { QStringLiteral("--hang") }) },
            m_dir.filePath(QStringLiteral("logs1")));
        QTRY_VERIFY(rig.process(QStringLiteral("web")).state == ProcessState::Running);
        const qint64 firstPid = rig.process(QStringLiteral("web")).pid;
        QTRY_COMPARE(stateOf(rig.monitor, QStringLiteral("web")), QStringLiteral("UP"));

        server.setMode(TestHttpServer::WrongStatus);
        QTRY_VERIFY_WITH_TIMEOUT(rig.process(QStringLiteral("web")).pid != firstPid
                && rig.process(QStringLiteral("web")).state == ProcessState::Running,
            10'000);
        QVERIFY(!isAlive(firstPid));
        const QList<AuditEvent> restarts = rig.events(QStringLiteral("process.probe_restart"));
        QCOMPARE(restarts.size(), 1);
        QCOMPARE(restarts.first().stream, QStringLiteral("resilience"));
        QCOMPARE(restarts.first().data.value(QStringLiteral("failures")).toInt(), 3);
        QCOMPARE(restarts.first().data.value(QStringLiteral("process")).toString(),
            QStringLiteral("web"));

        // Startup grace: the new run starts with fresh counters and its first probes (still
        // failing) do not count.
        const TargetStatus fresh = statusOf(rig.monitor, QStringLiteral("web"));
        QVERIFY(fresh.state == TargetState::Unknown);
        QCOMPARE(fresh.consecutiveFailures, 0);
        QTest::qWait(400);
        QCOMPARE(statusOf(rig.monitor, QStringLiteral("web")).consecutiveFailures, 0);

        // Healthy again: no more restarts.
        server.setMode(TestHttpServer::Healthy);
        QTRY_COMPARE(stateOf(rig.monitor, QStringLiteral("web")), QStringLiteral("UP"));
        QTest::qWait(500);
        QCOMPARE(rig.process(QStringLiteral("web")).restarts, 1);
        QCOMPARE(rig.events(QStringLiteral("process.probe_restart")).size(), 1);
    }

    void persistentFailureRestartsAgainAfterGrace()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setMode(TestHttpServer::WrongStatus);
        TargetSpec target = httpSpec(QStringLiteral("bad"), server.url(QStringLiteral("/health")));
        Rig rig({ target }, { supervised(QStringLiteral("bad"), { QStringLiteral("--hang") }) },
            m_dir.filePath(QStringLiteral("logs2")));
        QTRY_VERIFY_WITH_TIMEOUT(rig.process(QStringLiteral("bad")).restarts >= 2, 15'000);
        // Each restart is preceded by 3 failures after a 600 ms grace: never back to back.
        const QList<AuditEvent> restarts = rig.events(QStringLiteral("process.probe_restart"));
        QVERIFY(restarts.size() >= 2);
        QVERIFY2(restarts.at(1).tsMs - restarts.at(0).tsMs >= 600,
            qPrintable(QString::number(restarts.at(1).tsMs - restarts.at(0).tsMs)));
    }

    void crashLoopMarksTargetDown()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        TargetSpec target = httpSpec(QStringLiteral("loop"), server.url(QStringLiteral("/health")));
        RecoverySpec spec
            = supervised(QStringLiteral("loop"), { QStringLiteral("--exit"), QStringLiteral("2") });
        spec.backoffInitialMs = 0;
        spec.crashLoopRestarts = 2;
        spec.crashLoopCooldownMs = 60'000;
        Rig rig({ target }, { spec }, m_dir.filePath(QStringLiteral("logs3")));
        QTRY_VERIFY(rig.process(QStringLiteral("loop")).state == ProcessState::CrashLoop);
        // DOWN although its HTTP probe (a healthy server) would say UP: probes are ignored
        // until the cooldown ends.
        QTRY_COMPARE(stateOf(rig.monitor, QStringLiteral("loop")), QStringLiteral("DOWN"));
        QVERIFY(statusOf(rig.monitor, QStringLiteral("loop"))
                    .lastError.text.contains(QStringLiteral("crash loop")));
        QTest::qWait(400);
        QCOMPARE(stateOf(rig.monitor, QStringLiteral("loop")), QStringLiteral("DOWN"));
        const QList<AuditEvent> loops = rig.events(QStringLiteral("process.crash_loop"));
        QCOMPARE(loops.size(), 1);
        QCOMPARE(loops.first().data.value(QStringLiteral("restarts_in_window")).toInt(), 2);
        QCOMPARE(rig.events(QStringLiteral("process.exited")).size(), 3);
        QCOMPARE(rig.events(QStringLiteral("process.started")).size(), 3);
        // The operator ends the pause at once.
        QVERIFY(
            rig.supervisor->startProcess(QStringLiteral("loop"), QStringLiteral("console:test")));
        QTRY_VERIFY(rig.events(QStringLiteral("process.started")).size() >= 4);
    }

    void restartCommandRunsOnFailedProbes()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setMode(TestHttpServer::WrongStatus);
        const QString marker = m_dir.filePath(QStringLiteral("restart-command.pid"));
        TargetSpec target
            = httpSpec(QStringLiteral("legacy"), server.url(QStringLiteral("/health")));
        RecoverySpec spec;
        spec.name = QStringLiteral("legacy");
        spec.restartCommand = ChildProgram;
        spec.restartArgs = { QStringLiteral("--pidfile"), marker, QStringLiteral("--exit"),
            QStringLiteral("0") };
        spec.restartAfterFailures = 2;
        spec.startupGraceMs = 60'000;
        Rig rig({ target }, { spec }, m_dir.filePath(QStringLiteral("logs4")));
        QTRY_VERIFY(QFile::exists(marker));
        QTRY_COMPARE(rig.events(QStringLiteral("process.restart_command")).size(), 1);
        const AuditEvent e = rig.events(QStringLiteral("process.restart_command")).first();
        QCOMPARE(e.data.value(QStringLiteral("code")).toInt(), 0);
        QCOMPARE(e.data.value(QStringLiteral("timed_out")).toBool(), false);
        QCOMPARE(e.data.value(QStringLiteral("failures")).toInt(), 2);
        // Grace: fresh counters, failures ignored, no second run.
        QTRY_VERIFY(statusOf(rig.monitor, QStringLiteral("legacy")).state == TargetState::Unknown);
        QTest::qWait(500);
        QCOMPARE(statusOf(rig.monitor, QStringLiteral("legacy")).consecutiveFailures, 0);
        QCOMPARE(rig.events(QStringLiteral("process.restart_command")).size(), 1);
        // Not a supervised process: the process API does not know it.
        QVERIFY(!rig.supervisor->restartProcess(QStringLiteral("legacy"), QStringLiteral("api")));
        QVERIFY(rig.supervisor->snapshot().isEmpty());
    }

    void restartCommandTimesOut()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setMode(TestHttpServer::WrongStatus);
        TargetSpec target
            = httpSpec(QStringLiteral("slowfix"), server.url(QStringLiteral("/health")));
        RecoverySpec spec;
        spec.name = QStringLiteral("slowfix");
        spec.restartCommand = ChildProgram;
        spec.restartArgs = { QStringLiteral("--hang") };
        spec.restartTimeoutMs = 300;
        spec.restartAfterFailures = 1;
        spec.startupGraceMs = 60'000;
        Rig rig({ target }, { spec }, m_dir.filePath(QStringLiteral("logs5")));
        QTRY_COMPARE(rig.events(QStringLiteral("process.restart_command")).size(), 1);
        const AuditEvent e = rig.events(QStringLiteral("process.restart_command")).first();
        QCOMPARE(e.data.value(QStringLiteral("timed_out")).toBool(), true);
        QCOMPARE(e.data.value(QStringLiteral("signal")).toInt(), 9);
        QVERIFY(e.data.value(QStringLiteral("duration_ms")).toInt() >= 290);
    }

    void operatorRequestsAreAuditedOnTheOperatorStream()
    {
        Rig rig({}, { supervised(QStringLiteral("op"), { QStringLiteral("--hang") }) },
            m_dir.filePath(QStringLiteral("logs6")));
        QTRY_VERIFY(rig.process(QStringLiteral("op")).state == ProcessState::Running);
        QVERIFY(!rig.supervisor->restartProcess(QStringLiteral("nope"), QStringLiteral("api")));
        QVERIFY(rig.supervisor->stopProcess(QStringLiteral("op"), QStringLiteral("cli:alice")));
        QTRY_VERIFY(rig.process(QStringLiteral("op")).state == ProcessState::Stopped);
        QVERIFY(rig.supervisor->startProcess(QStringLiteral("op"), QStringLiteral("cli:alice")));
        QTRY_VERIFY(rig.process(QStringLiteral("op")).state == ProcessState::Running);
        QVERIFY(
            rig.supervisor->restartProcess(QStringLiteral("op"), QStringLiteral("console:bob")));
        QTRY_COMPARE(rig.process(QStringLiteral("op")).restarts, 2);
        QCOMPARE(rig.audit.actions(QStringLiteral("operator")),
            (QStringList { QStringLiteral("process.stop"), QStringLiteral("process.start"),
                QStringLiteral("process.restart") }));
        const QList<AuditEvent> ops = rig.events(QStringLiteral("process.restart"));
        QCOMPARE(ops.first().actor, QStringLiteral("console:bob"));
        QCOMPARE(
            ops.first().data.value(QStringLiteral("process")).toString(), QStringLiteral("op"));
        const QList<AuditEvent> stopped = rig.events(QStringLiteral("process.stopped"));
        QCOMPARE(stopped.size(), 1);
        QCOMPARE(stopped.first().actor, QStringLiteral("cli:alice"));
    }

    // A reloaded configuration, diffed by name: unchanged untouched, a changed command line
    // restarted with it, other changed settings applied in place, a new process started, a
    // removed one stopped and forgotten.
    void reconfigureDiffsByName()
    {
        const QStringList hang { QStringLiteral("--hang") };
        RecoverySpec tuned = supervised(QStringLiteral("tuned"), hang);
        Rig rig({},
            { supervised(QStringLiteral("same"), hang), supervised(QStringLiteral("changed"), hang),
                tuned, supervised(QStringLiteral("dropped"), hang) },
            m_dir.filePath(QStringLiteral("logs7")));
        for (const char *n : { "same", "changed", "tuned", "dropped" })
            QTRY_VERIFY2(rig.process(QString::fromLatin1(n)).state == ProcessState::Running, n);
        const qint64 same = rig.process(QStringLiteral("same")).pid;
        const qint64 changed = rig.process(QStringLiteral("changed")).pid;
        const qint64 tunedPid = rig.process(QStringLiteral("tuned")).pid;
        const qint64 dropped = rig.process(QStringLiteral("dropped")).pid;

        tuned.stopTimeoutMs = 1500;
        tuned.backoffMaxMs = 5000;
        rig.supervisor->reconfigure(
            { supervised(QStringLiteral("same"), hang), supervised(QStringLiteral("added"), hang),
                supervised(QStringLiteral("changed"),
                    { QStringLiteral("--sleep"), QStringLiteral("1"), QStringLiteral("--hang") }),
                tuned });
        // Requests see the new list at once; the removed process is no longer controllable.
        QTRY_VERIFY(!rig.supervisor->isSupervised(QStringLiteral("dropped")));
        QVERIFY(!rig.supervisor->restartProcess(QStringLiteral("dropped"), QStringLiteral("api")));
        QVERIFY(rig.supervisor->isSupervised(QStringLiteral("added")));

        QTRY_VERIFY(rig.process(QStringLiteral("changed")).state == ProcessState::Running
            && rig.process(QStringLiteral("changed")).pid != changed);
        QVERIFY(!isAlive(changed));
        QTRY_VERIFY(rig.process(QStringLiteral("added")).state == ProcessState::Running);
        QTRY_VERIFY(!isAlive(dropped));
        QTRY_COMPARE(rig.names(),
            (QStringList { QStringLiteral("same"), QStringLiteral("added"),
                QStringLiteral("changed"), QStringLiteral("tuned") }));
        QCOMPARE(rig.process(QStringLiteral("same")).pid, same);
        QCOMPARE(rig.process(QStringLiteral("tuned")).pid, tunedPid);
        // Operator restarts of a changed process are not counted by the crash-loop limit.
        QCOMPARE(rig.process(QStringLiteral("changed")).restartsInWindow, 0);

        QList<AuditEvent> e = rig.events(QStringLiteral("process.reconfigured"));
        QCOMPARE(e.size(), 2);
        QCOMPARE(
            e.at(0).data.value(QStringLiteral("process")).toString(), QStringLiteral("changed"));
        QCOMPARE(e.at(0).data.value(QStringLiteral("changed")).toString(), QStringLiteral("args"));
        QCOMPARE(e.at(0).data.value(QStringLiteral("restart")).toBool(), true);
        QCOMPARE(e.at(1).data.value(QStringLiteral("process")).toString(), QStringLiteral("tuned"));
        QCOMPARE(e.at(1).data.value(QStringLiteral("changed")).toString(),
            QStringLiteral("backoff,stop_timeout"));
        QCOMPARE(e.at(1).data.value(QStringLiteral("restart")).toBool(), false);
        e = rig.events(QStringLiteral("process.added"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(
            e.first().data.value(QStringLiteral("process")).toString(), QStringLiteral("added"));
        e = rig.events(QStringLiteral("process.removed"));
        QCOMPARE(e.size(), 1);
        QCOMPARE(
            e.first().data.value(QStringLiteral("process")).toString(), QStringLiteral("dropped"));
        QCOMPARE(e.first().stream, QStringLiteral("resilience"));
    }

    // Removed while it still stops (it ignores SIGTERM), then configured again: the run
    // that is stopping comes back as the process, never a second copy beside it.
    void removedThenAddedAgainRunsOneCopy()
    {
        RecoverySpec slow = supervised(
            QStringLiteral("slow"), { QStringLiteral("--ignore-term"), QStringLiteral("--hang") });
        slow.stopTimeoutMs = 1000;
        Rig rig({}, { slow }, m_dir.filePath(QStringLiteral("logs8")));
        QTRY_VERIFY(rig.process(QStringLiteral("slow")).state == ProcessState::Running);
        const qint64 first = rig.process(QStringLiteral("slow")).pid;
        rig.supervisor->reconfigure({});
        QTRY_VERIFY(rig.process(QStringLiteral("slow")).state == ProcessState::Stopping);
        rig.supervisor->reconfigure({ slow });
        QTRY_VERIFY(!isAlive(first));
        QTRY_VERIFY(rig.process(QStringLiteral("slow")).state == ProcessState::Running);
        QCOMPARE(rig.supervisor->snapshot().size(), 1);
        QCOMPARE(liveGroupMembers(rig.process(QStringLiteral("slow")).pid).size(), 1);
        QCOMPARE(rig.events(QStringLiteral("process.started")).size(), 2);
    }

    // restart_command and restart_after_failures of a reloaded configuration apply to the
    // next failures.
    void reconfigureAppliesRestartCommand()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setMode(TestHttpServer::WrongStatus);
        const QString before = m_dir.filePath(QStringLiteral("before.pid"));
        const QString after = m_dir.filePath(QStringLiteral("after.pid"));
        TargetSpec target
            = httpSpec(QStringLiteral("fixme"), server.url(QStringLiteral("/health")));
        RecoverySpec spec;
        spec.name = QStringLiteral("fixme");
        spec.restartCommand = ChildProgram;
        spec.restartArgs = { QStringLiteral("--pidfile"), before };
        spec.restartAfterFailures = 0; // off
        spec.startupGraceMs = 60'000;
        Rig rig({ target }, { spec }, m_dir.filePath(QStringLiteral("logs9")));
        QTRY_VERIFY(statusOf(rig.monitor, QStringLiteral("fixme")).consecutiveFailures >= 2);
        spec.restartArgs = { QStringLiteral("--pidfile"), after };
        spec.restartAfterFailures = 2;
        rig.supervisor->reconfigure({ spec });
        QTRY_VERIFY(QFile::exists(after));
        QVERIFY(!QFile::exists(before));
        QTRY_COMPARE(rig.events(QStringLiteral("process.restart_command")).size(), 1);
    }

    // A run an earlier supervisor left behind (its record in the log directory proves it
    // ours): stopped before the new run starts; an operator stop meanwhile keeps it stopped.
    void leftoverIsStoppedBeforeTheNewRun_data()
    {
        QTest::addColumn<bool>("ignoresTerm");
        QTest::addColumn<bool>("operatorStops");
        QTest::newRow("SIGTERM -> new run") << false << false;
        QTest::newRow("SIGTERM ignored -> SIGKILL after stop_timeout -> new run") << true << false;
        QTest::newRow("operator stop meanwhile -> stays stopped") << true << true;
    }

    void leftoverIsStoppedBeforeTheNewRun()
    {
        QFETCH(bool, ignoresTerm);
        QFETCH(bool, operatorStops);
        const QString logs
            = m_dir.filePath(QStringLiteral("logs10-%1%2").arg(ignoresTerm).arg(operatorStops));
        QProcess earlier;
        QVERIFY(startEarlierRun(earlier, logs, QStringLiteral("w"), ignoresTerm, 800));
        const qint64 earlierPid = earlier.processId();

        RecoverySpec spec = supervised(QStringLiteral("w"), { QStringLiteral("--hang") });
        Rig rig({}, { spec }, logs);
        QTRY_VERIFY(rig.process(QStringLiteral("w")).state == ProcessState::Stopping);
        QCOMPARE(rig.process(QStringLiteral("w")).pid, earlierPid);
        if (operatorStops)
            QVERIFY(rig.supervisor->stopProcess(QStringLiteral("w"), QStringLiteral("api")));
        // Waited for with the event loop running: the supervisor lives on this thread.
        QTRY_COMPARE(earlier.state(), QProcess::NotRunning);
        QCOMPARE(earlier.exitCode(), ignoresTerm ? SIGKILL : SIGTERM);
        QTRY_COMPARE(rig.events(QStringLiteral("process.leftover_stopped")).size(), 1);
        const AuditEvent e = rig.events(QStringLiteral("process.leftover_stopped")).first();
        QCOMPARE(e.data.value(QStringLiteral("pid")).toInteger(), earlierPid);
        QCOMPARE(e.data.value(QStringLiteral("killed")).toBool(), ignoresTerm);
        QCOMPARE(e.data.value(QStringLiteral("process")).toString(), QStringLiteral("w"));
        if (operatorStops) {
            QTRY_VERIFY(rig.process(QStringLiteral("w")).state == ProcessState::Stopped);
            QTest::qWait(200);
            QVERIFY(rig.process(QStringLiteral("w")).state == ProcessState::Stopped);
            QCOMPARE(rig.events(QStringLiteral("process.started")).size(), 0);
            QVERIFY(!QFile::exists(ChildRecord::path(logs, QStringLiteral("w"))));
            return;
        }
        QTRY_VERIFY(rig.process(QStringLiteral("w")).state == ProcessState::Running);
        const qint64 pid = rig.process(QStringLiteral("w")).pid;
        QVERIFY(pid != earlierPid);
        QCOMPARE(ChildRecord::load(logs, QStringLiteral("w"))->pid, pid);
        QCOMPARE(rig.audit.actions(QStringLiteral("resilience"))
                     .indexOf(QStringLiteral("process.leftover_stopped")),
            rig.audit.actions(QStringLiteral("resilience"))
                    .indexOf(QStringLiteral("process.started"))
                - 1);
    }

    // A leftover of a process no longer configured is being stopped when a reload configures
    // the process again: the process waits for it, so that only one copy runs, and the record
    // then describes the new run.
    void orphanConfiguredAgainWaitsForItsLeftover()
    {
        const QString logs = m_dir.filePath(QStringLiteral("logs12"));
        QProcess earlier;
        QVERIFY(startEarlierRun(earlier, logs, QStringLiteral("back"), true, 1000));
        const qint64 earlierPid = earlier.processId();
        Rig rig({}, {}, logs);
        QTest::qWait(100);
        rig.supervisor->reconfigure(
            { supervised(QStringLiteral("back"), { QStringLiteral("--hang") }) });
        QTRY_VERIFY(rig.process(QStringLiteral("back")).state == ProcessState::Stopping);
        QCOMPARE(rig.process(QStringLiteral("back")).pid, earlierPid);
        QTRY_COMPARE(earlier.state(), QProcess::NotRunning);
        QTRY_VERIFY(rig.process(QStringLiteral("back")).state == ProcessState::Running);
        const qint64 pid = rig.process(QStringLiteral("back")).pid;
        QVERIFY(pid != earlierPid);
        QCOMPARE(rig.events(QStringLiteral("process.leftover_stopped")).size(), 1);
        QCOMPARE(rig.events(QStringLiteral("process.started")).size(), 1);
        const auto record = ChildRecord::load(logs, QStringLiteral("back"));
        QVERIFY(record);
        QCOMPARE(record->pid, pid);
    }

    // Engine exit while a leftover is still being stopped: shutdown waits for it (SIGKILL
    // after its stop timeout) and leaves nothing behind.
    void shutdownFinishesALeftover()
    {
        const QString logs = m_dir.filePath(QStringLiteral("logs11"));
        QProcess earlier;
        QVERIFY(startEarlierRun(earlier, logs, QStringLiteral("gone"), true, 600));
        const auto record = ChildRecord::load(logs, QStringLiteral("gone"));
        QVERIFY(record);
        {
            // Not configured any more: an orphan, stopped all the same.
            Rig rig({}, {}, logs);
            QTest::qWait(100);
            QCOMPARE(earlier.state(), QProcess::Running);
        } // ~Rig: shutdown() blocks until it is gone
        QVERIFY(!record->isRunning());
        QVERIFY(earlier.waitForFinished(1000));
        QCOMPARE(earlier.exitCode(), SIGKILL);
        QVERIFY(!QFile::exists(ChildRecord::path(logs, QStringLiteral("gone"))));
    }
};

QTEST_GUILESS_MAIN(tst_ProcessSupervisor)
#include "tst_processsupervisor.moc"
