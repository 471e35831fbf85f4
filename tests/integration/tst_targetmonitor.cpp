#include "core/clock.h"
#include "core/workerthread.h"
#include "targetmonitorfixture.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QPointer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>

#include <memory>

using namespace ShivxTest;

// Monitor-level behaviour across probes: scheduling and in-flight probes, transitions,
// setTargets(), the injected clock, stop() reaping children, and running on a QThread.
class TestTargetMonitor : public QObject, public TargetMonitorFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { checkPrerequisites(); }
    void cleanup() { reapChildren(); }

    void hangingTargetDoesNotDelayOthers();
    void probeInFlightIsNotStartedTwice();
    void everyResultReachesTheListeners();
    void transitionSignalCarriesFromToAndReason();
    void setTargetsKeepsStateOfKeptNames();
    void injectedClockStampsResultsAndHeartbeat();
    void stopCancelsProbesInFlight();
    void runsOnItsOwnThread();
};

void TestTargetMonitor::hangingTargetDoesNotDelayOthers()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    TargetSpec hanging = httpSpec(QStringLiteral("hanging"), server.url(QStringLiteral("/hang")));
    hanging.timeoutMs = 3000;
    hanging.intervalMs = 10'000;
    TargetSpec quick = httpSpec(QStringLiteral("quick"), server.url(QStringLiteral("/ok")));
    quick.intervalMs = 200;
    TargetSpec port = tcpSpec(QStringLiteral("port"), QStringLiteral("127.0.0.1"), server.port());
    port.intervalMs = 200;

    TargetMonitor monitor;
    monitor.setTargets({ hanging, quick, port });
    QElapsedTimer clock;
    clock.start();
    monitor.start();

    QTRY_COMPARE(server.requests(QStringLiteral("/hang")), 1);
    // Five quick probes in well under the hanging probe's 3 s timeout.
    QTRY_VERIFY_WITH_TIMEOUT(statusOf(monitor, QStringLiteral("quick")).checks >= 5, 2500);
    QVERIFY(statusOf(monitor, QStringLiteral("port")).checks >= 4);
    QVERIFY2(clock.elapsed() < 2900, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(statusOf(monitor, QStringLiteral("hanging")).checks, quint64(0));
    QCOMPARE(stateOf(monitor, QStringLiteral("quick")), QStringLiteral("UP"));

    QTRY_COMPARE_WITH_TIMEOUT(
        stateOf(monitor, QStringLiteral("hanging")), QStringLiteral("DOWN"), 6000);
    const TargetStatus h = statusOf(monitor, QStringLiteral("hanging"));
    QCOMPARE(h.lastError.text, QStringLiteral("timed out after 3s"));
    QVERIFY(h.latencyMs >= 2990);
    QCOMPARE(stateOf(monitor, QStringLiteral("quick")), QStringLiteral("UP"));
    QVERIFY(statusOf(monitor, QStringLiteral("quick")).checks >= 12);
}

void TestTargetMonitor::probeInFlightIsNotStartedTwice()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    TargetSpec hanging = httpSpec(QStringLiteral("hanging"), server.url(QStringLiteral("/hang")));
    hanging.timeoutMs = 1500;
    hanging.intervalMs = 100;
    TargetMonitor monitor;
    monitor.setTargets({ hanging });
    monitor.start();

    QTRY_COMPARE(server.requests(QStringLiteral("/hang")), 1);
    // Ten ticks pass while the first probe hangs; none of them may start a second request.
    QTest::qWait(1000);
    QCOMPARE(server.requests(QStringLiteral("/hang")), 1);
    QTRY_COMPARE(statusOf(monitor, QStringLiteral("hanging")).checks, quint64(1));
    QTRY_COMPARE(server.requests(QStringLiteral("/hang")), 2);
}

