#include "core/clock.h"
#include "health/processprobe.h"
#include "health/targetmonitor.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>

#include <unistd.h>

using namespace Shivx;

namespace {

const QString Helper = QStringLiteral(SHIVX_TEST_HELPER);

// HTTP/1.1 written by hand on a QTcpServer, so the test decides every byte and can be slow
// or never answer at all. "/ok" is always healthy and "/hang" never answers; every other
// path follows the current mode.
class TestHttpServer : public QObject
{
public:
    enum Mode { Healthy, WrongStatus, WrongBody, Slow, Hang, Redirect };

    // With a TLS configuration the server speaks HTTPS (QSslServer, new in Qt 6.4).
    explicit TestHttpServer(const QSslConfiguration &tls = {})
    {
        if (tls.isNull()) {
            m_server = std::make_unique<QTcpServer>();
        } else {
            auto server = std::make_unique<QSslServer>();
            server->setSslConfiguration(tls);
            m_server = std::move(server);
            m_scheme = QStringLiteral("https");
        }
        connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, [this] {
            while (QTcpSocket *socket = m_server->nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

    bool listen() { return m_server->listen(QHostAddress::LocalHost, 0); }
    void close() { m_server->close(); }
    quint16 port() const { return m_server->serverPort(); }
    QUrl url(const QString &path, const QString &host = QStringLiteral("127.0.0.1")) const
    {
        return QUrl(QStringLiteral("%1://%2:%3%4").arg(m_scheme, host).arg(port()).arg(path));
    }
    void setMode(Mode mode) { m_mode = mode; }
    void setSlowMs(int ms) { m_slowMs = ms; }
    int requests(const QString &path) const { return m_requests.value(path); }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        const QList<QByteArray> requestLine = buffer.left(buffer.indexOf("\r\n")).split(' ');
        m_buffers.remove(socket);
        const QString path
            = requestLine.size() > 1 ? QString::fromLatin1(requestLine.at(1)) : QString();
        m_requests[path] += 1;
        const Mode mode = path == QLatin1String("/ok") ? Healthy
            : path == QLatin1String("/hang")           ? Hang
                                                       : m_mode;
        switch (mode) {
        case Healthy:
            respond(socket, 200, "OK", "ok\n");
            break;
        case WrongStatus:
            respond(socket, 503, "Service Unavailable", "unavailable\n");
            break;
        case WrongBody:
            respond(socket, 200, "OK", "degraded\n");
            break;
        case Redirect:
            respond(socket, 301, "Moved Permanently", "", "Location: /login\r\n");
            break;
        case Slow:
            QTimer::singleShot(
                m_slowMs, socket, [this, socket] { respond(socket, 200, "OK", "ok\n"); });
            break;
        case Hang:
            break;
        }
    }

    void respond(QTcpSocket *socket, int status, const QByteArray &reason, const QByteArray &body,
        const QByteArray &headers = {})
    {
        socket->write("HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n"
            + "Content-Type: text/plain\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n" + headers + "\r\n" + body);
        socket->disconnectFromHost();
    }

    std::unique_ptr<QTcpServer> m_server;
    QString m_scheme = QStringLiteral("http");
    Mode m_mode = Healthy;
    int m_slowMs = 600;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QHash<QString, int> m_requests;
};

TargetSpec baseSpec(const QString &name, TargetKind kind)
{
    TargetSpec spec;
    spec.name = name;
    spec.kind = kind;
    spec.intervalMs = 100;
    spec.timeoutMs = 1000;
    spec.failureThreshold = 1;
    return spec;
}

TargetSpec httpSpec(const QString &name, const QUrl &url)
{
    TargetSpec spec = baseSpec(name, TargetKind::Http);
    spec.url = url;
    return spec;
}

TargetSpec tcpSpec(const QString &name, const QString &host, quint16 port)
{
    TargetSpec spec = baseSpec(name, TargetKind::Tcp);
    spec.host = host;
    spec.port = port;
    return spec;
}

TargetSpec commandSpec(const QString &name, const QString &command, const QStringList &args)
{
    TargetSpec spec = baseSpec(name, TargetKind::Command);
    spec.command = command;
    spec.args = args;
    return spec;
}

TargetStatus statusOf(const TargetMonitor &monitor, const QString &name)
{
    const QList<TargetStatus> list = monitor.snapshot();
    for (const TargetStatus &status : list) {
        if (status.name == name)
            return status;
    }
    TargetStatus missing;
    missing.name = QStringLiteral("<missing>");
    return missing;
}

QString stateOf(const TargetMonitor &monitor, const QString &name)
{
    const TargetStatus status = statusOf(monitor, name);
    return status.name == name ? toString(status.state) : QStringLiteral("<missing>");
}

qint64 readPid(const QString &pidFile)
{
    QFile file(pidFile);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toLongLong();
}

// Children of this test process, zombies included: what a leaked probe would leave.
QList<qint64> childrenOfThisProcess()
{
    QList<qint64> children;
    const QByteArray self = QByteArray::number(qint64(::getpid()));
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // "pid (comm) state ppid ..."; comm may contain spaces, so split after the ')'.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 1 && fields.at(1) == self)
            children.append(pid);
    }
    return children;
}

} // namespace

class TestTargetMonitor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();

