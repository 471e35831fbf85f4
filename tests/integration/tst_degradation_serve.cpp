// Degradation end to end against the real `shivx serve`: the GET endpoints, the bearer token
// on the POST ones, 400s that name the field, pins through HTTP and through the real
// `shivx degrade` binary, readiness at EMERGENCY with liveness untouched, /metrics, and the
// level in the metric history.
#include "servefixture.h"

#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTimer>

#include <memory>

namespace {

const char FastConfig[] = "sampler: {interval: 200ms}\n";

} // namespace

class TstDegradationServe : public QObject
{
    Q_OBJECT
    std::unique_ptr<ServeProcess> m_shared;

private Q_SLOTS:
    void cleanupTestCase()
    {
        if (m_shared)
            QCOMPARE(m_shared->terminate(), 0);
        m_shared.reset();
    }

    void getEndpointsAnswer()
    {
        ServeProcess serve(QString::fromLatin1(FastConfig));
        QVERIFY2(serve.start(), serve.output().constData());
        const QUrl base = serve.url();

        HttpAnswer state;
        QTRY_VERIFY_WITH_TIMEOUT(
            (state = httpRequest(base.resolved(QUrl(QStringLiteral("/api/degradation")))))
                .json.value(QStringLiteral("score"))
                .isDouble(),
            10000);
        QCOMPARE(state.status, 200);
        QCOMPARE(state.json.value(QStringLiteral("level")).toString(), QStringLiteral("NORMAL"));
        QCOMPARE(state.json.value(QStringLiteral("level_value")).toInt(), 0);
        QVERIFY(state.json.value(QStringLiteral("override")).isNull());
        QVERIFY(!state.json.value(QStringLiteral("since")).toString().isEmpty());
        QVERIFY(!state.json.value(QStringLiteral("reason")).toString().isEmpty());

        const HttpAnswer features
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/features"))));
        QCOMPARE(features.status, 200);
        const QJsonObject map = features.json.value(QStringLiteral("features")).toObject();
        for (const char *name : { "analytics", "background_tasks", "ai_inference", "web_search",
                 "uploads", "integrations", "chat", "memory_writes", "core", "sampling" }) {
            const QJsonObject f = map.value(QLatin1String(name)).toObject();
            QVERIFY2(f.value(QStringLiteral("enabled")).toBool(), name);
            QCOMPARE(f.value(QStringLiteral("quality")).toDouble(), 1.0);
        }

        const HttpAnswer one
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/features/sampling"))));
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json.value(QStringLiteral("name")).toString(), QStringLiteral("sampling"));
        const HttpAnswer unknown
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/features/telepathy"))));
        QCOMPARE(unknown.status, 404);
        QVERIFY(unknown.json.value(QStringLiteral("message"))
                    .toString()
                    .contains(QStringLiteral("telepathy")));

