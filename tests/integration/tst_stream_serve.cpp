// The live stream (/api/stream) against the real `shivx serve` with real WebSocket clients:
// the token as first message, as header or as subprotocol; refusals (wrong or missing token,
// another path, a Host that is not allowed) close with 1008 before anything is sent; the
// filter is honoured; a target transition, an alert and audit entries arrive as they happen.
#include "rawhttpclient.h"
#include "servefixture.h"
#include "streamclient.h"

#include <QJsonArray>
#include <QTcpServer>

namespace {

const char Rules[] = "groups:\n"
                     "  - name: t\n"
                     "    rules:\n"
                     "      - alert: Pinned\n"
                     "        series: shivx_degradation_pinned\n"
                     "        op: \"==\"\n"
                     "        threshold: 1\n"
                     "        severity: warning\n"
                     "        annotations: {summary: \"degradation pinned\"}\n";

QByteArray tokenMessage(const QByteArray &token, const QJsonObject &filter = {})
{
    QJsonObject m = filter;
    m.insert(QStringLiteral("token"), QString::fromLatin1(token));
    return QJsonDocument(m).toJson(QJsonDocument::Compact);
}

} // namespace

class TestStreamServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_backend.listen(QHostAddress::LocalHost, 0));
        QFile f(m_dir.filePath(QStringLiteral("rules.yml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(Rules);
        f.close();
        m_serve = std::make_unique<ServeProcess>(
            QStringLiteral("sampler: {interval: 200ms}\n"
                           "alerting:\n"
                           "  default_rules: false\n"
                           "  rules: %1/rules.yml\n"
                           "  interval: 1s\n"
                           "targets:\n"
                           "  - {name: backend, type: tcp, host: 127.0.0.1, port: %2, "
                           "interval: 200ms, timeout: 100ms}\n")
                .arg(m_dir.path())
                .arg(m_backend.serverPort()));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        m_url = m_serve->url().resolved(QUrl(QStringLiteral("/api/stream")));
    }

    void cleanupTestCase()
    {
        QVERIFY2(
            m_serve->process().state() == QProcess::Running, m_serve->output() + m_serve->errors());
        QCOMPARE(m_serve->terminate(), 0);
    }

    void refusedWithoutOrWithWrongToken_data()
    {
        QTest::addColumn<QByteArray>("first");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QString>("reason");
        QTest::newRow("wrong token in the first message")
            << tokenMessage(QByteArray(64, 'a')) << QByteArray() << "wrong token";
        QTest::newRow("first message without token")
            << QByteArray(R"({"kinds":["audit"]})") << QByteArray() << "no token";
        QTest::newRow("wrong bearer header")
            << QByteArray() << QByteArray("Bearer " + QByteArray(64, 'b')) << "wrong token";
        QTest::newRow("nothing sent: deadline")
            << QByteArray() << QByteArray() << "no token within";
    }
    void refusedWithoutOrWithWrongToken()
    {
        QFETCH(QByteArray, first);
        QFETCH(QByteArray, authorization);
        QFETCH(QString, reason);
        StreamClient c;
        c.open(m_url, first, authorization);
        QTRY_VERIFY_WITH_TIMEOUT(c.disconnected, 15000);
        QVERIFY(c.connected); // upgraded first, then refused
        QCOMPARE(c.closeCode, 1008);
        QVERIFY2(c.closeReason.contains(reason), qPrintable(c.closeReason));
        QVERIFY2(c.messages.isEmpty(), qPrintable(c.types().join(u',')));
    }

    void refusedOnAnotherPath()
    {
        // Only /api/stream takes a handshake: the gate answers any other with 404.
        StreamClient c;
        c.open(m_serve->url().resolved(QUrl(QStringLiteral("/api/health"))),
            tokenMessage(m_serve->apiToken()));
        QTRY_VERIFY_WITH_TIMEOUT(c.disconnected, 15000);
        QVERIFY(!c.connected);
        QVERIFY(c.messages.isEmpty());
        ShivxTest::RawClient raw(quint16(m_serve->url().port()));
        QVERIFY(raw.send(handshake("/api/health", "127.0.0.1")));
        const ShivxTest::RawResponse r = raw.readResponse();
        QCOMPARE(r.status, 404);
        QVERIFY2(r.body.contains("no WebSocket endpoint at /api/health"), r.body.constData());
    }

    void refusedForAHostThatIsNotAllowed()
    {
        // A DNS-rebinding page: the handshake carries the attacker's name. The request gate
        // answers 403 before Qt's server upgrades, so no 101 and no frame ever comes.
        ShivxTest::RawClient raw(quint16(m_serve->url().port()));
        QVERIFY(raw.send(
            handshake("/api/stream", "evil.example:" + QByteArray::number(m_serve->url().port()))));
        const ShivxTest::RawResponse r = raw.readResponse();
        QCOMPARE(r.status, 403);
        QVERIFY2(r.body.contains("host_not_allowed"), r.body.constData());
    }

    void filterHonouredAndEventsArrive()
    {
        // Only targets and audit entries about the backend target: no samples, no alerts.
        StreamClient c;
        c.open(m_url,
            tokenMessage(m_serve->apiToken(),
                { { QStringLiteral("kinds"),
                      QJsonArray { QStringLiteral("target"), QStringLiteral("audit") } },
                    { QStringLiteral("targets"), QJsonArray { QStringLiteral("back*") } } }));
        const QJsonObject ack = c.waitFor(QStringLiteral("subscribed"));
        QCOMPARE(ack.value(QStringLiteral("kinds")).toArray(),
            (QJsonArray { QStringLiteral("target"), QStringLiteral("audit") }));

        m_backend.close(); // the target goes down
        const QJsonObject t = c.waitFor(QStringLiteral("target"));
        QCOMPARE(t.value(QStringLiteral("target")).toString(), QStringLiteral("backend"));
        QVERIFY2(t.value(QStringLiteral("to")).toString() != QStringLiteral("UP"),
            QJsonDocument(t).toJson().constData());
        const QJsonObject a = c.waitFor(QStringLiteral("audit"), 15000, [](const QJsonObject &m) {
            return m.value(QStringLiteral("action")).toString()
                == QStringLiteral("target.transition");
        });
        QCOMPARE(a.value(QStringLiteral("data")).toObject().value(QStringLiteral("target")),
            QJsonValue(QStringLiteral("backend")));
        QTest::qWait(1500); // history flushes every second: samples would have come by now
        for (const QString &type : c.types())
            QVERIFY2(type == QStringLiteral("subscribed") || type == QStringLiteral("target")
                    || type == QStringLiteral("audit"),
                qPrintable(type));
    }

    void headerTokenSamplesAndAlerts()
    {
        StreamClient c;
        c.open(m_url, {}, "Bearer " + m_serve->apiToken());
        QVERIFY(!c.waitFor(QStringLiteral("subscribed")).isEmpty());
        // Narrow to one series while connected: a later message replaces the filter.
        c.ws.sendTextMessage(
            QStringLiteral(R"({"kinds":["sample","alert","audit"],"series":["host.cpu.*"]})"));
        QTRY_COMPARE_WITH_TIMEOUT(c.types().count(QStringLiteral("subscribed")), 2, 5000);
        const qsizetype from = c.messages.size();
        const QJsonObject s = c.waitFor(QStringLiteral("sample"), 15000,
            [&c, from](const QJsonObject &m) { return c.messages.indexOf(m) >= from; });
        QVERIFY(!s.isEmpty());
        for (const QJsonValue &p : s.value(QStringLiteral("points")).toArray())
            QVERIFY2(p.toObject()
                         .value(QStringLiteral("series"))
                         .toString()
                         .startsWith(QStringLiteral("host.cpu.")),
                QJsonDocument(s).toJson().constData());

        // Pinning the level is audited, and fires the rule.
        QCOMPARE(httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/api/degradation/pin"))),
                     "POST", R"({"level":"LEVEL_1","reason":"stream test","for":"30m"})",
                     m_serve->apiToken())
                     .status,
            200);
        QVERIFY(!c.waitFor(QStringLiteral("audit"), 15000, [](const QJsonObject &m) {
                      return m.value(QStringLiteral("action")).toString()
                          == QStringLiteral("degradation.pinned");
                  }).isEmpty());
        const QJsonObject alert = c.waitFor(QStringLiteral("alert"), 20000);
        QCOMPARE(alert.value(QStringLiteral("alert")).toString(), QStringLiteral("Pinned"));
        QCOMPARE(alert.value(QStringLiteral("from")).toString(), QStringLiteral("inactive"));
    }

    void subprotocolToken()
    {
        StreamClient c;
        c.open(m_url, {}, {},
            { QStringLiteral("shivx.token.") + QString::fromLatin1(m_serve->apiToken()) });
        QVERIFY2(!c.waitFor(QStringLiteral("subscribed")).isEmpty(), qPrintable(c.closeReason));
    }

    void metricsCountClientsAndRefusals()
    {
        const HttpAnswer m = httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/metrics"))));
        QCOMPARE(m.status, 200);
        QVERIFY(m.body.contains("shivx_api_stream_closed_total{reason=\"token\"}"));
        QVERIFY(m.body.contains("shivx_api_stream_closed_total{reason=\"timeout\"} 1"));
        QVERIFY(m.body.contains("shivx_api_stream_messages_total{kind=\"target\"}"));
        QVERIFY(m.body.contains("shivx_api_stream_clients "));
    }

private:
    QByteArray handshake(const QByteArray &path, const QByteArray &host) const
    {
        return "GET " + path + " HTTP/1.1\r\nHost: " + host
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
              "Authorization: Bearer "
            + m_serve->apiToken() + "\r\n\r\n";
    }

    QTemporaryDir m_dir;
    QTcpServer m_backend;
    std::unique_ptr<ServeProcess> m_serve;
    QUrl m_url;
};

QTEST_GUILESS_MAIN(TestStreamServe)
#include "tst_stream_serve.moc"
