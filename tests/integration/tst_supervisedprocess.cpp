// One supervised process with real children: exit, crash, hang, SIGTERM ignored (SIGKILL
// after stop_timeout), output captured and rotated, the process group killed with its
// leader, and no child, grandchild or zombie of ours left behind.
#include "recovery/supervisedprocess.h"
#include "supervisorfixture.h"
#include "targetmonitorfixture.h"

#include <QElapsedTimer>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <pthread.h>

using namespace Shivx;
using namespace ShivxTest;

class tst_SupervisedProcess : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QList<ProcessEvent> m_events;

    std::unique_ptr<SupervisedProcess> make(const RecoverySpec &spec)
    {
        auto p = std::make_unique<SupervisedProcess>(spec, m_dir.filePath(QStringLiteral("logs")),
            nullptr, [](qint64) { return qint64(0); });
        connect(p.get(), &SupervisedProcess::eventOccurred, this,
            [this](const ProcessEvent &e) { m_events.append(e); });
        return p;
    }
    QStringList actions() const
    {
        QStringList out;
        for (const ProcessEvent &e : m_events)
            out.append(e.action);
        return out;
    }
    static ProcessState state(const SupervisedProcess &p) { return p.snapshot().state; }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }
    void init() { m_events.clear(); }
    // isEmpty(), not a comparison with an empty QList: at -O3 GCC inlines Qt 6.4's
    // QList::operator== down to a memcmp() with the empty list's null data (-Wnonnull).
    void cleanup() { QTRY_VERIFY(childrenOfThisProcess().isEmpty()); }

    void startsAndStopsGracefully()
    {
        auto p = make(childSpec(QStringLiteral("calm"), { QStringLiteral("--hang") }));
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*p) == ProcessState::Running);
        const qint64 pid = p->snapshot().pid;
        QVERIFY(isAlive(pid));
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
        QCOMPARE(p->snapshot().lastExitSignal, SIGTERM);
        QCOMPARE(p->snapshot().pid, 0);
        QVERIFY(!isAlive(pid));
        QCOMPARE(actions().join(QLatin1Char(' ')),
            QStringLiteral("process.started process.exited process.stopped"));
        QCOMPARE(actions(),
            (QStringList { QStringLiteral("process.started"), QStringLiteral("process.exited"),
                QStringLiteral("process.stopped") }));
        QCOMPARE(m_events.at(1).data.value(QStringLiteral("expected")).toBool(), true);
    }

    // The engine blocks SIGTERM in every thread; a blocked mask survives exec, so the
    // supervisor must clear it or a graceful stop could only ever end in SIGKILL.
    void childDoesNotInheritBlockedSigterm()
    {
        sigset_t term, old;
        sigemptyset(&term);
        sigaddset(&term, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &term, &old);
        RecoverySpec spec = childSpec(QStringLiteral("masked"), { QStringLiteral("--hang") });
        spec.stopTimeoutMs = 20'000;
        auto p = make(spec);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*p) == ProcessState::Running);
        QElapsedTimer t;
        t.start();
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
        pthread_sigmask(SIG_SETMASK, &old, nullptr);
        QCOMPARE(p->snapshot().lastExitSignal, SIGTERM);
        QVERIFY(t.elapsed() < 10'000);
    }

    void exitAndCrashAreRestarted_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<int>("signal");
        QTest::newRow("exit code 3") << QStringList { QStringLiteral("--exit-after"),
            QStringLiteral("100"), QStringLiteral("3") }
                                     << 3 << 0;
        QTest::newRow("clean exit 0") << QStringList { QStringLiteral("--exit-after"),
            QStringLiteral("100"), QStringLiteral("0") }
                                      << 0 << 0;
        QTest::newRow("crash (SIGABRT)") << QStringList { QStringLiteral("--sleep"),
            QStringLiteral("100"), QStringLiteral("--crash") }
                                         << 0 << int(SIGABRT);
    }

    void exitAndCrashAreRestarted()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(int, signal);
        auto p = make(childSpec(QStringLiteral("flaky"), args));
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(p->snapshot().restarts >= 2);
        const ProcessSnapshot s = p->snapshot();
        QVERIFY(s.hasExited);
        QCOMPARE(s.lastExitCode, code);
        QCOMPARE(s.lastExitSignal, signal);
        QVERIFY(actions().contains(QStringLiteral("process.restart_scheduled")));
        const auto exited = std::find_if(m_events.cbegin(), m_events.cend(),
            [](const ProcessEvent &e) { return e.action == QLatin1String("process.exited"); });
        QVERIFY(exited != m_events.cend());
        if (signal)
            QCOMPARE(exited->data.value(QStringLiteral("signal")).toInt(), signal);
        else
            QCOMPARE(exited->data.value(QStringLiteral("code")).toInt(), code);
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
    }

    void onFailurePolicyLeavesCleanExitStopped()
    {
        RecoverySpec spec = childSpec(
            QStringLiteral("oneshot"), { QStringLiteral("--exit"), QStringLiteral("0") });
        spec.restart = RestartPolicy::OnFailure;
        auto p = make(spec);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(actions().contains(QStringLiteral("process.not_restarted")));
        QVERIFY(state(*p) == ProcessState::Stopped);
        QCOMPARE(p->snapshot().restarts, 0);
    }

    void ignoredSigtermEndsInSigkillAfterStopTimeout()
    {
        // The pid file is written after SIGTERM is ignored: only then is the child stubborn.
        const QString ready = m_dir.filePath(QStringLiteral("stubborn.pid"));
        QFile::remove(ready);
        RecoverySpec spec = childSpec(QStringLiteral("stubborn"),
            { QStringLiteral("--ignore-term"), QStringLiteral("--pidfile"), ready,
                QStringLiteral("--hang") });
        spec.stopTimeoutMs = 400;
        auto p = make(spec);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*p) == ProcessState::Running);
        QTRY_VERIFY(readPidFile(ready) > 0);
        QElapsedTimer t;
        t.start();
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
        QVERIFY2(t.elapsed() >= 390, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(p->snapshot().lastExitSignal, SIGKILL);
        QVERIFY(actions().contains(QStringLiteral("process.killed")));
    }

    void grandchildDiesWithTheGroup()
    {
        const QString pidFile = m_dir.filePath(QStringLiteral("grandchild.pid"));
        QFile::remove(pidFile);
        auto p = make(childSpec(QStringLiteral("forker"),
            { QStringLiteral("--spawn-grandchild"), pidFile, QStringLiteral("--hang") }));
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(readPidFile(pidFile) > 0);
        const qint64 grandchild = readPidFile(pidFile);
        const qint64 pgid = p->snapshot().pid;
        QVERIFY(isAlive(grandchild));
        QCOMPARE(liveGroupMembers(pgid).size(), 2);
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
        QTRY_VERIFY(!isAlive(grandchild));
        QTRY_VERIFY(liveGroupMembers(pgid).isEmpty());
    }

    // A leader that dies on its own takes its group with it, so the restart does not meet
    // the old run's children.
    void unexpectedExitKillsTheRestOfTheGroup()
    {
        const QString pidFile = m_dir.filePath(QStringLiteral("orphan.pid"));
        QFile::remove(pidFile);
        RecoverySpec spec = childSpec(QStringLiteral("leaver"),
            { QStringLiteral("--spawn-grandchild"), pidFile, QStringLiteral("--exit-after"),
                QStringLiteral("300"), QStringLiteral("1") });
        spec.restart = RestartPolicy::Never;
        auto p = make(spec);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(readPidFile(pidFile) > 0);
        const qint64 grandchild = readPidFile(pidFile);
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
        QTRY_VERIFY(!isAlive(grandchild));
    }

    void outputIsCapturedAndRotated()
    {
        RecoverySpec spec = childSpec(QStringLiteral("chatty"),
            { QStringLiteral("--print"), QStringLiteral("400"), QStringLiteral("line-of-output"),
                QStringLiteral("--hang") });
        spec.logMaxBytes = 2048;
        spec.logFiles = 2;
        auto p = make(spec);
        QStringList tail;
        connect(p.get(), &SupervisedProcess::logLines, this,
            [&tail](const QString &, const QStringList &lines) { tail += lines; });
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(tail.contains(QStringLiteral("line-of-output 400")));
        QVERIFY(tail.contains(QStringLiteral("line-of-output 1")));
        const QString log = p->snapshot().logPath;
        QVERIFY(QFile::exists(log));
        QVERIFY(QFile::exists(log + QStringLiteral(".1")));
        QVERIFY(QFile::exists(log + QStringLiteral(".2")));
        QVERIFY(!QFile::exists(log + QStringLiteral(".3")));
        for (const QString &f : { log, log + QStringLiteral(".1"), log + QStringLiteral(".2") })
            QVERIFY2(QFileInfo(f).size() <= spec.logMaxBytes, qPrintable(f));
        QFile current(log);
        QVERIFY(current.open(QIODevice::ReadOnly));
        QVERIFY(current.readAll().contains("line-of-output 400\n"));
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
    }

    // NAME.log cannot be rotated (a directory named NAME.log.1 is in the way): the supervisor
    // keeps serving the process (its output is read, stop works), reports the failure in the
    // snapshot and keeps the file within max_size instead of looping on the rotation.
    void failedRotationKeepsTheSupervisorResponsive()
    {
        const QString logs = m_dir.filePath(QStringLiteral("blocked-logs"));
        QVERIFY(QDir().mkpath(logs + QStringLiteral("/blocked.log.1")));
        RecoverySpec spec = childSpec(QStringLiteral("blocked"),
            { QStringLiteral("--print"), QStringLiteral("2000"), QStringLiteral("line-of-output"),
                QStringLiteral("--print-every"), QStringLiteral("5"), QStringLiteral("tick") });
        spec.logMaxBytes = 1024;
        spec.logFiles = 1;
        auto p = std::make_unique<SupervisedProcess>(
            spec, logs, nullptr, [](qint64) { return qint64(0); });
        QStringList tail;
        connect(p.get(), &SupervisedProcess::logLines, this,
            [&tail](const QString &, const QStringList &lines) { tail += lines; });
        QTest::ignoreMessage(QtWarningMsg,
            QRegularExpression(
                QStringLiteral("cannot rotate the log of blocked: .*blocked\\.log\\.1: "
                               "Is a directory")));
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(tail.contains(QStringLiteral("line-of-output 2000")));
        QTRY_VERIFY(tail.contains(QStringLiteral("tick 20")));
        QVERIFY2(p->snapshot().lastError.contains(QStringLiteral("blocked.log.1: Is a directory")),
            qPrintable(p->snapshot().lastError));
        const QString log = p->snapshot().logPath;
        QVERIFY(QFileInfo(log).size() <= spec.logMaxBytes);
        QVERIFY(QFileInfo(log + QStringLiteral(".1")).isDir());
        QElapsedTimer stopping;
        stopping.start();
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
        QVERIFY(stopping.elapsed() < 5000 * SHIVX_TIME_SCALE);
        QCOMPARE(p->snapshot().lastExitSignal, SIGTERM);
    }

    void environmentAndWorkingDirectory()
    {
        RecoverySpec spec = childSpec(QStringLiteral("envy"),
            { QStringLiteral("--env"), QStringLiteral("SHIVX_TEST_MODE"), QStringLiteral("--cwd"),
                QStringLiteral("--hang") });
        spec.env = { { QStringLiteral("SHIVX_TEST_MODE"), QStringLiteral("blue") } };
        spec.cwd = m_dir.path();
        auto p = make(spec);
        QStringList tail;
        connect(p.get(), &SupervisedProcess::logLines, this,
            [&tail](const QString &, const QStringList &lines) { tail += lines; });
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(tail.contains(QStringLiteral("SHIVX_TEST_MODE=blue")));
        QTRY_VERIFY(tail.contains(QDir(m_dir.path()).canonicalPath()));
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
    }

    void crashLoopPausesThenRetries()
    {
        RecoverySpec spec = childSpec(
            QStringLiteral("looper"), { QStringLiteral("--exit"), QStringLiteral("1") });
        spec.backoffInitialMs = 0;
        spec.crashLoopRestarts = 3;
        spec.crashLoopWindowMs = 30'000;
        spec.crashLoopCooldownMs = 800;
        auto p = make(spec);
        QSignalSpy loops(p.get(), &SupervisedProcess::crashLoopEntered);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*p) == ProcessState::CrashLoop);
        QCOMPARE(p->snapshot().restarts, 3);
        QCOMPARE(loops.size(), 1);
        QVERIFY(p->snapshot().nextStartAtMs > 0);
        // The jitter source returns 0, so the retry comes after the cooldown exactly.
        QTRY_VERIFY(actions().contains(QStringLiteral("process.crash_loop_retry")));
        QTRY_VERIFY(p->snapshot().restarts >= 4);
        p->stop(QStringLiteral("test"));
        QVERIFY(state(*p) == ProcessState::Stopped || state(*p) == ProcessState::Stopping);
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
    }

    void operatorRestartIsNotCounted()
    {
        auto p = make(childSpec(QStringLiteral("steady"), { QStringLiteral("--hang") }));
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*p) == ProcessState::Running);
        for (int i = 1; i <= 3; ++i) {
            const qint64 before = p->snapshot().pid;
            p->restart(QStringLiteral("console:test"), SupervisedProcess::Reason::Operator);
            QTRY_VERIFY(state(*p) == ProcessState::Running && p->snapshot().pid != before);
            QVERIFY(!isAlive(before));
            QCOMPARE(p->snapshot().restarts, i);
            QCOMPARE(p->snapshot().restartsInWindow, 0);
        }
        QVERIFY(!actions().contains(QStringLiteral("process.restart_scheduled")));
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
    }

    void missingProgramIsRetried()
    {
        RecoverySpec spec = childSpec(QStringLiteral("ghost"), {});
        spec.command = m_dir.filePath(QStringLiteral("no-such-program"));
        auto p = make(spec);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(actions().count(QStringLiteral("process.start_failed")) >= 2);
        QVERIFY(!p->snapshot().lastError.isEmpty());
        p->stop(QStringLiteral("test"));
        QTRY_VERIFY(state(*p) == ProcessState::Stopped);
    }

    // With no backoff a program that cannot start is retried through the event loop and
    // ends in a crash loop, not in a recursion.
    void missingProgramWithoutBackoffEndsInCrashLoop()
    {
        RecoverySpec spec = childSpec(QStringLiteral("ghost0"), {});
        spec.command = m_dir.filePath(QStringLiteral("no-such-program"));
        spec.backoffInitialMs = 0;
        spec.crashLoopRestarts = 4;
        auto p = make(spec);
        p->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*p) == ProcessState::CrashLoop);
        QCOMPARE(actions().count(QStringLiteral("process.start_failed")), 5);
        p->stop(QStringLiteral("test"));
        QVERIFY(state(*p) == ProcessState::Stopped);
    }

    // Engine exit: every group gets SIGTERM at once, stubborn ones SIGKILL after their
    // stop_timeout, and everything is reaped before finishShutdown returns.
    void shutdownLeavesNothingBehind()
    {
        const QString pidFile = m_dir.filePath(QStringLiteral("shutdown-grandchild.pid"));
        QFile::remove(pidFile);
        const QString ready = m_dir.filePath(QStringLiteral("stubborn2.pid"));
        QFile::remove(ready);
        RecoverySpec stubborn = childSpec(QStringLiteral("stubborn2"),
            { QStringLiteral("--ignore-term"), QStringLiteral("--pidfile"), ready,
                QStringLiteral("--hang") });
        stubborn.stopTimeoutMs = 300;
        auto a = make(stubborn);
        auto b = make(childSpec(QStringLiteral("family"),
            { QStringLiteral("--spawn-grandchild"), pidFile, QStringLiteral("--hang") }));
        a->start(QStringLiteral("engine"));
        b->start(QStringLiteral("engine"));
        QTRY_VERIFY(state(*a) == ProcessState::Running && state(*b) == ProcessState::Running);
        QTRY_VERIFY(readPidFile(pidFile) > 0 && readPidFile(ready) > 0);
        const qint64 groups[] = { a->snapshot().pid, b->snapshot().pid };
        a->beginShutdown();
        b->beginShutdown();
        a->finishShutdown();
        b->finishShutdown();
        QVERIFY(state(*a) == ProcessState::Stopped);
        QVERIFY(state(*b) == ProcessState::Stopped);
        QVERIFY(childrenOfThisProcess().isEmpty());
        for (qint64 g : groups)
            QTRY_VERIFY(liveGroupMembers(g).isEmpty());
        // No restart after the engine's stop.
        QTest::qWait(200);
        QVERIFY(state(*a) == ProcessState::Stopped);
    }
};

QTEST_GUILESS_MAIN(tst_SupervisedProcess)
#include "tst_supervisedprocess.moc"
