#include "api/requestframer.h"

#include <QTest>

using namespace Shivx;

namespace {

constexpr qint64 lineLimit = 8 * 1024;
constexpr qint64 headLimit = 16 * 1024;

// What the framer made of a byte stream fed in pieces of `step` bytes: one entry per
// event ("head METHOD PATH length", "complete", "error STATUS"), accepting every head.
QStringList frame(const QByteArray &bytes, qsizetype step, RequestFramer *framer = nullptr)
{
    RequestFramer local(lineLimit, headLimit);
    RequestFramer &f = framer ? *framer : local;
    QStringList events;
    for (qsizetype at = 0; at < bytes.size();) {
        QByteArrayView piece = QByteArrayView(bytes).sliced(at, qMin(step, bytes.size() - at));
        at += piece.size();
        while (!piece.isEmpty()) {
            qsizetype used = 0;
            RequestFramer::Event e = f.feed(piece, &used);
            piece = piece.sliced(used);
            if (e == RequestFramer::Event::Head) {
                const RequestHead &h = f.head();
                events << QStringLiteral("head %1 %2 %3")
                              .arg(QString::fromLatin1(h.method), h.path)
                              .arg(h.contentLength);
                e = f.acceptBody();
            }
            if (e == RequestFramer::Event::Complete)
                events << QStringLiteral("complete");
            if (e == RequestFramer::Event::Error) {
                events << QStringLiteral("error %1").arg(f.error().status);
                return events;
            }
        }
    }
    return events;
}

} // namespace

