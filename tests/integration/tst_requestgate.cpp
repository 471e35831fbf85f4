// The request gate in front of the HTTP API (RequestGate), driven over real loopback sockets
// against a real HttpApi on its own thread, with limits shrunk so that the time limits can
// be watched in seconds. The same gate in `shivx serve` is tested in tst_hostileclient_serve.
#include "rawhttpclient.h"

#include "api/httpapi.h"
#include "core/workerthread.h"

#include <QElapsedTimer>
#include <QTest>
#include <QThread>

#include <memory>

using namespace Shivx;
using ShivxTest::RawClient;
using ShivxTest::RawResponse;

namespace {

// An HttpApi with four routes, GET /api/health/live (always alive), POST /echo (bodies up to 1 KiB,
// answered with their size), GET /big (1 MiB) and GET /slow (100 ms), serving on a free loopback
// port from its own thread.
class ApiOnThread
{
public:
    explicit ApiOnThread(const RequestLimits &limits, const QStringList &allowedHosts = {})
    {
        m_api = new HttpApi([] { return QByteArray("shivx_test 1\n"); });
        m_api->setRequestLimits(limits);
        m_api->setAllowedHosts(allowedHosts);
        ApiRoute echo;
        echo.path = QStringLiteral("/echo");
        echo.methods = { "POST" };
        echo.maxBodyBytes = 1024;
        echo.handler = [](const ApiRequest &r) {
            return ApiReply::json(200, { { QStringLiteral("bytes"), r.body.size() } });
        };
        ApiRoute big;
        big.path = QStringLiteral("/big");
        big.methods = { "GET" };
        big.handler = [](const ApiRequest &) {
            return ApiReply { 200, "text/plain", QByteArray(1 << 20, 'b'), {} };
        };
        ApiRoute slow;
        slow.path = QStringLiteral("/slow");
        slow.methods = { "GET" };
        slow.handler = [](const ApiRequest &) {
            QThread::msleep(100); // a handler that takes its time, on the API thread
            return ApiReply::json(200, {});
        };
        ApiRoute live;
        live.path = QStringLiteral("/api/health/live");
        live.methods = { "GET" };
        live.handler = [](const ApiRequest &) {
            return ApiReply::json(200, { { QStringLiteral("status"), QStringLiteral("alive") } });
        };
        m_api->addRoutes({ live, echo, big, slow });
        const Result<quint16> port = m_api->bindTo(QStringLiteral("127.0.0.1:0"));
        if (!port)
            qFatal("bind: %s", qPrintable(port.error().message));
        m_port = *port;
        m_thread = std::make_unique<WorkerThread>("shivx-api-test", m_api);
        m_thread->start();
    }
    ~ApiOnThread()
    {
        m_thread->quit();
        m_thread->wait();
    }

    quint16 port() const { return m_port; }
    quint64 count(int status) const
    {
        for (const auto &[code, n] : m_api->requestCounts())
            if (code == status)
                return n;
        return 0;
    }

private:
    HttpApi *m_api = nullptr; // deleted by its thread
    std::unique_ptr<WorkerThread> m_thread;
    quint16 m_port = 0;
};

RequestLimits quickLimits()
{
    RequestLimits l;
    l.headerTimeoutMs = 600;
    l.requestTimeoutMs = 1500;
    l.idleTimeoutMs = 1000;
    l.lingerMs = 300;
    return l;
}

const QByteArray live = "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

QByteArray post(const QByteArray &path, const QByteArray &body, qint64 contentLength = -1)
{
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
        + QByteArray::number(contentLength < 0 ? body.size() : contentLength) + "\r\n\r\n" + body;
}

// Generous bounds for "it happened at about the limit, not never": the sweep runs every
// quarter of the shortest limit, and sanitizer builds are several times slower.
constexpr int slack = 1000 * SHIVX_TIME_SCALE;

} // namespace

