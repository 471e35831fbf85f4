#include "health/curlmulti.h"
#include "health/httpprobe.h"
#include "targetmonitorfixture.h"

#include "core/workerthread.h"

#include <QFile>
#include <QPointer>
#include <QProcess>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <memory>

using namespace ShivxTest;

namespace {

// Answers every request with the same raw bytes (status line, headers and body as given), or
// never answers; counts the connections still open, so a test sees a cancelled probe close
// its socket.
class RawServer : public QObject
{
public:
    RawServer()
    {
        connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = m_server.nextPendingConnection()) {
                ++m_open;
                connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onRead(socket); });
                connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
                    --m_open;
                    socket->deleteLater();
                });
            }
        });
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    QUrl url(const QString &path) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_server.serverPort()).arg(path));
    }
    // An empty answer never answers.
    void setAnswer(const QByteArray &answer) { m_answer = answer; }
    int open() const { return m_open; }
    int requests() const { return m_requests; }

    static QByteArray ok(const QByteArray &body)
    {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\nConnection: close\r\n\r\n" + body;
    }

private:
    void onRead(QTcpSocket *socket)
    {
        QByteArray &buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        m_buffers.remove(socket);
        ++m_requests;
        if (m_answer.isEmpty())
            return;
        socket->write(m_answer);
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QByteArray m_answer;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    int m_open = 0;
    int m_requests = 0;
};

// Runs one probe to the end on this thread's event loop.
ProbeResult runProbe(const TargetSpec &spec, CurlMulti *multi)
{
    std::unique_ptr<Probe> probe(Probe::create(spec, nullptr, multi, nullptr));
    ProbeResult result;
    bool done = false;
    QObject::connect(probe.get(), &Probe::finished, probe.get(), [&](const ProbeResult &r) {
        result = r;
        done = true;
    });
    probe->start();
    if (!QTest::qWaitFor([&] { return done; }, 10'000))
        result.error = Message::verbatim(QStringLiteral("<no result within 10 s>"));
    return result;
}

} // namespace

// The HTTP probe on libcurl's multi interface: its verdicts against servers on loopback that
// answer as each case needs, TLS verification per target, many targets at once, and probes
// in flight cancelled cleanly by stop(), setTargets() and the monitor's destruction.
class TestHttpProbe : public QObject, public TargetMonitorFixture
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { checkPrerequisites(); }
    void cleanup() { reapChildren(); }

    void verdicts_data();
    void verdicts();
    void bodyCheckStopsReadingOnceFound();
    void timesOutAgainstAServerThatNeverAnswers();
    void connectionRefused();
    void tlsSelfSigned();
    void manyTargetsAtOnce();
    void stopCancelsProbesInFlight();
    void reloadCancelsTheOldProbe();
    void destroyingTheMonitorOnItsThreadCancelsProbes();

private:
    QSslConfiguration selfSignedTls();
};

void TestHttpProbe::verdicts_data()
{
    QTest::addColumn<QByteArray>("answer");
    QTest::addColumn<int>("expectStatus");
    QTest::addColumn<QString>("bodyContains");
    QTest::addColumn<QString>("error"); // empty: passes

    const QByteArray big(3 * 1024 * 1024, 'x');
    QTest::newRow("200 and the text -> pass") << RawServer::ok("all ok here") << 200 << "ok"
                                              << "";
    QTest::newRow("200 without a body check -> pass") << RawServer::ok("") << 200 << ""
                                                      << "";
    QTest::newRow("503 when 200 expected -> the status")
        << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown") << 200
        << "ok"
        << "HTTP 503 (expected 200)";
    QTest::newRow("503 expected -> pass")
        << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown") << 503
        << ""
        << "";
    QTest::newRow("302 is reported with its Location, not followed")
        << QByteArray("HTTP/1.1 302 Found\r\nlocation: https://sso.example/login\r\n"
                      "Content-Length: 0\r\n\r\n")
        << 200 << ""
        << "HTTP 302 (expected 200), redirect to https://sso.example/login";
    QTest::newRow("text missing -> body error") << RawServer::ok("degraded") << 200 << "ok"
                                                << "body does not contain \"ok\"";
    QTest::newRow("text after the first MiB -> not found in its first MiB")
        << RawServer::ok(big + "ok") << 200 << "ok"
        << "body does not contain \"ok\" in its first MiB";
    QTest::newRow("huge body without a body check -> pass") << RawServer::ok(big) << 200 << ""
                                                            << "";
    QTest::newRow("closed before the body is complete -> transport error")
        << QByteArray("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort") << 200 << ""
        << "connection closed by the server before a complete response";
    QTest::newRow("not HTTP at all -> an error naming it")
        << QByteArray("SSH-2.0-OpenSSH_9.2\r\n\r\n") << 200 << ""
        << "*";
}