class TstRequestFramer : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void frames_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QStringList>("events");
        const QByteArray get = "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
        QTest::newRow("one GET") << get
                                 << QStringList { "head GET /api/health/live 0", "complete" };
        QTest::newRow("blank lines before a request are skipped (as Qt does)") << QByteArray(
            "\r\n\r\n \t" + get) << QStringList { "head GET /api/health/live 0", "complete" };
        QTest::newRow("POST with a body, then a pipelined GET")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello" + get)
            << QStringList { "head POST /echo 5", "complete", "head GET /api/health/live 0",
                   "complete" };
        QTest::newRow("a body that looks like a request stays a body")
            << QByteArray("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: "
                   + QByteArray::number(get.size()) + "\r\n\r\n" + get)
            << QStringList { "head POST /echo " + QString::number(get.size()), "complete" };
        QTest::newRow("HTTP/1.0 needs no Host") << QByteArray(
            "GET /metrics HTTP/1.0\r\n\r\n") << QStringList { "head GET /metrics 0", "complete" };
        QTest::newRow("percent-encoded path is decoded as the router sees it")
            << QByteArray("GET /api/features/a%20b?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")
            << QStringList { "head GET /api/features/a b 0", "complete" };
        QTest::newRow("header names without case, value whitespace trimmed")
            << QByteArray("PUT /x HTTP/1.1\r\nhOsT:a\r\ncontent-LENGTH: \t 2 \t\r\n\r\nab")
            << QStringList { "head PUT /x 2", "complete" };

        QTest::newRow("bare LF ends the request line -> 400")
            << QByteArray("GET / HTTP/1.1\nHost: a\n\n") << QStringList { "error 400" };
        QTest::newRow("bare LF ends a header -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\n\r\n") << QStringList { "error 400" };
        QTest::newRow("CR inside a header -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\rb\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("obsolete line folding -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n")
            << QStringList { "error 400" };
        QTest::newRow("no colon -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost a\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("space before the colon -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("control character in a value -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("two Content-Length -> 400") << QByteArray(
            "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: "
            "1\r\n\r\nx") << QStringList { "error 400" };
        QTest::newRow("negative Content-Length -> 400")
            << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")
            << QStringList { "error 400" };
        QTest::newRow("Content-Length list -> 400")
            << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx")
            << QStringList { "error 400" };
        QTest::newRow("two Host -> 400")
            << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
            << QStringList { "error 400" };
        QTest::newRow("HTTP/1.1 without Host -> 400")
            << QByteArray("GET / HTTP/1.1\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("lower-case method -> 400")
            << QByteArray("get / HTTP/1.1\r\nHost: a\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("absolute-form target -> 400")
            << QByteArray("GET http://evil/ HTTP/1.1\r\nHost: a\r\n\r\n")
            << QStringList { "error 400" };
        QTest::newRow("two spaces -> 400")
            << QByteArray("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") << QStringList { "error 400" };
        QTest::newRow("HTTP/2.0 -> 400")
            << QByteArray("GET / HTTP/2.0\r\nHost: a\r\n\r\n") << QStringList { "error 400" };
        static const char tlsHello[]
            = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http\r\n\r\n";
        QTest::newRow("a TLS hello -> 400")
            << QByteArray(tlsHello, sizeof tlsHello - 1) << QStringList { "error 400" };
        QTest::newRow("request line over 8 KiB -> 414")
            << QByteArray("GET /" + QByteArray(lineLimit, 'a') + " HTTP/1.1\r\n")
            << QStringList { "error 414" };
        QTest::newRow("header line over 8 KiB -> 431")
            << QByteArray("GET / HTTP/1.1\r\nX: " + QByteArray(8 * 1024, 'a') + "\r\n")
            << QStringList { "error 431" };
        QByteArray many = "GET / HTTP/1.1\r\nHost: a\r\n";
        for (int i = 0; i < 100; ++i)
            many += "X: 1\r\n";
        QTest::newRow("101 header lines -> 431") << many << QStringList { "error 431" };
        QByteArray big = "GET / HTTP/1.1\r\n";
        for (int i = 0; i < 3; ++i)
            big += "X: " + QByteArray(6000, 'a') + "\r\n";
        QTest::newRow("head over the head limit -> 431") << big << QStringList { "error 431" };
        QTest::newRow("a flood of blank lines -> 400")
            << QByteArray(headLimit + 1, '\n') << QStringList { "error 400" };
    }
    void frames()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QStringList, events);
        // Whole, and one byte at a time: the boundaries must not depend on how TCP cut it.
        QCOMPARE(frame(bytes, bytes.size()), events);
        QCOMPARE(frame(bytes, 1), events);
        QCOMPARE(frame(bytes, 7), events);
    }

    void headFields()
    {
        RequestFramer f(lineLimit, headLimit);
        const QByteArray bytes = "POST /api/breakers/db/force HTTP/1.1\r\nHost: [::1]:8087\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n";
        qsizetype used = 0;
        QCOMPARE(f.feed(bytes, &used), RequestFramer::Event::Head);
        QCOMPARE(used, bytes.size());
        QCOMPARE(f.head().method, QByteArray("POST"));
        QCOMPARE(f.head().path, QStringLiteral("/api/breakers/db/force"));
        QCOMPARE(f.head().host, std::optional<QByteArray>("[::1]:8087"));
        QVERIFY(f.head().transferEncoding);
        QCOMPARE(f.head().minorVersion, 1);
    }

    // A flood is refused after at most the limit, not buffered: the framer stops taking bytes.
    void floodIsNotBuffered()
    {
        RequestFramer f(lineLimit, headLimit);
        const QByteArray flood(1 << 20, 'a');
        qsizetype used = 0;
        QCOMPARE(f.feed(flood, &used), RequestFramer::Event::Error);
        QCOMPARE(f.error().status, 414);
        QVERIFY(used <= lineLimit + 3);
        QCOMPARE(f.feed(flood, &used), RequestFramer::Event::Error);
        QCOMPARE(used, 0);
    }

    void idleOnlyBetweenRequests()
    {
        RequestFramer f(lineLimit, headLimit);
        QVERIFY(f.idle());
        qsizetype used = 0;
        QCOMPARE(f.feed("\r\n", &used), RequestFramer::Event::NeedMore);
        QVERIFY(!f.idle()); // blank bytes count: they are the start of the next request
        QCOMPARE(f.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nab", &used),
            RequestFramer::Event::Head);
        QCOMPARE(f.acceptBody(), RequestFramer::Event::NeedMore);
        QCOMPARE(f.feed("ab", &used), RequestFramer::Event::NeedMore);
        QVERIFY(!f.idle());
        QCOMPARE(f.feed("cGET", &used), RequestFramer::Event::Complete);
        QCOMPARE(used, 1);
        QVERIFY(f.idle());
    }
};

QTEST_GUILESS_MAIN(TstRequestFramer)
#include "tst_requestframer.moc"
