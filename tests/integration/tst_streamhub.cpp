// The live stream's bounds against a real HttpApi on its own thread and real clients on
// loopback: a client that stops reading is dropped (1008, slow consumer) while a reading one
// gets every message; a client that stops answering pings is cut; the client cap; the
// guardian's refusal and its count of wrong tokens.
#include "rawhttpclient.h"
#include "streamclient.h"

#include "api/apiguard.h"
#include "api/httpapi.h"
#include "api/streamhub.h"
#include "core/workerthread.h"
#include "telemetry/metricregistry.h"

#include <QJsonArray>

using namespace Shivx;

namespace {

const QByteArray Token(64, 'c');

// The guardian's seam: refuses every source while `refuse` is set, counts wrong tokens.
class TestGuard : public ApiGuard
{
public:
    Verdict admit(const QHostAddress &, const QString &) override
    {
        if (refuse.load())
            return { Decision::Refuse, 403, QStringLiteral("guardian.isolated"),
                QStringLiteral("source isolated"), 0 };
        return {};
    }
    void tokenRejected(const QHostAddress &, const QString &) override { ++tokenRejections; }

    std::atomic<bool> refuse { false };
    std::atomic<int> tokenRejections { 0 };
};

double metric(const MetricRegistry &registry, const QString &family, const QString &label)
{
    for (const FamilySnapshot &f : registry.collect())
        if (f.name == family)
            for (const SeriesValue &s : f.series)
                if (s.labelValues.value(0) == label)
                    return s.value;
    return 0;
}

} // namespace

class TestStreamHub : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init() { start(testLimits()); }
    void cleanup()
    {
        m_thread->quit();
        m_thread->wait();
        m_thread.reset();
    }

    // A client whose peer stopped answering (no FIN and no pong: a raw socket that did the
    // handshake by hand and then reads nothing) is cut once a ping goes unanswered, and its
    // slot is free again; clients that answer the pings stay.
    void unansweredPingFreesTheSlot()
    {
        cleanup();
        StreamLimits limits = testLimits();
        limits.pingIntervalMs = 200;
        limits.pongTimeoutMs = 1'000;
        start(limits);
        ShivxTest::RawClient silent1(m_port), silent2(m_port);
        for (ShivxTest::RawClient *silent : { &silent1, &silent2 }) {
            QVERIFY(silent->send(
                "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer "
                + Token + "\r\n\r\n"));
            QCOMPARE(silent->readResponse().status, 101);
        }
        QTRY_COMPARE(m_hub->clientCount(), 2);
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_clients"), QString()), 2.0);
        StreamClient refused;
        refused.open(url(), {}, "Bearer " + Token);
        QTRY_VERIFY(refused.disconnected);
        QVERIFY2(refused.closeReason.contains(QStringLiteral("2 stream clients")),
            qPrintable(refused.closeReason));

        QTRY_COMPARE_WITH_TIMEOUT(m_hub->clientCount(), 0, 10000);
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_clients"), QString()), 0.0);
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_closed_total"),
                     QStringLiteral("no_pong")),
            2.0);
        QVERIFY(silent1.waitClosed(5000));
        QVERIFY(silent2.waitClosed(5000));

        StreamClient a, b;
        a.open(url(), {}, "Bearer " + Token);
        QVERIFY2(!a.waitFor(QStringLiteral("subscribed")).isEmpty(), qPrintable(a.closeReason));
        b.open(url(), {}, "Bearer " + Token);
        QVERIFY2(!b.waitFor(QStringLiteral("subscribed")).isEmpty(), qPrintable(b.closeReason));
        QTest::qWait(3000); // many pings, each answered
        QVERIFY(!a.disconnected && !b.disconnected);
        QCOMPARE(m_hub->clientCount(), 2);
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_closed_total"),
                     QStringLiteral("no_pong")),
            2.0);
    }