    void httpSwitchesBetweenModes();
    void httpFailures_data();
    void httpFailures();
    void httpsTlsVerifyIsPerTarget();
    void tcpConnectThenRefused_data();
    void tcpConnectThenRefused();
    void processByPidFile();
    void processPidFileMissing();
    void processByName();
    void processByArgv0Basename();
    void command_data();
    void command();
    void commandTimeoutKillsChild();
    void commandTimeoutKillsProcessGroup();
    void hangingTargetDoesNotDelayOthers();
    void probeInFlightIsNotStartedTwice();
    void transitionSignalCarriesFromToAndReason();
    void setTargetsKeepsStateOfKeptNames();
    void injectedClockStampsResultsAndHeartbeat();
    void stopCancelsProbesInFlight();
    void runsOnItsOwnThread();

private:
    QProcess *startChild(const QStringList &args);

    QTemporaryDir m_dir;
    QList<QProcess *> m_children;
};

void TestTargetMonitor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QVERIFY2(QFileInfo(Helper).isExecutable(), qPrintable(Helper));
}

QProcess *TestTargetMonitor::startChild(const QStringList &args)
{
    auto *child = new QProcess;
    m_children.append(child);
    child->start(Helper, QStringList { QStringLiteral("--die-with-parent") } + args);
    if (!child->waitForStarted())
        qWarning("cannot start %s: %s", qPrintable(Helper), qPrintable(child->errorString()));
    return child;
}

void TestTargetMonitor::cleanup()
{
    for (QProcess *child : std::as_const(m_children)) {
        if (child->state() != QProcess::NotRunning) {
            child->kill();
            child->waitForFinished();
        }
        delete child;
    }
    m_children.clear();
    QTRY_COMPARE(childrenOfThisProcess(), QList<qint64>());
}

void TestTargetMonitor::httpSwitchesBetweenModes()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
    spec.bodyContains = QStringLiteral("ok");
    // Generous margins: under ThreadSanitizer a healthy answer can take a few hundred ms, and
    // any extra state change would spoil the flapping count checked at the end.
    spec.slowThresholdMs = 1000;
    spec.timeoutMs = 3000;
    server.setSlowMs(1500);

    TargetMonitor monitor;
    monitor.setTargets({ spec });
    QCOMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("UNKNOWN"));
    monitor.start();

    const QString web = QStringLiteral("web");
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("UP"));
    QCOMPARE(statusOf(monitor, web).lastError, QString());

    server.setMode(TestHttpServer::WrongStatus);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, web).lastError, QStringLiteral("HTTP 503 (expected 200)"));

    server.setMode(TestHttpServer::Healthy);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("UP"));

    server.setMode(TestHttpServer::WrongBody);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, web).lastError, QStringLiteral("body does not contain \"ok\""));

    server.setMode(TestHttpServer::Slow);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("DEGRADED"));
    QVERIFY2(statusOf(monitor, web).lastError.startsWith(QLatin1String("slow: ")),
        qPrintable(statusOf(monitor, web).lastError));
    QVERIFY(statusOf(monitor, web).latencyMs >= 1490);

    server.setMode(TestHttpServer::Hang);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(monitor, web), QStringLiteral("DOWN"), 10'000);
    QCOMPARE(statusOf(monitor, web).lastError, QStringLiteral("timed out after 3s"));
    QVERIFY(statusOf(monitor, web).latencyMs >= 2990);

    // Five changes in as many seconds: healthy again, but reported as flapping.
    server.setMode(TestHttpServer::Healthy);
    QTRY_VERIFY(statusOf(monitor, web).consecutiveSuccesses >= 1);
    const TargetStatus s = statusOf(monitor, web);
    QCOMPARE(toString(s.state), QStringLiteral("DEGRADED"));
    QCOMPARE(s.lastError, QStringLiteral("flapping: 5 state changes in 5m"));
    QCOMPARE(s.transitionsLastMinutes, 6);
    QCOMPARE(s.consecutiveFailures, 0);
    QVERIFY(s.failures >= 3);
    QVERIFY(s.checks > s.failures);
    monitor.stop();
}

