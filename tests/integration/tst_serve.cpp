// End-to-end tests of `shivx serve`: the real binary, a real data directory, real HTTP.
#include "servefixture.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

namespace {

QJsonObject jsonOf(const HttpAnswer &a)
{
    return QJsonDocument::fromJson(a.body).object();
}

// Sends raw bytes and returns what comes back before the server closes or 3 s pass.
QByteArray rawExchange(const QUrl &url, const QByteArray &bytes)
{
    QTcpSocket s;
    s.connectToHost(QHostAddress::LocalHost, quint16(url.port()));
    if (!s.waitForConnected(3000))
        return "no connection";
    s.write(bytes);
    s.waitForBytesWritten(3000);
    QByteArray got;
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 3000 && s.state() == QAbstractSocket::ConnectedState) {
        if (s.waitForReadyRead(200))
            got += s.readAll();
        if (got.contains("\r\n\r\n"))
            break;
    }
    got += s.readAll();
    return got;
}

} // namespace

class TstServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void healthEndpointsAnswer()
    {
        ServeProcess serve(QStringLiteral("sampler: {interval: 200ms}\n"));
        QVERIFY2(serve.start(), serve.output().constData());
        const QUrl base = serve.url();

        const HttpAnswer live
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/live"))));
        QCOMPARE(live.status, 200);
        QCOMPARE(jsonOf(live).value(QStringLiteral("status")).toString(), QStringLiteral("alive"));
        QVERIFY(live.contentType.startsWith("application/json"));

        // Ready once storage has been written and the sampler ran (no critical targets here).
        HttpAnswer ready;
        QTRY_VERIFY_WITH_TIMEOUT(
            (ready = httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/ready"))))).status
                == 200,
            15000);
        const QJsonObject checks = jsonOf(ready).value(QStringLiteral("checks")).toObject();
        for (const char *name : { "storage", "sampler", "probes" })
            QVERIFY2(
                checks.value(QLatin1String(name)).toObject().value(QStringLiteral("ok")).toBool(),
                name);

        // The score exists once the first host sample was taken (the first moments after start
        // answer "unknown" rather than a made-up 100).
        HttpAnswer status;
        QTRY_VERIFY_WITH_TIMEOUT(
            jsonOf(status = httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/status")))))
                .value(QStringLiteral("score"))
                .isDouble(),
            10000);
        QCOMPARE(status.status, 200);
        const QJsonObject s = jsonOf(status);
        QVERIFY(s.value(QStringLiteral("score")).toDouble() > 0);
        QVERIFY(s.value(QStringLiteral("score")).toDouble() <= 100);
        QVERIFY(QStringList(
            { QStringLiteral("healthy"), QStringLiteral("degraded"), QStringLiteral("critical") })
                    .contains(s.value(QStringLiteral("state")).toString()));
        QVERIFY(QRegularExpression(
            QStringLiteral("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                    .match(s.value(QStringLiteral("timestamp")).toString())
                    .hasMatch());
        QVERIFY(!s.contains(QStringLiteral("components")));

        const QJsonObject verbose = jsonOf(
            httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/status?verbose")))));
        const QJsonArray components = verbose.value(QStringLiteral("components")).toArray();
        QVERIFY(components.size() >= 3);
        double penalties = 0;
        for (const auto &c : components)
            penalties += c.toObject().value(QStringLiteral("penalty")).toDouble();
        QVERIFY(qAbs(100 - penalties - verbose.value(QStringLiteral("score")).toDouble()) < 0.2);
        QVERIFY(verbose.value(QStringLiteral("host"))
                    .toObject()
                    .contains(QStringLiteral("cpu_percent")));

        QCOMPARE(serve.terminate(), 0);
        QVERIFY(serve.output().contains("stopped cleanly"));
    }

    void metricsPassPromtool()
    {
        ServeProcess serve(QStringLiteral(
            "sampler: {interval: 200ms}\ntargets:\n  - {name: self, type: http, url: "
            "\"http://${api}/api/health/live\", interval: 1s, timeout: 500ms}\n"));
        QVERIFY2(serve.start(), serve.output().constData());
        HttpAnswer m;
        QTRY_VERIFY_WITH_TIMEOUT(
            (m = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/metrics")))))
                .body.contains("shivx_target_up{target=\"self\",type=\"http\"} 1"),
            15000);
        QCOMPARE(m.status, 200);
        QVERIFY(m.contentType.startsWith("text/plain; version=0.0.4"));
        QVERIFY(m.body.contains("# TYPE shivx_health_score gauge"));
        const HttpAnswer alias
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/health/metrics"))));
        QCOMPARE(alias.status, 200);
        QVERIFY(alias.body.contains("shivx_host_cpu_usage_ratio"));

        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        QVERIFY2(!promtool.isEmpty(), "promtool not found (Debian package prometheus)");
        QProcess p;
        p.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
        QVERIFY(p.waitForStarted());
        p.write(m.body);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        const QByteArray lint = p.readAllStandardOutput() + p.readAllStandardError();
        QVERIFY2(p.exitCode() == 0 && lint.trimmed().isEmpty(), lint.constData());

        // The executor's and pipelines' families come from the registry like every other
        // area's: on /metrics with their summaries, and in the history (the last copy is
        // taken as the engine stops).
        for (const char *family : { "# TYPE shivx_executor_wait_seconds summary\n",
                 "# TYPE shivx_executor_tasks_submitted_total counter\n",
                 "\nshivx_executor_queue_depth{priority=\"background\"} ",
                 "# TYPE shivx_pipeline_schedule_delay_seconds summary\n",
                 "\nshivx_pipeline_runs_created_total 0\n",
                 "\nshivx_pipeline_runs_finished_total{state=\"dead_letter\"} 0\n" })
            QVERIFY2(m.body.contains(family), family);
        QCOMPARE(serve.terminate(SIGINT), 0);
        const CliRun list = runCli({ QStringLiteral("history"), QStringLiteral("list"),
            QStringLiteral("--data-dir"), serve.dataDir() });
        QVERIFY2(list.exitCode == 0, list.err.constData());
        for (const char *series : { "shivx_executor_wait_seconds_count",
                 "shivx_executor_run_seconds_sum", "shivx_executor_tasks_submitted_total",
                 "shivx_executor_queue_depth{priority=\"background\"}",
                 "shivx_pipeline_runs_created_total",
                 "shivx_pipeline_stage_attempts_total{result=\"failed\"}",
                 "shivx_pipeline_schedule_delay_seconds_count" })
            QVERIFY2(list.out.contains(series), series);
    }

    void badRequestsGet4xxAndServerSurvives()
    {
        ServeProcess serve(QStringLiteral(""));
        QVERIFY2(serve.start(), serve.output().constData());
        const QUrl base = serve.url();

        const HttpAnswer missing = httpRequest(base.resolved(QUrl(QStringLiteral("/nope"))));
        QCOMPARE(missing.status, 404);
        QCOMPARE(
            jsonOf(missing).value(QStringLiteral("error")).toString(), QStringLiteral("not_found"));

        const HttpAnswer post
            = httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/live"))), "POST");
        QCOMPARE(post.status, 405);
        QCOMPARE(post.allow, QByteArray("GET, HEAD"));
        QCOMPARE(jsonOf(post).value(QStringLiteral("error")).toString(),
            QStringLiteral("method_not_allowed"));

        const HttpAnswer del
            = httpRequest(base.resolved(QUrl(QStringLiteral("/metrics"))), "DELETE");
        QCOMPARE(del.status, 405);

        // Garbage, a TLS hello, a truncated request line and an absurd one get a JSON 4xx,
        // and the server keeps serving.
        static const char tlsHello[]
            = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 not http at all\r\n\r\n";
        for (const QByteArray &bad :
            { QByteArray(tlsHello, sizeof tlsHello - 1), QByteArray("GET\r\n\r\n"),
                QByteArray("GARBAGE\r\n\r\n"), QByteArray("GET /x HTTP/9.9\r\n\r\n") }) {
            const QByteArray answer = rawExchange(base, bad);
            QVERIFY2(answer.startsWith("HTTP/1.1 400 Bad Request\r\n"), answer.constData());
            QVERIFY2(answer.contains("{\"error\":\"bad_request\""), answer.constData());
        }
        const QByteArray tooLong
            = rawExchange(base, "GET /" + QByteArray(9000, 'a') + " HTTP/1.1\r\n\r\n");
        QVERIFY2(tooLong.startsWith("HTTP/1.1 414 "), tooLong.left(200).constData());
        // A request line split across two writes still gets through.
        const QByteArray split = rawExchange(base, "GET /api/health/li");
        QVERIFY(split.isEmpty());
        rawExchange(base,
            "GET /api/health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(100000, 'a')
                + "\r\n\r\n");
        const HttpAnswer metrics = httpRequest(base.resolved(QUrl(QStringLiteral("/metrics"))));
        QVERIFY(metrics.body.contains("shivx_api_requests_total{code=\"400\"} 4\n"));
        QVERIFY(metrics.body.contains("shivx_api_requests_total{code=\"414\"} 1\n"));

        QCOMPARE(httpRequest(base.resolved(QUrl(QStringLiteral("/api/health/live")))).status, 200);
        QCOMPARE(serve.process().state(), QProcess::Running);
        QCOMPARE(serve.terminate(), 0);
    }

    void badConfigRefusesToStart()
    {
        ServeProcess serve(QStringLiteral("sampler:\n  interval: 5x\n"));
        serve.process().setProgram(QStringLiteral(SHIVX_CLI));
        serve.process().setArguments(serve.arguments());
        serve.process().start();
        QVERIFY(serve.process().waitForFinished(15000));
        QCOMPARE(serve.process().exitCode(), 2);
        const QByteArray err = serve.errors();
        QVERIFY2(err.contains("shivx.yaml:2: sampler.interval: \"5x\" is not a duration"),
            err.constData());
        QVERIFY(!QFile::exists(serve.dataDir() + QStringLiteral("/shivx.db")));
    }

    void portInUseFailsClearly()
    {
        QTcpServer squatter;
        QVERIFY(squatter.listen(QHostAddress::LocalHost, 0));
        ServeProcess serve(QStringLiteral(""));
        QProcess &p = serve.process();
        p.setProgram(QStringLiteral(SHIVX_CLI));
        QStringList args = serve.arguments();
        args[args.indexOf(QStringLiteral("127.0.0.1:0"))]
            = QStringLiteral("127.0.0.1:%1").arg(squatter.serverPort());
        p.setArguments(args);
        p.start();
        QVERIFY(p.waitForFinished(15000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY2(serve.errors().contains("cannot listen on 127.0.0.1:"), "expected a listen error");
    }

    // kill -9 at an arbitrary moment leaves a database that the next start opens, keeping what
    // was written before (writes every 500 ms here, so that 2.5 s hold several).
    void killDashNineLosesNothingWritten()
    {
        ServeProcess serve(
            QStringLiteral("sampler: {interval: 100ms}\nhistory: {write_interval: 500ms}\n"));
        QVERIFY2(serve.start(), serve.output().constData());
        QTest::qWait(2500);
        QCOMPARE(serve.terminate(SIGKILL), -2);

        auto countPoints = [&] {
            QProcess q;
            q.start(QStringLiteral(SHIVX_CLI),
                { QStringLiteral("history"), QStringLiteral("query"),
                    QStringLiteral("health.score"), QStringLiteral("--from"), QStringLiteral("-1h"),
                    QStringLiteral("--to"), QStringLiteral("now"), QStringLiteral("--step"),
                    QStringLiteral("1s"), QStringLiteral("--data-dir"), serve.dataDir() });
            q.waitForFinished(15000);
            if (q.exitCode() != 0)
                return -1;
            return int(q.readAllStandardOutput().trimmed().split('\n').size()) - 1;
        };
        const int afterKill = countPoints();
        QVERIFY2(afterKill >= 10, QByteArray::number(afterKill).constData());

        QVERIFY2(serve.start(), serve.output().constData());
        QTest::qWait(1500);
        QCOMPARE(serve.terminate(), 0);
        QVERIFY(countPoints() > afterKill);
    }

    void historySurvivesRestartAndIsQueryable()
    {
        ServeProcess serve(QStringLiteral("sampler: {interval: 200ms}\n"));
        QVERIFY2(serve.start(), serve.output().constData());
        QTest::qWait(3500);
        QCOMPARE(serve.terminate(), 0);

        QProcess list;
        list.start(QStringLiteral(SHIVX_CLI),
            { QStringLiteral("history"), QStringLiteral("list"), QStringLiteral("--data-dir"),
                serve.dataDir() });
        QVERIFY(list.waitForFinished(15000));
        const QByteArray series = list.readAllStandardOutput();
        QVERIFY2(list.exitCode() == 0, list.readAllStandardError().constData());
        QVERIFY2(series.contains("host.cpu.percent"), series.constData());
        QVERIFY(series.contains("health.score"));

        QProcess query;
        query.start(QStringLiteral(SHIVX_CLI),
            { QStringLiteral("history"), QStringLiteral("query"), QStringLiteral("health.score"),
                QStringLiteral("--from"), QStringLiteral("-1h"), QStringLiteral("--to"),
                QStringLiteral("now"), QStringLiteral("--step"), QStringLiteral("1s"),
                QStringLiteral("--data-dir"), serve.dataDir() });
        QVERIFY(query.waitForFinished(15000));
        QCOMPARE(query.exitCode(), 0);
        const QList<QByteArray> lines = query.readAllStandardOutput().trimmed().split('\n');
        QVERIFY2(lines.size() >= 1 + 10,
            QByteArray::number(lines.size()).constData()); // header + >= 10 samples at 5/s
        QCOMPARE(lines.constFirst(), QByteArray("ts,min,max,avg,count"));
    }
};

QTEST_GUILESS_MAIN(TstServe)
#include "tst_serve.moc"