private:
    static StreamLimits testLimits()
    {
        StreamLimits limits;
        limits.maxClients = 2;
        limits.maxQueuedBytes = 256 * 1024;
        // Longer than any test: a client that left while waiting for its token must stop
        // counting at once, not when its deadline would have refused it.
        limits.tokenTimeoutMs = 120'000;
        limits.lingerMs = 300;
        // Never within the other tests: the slow consumer must be dropped for being slow.
        limits.pingIntervalMs = 600'000;
        return limits;
    }

    void start(const StreamLimits &limits)
    {
        m_guard = std::make_shared<TestGuard>();
        m_registry = std::make_unique<MetricRegistry>();
        m_api = new HttpApi([] { return QByteArray(); });
        m_api->setStreamLimits(limits);
        m_api->setMetricRegistry(m_registry.get());
        m_api->setToken(Token);
        m_api->setGuard(m_guard);
        const Result<quint16> port = m_api->bindTo(QStringLiteral("127.0.0.1:0"));
        QVERIFY(port);
        m_port = *port;
        m_hub = m_api->streamHub();
        m_thread = std::make_unique<WorkerThread>("shivx-api-test", m_api);
        m_thread->start();
    }

private Q_SLOTS:

    void slowConsumerDroppedReaderKeepsUp()
    {
        StreamClient fast;
        fast.open(url(), {}, "Bearer " + Token);
        QVERIFY(!fast.waitFor(QStringLiteral("subscribed")).isEmpty());
        ShivxTest::RawClient slow(m_port);
        QVERIFY(slow.send("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                          "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                          "Sec-WebSocket-Version: 13\r\nAuthorization: Bearer "
            + Token + "\r\n\r\n"));
        QCOMPARE(slow.readResponse().status, 101);
        QTRY_COMPARE(m_hub->clientCount(), 2);

        // 32 MiB in 16 KiB messages, paced so that the reading client keeps up; the other
        // reads nothing, which the kernel's buffers absorb only for the first few MiB.
        const QString filler(16 * 1024, QLatin1Char('x'));
        int sent = 0;
        for (int batch = 0; batch < 40; ++batch) {
            for (int i = 0; i < 50; ++i, ++sent)
                m_hub->publish(QStringLiteral("audit"), QString(),
                    { { QStringLiteral("n"), sent }, { QStringLiteral("pad"), filler } });
            QTRY_COMPARE_WITH_TIMEOUT(fast.messages.size(), sent + 1, 10000);
        }
        QTRY_COMPARE(m_hub->clientCount(), 1);
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_closed_total"),
                     QStringLiteral("slow")),
            1.0);
        QVERIFY(!fast.disconnected);
        for (int i = 0; i < sent; ++i)
            QCOMPARE(fast.messages.at(i + 1).value(QStringLiteral("n")).toInt(), i);
        // Every message the reading client got, and those the other took before the drop.
        const double audit = metric(*m_registry, QStringLiteral("shivx_api_stream_messages_total"),
            QStringLiteral("audit"));
        QVERIFY2(audit >= sent && audit < 2 * sent, qPrintable(QString::number(audit)));
    }

    void clientCap()
    {
        StreamClient a, b, c;
        a.open(url(), {}, "Bearer " + Token);
        QVERIFY(!a.waitFor(QStringLiteral("subscribed")).isEmpty());
        b.open(url(), {}, "Bearer " + Token);
        QVERIFY(!b.waitFor(QStringLiteral("subscribed")).isEmpty());
        c.open(url(), {}, "Bearer " + Token);
        QTRY_VERIFY(c.disconnected);
        QCOMPARE(c.closeCode, 1008);
        QVERIFY2(
            c.closeReason.contains(QStringLiteral("2 stream clients")), qPrintable(c.closeReason));
        QVERIFY(c.messages.isEmpty());
        a.ws.close();
        QTRY_COMPARE(m_hub->clientCount(), 1);
        StreamClient d;
        d.open(url(), {}, "Bearer " + Token);
        QVERIFY(!d.waitFor(QStringLiteral("subscribed")).isEmpty());
    }

    void clientsGoneBeforeTheirTokenStopCounting()
    {
        // Clients that leave before their token message, some before the upgrade has even
        // been answered (the handshake sent and the connection closed at once), others once
        // upgraded; with a cap of 2, every one of them that still counted would refuse the
        // two clients that follow.
        for (int i = 0; i < 16; ++i) {
            ShivxTest::RawClient raw(m_port);
            QVERIFY(raw.send("GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                             "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n"));
        }
        for (int i = 0; i < 8; ++i) {
            StreamClient gone;
            gone.open(url());
            QTRY_VERIFY(gone.connected);
            gone.ws.abort();
        }
        StreamClient a, b;
        a.open(url(), {}, "Bearer " + Token);
        QVERIFY2(!a.waitFor(QStringLiteral("subscribed")).isEmpty(), qPrintable(a.closeReason));
        b.open(url(), {}, "Bearer " + Token);
        QVERIFY2(!b.waitFor(QStringLiteral("subscribed")).isEmpty(), qPrintable(b.closeReason));
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_clients"), QString()), 2.0);
        a.ws.close();
        b.ws.close();
        QTRY_COMPARE(m_hub->clientCount(), 0);
        QCOMPARE(metric(*m_registry, QStringLiteral("shivx_api_stream_clients"), QString()), 0.0);
    }

    void guardianRefusesAndCountsWrongTokens()
    {
        m_guard->refuse = true;
        StreamClient refused;
        refused.open(url(), {}, "Bearer " + Token);
        QTRY_VERIFY(refused.disconnected);
        QCOMPARE(refused.closeCode, 1008);
        QVERIFY2(refused.closeReason.startsWith(QStringLiteral("guardian.isolated")),
            qPrintable(refused.closeReason));
        QVERIFY(refused.messages.isEmpty());

        m_guard->refuse = false;
        StreamClient wrong;
        wrong.open(url(), R"({"token":"nope"})");
        QTRY_VERIFY(wrong.disconnected);
        QCOMPARE(wrong.closeCode, 1008);
        QCOMPARE(m_guard->tokenRejections.load(), 1);
    }

    void handshakeMustComeFirstOnItsConnection()
    {
        // Pipelined behind a request the server has not read yet, a handshake cannot be
        // taken from under the server: 400 after the first answer, never an upgrade.
        ShivxTest::RawClient raw(m_port);
        QVERIFY(raw.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                         "GET /api/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                         "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                         "Sec-WebSocket-Version: 13\r\n\r\n"));
        QCOMPARE(raw.readResponse().status, 200);
        const ShivxTest::RawResponse second = raw.readResponse();
        QCOMPARE(second.status, 400);
        QVERIFY2(second.body.contains("must come first"), second.body.constData());
    }

    void badFilterAnsweredNotApplied()
    {
        StreamClient c;
        c.open(url(), "{\"token\":\"" + Token + "\",\"kinds\":[\"target\"]}");
        QVERIFY(!c.waitFor(QStringLiteral("subscribed")).isEmpty());
        c.ws.sendTextMessage(QStringLiteral(R"({"kinds":["nonsense"]})"));
        const QJsonObject e = c.waitFor(QStringLiteral("error"));
        QVERIFY2(e.value(QStringLiteral("message")).toString().contains(QStringLiteral("nonsense")),
            QJsonDocument(e).toJson().constData());
        m_hub->publish(QStringLiteral("audit"), QString(), {});
        m_hub->publish(QStringLiteral("target"), QStringLiteral("web"),
            { { QStringLiteral("target"), QStringLiteral("web") } });
        QVERIFY(!c.waitFor(QStringLiteral("target")).isEmpty());
        QVERIFY(!c.types().contains(QStringLiteral("audit")));
    }

private:
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/api/stream").arg(m_port)); }

    std::shared_ptr<TestGuard> m_guard;
    std::unique_ptr<MetricRegistry> m_registry;
    HttpApi *m_api = nullptr; // deleted by its thread
    StreamHub *m_hub = nullptr;
    std::unique_ptr<WorkerThread> m_thread;
    quint16 m_port = 0;
};

QTEST_GUILESS_MAIN(TestStreamHub)
#include "tst_streamhub.moc"
