// The breaker API, CLI and configuration reload end to end: the real `shivx serve`, the real
// `shivx breaker` CLI, real HTTP, and SIGHUP to the real process.
#include "loopbackport.h"
#include "servefixture.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTcpServer>
#include <QTimer>

#include <memory>

namespace {

QJsonObject breaker(const QUrl &base, const QString &name)
{
    const HttpAnswer a = httpRequest(base.resolved(QUrl(QStringLiteral("/api/breakers"))));
    for (const QJsonValue &v : a.json.value(QStringLiteral("breakers")).toArray()) {
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    }
    return {};
}

QString config(quint16 port, int threshold, const QString &recovery)
{
    return QStringLiteral("recovery:\n"
                          "  breaker: {failure_rate: 0, recovery_timeout: %3}\n"
                          "targets:\n"
                          "  - name: down\n"
                          "    type: tcp\n"
                          "    host: 127.0.0.1\n"
                          "    port: %1\n"
                          "    interval: 200ms\n"
                          "    timeout: 150ms\n"
                          "    breaker: {failure_threshold: %2}\n"
                          "  - {name: self, type: http, url: \"http://${api}/api/health/live\", "
                          "interval: 300ms, timeout: 250ms}\n")
        .arg(port)
        .arg(threshold)
        .arg(recovery);
}

} // namespace

class TestBreakerServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listShowsBreakersAndForceNeedsToken();
    void forceRejectsBadRequests_data();
    void forceRejectsBadRequests();
    void cliListsAndForces();
    void sighupRetunesKeepingStateAndCounts();
    void cleanupTestCase() { m_shared.reset(); }

private:
    std::unique_ptr<ServeProcess> m_shared; // one engine for every row of a data-driven test
};

void TestBreakerServe::listShowsBreakersAndForceNeedsToken()
{
    ServeProcess serve(config(ShivxTest::closedLoopbackPort(), 3, QStringLiteral("10m")));
    QVERIFY2(serve.start(), serve.output().constData());
    const QUrl base = serve.url();

    QTRY_COMPARE_WITH_TIMEOUT(
        breaker(base, QStringLiteral("down")).value(QStringLiteral("state")).toString(),
        QStringLiteral("open"), 15000);
    const QJsonObject down = breaker(base, QStringLiteral("down"));
    QCOMPARE(down.value(QStringLiteral("failures")).toInt(), 3);
    QCOMPARE(
        down.value(QStringLiteral("reason")).toString(), QStringLiteral("3 consecutive failures"));
    QVERIFY(down.value(QStringLiteral("last_transition")).toString().endsWith(QLatin1Char('Z')));
    QVERIFY(down.contains(QStringLiteral("time_in_state_ms")));
    QCOMPARE(down.value(QStringLiteral("config"))
                 .toObject()
                 .value(QStringLiteral("failure_threshold"))
                 .toInt(),
        3);
    QTRY_VERIFY_WITH_TIMEOUT(
        breaker(base, QStringLiteral("down")).value(QStringLiteral("rejections")).toInt() >= 2,
        10000);
    QCOMPARE(breaker(base, QStringLiteral("self")).value(QStringLiteral("state")).toString(),
        QStringLiteral("closed"));

    // The target says why it is down: the error the breaker opened on, and the open breaker.
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const HttpAnswer status
                = httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/status?verbose=1"))));
            for (const QJsonValue &t : status.json.value(QStringLiteral("targets")).toArray())
                if (t.toObject().value(QStringLiteral("name")).toString() == QLatin1String("down"))
                    return t.toObject().value(QStringLiteral("last_error")).toString()
                        == QLatin1String("connection refused; circuit open");
            return false;
        }(),
        10000);

    const QUrl force = base.resolved(QUrl(QStringLiteral("/api/breakers/down/force")));
    const HttpAnswer unauthorised = httpRequest(force, "POST", R"({"state":"closed"})");
    QCOMPARE(unauthorised.status, 401);
    QCOMPARE(breaker(base, QStringLiteral("down")).value(QStringLiteral("force")).toString(),
        QStringLiteral("auto"));
    const HttpAnswer wrongToken
        = httpRequest(force, "POST", R"({"state":"closed"})", "not-the-token");
    QCOMPARE(wrongToken.status, 401);

    const QByteArray token = serve.apiToken();
    QVERIFY(!token.isEmpty());
    const HttpAnswer closed = httpRequest(force, "POST", R"({"state":"closed"})", token);
    QCOMPARE(closed.status, 200);
    QCOMPARE(closed.json.value(QStringLiteral("breaker"))
                 .toObject()
                 .value(QStringLiteral("state"))
                 .toString(),
        QStringLiteral("closed"));
    QCOMPARE(breaker(base, QStringLiteral("down")).value(QStringLiteral("force")).toString(),
        QStringLiteral("closed"));

    // Forced closed: failures go on, the breaker stays closed; the metrics show it.
    QTRY_VERIFY_WITH_TIMEOUT(
        breaker(base, QStringLiteral("down")).value(QStringLiteral("failures")).toInt() >= 6,
        10000);
    QCOMPARE(breaker(base, QStringLiteral("down")).value(QStringLiteral("state")).toString(),
        QStringLiteral("closed"));
    QNetworkAccessManager nam;
    QNetworkReply *metrics
        = nam.get(QNetworkRequest(base.resolved(QUrl(QStringLiteral("/metrics")))));
    QTRY_VERIFY(metrics->isFinished());
    const QByteArray text = metrics->readAll();
    delete metrics;
    QVERIFY(text.contains("shivx_breaker_state{breaker=\"down\",state=\"closed\"} 1"));
    QVERIFY(text.contains("shivx_breaker_forced{breaker=\"down\"} 1"));
    QVERIFY(text.contains("# TYPE shivx_breaker_rejections_total counter"));
    QVERIFY(text.contains("shivx_breaker_calls_total{breaker=\"self\"}"));
    QCOMPARE(serve.terminate(), 0);
}