void TestHttpProbe::verdicts()
{
    QFETCH(QByteArray, answer);
    QFETCH(int, expectStatus);
    QFETCH(QString, bodyContains);
    QFETCH(QString, error);

    RawServer server;
    QVERIFY(server.listen());
    server.setAnswer(answer);
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/health")));
    spec.expectStatus = expectStatus;
    spec.bodyContains = bodyContains;
    spec.timeoutMs = 5000;
    CurlMulti multi;
    const ProbeResult r = runProbe(spec, &multi);
    if (error == QLatin1String("*")) {
        QVERIFY(!r.ok);
        QVERIFY2(!r.error.text.isEmpty() && !r.error.text.startsWith(QLatin1String("timed out")),
            qPrintable(r.error.text));
    } else {
        QCOMPARE(r.error.text, error);
        QCOMPARE(r.ok, error.isEmpty());
    }
    QVERIFY(r.latencyMs > 0);
    QCOMPARE(server.requests(), 1);
    QTRY_COMPARE(server.open(), 0);
    QCOMPARE(multi.transfers(), 0);
}

void TestHttpProbe::bodyCheckStopsReadingOnceFound()
{
    // The text sits right after the first 64 KiB, where a read would split it, and the body
    // goes on for 64 MiB more: the probe passes without waiting for the rest.
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost, 0));
    const qint64 tail = 64LL * 1024 * 1024;
    QByteArray head(64 * 1024 - 3, 'x');
    head += "status=healthy";
    qint64 sent = 0;
    QPointer<QTcpSocket> peer;
    connect(&server, &QTcpServer::newConnection, &server, [&] {
        peer = server.nextPendingConnection();
        connect(peer, &QTcpSocket::readyRead, peer, [&] {
            peer->readAll();
            peer->write("HTTP/1.1 200 OK\r\nContent-Length: "
                + QByteArray::number(head.size() + tail) + "\r\n\r\n" + head);
        });
        // Feeds the rest slowly, 64 KiB per written chunk, as long as the client reads.
        connect(peer, &QTcpSocket::bytesWritten, peer, [&] {
            if (peer->bytesToWrite() == 0 && sent < tail) {
                peer->write(QByteArray(64 * 1024, 'y'));
                sent += 64 * 1024;
            }
        });
    });
    TargetSpec spec = httpSpec(QStringLiteral("web"),
        QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(server.serverPort())));
    spec.bodyContains = QStringLiteral("status=healthy");
    spec.timeoutMs = 10'000;
    CurlMulti multi;
    const ProbeResult r = runProbe(spec, &multi);
    QVERIFY2(r.ok, qPrintable(r.error.text));
    QVERIFY2(sent < tail, qPrintable(QString::number(sent)));
    // The probe hung up instead of draining the body.
    QTRY_VERIFY(!peer || peer->state() != QAbstractSocket::ConnectedState);
}

void TestHttpProbe::timesOutAgainstAServerThatNeverAnswers()
{
    RawServer server;
    QVERIFY(server.listen());
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/slow")));
    spec.timeoutMs = 700;
    CurlMulti multi;
    const ProbeResult r = runProbe(spec, &multi);
    QCOMPARE(r.error.text, QStringLiteral("timed out after 700ms"));
    QVERIFY2(r.latencyMs >= 690, qPrintable(QString::number(r.latencyMs)));
    QCOMPARE(server.requests(), 1);
    // The timed-out transfer is gone and its socket closed.
    QCOMPARE(multi.transfers(), 0);
    QTRY_COMPARE(server.open(), 0);
}