// Updates are batched, but none may carry a target's result over an earlier one that was not
// sent yet: listeners that count (the supervisor's restart_after_failures, the history writer)
// see every probe. A failing target probed every 20 ms makes several results per 100 ms batch.
void TestTargetMonitor::everyResultReachesTheListeners()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    server.setMode(TestHttpServer::WrongStatus);
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
    spec.intervalMs = 20;
    TargetMonitor monitor;
    QList<quint64> seen;
    QObject::connect(&monitor, &TargetMonitor::targetsUpdated, &monitor,
        [&seen](const QList<TargetStatus> &targets) {
            const quint64 checks = targets.value(0).checks;
            if (checks > 0 && (seen.isEmpty() || seen.last() != checks))
                seen.append(checks);
        });
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_VERIFY_WITH_TIMEOUT(seen.size() >= 30, 10000);
    monitor.stop();
    for (qsizetype i = 1; i < seen.size(); ++i)
        QVERIFY2(seen.at(i) == seen.at(i - 1) + 1,
            qPrintable(QStringLiteral("check %1 came after %2: results in between were never sent")
                           .arg(seen.at(i))
                           .arg(seen.at(i - 1))));
    QCOMPARE(seen.first(), quint64(1));
}

void TestTargetMonitor::transitionSignalCarriesFromToAndReason()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
    spec.failureThreshold = 2;
    TargetMonitor monitor;
    QSignalSpy transitions(&monitor, &TargetMonitor::targetTransitioned);
    QSignalSpy updates(&monitor, &TargetMonitor::targetsUpdated);
    monitor.setTargets({ spec });
    monitor.start();

    QTRY_COMPARE(transitions.size(), 1);
    QCOMPARE(transitions.at(0).at(0).toString(), QStringLiteral("web"));
    QCOMPARE(toString(transitions.at(0).at(1).value<TargetState>()), QStringLiteral("UNKNOWN"));
    QCOMPARE(toString(transitions.at(0).at(2).value<TargetState>()), QStringLiteral("UP"));
    QVERIFY(transitions.at(0).at(3).value<Message>().text.startsWith(
        QLatin1String("probe succeeded in ")));

    server.setMode(TestHttpServer::WrongStatus);
    QTRY_COMPARE(transitions.size(), 3);
    QCOMPARE(toString(transitions.at(1).at(2).value<TargetState>()), QStringLiteral("DEGRADED"));
    QCOMPARE(transitions.at(1).at(3).value<Message>().text,
        QStringLiteral("HTTP 503 (expected 200) (failure 1 of 2)"));
    QCOMPARE(toString(transitions.at(2).at(1).value<TargetState>()), QStringLiteral("DEGRADED"));
    QCOMPARE(toString(transitions.at(2).at(2).value<TargetState>()), QStringLiteral("DOWN"));
    QCOMPARE(transitions.at(2).at(3).value<Message>().text,
        QStringLiteral("HTTP 503 (expected 200) (2 consecutive failures)"));
    // As a value too, for the console to word: the code, the probe's own, and the count.
    const Message down = transitions.at(2).at(3).value<Message>();
    QCOMPARE(down.code, QStringLiteral("target.consecutive_failures"));
    QCOMPARE(down.args.value(0).value<Message>().code, QStringLiteral("probe.http_status"));
    QCOMPARE(down.args.value(1).toInt(), 2);

    // One update per completed probe (plus the one from setTargets), each with the full list.
    const quint64 checks = statusOf(monitor, QStringLiteral("web")).checks;
    monitor.stop();
    QCOMPARE(quint64(updates.size()), checks + 1);
    const auto last = updates.last().at(0).value<QList<TargetStatus>>();
    QCOMPARE(last.size(), 1);
    QCOMPARE(toString(last.at(0).state), QStringLiteral("DOWN"));
}