void TestBreakerServe::forceRejectsBadRequests_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown breaker -> 404 naming it")
        << "/api/breakers/nope/force" << QByteArray(R"({"state":"open"})") << 404
        << "no circuit breaker named \"nope\"";
    QTest::newRow("unknown action -> 404")
        << "/api/breakers/down/kick" << QByteArray(R"({"state":"open"})") << 404
        << "expected /api/breakers/NAME/force";
    QTest::newRow("bad state -> 400 naming the field")
        << "/api/breakers/down/force" << QByteArray(R"({"state":"sideways"})") << 400
        << "state: expected \"open\", \"closed\" or \"auto\", got \"sideways\"";
    QTest::newRow("missing state -> 400")
        << "/api/breakers/down/force" << QByteArray(R"({})") << 400
        << "state: expected \"open\", \"closed\" or \"auto\", got nothing";
    QTest::newRow("not JSON -> 400") << "/api/breakers/down/force" << QByteArray("open") << 400
                                     << "body: expected a JSON object";
    QTest::newRow("bad actor -> 400")
        << "/api/breakers/down/force" << QByteArray(R"({"state":"open","actor":"root"})") << 400
        << "actor: expected";
}

void TestBreakerServe::forceRejectsBadRequests()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(int, status);
    QFETCH(QString, message);
    if (!m_shared) {
        m_shared = std::make_unique<ServeProcess>(
            config(ShivxTest::closedLoopbackPort(), 3, QStringLiteral("10m")));
        QVERIFY2(m_shared->start(), m_shared->output().constData());
    }
    ServeProcess *serve = m_shared.get();
    QFile tokenFile(serve->dataDir() + QStringLiteral("/api-token"));
    QVERIFY(tokenFile.open(QIODevice::ReadOnly));
    const HttpAnswer a = httpRequest(
        serve->url().resolved(QUrl(path)), "POST", body, tokenFile.readAll().trimmed());
    QCOMPARE(a.status, status);
    QVERIFY2(a.json.value(QStringLiteral("message")).toString().contains(message),
        qPrintable(a.json.value(QStringLiteral("message")).toString()));
    QCOMPARE(
        breaker(serve->url(), QStringLiteral("down")).value(QStringLiteral("force")).toString(),
        QStringLiteral("auto"));
}