void TestHttpProbe::connectionRefused()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close();
    CurlMulti multi;
    const ProbeResult r = runProbe(
        httpSpec(QStringLiteral("web"), QUrl(QStringLiteral("http://127.0.0.1:%1/").arg(port))),
        &multi);
    QCOMPARE(r.error.text, QStringLiteral("connection refused"));
    QVERIFY(!r.ok);
}

QSslConfiguration TestHttpProbe::selfSignedTls()
{
    // Made by the openssl tool rather than checked in, so that it never expires under the test.
    const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
    if (openssl.isEmpty())
        return {};
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
    if (!tool.waitForFinished(30'000) || tool.exitCode() != 0)
        return {};
    QFile keyFile(keyPath);
    QFile certFile(certPath);
    if (!keyFile.open(QIODevice::ReadOnly) || !certFile.open(QIODevice::ReadOnly))
        return {};
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Ec));
    tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    return tls;
}

void TestHttpProbe::tlsSelfSigned()
{
    const QSslConfiguration tls = selfSignedTls();
    if (tls.isNull() || tls.privateKey().isNull())
        QSKIP("the openssl command is needed to make a self-signed certificate");
    TestHttpServer server(tls);
    QVERIFY(server.listen());
    const QUrl url = server.url(QStringLiteral("/health"), QStringLiteral("localhost"));
    CurlMulti multi;

    TargetSpec verifying = httpSpec(QStringLiteral("verifying"), url);
    verifying.timeoutMs = 5000;
    const ProbeResult refused = runProbe(verifying, &multi);
    QVERIFY(!refused.ok);
    QVERIFY2(refused.error.text.startsWith(QLatin1String("TLS handshake failed: ")),
        qPrintable(refused.error.text));
    // curl names the problem: "SSL certificate problem: self-signed certificate".
    QVERIFY2(refused.error.text.contains(QLatin1String("self-signed certificate")),
        qPrintable(refused.error.text));

    TargetSpec trusting = verifying;
    trusting.tlsVerify = false;
    trusting.bodyContains = QStringLiteral("ok");
    const ProbeResult passed = runProbe(trusting, &multi);
    QVERIFY2(passed.ok, qPrintable(passed.error.text));

    // And again after the trusting probe: nothing it did carries over to a verifying one.
    const ProbeResult again = runProbe(verifying, &multi);
    QVERIFY2(again.error.text.startsWith(QLatin1String("TLS handshake failed: ")),
        qPrintable(again.error.text));
}

void TestHttpProbe::manyTargetsAtOnce()
{
    TestHttpServer server;
    QVERIFY(server.listen());
    QList<TargetSpec> specs;
    constexpr int Targets = 120;
    for (int i = 0; i < Targets; ++i) {
        TargetSpec spec
            = httpSpec(QStringLiteral("t%1").arg(i), server.url(QStringLiteral("/t%1").arg(i)));
        spec.intervalMs = 300;
        spec.timeoutMs = 5000;
        spec.bodyContains = QStringLiteral("ok");
        specs.append(spec);
    }
    TargetMonitor monitor;
    monitor.setTargets(specs);
    monitor.start();
    // Every target is probed three times and stays UP: no transfer is lost or crossed with
    // another target's.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            for (const TargetStatus &s : monitor.snapshot())
                if (s.checks < 3)
                    return false;
            return true;
        }(),
        30'000);
    for (const TargetStatus &s : monitor.snapshot()) {
        QVERIFY2(s.state == TargetState::Up,
            qPrintable(s.name + QLatin1String(": ") + s.lastError.text));
        QCOMPARE(s.failures, quint64(0));
    }
    monitor.stop();
    for (int i = 0; i < Targets; ++i)
        QVERIFY(server.requests(QStringLiteral("/t%1").arg(i)) >= 3);
}