void TestTargetMonitor::httpFailures_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<int>("expectStatus");
    QTest::addColumn<bool>("closeServer");
    QTest::addColumn<QString>("state");
    QTest::addColumn<QString>("error");

    QTest::newRow("503 when 200 expected -> DOWN")
        << int(TestHttpServer::WrongStatus) << 200 << false << "DOWN"
        << "HTTP 503 (expected 200)";
    QTest::newRow("503 when 503 expected -> UP")
        << int(TestHttpServer::WrongStatus) << 503 << false << "UP"
        << "";
    QTest::newRow("wrong body -> DOWN") << int(TestHttpServer::WrongBody) << 200 << false << "DOWN"
                                        << "body does not contain \"ok\"";
    QTest::newRow("redirect is reported, not followed")
        << int(TestHttpServer::Redirect) << 200 << false << "DOWN"
        << "HTTP 301 (expected 200), redirect to /login";
    QTest::newRow("server never answers -> timed out")
        << int(TestHttpServer::Hang) << 200 << false << "DOWN"
        << "timed out after 1s";
    QTest::newRow("nothing listening -> connection refused")
        << int(TestHttpServer::Healthy) << 200 << true << "DOWN"
        << "connection refused";
}

void TestTargetMonitor::httpFailures()
{
    QFETCH(int, mode);
    QFETCH(int, expectStatus);
    QFETCH(bool, closeServer);

    TestHttpServer server;
    QVERIFY(server.listen());
    server.setMode(TestHttpServer::Mode(mode));
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
    spec.expectStatus = expectStatus;
    if (expectStatus == 200)
        spec.bodyContains = QStringLiteral("ok");
    if (closeServer)
        server.close();

    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("web")).checks >= 1);
    QTEST(stateOf(monitor, QStringLiteral("web")), "state");
    QTEST(statusOf(monitor, QStringLiteral("web")).lastError, "error");
}

void TestTargetMonitor::httpsTlsVerifyIsPerTarget()
{
    // A throw-away self-signed certificate, made by the openssl tool rather than checked in,
    // so that it never expires under the test.
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        QSKIP("the openssl command is needed to make a self-signed certificate");
    const QString keyPath = m_dir.filePath(QStringLiteral("key.pem"));
    const QString certPath = m_dir.filePath(QStringLiteral("cert.pem"));
    QProcess tool;
    tool.start(openssl,
        { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), keyPath, QStringLiteral("-out"), certPath,
            QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
            QStringLiteral("/CN=localhost") });
    QVERIFY(tool.waitForFinished(30'000));
    QCOMPARE(tool.exitCode(), 0);
    QFile keyFile(keyPath);
    QFile certFile(certPath);
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    QVERIFY(certFile.open(QIODevice::ReadOnly));
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    QVERIFY(!tls.privateKey().isNull());
    QVERIFY(!tls.localCertificate().isNull());

    TestHttpServer server(tls);
    QVERIFY(server.listen());
    const QUrl url = server.url(QStringLiteral("/health"), QStringLiteral("localhost"));
    const TargetSpec verifying = httpSpec(QStringLiteral("verifying"), url);
    TargetSpec trusting = httpSpec(QStringLiteral("trusting"), url);
    trusting.tlsVerify = false;

    // Both on one monitor, so one network manager: ignoring errors must stay per target.
    TargetMonitor monitor;
    monitor.setTargets({ verifying, trusting });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("trusting")), QStringLiteral("UP"));
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("verifying")), QStringLiteral("DOWN"));
    const QString error = statusOf(monitor, QStringLiteral("verifying")).lastError;
    QVERIFY2(error.startsWith(QLatin1String("TLS handshake failed: ")), qPrintable(error));
    // Later probes keep their own verdicts; no connection is shared between the two.
    const quint64 checks = statusOf(monitor, QStringLiteral("verifying")).checks;
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("verifying")).checks >= checks + 3);
    QCOMPARE(stateOf(monitor, QStringLiteral("verifying")), QStringLiteral("DOWN"));
    QCOMPARE(stateOf(monitor, QStringLiteral("trusting")), QStringLiteral("UP"));
}