        QCOMPARE(
            httpRequest(base.resolved(QUrl(QStringLiteral("/api/degradation"))), "DELETE").status,
            405);
        QCOMPARE(
            httpRequest(base.resolved(QUrl(QStringLiteral("/api/degradation/pin")))).status, 405);
        QCOMPARE(serve.terminate(), 0);
    }

    void postsNeedTheToken()
    {
        ServeProcess serve(QString::fromLatin1(FastConfig));
        QVERIFY2(serve.start(), serve.output().constData());
        const QUrl pin = serve.url().resolved(QUrl(QStringLiteral("/api/degradation/pin")));
        const QUrl release = serve.url().resolved(QUrl(QStringLiteral("/api/degradation/release")));
        const QByteArray body = R"({"level":"EMERGENCY","reason":"x","for":"5m"})";
        QCOMPARE(httpRequest(pin, "POST", body).status, 401);
        QCOMPARE(httpRequest(pin, "POST", body, "0123456789abcdef").status, 401);
        QCOMPARE(httpRequest(release, "POST").status, 401);
        const HttpAnswer state
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/degradation"))));
        QCOMPARE(state.json.value(QStringLiteral("level")).toString(), QStringLiteral("NORMAL"));
        QCOMPARE(serve.terminate(), 0);
    }

    void badBodiesNameTheField_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("level=EMERGENCY")
                                  << QStringLiteral("body: expected a JSON object");
        QTest::newRow("a JSON list")
            << QByteArray("[1]") << QStringLiteral("body: expected a JSON object");
        QTest::newRow("empty body") << QByteArray() << QStringLiteral("level: required");
        QTest::newRow("unknown level")
            << QByteArray(R"({"level":"LEVEL_9","reason":"x","for":"5m"})")
            << QStringLiteral("level: \"LEVEL_9\" is not a level");
        QTest::newRow("level a number") << QByteArray(R"({"level":4,"reason":"x","for":"5m"})")
                                        << QStringLiteral("level: expected a string");
        QTest::newRow("missing reason") << QByteArray(R"({"level":"LEVEL_1","for":"5m"})")
                                        << QStringLiteral("reason: required");
        QTest::newRow("blank reason")
            << QByteArray(R"({"level":"LEVEL_1","reason":" ","for":"5m"})")
            << QStringLiteral("reason: required");
        QTest::newRow("missing for")
            << QByteArray(R"({"level":"LEVEL_1","reason":"x"})") << QStringLiteral("for: required");
        QTest::newRow("for without unit")
            << QByteArray(R"({"level":"LEVEL_1","reason":"x","for":"30"})")
            << QStringLiteral("for: ");
        QTest::newRow("for beyond max_pin")
            << QByteArray(R"({"level":"LEVEL_1","reason":"x","for":"30d"})")
            << QStringLiteral("for: 30d is outside 1s .. 7d");
        QTest::newRow("unknown field")
            << QByteArray(R"({"level":"LEVEL_1","reason":"x","for":"5m","until":"x"})")
            << QStringLiteral("until: unknown field");
        // One actor rule for every route: cli:USER or console:USER, nothing else.
        QTest::newRow("actor of another kind")
            << QByteArray(R"({"level":"LEVEL_1","reason":"x","for":"5m","actor":"test:ci"})")
            << QStringLiteral("actor: expected \"cli:USER\" or \"console:USER\"");
        QTest::newRow("actor with a newline")
            << QByteArray(R"({"level":"LEVEL_1","reason":"x","for":"5m","actor":"cli:a\nb"})")
            << QStringLiteral("actor: expected");
    }

    void badBodiesNameTheField()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, message);
        // One engine answers every row; each row checks that the bad body changed nothing.
        if (!m_shared) {
            m_shared = std::make_unique<ServeProcess>(QString::fromLatin1(FastConfig));
            QVERIFY2(m_shared->start(), m_shared->output().constData());
        }
        ServeProcess *serve = m_shared.get();
        const HttpAnswer a
            = httpRequest(serve->url().resolved(QUrl(QStringLiteral("/api/degradation/pin"))),
                "POST", body, serve->apiToken());
        QCOMPARE(a.status, 400);
        QCOMPARE(a.json.value(QStringLiteral("error")).toString(), QStringLiteral("bad_request"));
        QVERIFY2(a.json.value(QStringLiteral("message")).toString().startsWith(message),
            a.body.constData());
        QCOMPARE(httpRequest(serve->url().resolved(QUrl(QStringLiteral("/api/degradation"))))
                     .json.value(QStringLiteral("level"))
                     .toString(),
            QStringLiteral("NORMAL"));
    }

    // EMERGENCY takes the engine out of readiness and switches features off; liveness stays.
    void pinAndReleaseOverHttp()
    {
        ServeProcess serve(QString::fromLatin1(FastConfig));
        QVERIFY2(serve.start(), serve.output().constData());
        const QUrl base = serve.url();
        const QByteArray token = serve.apiToken();
        QVERIFY(!token.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/ready")))).status, 200,
            15000);

        const HttpAnswer pinned = httpRequest(
            base.resolved(QUrl(QStringLiteral("/api/degradation/pin"))), "POST",
            R"({"level":"emergency","reason":"load test","for":"30m","actor":"cli:ci"})", token);
        QCOMPARE(pinned.status, 200);
        QCOMPARE(
            pinned.json.value(QStringLiteral("level")).toString(), QStringLiteral("EMERGENCY"));
        const QJsonObject o = pinned.json.value(QStringLiteral("override")).toObject();
        QCOMPARE(o.value(QStringLiteral("actor")).toString(), QStringLiteral("cli:ci"));
        QCOMPARE(o.value(QStringLiteral("reason")).toString(), QStringLiteral("load test"));
        QVERIFY(o.value(QStringLiteral("remaining_seconds")).toDouble() > 1790);

        const QJsonObject features
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/features"))))
                  .json.value(QStringLiteral("features"))
                  .toObject();
        QVERIFY(!features.value(QStringLiteral("chat"))
                     .toObject()
                     .value(QStringLiteral("enabled"))
                     .toBool());
        QVERIFY(features.value(QStringLiteral("core"))
                    .toObject()
                    .value(QStringLiteral("enabled"))
                    .toBool());
        QCOMPARE(features.value(QStringLiteral("sampling"))
                     .toObject()
                     .value(QStringLiteral("quality"))
                     .toDouble(),
            0.0);

        HttpAnswer ready;
        QTRY_COMPARE_WITH_TIMEOUT(
            (ready = httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/ready"))))).status,
            503, 5000);
        const QJsonObject check = ready.json.value(QStringLiteral("checks"))
                                      .toObject()
                                      .value(QStringLiteral("degradation"))
                                      .toObject();
        QVERIFY(!check.value(QStringLiteral("ok")).toBool());
        QVERIFY(check.value(QStringLiteral("detail"))
                    .toString()
                    .startsWith(QStringLiteral("EMERGENCY")));
        // Liveness never looks at degradation.
        for (int i = 0; i < 3; ++i)
            QCOMPARE(
                httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/live")))).status, 200);

        const QByteArray metrics
            = httpRequest(base.resolved(QUrl(QStringLiteral("/metrics")))).body;
        QVERIFY(metrics.contains("\nshivx_degradation_level 4\n"));
        QVERIFY(metrics.contains("\nshivx_degradation_pinned 1\n"));
        QVERIFY(metrics.contains("\nshivx_degradation_state{level=\"EMERGENCY\"} 1\n"));
        QVERIFY(metrics.contains("\nshivx_feature_enabled{feature=\"chat\"} 0\n"));
        QVERIFY(metrics.contains("\nshivx_feature_enabled{feature=\"core\"} 1\n"));
        QVERIFY(metrics.contains("\nshivx_feature_quality{feature=\"sampling\"} 0\n"));
        // background_tasks is off at EMERGENCY: the executor holds history maintenance.
        QVERIFY(metrics.contains("\nshivx_executor_kind_paused{kind=\"history.maintenance\"} 1\n"));

        // The level reaches the history the console's timeline reads (flushed every second).
        const QStringList historyQuery { QStringLiteral("history"), QStringLiteral("query"),
            QStringLiteral("degradation.level"), QStringLiteral("--step"), QStringLiteral("1s"),
            QStringLiteral("--data-dir"), serve.dataDir() };
        QTRY_VERIFY_WITH_TIMEOUT(runCli(historyQuery).out.contains(",4,4,4,1\n"), 15000);

        const HttpAnswer released
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/degradation/release"))), "POST",
                R"({"actor":"cli:ci"})", token);
        QCOMPARE(released.status, 200);
        QVERIFY(released.json.value(QStringLiteral("released")).toBool());
        QCOMPARE(released.json.value(QStringLiteral("level")).toString(), QStringLiteral("NORMAL"));
        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/ready")))).status, 200,
            5000);
        QVERIFY(
            httpRequest(base.resolved(QUrl(QStringLiteral("/metrics"))))
                .body.contains("\nshivx_executor_kind_paused{kind=\"history.maintenance\"} 0\n"));
        const HttpAnswer again = httpRequest(
            base.resolved(QUrl(QStringLiteral("/api/degradation/release"))), "POST", {}, token);
        QCOMPARE(again.status, 200);
        QVERIFY(!again.json.value(QStringLiteral("released")).toBool());

        QCOMPARE(serve.terminate(), 0);
        // What the engine wrote last, on its way out, is the level after the release.
        const QByteArray history = runCli(historyQuery).out;
        QVERIFY2(history.trimmed().endsWith(",0,0,0,1"), history.constData());
    }

    void pinAndReleaseWithTheCli()
    {
        ServeProcess serve(QString::fromLatin1(FastConfig));
        QVERIFY2(serve.start(), serve.output().constData());
        const QString dir = serve.dataDir();
        const QUrl state = serve.url().resolved(QUrl(QStringLiteral("/api/degradation")));

        CliRun r = runCli({ QStringLiteral("degrade"), QStringLiteral("set"),
            QStringLiteral("LEVEL_2"), QStringLiteral("--reason"),
            QStringLiteral("planned failover"), QStringLiteral("--for"), QStringLiteral("30m"),
            QStringLiteral("--data-dir"), dir });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("pinned LEVEL_2 until "), r.out.constData());
        QJsonObject s = httpRequest(state).json;
        QCOMPARE(s.value(QStringLiteral("level")).toString(), QStringLiteral("LEVEL_2"));
        QVERIFY(s.value(QStringLiteral("override"))
                    .toObject()
                    .value(QStringLiteral("actor"))
                    .toString()
                    .startsWith(QStringLiteral("cli:")));

        r = runCli({ QStringLiteral("degrade"), QStringLiteral("status"),
            QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("level       LEVEL_2"), r.out.constData());
        QVERIFY2(r.out.contains("planned failover"), r.out.constData());
        QVERIFY2(QRegularExpression(QStringLiteral("\\n  ai_inference +off "))
                     .match(QString::fromUtf8(r.out))
                     .hasMatch(),
            r.out.constData());

        // --url reaches the same engine; the token still comes from --data-dir.
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("status"),
            QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--url"),
            serve.url().toString(), QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.count('\n'), 1); // one compact document on one line
        const QJsonObject json = QJsonDocument::fromJson(r.out).object();
        // --json, its spelling before --format, still works.
        const CliRun alias = runCli({ QStringLiteral("degrade"), QStringLiteral("status"),
            QStringLiteral("--json"), QStringLiteral("--data-dir"), dir });
        QCOMPARE(alias.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(alias.out)
                     .object()
                     .value(QStringLiteral("degradation"))
                     .toObject()
                     .value(QStringLiteral("override"))
                     .toObject()
                     .value(QStringLiteral("until")),
            json.value(QStringLiteral("degradation"))
                .toObject()
                .value(QStringLiteral("override"))
                .toObject()
                .value(QStringLiteral("until")));
        QCOMPARE(json.value(QStringLiteral("degradation"))
                     .toObject()
                     .value(QStringLiteral("level"))
                     .toString(),
            QStringLiteral("LEVEL_2"));
        QCOMPARE(json.value(QStringLiteral("features"))
                     .toObject()
                     .value(QStringLiteral("sampling"))
                     .toObject()
                     .value(QStringLiteral("quality"))
                     .toDouble(),
            0.25);

        // Bad arguments are usage errors before anything is sent.
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("set"), QStringLiteral("LEVEL_9"),
            QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--for"),
            QStringLiteral("5m"), QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("\"LEVEL_9\" is not a level"), r.err.constData());
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("set"), QStringLiteral("LEVEL_1"),
            QStringLiteral("--for"), QStringLiteral("5m"), QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--reason TEXT is required"), r.err.constData());
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("set"), QStringLiteral("LEVEL_1"),
            QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--for DURATION is required"), r.err.constData());
        // The engine's own refusal comes back with its message.
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("set"), QStringLiteral("LEVEL_1"),
            QStringLiteral("--reason"), QStringLiteral("x"), QStringLiteral("--for"),
            QStringLiteral("30d"), QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("HTTP 400: for: 30d is outside"), r.err.constData());
        QCOMPARE(httpRequest(state).json.value(QStringLiteral("level")).toString(),
            QStringLiteral("LEVEL_2"));

        r = runCli({ QStringLiteral("degrade"), QStringLiteral("release"),
            QStringLiteral("--data-dir"), dir });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("released; level now NORMAL"), r.out.constData());
        QCOMPARE(httpRequest(state).json.value(QStringLiteral("level")).toString(),
            QStringLiteral("NORMAL"));

        // A token that is not the engine's is refused.
        QTemporaryDir other;
        QFile fake(other.filePath(QStringLiteral("api-token")));
        QVERIFY(fake.open(QIODevice::WriteOnly));
        fake.write(QByteArray(64, '0') + "\n");
        fake.close();
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("release"), QStringLiteral("--url"),
            serve.url().toString(), QStringLiteral("--data-dir"), other.path() });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("HTTP 401"), r.err.constData());

        QCOMPARE(serve.terminate(), 0);
        // No engine running any more: exit 1 with the reason.
        r = runCli({ QStringLiteral("degrade"), QStringLiteral("status"),
            QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no running engine"), r.err.constData());
    }

    // A critical target that is down caps the score at 49: LEVEL_3 from the score itself.
    void scoreDrivesTheLevel()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        const quint16 port = closed.serverPort();
        closed.close(); // nothing listens there now
        ServeProcess serve(
            QStringLiteral("sampler: {interval: 200ms}\n"
                           "targets:\n"
                           "  - {name: db, type: tcp, host: 127.0.0.1, port: %1, interval: 200ms,"
                           " timeout: 100ms, failure_threshold: 1, critical: true}\n")
                .arg(port));
        QVERIFY2(serve.start(), serve.output().constData());
        HttpAnswer s;
        QTRY_COMPARE_WITH_TIMEOUT(
            (s = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/degradation")))))
                .json.value(QStringLiteral("level"))
                .toString(),
            QStringLiteral("LEVEL_3"), 15000);
        QVERIFY2(s.json.value(QStringLiteral("reason"))
                     .toString()
                     .contains(QStringLiteral("below 50.0")),
            s.body.constData());
        QVERIFY(s.json.value(QStringLiteral("score")).toDouble() < 50);
        QVERIFY(s.json.value(QStringLiteral("transitions")).toInt() >= 1);
        // LEVEL_3 is not EMERGENCY: the degradation check passes (the target's own fails).
        const QJsonObject checks
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/health/ready"))))
                  .json.value(QStringLiteral("checks"))
                  .toObject();
        QVERIFY(checks.value(QStringLiteral("degradation"))
                    .toObject()
                    .value(QStringLiteral("ok"))
                    .toBool());
        const int code = serve.terminate();
        QVERIFY2(code == 0,
            (QByteArray::number(code) + ": " + serve.output() + serve.errors()).constData());
    }
};

QTEST_GUILESS_MAIN(TstDegradationServe)
#include "tst_degradation_serve.moc"
