// The supervisor wired to a real TargetMonitor, as the Engine wires them: a target failing
// its HTTP probe N times in a row gets its process restarted (or its restart_command run),
// then a startup grace with fresh counters; a crash loop marks the target DOWN; every step
// is audited.
#include "health/targetmonitor.h"
#include "recovery/processsupervisor.h"
#include "supervisorfixture.h"
#include "targetmonitorfixture.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>

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
};

QTEST_GUILESS_MAIN(tst_ProcessSupervisor)
#include "tst_processsupervisor.moc"