void TestTargetMonitor::tcpConnectThenRefused_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("address") << "127.0.0.1";
    QTest::newRow("host name resolved asynchronously") << "localhost";
}

void TestTargetMonitor::tcpConnectThenRefused()
{
    QFETCH(QString, host);
    QTcpServer listener;
    QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
    connect(&listener, &QTcpServer::newConnection, &listener, [&listener] {
        while (QTcpSocket *socket = listener.nextPendingConnection())
            socket->deleteLater();
    });

    TargetMonitor monitor;
    monitor.setTargets({ tcpSpec(QStringLiteral("db"), host, listener.serverPort()) });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("db")), QStringLiteral("UP"));
    QVERIFY(statusOf(monitor, QStringLiteral("db")).latencyMs >= 0);

    listener.close();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("db")), QStringLiteral("DOWN"));
    QCOMPARE(
        statusOf(monitor, QStringLiteral("db")).lastError, QStringLiteral("connection refused"));
}

void TestTargetMonitor::processByPidFile()
{
    const QString pidFile = m_dir.filePath(QStringLiteral("service.pid"));
    QProcess *child
        = startChild({ QStringLiteral("--pidfile"), pidFile, QStringLiteral("--hang") });
    QTRY_VERIFY(readPid(pidFile) > 0);
    const qint64 pid = readPid(pidFile);
    QCOMPARE(pid, child->processId());

    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.pidFile = pidFile;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("UP"));

    child->kill();
    QVERIFY(child->waitForFinished());
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, QStringLiteral("svc")).lastError,
        QStringLiteral("pid %1 from %2 is not running").arg(pid).arg(pidFile));
}

void TestTargetMonitor::processPidFileMissing()
{
    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.pidFile = m_dir.filePath(QStringLiteral("absent.pid"));
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("DOWN"));
    const QString error = statusOf(monitor, QStringLiteral("svc")).lastError;
    QVERIFY2(error.startsWith(QStringLiteral("cannot read pid file %1: ").arg(spec.pidFile)),
        qPrintable(error));
}

void TestTargetMonitor::processByName()
{
    // Unique per test run (comm holds 15 bytes), so parallel runs cannot satisfy the probe.
    const QString name = QStringLiteral("shx-%1").arg(QCoreApplication::applicationPid());
    QProcess *child = startChild({ QStringLiteral("--name"), name, QStringLiteral("--hang") });
    QTRY_COMPARE(ProcessProbe::findByName(name), QList<qint64> { child->processId() });

    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.processName = name;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("UP"));

    child->kill();
    QVERIFY(child->waitForFinished());
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, QStringLiteral("svc")).lastError,
        QStringLiteral("no process named %1").arg(name));
}

void TestTargetMonitor::processByArgv0Basename()
{
    // "shivx_test_child" is longer than comm's 15 bytes, so only argv[0] can match it.
    const QString name = QFileInfo(Helper).fileName();
    QVERIFY(name.size() > 15);
    QProcess *child = startChild({ QStringLiteral("--hang") });
    QTRY_VERIFY(ProcessProbe::findByName(name).contains(child->processId()));

    TargetSpec spec = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    spec.processName = name;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("svc")), QStringLiteral("UP"));
}

void TestTargetMonitor::command_data()
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

void TestTargetMonitor::command()
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
        QCOMPARE(s.lastError, QString());
    else
        QVERIFY2(s.lastError.startsWith(errorPrefix), qPrintable(s.lastError));
    monitor.stop();
}

