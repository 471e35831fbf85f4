#include "health/processprobe.h"
#include "targetmonitorfixture.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QTest>

using namespace ShivxTest;

// The process and command probes against live children (tests/helpers/testchild), run by a
// real TargetMonitor; tests/unit/health/tst_processprobe covers the parsing on fixtures.
class TestProcessProbeLive : public QObject, public TargetMonitorFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { checkPrerequisites(); }
    void cleanup() { reapChildren(); }

    void processByPidFile();
    void processPidFileMissing();
    void processByName();
    void processByArgv0Basename();
    void command_data();
    void command();
    void commandTimeoutKills_data();
    void commandTimeoutKills();

private:
    // Starts `monitor` on the single target `spec` and waits until it reports UP.
    void watchUntilUp(TargetMonitor &monitor, const TargetSpec &spec);
    // Kills `child` and waits until `monitor` reports `spec` DOWN with `error`.
    void killAndExpectDown(
        TargetMonitor &monitor, const TargetSpec &spec, QProcess *child, const QString &error);
};

void TestProcessProbeLive::watchUntilUp(TargetMonitor &monitor, const TargetSpec &spec)
{
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, spec.name), QStringLiteral("UP"));
}

void TestProcessProbeLive::killAndExpectDown(
    TargetMonitor &monitor, const TargetSpec &spec, QProcess *child, const QString &error)
{
    child->kill();
    QVERIFY(child->waitForFinished());
    QTRY_COMPARE(stateOf(monitor, spec.name), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, spec.name).lastError.text, error);
}

void TestProcessProbeLive::processByPidFile()
{
    const QString pidFile = m_dir.filePath(QStringLiteral("service.pid"));
    QProcess *child
        = startChild({ QStringLiteral("--pidfile"), pidFile, QStringLiteral("--hang") });
    QTRY_VERIFY(readPidFile(pidFile) > 0);
    const qint64 pid = readPidFile(pidFile);
    QCOMPARE(pid, child->processId());

    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.pidFile = pidFile;
    TargetMonitor monitor;
    watchUntilUp(monitor, spec);
    if (QTest::currentTestFailed())
        return;
    killAndExpectDown(monitor, spec, child,
        QStringLiteral("pid %1 from %2 is not running").arg(pid).arg(pidFile));
}

void TestProcessProbeLive::processPidFileMissing()
{
    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.pidFile = m_dir.filePath(QStringLiteral("absent.pid"));
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("DOWN"));
    const QString error = statusOf(monitor, QStringLiteral("svc")).lastError.text;
    QVERIFY2(error.startsWith(QStringLiteral("cannot read pid file %1: ").arg(spec.pidFile)),
        qPrintable(error));
}

void TestProcessProbeLive::processByName()
{
    // Unique per test run (comm holds 15 bytes), so parallel runs cannot satisfy the probe.
    const QString name = QStringLiteral("shx-%1").arg(QCoreApplication::applicationPid());
    QProcess *child = startChild({ QStringLiteral("--name"), name, QStringLiteral("--hang") });
    QTRY_COMPARE(ProcessProbe::findByName(name), QList<qint64> { child->processId() });

    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.processName = name;
    TargetMonitor monitor;
    watchUntilUp(monitor, spec);
    if (QTest::currentTestFailed())
        return;
    killAndExpectDown(monitor, spec, child, QStringLiteral("no process named %1").arg(name));
}

void TestProcessProbeLive::processByArgv0Basename()
{
    // "shivx_test_child" is longer than comm's 15 bytes, so only argv[0] can match it.
    const QString name = QFileInfo(Helper).fileName();
    QVERIFY(name.size() > 15);
    QProcess *child = startChild({ QStringLiteral("--hang") });
    QTRY_VERIFY(ProcessProbe::findByName(name).contains(child->processId()));

    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.processName = name;
    TargetMonitor monitor;
    watchUntilUp(monitor, spec);
}