void TestTargetMonitor::setTargetsKeepsStateOfKeptNames()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    connect(&listener, &QTcpServer::newConnection, &listener, [&listener] {
        while (QTcpSocket *socket = listener.nextPendingConnection())
            socket->deleteLater();
    });
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 closedPort = closed.serverPort();
    closed.close();

    const TargetSpec db
        = tcpSpec(QStringLiteral("db"), QStringLiteral("127.0.0.1"), listener.serverPort());
    const TargetSpec old
        = tcpSpec(QStringLiteral("old"), QStringLiteral("127.0.0.1"), listener.serverPort());
    TargetMonitor monitor;
    monitor.setTargets({ old, db });
    monitor.start();
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("db")).checks >= 3);
    QCOMPARE(stateOf(monitor, QStringLiteral("db")), QStringLiteral("UP"));
    const TargetStatus before = statusOf(monitor, QStringLiteral("db"));

    TargetSpec cache = tcpSpec(QStringLiteral("cache"), QStringLiteral("127.0.0.1"), closedPort);
    TargetSpec dbCritical = db;
    dbCritical.critical = true;
    monitor.setTargets({ dbCritical, cache });

    const QList<TargetStatus> now = monitor.snapshot();
    QCOMPARE(now.size(), 2);
    QCOMPARE(now.at(0).name, QStringLiteral("db"));
    QCOMPARE(toString(now.at(0).state), QStringLiteral("UP"));
    QVERIFY(now.at(0).checks >= before.checks);
    QCOMPARE(now.at(0).lastChangeMs, before.lastChangeMs);
    QCOMPARE(now.at(0).critical, true);
    QCOMPARE(now.at(1).name, QStringLiteral("cache"));
    QCOMPARE(toString(now.at(1).state), QStringLiteral("UNKNOWN"));

    QTRY_COMPARE(stateOf(monitor, QStringLiteral("cache")), QStringLiteral("DOWN"));
    QCOMPARE(stateOf(monitor, QStringLiteral("old")), QStringLiteral("<missing>"));
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("db")).checks > before.checks);
}

void TestTargetMonitor::injectedClockStampsResultsAndHeartbeat()
{
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    connect(&listener, &QTcpServer::newConnection, &listener, [&listener] {
        while (QTcpSocket *socket = listener.nextPendingConnection())
            socket->deleteLater();
    });
    ManualClock clock(1'800'000'000'000);
    TargetMonitor monitor(&clock);
    QCOMPARE(monitor.lastHeartbeatMs(), 0);
    monitor.setTargets(
        { tcpSpec(QStringLiteral("db"), QStringLiteral("127.0.0.1"), listener.serverPort()) });
    monitor.start();
    QCOMPARE(monitor.lastHeartbeatMs(), 1'800'000'000'000);
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("db")), QStringLiteral("UP"));
    QCOMPARE(statusOf(monitor, QStringLiteral("db")).lastCheckMs, 1'800'000'000'000);
    QCOMPARE(statusOf(monitor, QStringLiteral("db")).lastChangeMs, 1'800'000'000'000);

    // State-machine time is the injected clock's; the heartbeat follows it too.
    clock.advanceMs(60'000);
    const quint64 checks = statusOf(monitor, QStringLiteral("db")).checks;
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("db")).checks > checks);
    QCOMPARE(statusOf(monitor, QStringLiteral("db")).lastCheckMs, 1'800'000'060'000);
    QCOMPARE(statusOf(monitor, QStringLiteral("db")).lastChangeMs, 1'800'000'000'000);
    QTRY_COMPARE_WITH_TIMEOUT(monitor.lastHeartbeatMs(), 1'800'000'060'000, 3000);
}

void TestTargetMonitor::stopCancelsProbesInFlight()
{
    const QString pidFile = m_dir.filePath(QStringLiteral("inflight.pid"));
    TargetSpec spec = commandSpec(QStringLiteral("check"), Helper,
        { QStringLiteral("--pidfile"), pidFile, QStringLiteral("--ignore-term"),
            QStringLiteral("--hang") });
    spec.timeoutMs = 60'000;
    TestHttpServer server;
    QVERIFY(server.listen());
    const TargetSpec web = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/hang")));

    auto monitor = std::make_unique<TargetMonitor>();
    QSignalSpy updates(monitor.get(), &TargetMonitor::targetsUpdated);
    monitor->setTargets({ spec, web });
    monitor->start();
    QTRY_VERIFY(readPidFile(pidFile) > 0);
    QTRY_COMPARE(server.requests(QStringLiteral("/hang")), 1);
    const qint64 pid = readPidFile(pidFile);

    monitor->stop();
    // stop() killed and reaped the command before returning.
    QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));
    const int updatesAtStop = int(updates.size());
    QTest::qWait(300);
    QCOMPARE(int(updates.size()), updatesAtStop);
    QCOMPARE(statusOf(*monitor, QStringLiteral("check")).checks, quint64(0));
    // Safe to stop twice and to destroy afterwards.
    monitor->stop();
    monitor.reset();
}

