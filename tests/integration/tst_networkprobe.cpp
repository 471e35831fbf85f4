#include "targetmonitorfixture.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace ShivxTest;

// The HTTP, HTTPS and TCP probes, run by a real TargetMonitor against servers in this process:
// TestHttpServer for HTTP(S), a bare QTcpServer for TCP.
class TestNetworkProbe : public QObject, public TargetMonitorFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { checkPrerequisites(); }
    void cleanup() { reapChildren(); }

    void httpSwitchesBetweenModes();
    void httpFailures_data();
    void httpFailures();
    void httpsTlsVerifyIsPerTarget();
    void tcpConnectThenRefused_data();
    void tcpConnectThenRefused();
};

void TestNetworkProbe::httpSwitchesBetweenModes()
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
    QCOMPARE(statusOf(monitor, web).lastError.text, QString());

    server.setMode(TestHttpServer::WrongStatus);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, web).lastError.text, QStringLiteral("HTTP 503 (expected 200)"));

    server.setMode(TestHttpServer::Healthy);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("UP"));

    server.setMode(TestHttpServer::WrongBody);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("DOWN"));
    QCOMPARE(statusOf(monitor, web).lastError.text, QStringLiteral("body does not contain \"ok\""));

    server.setMode(TestHttpServer::Slow);
    QTRY_COMPARE(stateOf(monitor, web), QStringLiteral("DEGRADED"));
    QVERIFY2(statusOf(monitor, web).lastError.text.startsWith(QLatin1String("slow: ")),
        qPrintable(statusOf(monitor, web).lastError.text));
    QVERIFY(statusOf(monitor, web).latencyMs >= 1490);

    server.setMode(TestHttpServer::Hang);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(monitor, web), QStringLiteral("DOWN"), 10'000);
    QCOMPARE(statusOf(monitor, web).lastError.text, QStringLiteral("timed out after 3s"));
    QVERIFY(statusOf(monitor, web).latencyMs >= 2990);

    // Five changes in as many seconds: healthy again, but reported as flapping.
    server.setMode(TestHttpServer::Healthy);
    QTRY_VERIFY(statusOf(monitor, web).consecutiveSuccesses >= 1);
    const TargetStatus s = statusOf(monitor, web);
    QCOMPARE(toString(s.state), QStringLiteral("DEGRADED"));
    QCOMPARE(s.lastError.text, QStringLiteral("flapping: 5 state changes in 5m"));
    QCOMPARE(s.transitionsLastMinutes, 6);
    QCOMPARE(s.consecutiveFailures, 0);
    QVERIFY(s.failures >= 3);
    QVERIFY(s.checks > s.failures);
    monitor.stop();
}

void TestNetworkProbe::httpFailures_data()
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

void TestNetworkProbe::httpFailures()
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
    QTEST(statusOf(monitor, QStringLiteral("web")).lastError.text, "error");
}

void TestNetworkProbe::httpsTlsVerifyIsPerTarget()
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
    TargetSpec verifying = httpSpec(QStringLiteral("verifying"), url);
    // The first verifying probe parses the system CA bundle (a few hundred ms, seconds under
    // AddressSanitizer on a busy machine); the default 1 s would time it out there.
    verifying.timeoutMs = 5000;
    TargetSpec trusting = httpSpec(QStringLiteral("trusting"), url);
    trusting.tlsVerify = false;

    // Both on one monitor, so one network manager: ignoring errors must stay per target.
    TargetMonitor monitor;
    monitor.setTargets({ verifying, trusting });
    monitor.start();
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("trusting")), QStringLiteral("UP"));
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("verifying")), QStringLiteral("DOWN"));
    const QString error = statusOf(monitor, QStringLiteral("verifying")).lastError.text;
    QVERIFY2(error.startsWith(QLatin1String("TLS handshake failed: ")), qPrintable(error));
    // Later probes keep their own verdicts; no connection is shared between the two.
    const quint64 checks = statusOf(monitor, QStringLiteral("verifying")).checks;
    QTRY_VERIFY(statusOf(monitor, QStringLiteral("verifying")).checks >= checks + 3);
    QCOMPARE(stateOf(monitor, QStringLiteral("verifying")), QStringLiteral("DOWN"));
    QVERIFY2(stateOf(monitor, QStringLiteral("trusting")) == QLatin1String("UP"),
        qPrintable(statusOf(monitor, QStringLiteral("trusting")).lastError.text));
}

void TestNetworkProbe::tcpConnectThenRefused_data()
{
    QTest::addColumn<QString>("host");
    QTest::newRow("address") << "127.0.0.1";
    QTest::newRow("host name resolved asynchronously") << "localhost";
}

void TestNetworkProbe::tcpConnectThenRefused()
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
    QCOMPARE(statusOf(monitor, QStringLiteral("db")).lastError.text,
        QStringLiteral("connection refused"));
}

QTEST_GUILESS_MAIN(TestNetworkProbe)
#include "tst_networkprobe.moc"