void TestHttpProbe::stopCancelsProbesInFlight()
{
    RawServer server;
    QVERIFY(server.listen());
    TargetSpec a = httpSpec(QStringLiteral("a"), server.url(QStringLiteral("/a")));
    TargetSpec b = httpSpec(QStringLiteral("b"), server.url(QStringLiteral("/b")));
    a.timeoutMs = b.timeoutMs = 60'000;
    auto monitor = std::make_unique<TargetMonitor>();
    monitor->setTargets({ a, b });
    monitor->start();
    QTRY_COMPARE(server.requests(), 2);
    QCOMPARE(server.open(), 2);

    monitor->stop();
    // The sockets are closed, no result is reported for the cancelled probes.
    QTRY_COMPARE(server.open(), 0);
    QTest::qWait(200);
    QCOMPARE(statusOf(*monitor, QStringLiteral("a")).checks, quint64(0));
    QCOMPARE(server.requests(), 2);

    // Started again, the monitor probes again through a new multi handle.
    server.setAnswer(RawServer::ok("ok"));
    monitor->start();
    QTRY_COMPARE(stateOf(*monitor, QStringLiteral("a")), QStringLiteral("UP"));
    QTRY_COMPARE(stateOf(*monitor, QStringLiteral("b")), QStringLiteral("UP"));
    monitor.reset();
}

void TestHttpProbe::reloadCancelsTheOldProbe()
{
    RawServer server;
    QVERIFY(server.listen());
    TargetSpec spec = httpSpec(QStringLiteral("web"), server.url(QStringLiteral("/old")));
    spec.timeoutMs = 60'000;
    TargetMonitor monitor;
    monitor.setTargets({ spec });
    monitor.start();
    QTRY_COMPARE(server.requests(), 1);
    QCOMPARE(server.open(), 1);

    // A new URL: the old probe is no longer worth waiting for.
    server.setAnswer(RawServer::ok("ok"));
    spec.url = server.url(QStringLiteral("/new"));
    monitor.setTargets({ spec });
    QTRY_COMPARE(stateOf(monitor, QStringLiteral("web")), QStringLiteral("UP"));
    QTRY_COMPARE(server.open(), 0);

    // Removed altogether while a probe hangs: cancelled too.
    server.setAnswer({});
    const int before = server.requests();
    QTRY_VERIFY(server.requests() > before);
    QTRY_COMPARE(server.open(), 1);
    monitor.setTargets({});
    QTRY_COMPARE(server.open(), 0);
    monitor.stop();
}

void TestHttpProbe::destroyingTheMonitorOnItsThreadCancelsProbes()
{
    RawServer server;
    QVERIFY(server.listen());
    QList<TargetSpec> specs;
    for (int i = 0; i < 10; ++i) {
        TargetSpec spec
            = httpSpec(QStringLiteral("t%1").arg(i), server.url(QStringLiteral("/t%1").arg(i)));
        spec.timeoutMs = 60'000;
        specs.append(spec);
    }
    // As the Engine does it: on a WorkerThread that deletes the monitor when its loop ends,
    // here with every probe still in flight.
    auto *monitor = new TargetMonitor;
    WorkerThread thread("probes", monitor);
    QPointer<TargetMonitor> guard(monitor);
    thread.start();
    auto stopThread = qScopeGuard([&] {
        thread.quit();
        thread.wait();
    });
    QMetaObject::invokeMethod(
        monitor, [monitor, specs] { monitor->setTargets(specs); }, Qt::QueuedConnection);
    QMetaObject::invokeMethod(monitor, &TargetMonitor::start, Qt::QueuedConnection);
    QTRY_COMPARE(server.requests(), 10);

    thread.quit();
    QVERIFY(thread.wait(5000));
    stopThread.dismiss();
    QVERIFY(guard.isNull());
    QTRY_COMPARE(server.open(), 0);
}

QTEST_GUILESS_MAIN(TestHttpProbe)
#include "tst_httpprobe.moc"