void TestProcessProbeLive::command_data()
{
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("errorPrefix");

    QTest::newRow("exit 0 -> UP") << Helper << QStringList { "--exit", "0" } << "UP"
                                  << "";
    QTest::newRow("exit 1 -> DOWN with first stderr line")
        << Helper
        << QStringList { "--stderr", "database is locked", "--stderr", "second", "--exit", "1" }
        << "DOWN"
        << "exited with code 1: database is locked";
    QTest::newRow("exit 3 without stderr") << Helper << QStringList { "--exit", "3" } << "DOWN"
                                           << "exited with code 3";
    QTest::newRow("crash -> killed by signal") << Helper << QStringList { "--crash" } << "DOWN"
                                               << "killed by signal 6";
    QTest::newRow("missing program -> cannot start")
        << "/nonexistent/shivx-check" << QStringList {} << "DOWN"
        << "cannot start /nonexistent/shivx-check: ";
    QTest::newRow("command line split when args are empty")
        << Helper + QStringLiteral(" --exit 0") << QStringList {} << "UP"
        << "";
}

void TestProcessProbeLive::command()
{
    QFETCH(QString, command);
    QFETCH(QStringList, args);
    QFETCH(QString, state);
    QFETCH(QString, errorPrefix);

    TargetSpec spec = commandSpec(QStringLiteral("check"), command, args);
    spec.timeoutMs = 5000;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("check")).checks >= 1);
    const TargetStatus s = statusOf(monitor, QStringLiteral("check"));
    QCOMPARE(toString(s.state), state);
    if (errorPrefix.isEmpty())
        QCOMPARE(s.lastError.text, QString());
    else
        QVERIFY2(s.lastError.text.startsWith(errorPrefix), qPrintable(s.lastError.text));
    monitor.stop();
}

void TestProcessProbeLive::commandTimeoutKills_data()
{
    // "{pidfile}" in args stands for the pid file the hanging helper writes.
    QTest::addColumn<QString>("command");
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("timeoutMs");
    QTest::addColumn<QString>("error");
    QTest::addColumn<bool>("reapedBeforeReport");

    QTest::newRow("child, reaped before the result")
        << Helper << QStringList { "--pidfile", "{pidfile}", "--hang" } << 1000
        << "timed out after 1s" << true;
    // The shell forks the helper (the trailing "; exit 0" keeps it from exec'ing), so the
    // helper is a grandchild that only a process-group kill reaches. It is re-parented to
    // init, which reaps it on its own schedule; dead is what matters.
    QTest::newRow("grandchild, by process group")
        << QStringLiteral("/bin/sh")
        << QStringList { "-c",
               QStringLiteral("'%1' --pidfile '{pidfile}' --hang; exit 0").arg(Helper) }
        << 1500 << "timed out after 1s500ms" << false;
}

void TestProcessProbeLive::commandTimeoutKills()
{
    QFETCH(QString, command);
    QFETCH(QStringList, args);
    QFETCH(int, timeoutMs);
    QFETCH(QString, error);
    QFETCH(bool, reapedBeforeReport);

    // One pid file per row: a file left by the row before would name a dead process.
    const QString pidFile
        = m_dir.filePath(QStringLiteral("command-%1.pid").arg(QTest::currentDataTag()));
    args.replaceInStrings(QStringLiteral("{pidfile}"), pidFile);
    TargetSpec spec = commandSpec(QStringLiteral("check"), command, args);
    spec.timeoutMs = timeoutMs;
    spec.intervalMs = 60'000;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_VERIFY(readPidFile(pidFile) > 0);
    const qint64 pid = readPidFile(pidFile);
    QVERIFY(ProcessProbe::isRunning(pid));

    QTRY_COMPARE(stateOf(monitor, QStringLiteral("check")), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, QStringLiteral("check")).lastError.text, error);
    if (reapedBeforeReport)
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid))); // not even a zombie
    else
        QTRY_VERIFY(!ProcessProbe::isRunning(pid));
}

QTEST_GUILESS_MAIN(TestProcessProbeLive)
#include "tst_processprobe_live.moc"