void TestTargetMonitor::commandTimeoutKillsChild()
{
    const QString pidFile = m_dir.filePath(QStringLiteral("command.pid"));
    TargetSpec spec = commandSpec(QStringLiteral("check"), Helper,
        { QStringLiteral("--pidfile"), pidFile, QStringLiteral("--hang") });
    spec.timeoutMs = 1000;
    spec.intervalMs = 60'000;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_VERIFY(readPid(pidFile) > 0);
    const qint64 pid = readPid(pidFile);
    QVERIFY(ProcessProbe::isRunning(pid));

    QTRY_COMPARE(stateOf(monitor, QStringLiteral("check")), QStringLiteral("DOWN"));
    QCOMPARE(
        statusOf(monitor, QStringLiteral("check")).lastError, QStringLiteral("timed out after 1s"));
    // Reaped before the result was reported: not even a zombie is left.
    QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/%1").arg(pid)));
}

void TestTargetMonitor::commandTimeoutKillsProcessGroup()
{
    // The shell forks the helper (the trailing "; exit 0" keeps it from exec'ing), so the
    // helper is a grandchild that only a process-group kill reaches.
    const QString pidFile = m_dir.filePath(QStringLiteral("grandchild.pid"));
    const QString script
        = QStringLiteral("'%1' --pidfile '%2' --hang; exit 0").arg(Helper, pidFile);
    TargetSpec spec = commandSpec(
        QStringLiteral("check"), QStringLiteral("/bin/sh"), { QStringLiteral("-c"), script });
    spec.timeoutMs = 1500;
    spec.intervalMs = 60'000;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_VERIFY(readPid(pidFile) > 0);
    const qint64 grandchild = readPid(pidFile);

    QTRY_COMPARE(stateOf(monitor, QStringLiteral("check")), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, QStringLiteral("check")).lastError,
        QStringLiteral("timed out after 1s500ms"));
    // Re-parented to init, which reaps it on its own schedule; dead is what matters.
    QTRY_VERIFY(!ProcessProbe::isRunning(grandchild));
}

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
    QCOMPARE(h.lastError, QStringLiteral("timed out after 3s"));
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
    QVERIFY(transitions.at(0).at(3).toString().startsWith(QLatin1String("probe succeeded in ")));

    server.setMode(TestHttpServer::WrongStatus);
    QTRY_COMPARE(transitions.size(), 3);
    QCOMPARE(toString(transitions.at(1).at(2).value<TargetState>()), QStringLiteral("DEGRADED"));
    QCOMPARE(transitions.at(1).at(3).toString(),
        QStringLiteral("HTTP 503 (expected 200) (failure 1 of 2)"));
    QCOMPARE(toString(transitions.at(2).at(1).value<TargetState>()), QStringLiteral("DEGRADED"));
    QCOMPARE(toString(transitions.at(2).at(2).value<TargetState>()), QStringLiteral("DOWN"));
    QCOMPARE(transitions.at(2).at(3).toString(),
        QStringLiteral("HTTP 503 (expected 200) (2 consecutive failures)"));

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
    QTRY_VERIFY(readPid(pidFile) > 0);
    QTRY_COMPARE(server.requests(QStringLiteral("/hang")), 1);
    const qint64 pid = readPid(pidFile);

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
    QTRY_VERIFY(readPid(pidFile) > 0);

    TargetSpec process = baseSpec(QStringLiteral("svc"), TargetKind::Process);
    process.pidFile = pidFile;
    const QList<TargetSpec> specs = {
        httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/ok"))),
        tcpSpec(QStringLiteral("db"), QStringLiteral("127.0.0.1"), listener.serverPort()),
        process,
        commandSpec(
            QStringLiteral("check"), Helper, { QStringLiteral("--exit"), QStringLiteral("0") }),
    };

    // As the Engine does it: parentless, moved, slots invoked queued, deleted on finished.
    QThread thread;
    thread.setObjectName(QStringLiteral("probes"));
    auto *monitor = new TargetMonitor;
    monitor->moveToThread(&thread);
    QPointer<TargetMonitor> guard(monitor);
    connect(&thread, &QThread::finished, monitor, &QObject::deleteLater);

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
        [&](const QString &name, TargetState from, TargetState to, const QString &) {
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