void TestBreakerServe::cliListsAndForces()
{
    ServeProcess serve(config(ShivxTest::closedLoopbackPort(), 3, QStringLiteral("10m")));
    QVERIFY2(serve.start(), serve.output().constData());
    const QString dataDir = serve.dataDir();
    QTRY_COMPARE_WITH_TIMEOUT(
        breaker(serve.url(), QStringLiteral("down")).value(QStringLiteral("state")).toString(),
        QStringLiteral("open"), 15000);

    const CliRun list = runCli({ QStringLiteral("breaker"), QStringLiteral("list"),
        QStringLiteral("--data-dir"), dataDir });
    QCOMPARE(list.exitCode, 0);
    QVERIFY2(list.out.contains("NAME"), list.out.constData());
    QVERIFY2(QRegularExpression(QStringLiteral("\\ndown +open +auto +3 +3 "))
                 .match(QString::fromUtf8(list.out))
                 .hasMatch(),
        list.out.constData());
    QVERIFY(list.out.contains("3 consecutive failures"));

    const CliRun json = runCli({ QStringLiteral("breaker"), QStringLiteral("list"),
        QStringLiteral("--format"), QStringLiteral("json"), QStringLiteral("--url"),
        serve.url().toString(), QStringLiteral("--data-dir"), dataDir });
    QCOMPARE(json.exitCode, 0);
    QCOMPARE(json.out.count('\n'), 1); // one compact document on one line
    QCOMPARE(QJsonDocument::fromJson(json.out)
                 .object()
                 .value(QStringLiteral("breakers"))
                 .toArray()
                 .size(),
        2);

    const CliRun open = runCli({ QStringLiteral("breaker"), QStringLiteral("force"),
        QStringLiteral("self"), QStringLiteral("open"), QStringLiteral("--data-dir"), dataDir });
    QCOMPARE(open.exitCode, 0);
    QCOMPARE(open.out, QByteArray("breaker self: open (force open)\n"));
    QCOMPARE(breaker(serve.url(), QStringLiteral("self")).value(QStringLiteral("state")).toString(),
        QStringLiteral("open"));
    const CliRun back = runCli({ QStringLiteral("breaker"), QStringLiteral("force"),
        QStringLiteral("self"), QStringLiteral("auto"), QStringLiteral("--data-dir"), dataDir,
        QStringLiteral("--format"), QStringLiteral("json") });
    QCOMPARE(back.exitCode, 0);
    const QJsonObject forced = QJsonDocument::fromJson(back.out).object();
    QCOMPARE(forced.value(QStringLiteral("breaker")).toObject().value(QStringLiteral("force")),
        QJsonValue(QStringLiteral("auto")));
    QCOMPARE(breaker(serve.url(), QStringLiteral("self")).value(QStringLiteral("state")).toString(),
        QStringLiteral("closed"));

    const CliRun unknown = runCli({ QStringLiteral("breaker"), QStringLiteral("force"),
        QStringLiteral("nope"), QStringLiteral("open"), QStringLiteral("--data-dir"), dataDir });
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(
        unknown.err.contains("404") && unknown.err.contains("\"nope\""), unknown.err.constData());
    const CliRun usage
        = runCli({ QStringLiteral("breaker"), QStringLiteral("force"), QStringLiteral("self"),
            QStringLiteral("sideways"), QStringLiteral("--data-dir"), dataDir });
    QCOMPARE(usage.exitCode, 2);
    QVERIFY(usage.err.contains("\"sideways\" is not open, closed or auto"));
    QTemporaryDir empty;
    const CliRun noEngine = runCli({ QStringLiteral("breaker"), QStringLiteral("list"),
        QStringLiteral("--data-dir"), empty.path() });
    QCOMPARE(noEngine.exitCode, 1);
    QVERIFY2(noEngine.err.contains("no running engine"), noEngine.err.constData());
    QCOMPARE(serve.terminate(), 0);
}

void TestBreakerServe::sighupRetunesKeepingStateAndCounts()
{
    const quint16 port = ShivxTest::closedLoopbackPort();
    ServeProcess serve(config(port, 3, QStringLiteral("10m")));
    QVERIFY2(serve.start(), serve.output().constData());
    const QUrl base = serve.url();
    QTRY_VERIFY_WITH_TIMEOUT(
        breaker(base, QStringLiteral("down")).value(QStringLiteral("rejections")).toInt() >= 2,
        15000);
    const QJsonObject before = breaker(base, QStringLiteral("down"));
    QCOMPARE(before.value(QStringLiteral("state")).toString(), QStringLiteral("open"));

    // Rewrite the file the engine was started with, then SIGHUP.
    const QString path
        = serve.arguments().at(serve.arguments().indexOf(QStringLiteral("--config")) + 1);
    auto rewrite = [&](const QString &text) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(text.toUtf8());
    };
    rewrite(config(port, 50, QStringLiteral("20m")));
    ::kill(pid_t(serve.process().processId()), SIGHUP);
    QTRY_COMPARE_WITH_TIMEOUT(breaker(base, QStringLiteral("down"))
                                  .value(QStringLiteral("config"))
                                  .toObject()
                                  .value(QStringLiteral("failure_threshold"))
                                  .toInt(),
        50, 10000);
    const QJsonObject after = breaker(base, QStringLiteral("down"));
    QCOMPARE(after.value(QStringLiteral("state")).toString(), QStringLiteral("open"));
    QCOMPARE(after.value(QStringLiteral("last_transition")),
        before.value(QStringLiteral("last_transition")));
    QCOMPARE(after.value(QStringLiteral("failures")).toInt(), 3);
    QVERIFY(after.value(QStringLiteral("rejections")).toInt()
        >= before.value(QStringLiteral("rejections")).toInt());
    QCOMPARE(after.value(QStringLiteral("config"))
                 .toObject()
                 .value(QStringLiteral("recovery_timeout_ms"))
                 .toInt(),
        1'200'000);
    QTRY_VERIFY(serve.output().contains("configuration reloaded from " + path.toUtf8()));

    // A broken file changes nothing, says why, and the engine keeps running.
    rewrite(QStringLiteral("targets:\n  - name: down\n    type: tcp\n    port: 99999\n"));
    ::kill(pid_t(serve.process().processId()), SIGHUP);
    QByteArray errors;
    QTRY_VERIFY_WITH_TIMEOUT(
        (errors += serve.errors()).contains("configuration not reloaded"), 10000);
    QVERIFY2(errors.contains("targets[0]"), errors.constData());
    QVERIFY(errors.contains("The previous configuration stays active."));
    QCOMPARE(serve.process().state(), QProcess::Running);
    QCOMPARE(breaker(base, QStringLiteral("down"))
                 .value(QStringLiteral("config"))
                 .toObject()
                 .value(QStringLiteral("failure_threshold"))
                 .toInt(),
        50);
    QCOMPARE(serve.terminate(), 0);
}

QTEST_GUILESS_MAIN(TestBreakerServe)
#include "tst_breakerserve.moc"