void TestTargetMonitor::runsOnItsOwnThread()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    connect(&listener, &QTcpServer::newConnection, &listener, [&listener] {
        while (QTcpSocket *socket = listener.nextPendingConnection())
            socket->deleteLater();
    });
    const QString pidFile = m_dir.filePath(QStringLiteral("threaded.pid"));
    startChild({ QStringLiteral("--pidfile"), pidFile, QStringLiteral("--hang") });
    QTRY_VERIFY(readPidFile(pidFile) > 0);

    TargetSpec process = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    process.pidFile = pidFile;
    const QList<TargetSpec> specs = {
        httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/ok"))),
        tcpSpec(QStringLiteral("db"), QStringLiteral("127.0.0.1"), listener.serverPort()),
        process,
        commandSpec(
            QStringLiteral("check"), Helper, { QStringLiteral("--exit"), QStringLiteral("0") }),
    };

    // As the Engine does it: parentless, on a WorkerThread, slots invoked queued, deleted on
    // its thread when that ends.
    auto *monitor = new TargetMonitor;
    WorkerThread thread("probes", monitor);
    QPointer<TargetMonitor> guard(monitor);

    // A receiver on this thread, so that queued signals still pending at the end of the test
    // are dropped with it instead of reaching dead locals.
    QObject receiver;
    QStringList transitions;
    int updates = 0;
    bool updatesOnMainThread = true;
    connect(monitor, &TargetMonitor::targetsUpdated, &receiver, [&](const QList<TargetStatus> &) {
        ++updates;
        updatesOnMainThread &= QThread::currentThread() == receiver.thread();
    });
    connect(monitor, &TargetMonitor::targetTransitioned, &receiver,
        [&](const QString &name, TargetState from, TargetState to, const Message &) {
            transitions << name + QLatin1Char(' ') + toString(from) + QLatin1Char('>')
                    + toString(to);
        });

    thread.start();
    // A failed check returns early; the thread must still be stopped before it is destroyed.
    auto stopThread = qScopeGuard([&] {
        if (guard)
            QMetaObject::invokeMethod(monitor, &TargetMonitor::stop, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
    });
    // By name, as a script or the CLI would, which needs the registered metatypes.
    QVERIFY(QMetaObject::invokeMethod(
        monitor, "setTargets", Qt::QueuedConnection, Q_ARG(QList<Shivx::TargetSpec>, specs)));
    QMetaObject::invokeMethod(monitor, &TargetMonitor::start, Qt::QueuedConnection);

    for (const TargetSpec &spec : specs)
        QTRY_COMPARE(stateOf(*monitor, spec.name), QStringLiteral("UP"));
    QTRY_VERIFY(transitions.contains(QStringLiteral("web UNKNOWN>UP")));
    QTRY_VERIFY(transitions.contains(QStringLiteral("check UNKNOWN>UP")));
    QVERIFY(updates >= 4);
    QVERIFY(updatesOnMainThread);

    const qint64 heartbeat = monitor->lastHeartbeatMs();
    QVERIFY(heartbeat > 0);
    QTRY_VERIFY_WITH_TIMEOUT(monitor->lastHeartbeatMs() > heartbeat, 3000);

    stopThread.dismiss();
    QMetaObject::invokeMethod(monitor, &TargetMonitor::stop, Qt::BlockingQueuedConnection);
    thread.quit();
    QVERIFY(thread.wait(5000));
    QVERIFY(guard.isNull());
}

QTEST_GUILESS_MAIN(TestTargetMonitor)
#include "tst_targetmonitor.moc"