class TstRequestGate : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void refusedBeforeTheBody_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("error");

        QTest::newRow("GET with a body -> 413")
            << QByteArray("GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Length: 5\r\n\r\nhello")
            << 413 << QByteArray("content_too_large");
        QTest::newRow("POST over the route's limit -> 413")
            << post("/echo", {}, 1025) << 413 << QByteArray("content_too_large");
        QTest::newRow("POST of 1 TB announced -> 413")
            << post("/echo", {}, qint64(1) << 40) << 413 << QByteArray("content_too_large");
        QTest::newRow("body to a GET-only path -> 405")
            << post("/metrics", "x") << 405 << QByteArray("method_not_allowed");
        QTest::newRow("body to an unknown path -> 404")
            << post("/nowhere", "x") << 404 << QByteArray("not_found");
        QTest::newRow("chunked -> 411")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n")
            << 411 << QByteArray("length_required");
        QTest::newRow("two Content-Length -> 400") << QByteArray(
            "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1\r\n"
            "Content-Length: 1\r\n\r\nx") << 400 << QByteArray("bad_request");
        QTest::newRow("Content-Length not a number -> 400")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1x\r\n\r\n")
            << 400 << QByteArray("bad_request");
        QTest::newRow("one header of 9 KiB -> 431")
            << QByteArray("GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: "
                   + QByteArray(9 * 1024, 'a') + "\r\n\r\n")
            << 431 << QByteArray("header_too_large");
        QByteArray many = "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 0; i < 101; ++i)
            many += "X-" + QByteArray::number(i) + ": 1\r\n";
        QTest::newRow("101 header lines -> 431")
            << QByteArray(many + "\r\n") << 431 << QByteArray("header_too_large");
        QByteArray big = "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 0; i < 5; ++i)
            big += "X-" + QByteArray::number(i) + ": " + QByteArray(4000, 'a') + "\r\n";
        QTest::newRow("head over 16 KiB -> 431")
            << QByteArray(big + "\r\n") << 431 << QByteArray("header_too_large");
        QTest::newRow("bare LF line ends -> 400")
            << QByteArray("GET /api/health/live HTTP/1.1\nHost: 127.0.0.1\n\n") << 400
            << QByteArray("bad_request");
        QTest::newRow("HTTP/1.1 without Host -> 400")
            << QByteArray("GET /api/health/live HTTP/1.1\r\n\r\n") << 400
            << QByteArray("bad_request");
        QTest::newRow("line folding -> 400") << QByteArray(
            "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: 1\r\n 2\r\n\r\n")
                                             << 400 << QByteArray("bad_request");
    }
    void refusedBeforeTheBody()
    {
        QFETCH(QByteArray, request);
        QFETCH(int, status);
        QFETCH(QByteArray, error);
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QVERIFY(c.connected());
        QVERIFY(c.send(request));
        const RawResponse r = c.readResponse();
        QCOMPARE(r.status, status);
        QVERIFY2(r.body.startsWith("{\"error\":\"" + error + "\""), r.body.constData());
        QVERIFY2(r.body.contains("\"status\":" + QByteArray::number(status)), r.body.constData());
        QCOMPARE(r.header("Connection"), QByteArray("close"));
        QCOMPARE(r.header("Content-Type"), QByteArray("application/json"));
        if (status == 405)
            QCOMPARE(r.header("Allow"), QByteArray("GET, HEAD"));
        QVERIFY(c.waitClosed(2000 + slack));
        QCOMPARE(api.count(status), quint64(1));

        // Everyone else is still served.
        RawClient next(api.port());
        QVERIFY(next.send(live));
        QCOMPARE(next.readResponse().status, 200);
    }

    void bodiesWithinTheLimitReachTheHandler()
    {
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QVERIFY(c.send(post("/echo", QByteArray(1024, 'x'))));
        const RawResponse r = c.readResponse();
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray("{\"bytes\":1024}\n"));
        // The connection stays open for the next request.
        QVERIFY(c.send(post("/echo", "{}")));
        QCOMPARE(c.readResponse().body, QByteArray("{\"bytes\":2}\n"));
    }

    void keepAliveChecksEveryRequest()
    {
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        // One after the other on one connection, like a Prometheus scrape loop.
        for (int i = 0; i < 5; ++i) {
            QVERIFY(c.send(live));
            QCOMPARE(c.readResponse().status, 200);
            QVERIFY(c.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n"));
            const RawResponse m = c.readResponse();
            QCOMPARE(m.status, 200);
            QCOMPARE(m.body, QByteArray("shivx_test 1\n"));
        }
        // A refused request later on the same connection is still refused.
        QVERIFY(c.send(post("/echo", {}, 5000)));
        QCOMPARE(c.readResponse().status, 413);
        QVERIFY(c.waitClosed(2000 + slack));
    }

    void pipelinedRequestsAreAnsweredInOrder()
    {
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        // Sent in one write: the refused third request is answered after the server's two
        // answers, and the fourth is never read.
        QVERIFY(c.send(live + post("/echo", "abc") + post("/echo", {}, 1 << 20) + live));
        QCOMPARE(c.readResponse().status, 200);
        const RawResponse echo = c.readResponse();
        QCOMPARE(echo.status, 200);
        QCOMPARE(echo.body, QByteArray("{\"bytes\":3}\n"));
        QCOMPARE(c.readResponse().status, 413);
        QVERIFY(c.waitClosed(2000 + slack));
    }

    void manyPipelinedRequestsAreAllAnswered()
    {
        // More than the socket's read buffer (256 KiB) in one go: the gate must let the
        // socket read on after the buffer was full, and keep every boundary.
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        const int n = 10'000;
        QByteArray all;
        for (int i = 0; i < n; ++i)
            all += i % 2 ? live : post("/echo", QByteArray::number(i));
        QVERIFY(all.size() > 512 * 1024);
        QVERIFY(c.send(all, 20'000));
        for (int i = 0; i < n; ++i) {
            const RawResponse r = c.readResponse(10'000);
            QCOMPARE(r.status, 200);
            if (i % 2 == 0)
                QCOMPARE(r.body,
                    "{\"bytes\":" + QByteArray::number(QByteArray::number(i).size()) + "}\n");
        }
        QVERIFY(!c.waitClosed(200));
    }

    void pipelinedRequestsThatFillTheReadBufferExactly()
    {
        // 64-byte requests tile the 256 KiB read buffer, so that every time the buffer is
        // full it ends exactly at a request's end: the socket must go on reading all the same.
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QByteArray one = "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX: \r\n\r\n";
        one.insert(one.indexOf("X: ") + 3, QByteArray(64 - one.size(), 'x'));
        QCOMPARE(one.size(), 64);
        const int n = 20'000;
        QVERIFY(c.send(one.repeated(n), 20'000));
        for (int i = 0; i < n; ++i)
            QVERIFY2(c.readResponse(5000).status == 200, QByteArray::number(i).constData());
    }

    void pipelinedAnswersMayTakeLongerThanTheIdleLimit()
    {
        // 20 pipelined requests of 100 ms each: the gate has seen them all at once, but the
        // connection is idle only once the server has answered the last (2 s, idle limit 1 s).
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QVERIFY(c.send(QByteArray("GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").repeated(20)));
        for (int i = 0; i < 20; ++i)
            QVERIFY2(c.readResponse(5000).status == 200, QByteArray::number(i).constData());
        QVERIFY(c.waitClosed(1000 + slack)); // and then idle for real
    }

    void clientThatReadsNoAnswersIsDropped()
    {
        // 40 pipelined requests for 1 MiB each, and no answer read: the server would queue
        // them all in memory; past 8 MiB not sent the gate closes the connection.
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QVERIFY(c.send(QByteArray("GET /big HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").repeated(40)));
        QTest::qWait(1000);
        int answers = 0;
        while (c.readResponse(2000).status == 200)
            ++answers;
        qInfo("%d of 40 answers arrived before the connection was dropped", answers);
        QVERIFY(answers < 40);
        QVERIFY(c.waitClosed(2000));
    }

    void headRefusalHasNoBody()
    {
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QVERIFY(c.send("HEAD /api/health/live HTTP/1.1\r\nHost: evil.example\r\n\r\n"));
        const RawResponse r = c.readResponse(5000, true);
        QCOMPARE(r.status, 403);
        QVERIFY(r.header("Content-Length").toInt() > 0);
        QByteArray rest;
        QVERIFY(c.waitClosed(2000 + slack, &rest));
        QVERIFY2(rest.isEmpty(), rest.constData());
    }

    void hostHeader_data()
    {
        QTest::addColumn<QByteArray>("host");
        QTest::addColumn<int>("status");
        QTest::newRow("rebinding name") << QByteArray("rebind.evil.example") << 403;
        QTest::newRow("rebinding name with port") << QByteArray("rebind.evil.example:8087") << 403;
        QTest::newRow("localhost:PORT") << QByteArray("localhost:8087") << 200;
        QTest::newRow("LOCALHOST.") << QByteArray("LOCALHOST.") << 200;
        QTest::newRow("127.0.0.1:PORT") << QByteArray("127.0.0.1:8087") << 200;
        QTest::newRow("another IPv4") << QByteArray("10.1.2.3") << 200;
        QTest::newRow("[::1]:PORT") << QByteArray("[::1]:8087") << 200;
        QTest::newRow("[::1]") << QByteArray("[::1]") << 200;
        QTest::newRow("allow-listed name") << QByteArray("Shivx.Internal:9") << 200;
        QTest::newRow("IPv6 without brackets") << QByteArray("::1") << 400;
        QTest::newRow("port not a number") << QByteArray("localhost:http") << 400;
        QTest::newRow("empty") << QByteArray("") << 400;
    }
    void hostHeader()
    {
        QFETCH(QByteArray, host);
        QFETCH(int, status);
        ApiOnThread api(quickLimits(), { QStringLiteral("shivx.internal") });
        RawClient c(api.port());
        QVERIFY(c.send("GET /api/health/live HTTP/1.1\r\nHost: " + host + "\r\n\r\n"));
        const RawResponse r = c.readResponse();
        QCOMPARE(r.status, status);
        if (status == 403)
            QVERIFY2(r.body.startsWith("{\"error\":\"host_not_allowed\""), r.body.constData());
    }

    void slowHeadIsCutAtTheHeaderLimit()
    {
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QElapsedTimer t;
        t.start();
        QVERIFY(c.send("GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "));
        // One byte every 50 ms, never finishing the head.
        while (!c.readable(50) && t.elapsed() < 10'000)
            QVERIFY(c.send("a"));
        const RawResponse r = c.readResponse();
        const qint64 at = t.elapsed();
        QCOMPARE(r.status, 408);
        QVERIFY2(r.body.contains("head was not complete within 600 ms"), r.body.constData());
        QVERIFY2(at >= 600 && at < 600 + slack, QByteArray::number(at).constData());
        QVERIFY(c.waitClosed(2000 + slack));
        qInfo("slow head answered 408 after %lld ms (header limit 600 ms)", at);
    }

    void slowBodyIsCutAtTheRequestLimit()
    {
        ApiOnThread api(quickLimits());
        RawClient c(api.port());
        QElapsedTimer t;
        t.start();
        QVERIFY(c.send(post("/echo", {}, 1000)));
        while (!c.readable(50) && t.elapsed() < 10'000)
            QVERIFY(c.send("a"));
        const RawResponse r = c.readResponse();
        const qint64 at = t.elapsed();
        QCOMPARE(r.status, 408);
        QVERIFY2(r.body.contains("body was not complete within 1500 ms"), r.body.constData());
        QVERIFY2(at >= 1500 && at < 1500 + slack, QByteArray::number(at).constData());
        qInfo("slow body answered 408 after %lld ms (request limit 1500 ms)", at);
    }

    void idleConnectionsAreClosed()
    {
        ApiOnThread api(quickLimits());
        // A connection that never sends is closed at the header limit, silently.
        RawClient silent(api.port());
        QElapsedTimer t;
        t.start();
        QVERIFY(silent.waitClosed(600 + slack));
        QVERIFY(t.elapsed() >= 600);

        // A kept-alive connection is closed after the idle limit, silently.
        RawClient kept(api.port());
        QVERIFY(kept.send(live));
        QCOMPARE(kept.readResponse().status, 200);
        t.restart();
        QVERIFY(kept.waitClosed(1000 + slack));
        QVERIFY(t.elapsed() >= 900);
        QCOMPARE(api.count(408), quint64(0));
    }

    void connectionCapClosesTheLongestWaiting()
    {
        RequestLimits limits = quickLimits();
        limits.headerTimeoutMs = limits.requestTimeoutMs = limits.idleTimeoutMs = 60'000;
        limits.maxConnections = 20;
        ApiOnThread api(limits);
        std::vector<std::unique_ptr<RawClient>> held;
        for (int i = 0; i < 20; ++i) {
            held.push_back(std::make_unique<RawClient>(api.port()));
            QVERIFY(held.back()->connected());
            // The gate must have accepted this one before the next, so the order is known.
            QVERIFY(held.back()->send("G"));
            QTest::qWait(5);
        }
        // The 21st connection is served; the oldest waiting one made room.
        RawClient c(api.port());
        QVERIFY(c.send(live));
        QCOMPARE(c.readResponse().status, 200);
        QVERIFY(held.front()->waitClosed(2000));
        QVERIFY(!held.back()->waitClosed(200));
    }
};

QTEST_GUILESS_MAIN(TstRequestGate)
#include "tst_requestgate.moc"
