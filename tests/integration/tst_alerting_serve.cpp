// Alerting end to end against the real `shivx serve`: a rule over the registry fires when the
// degradation level is pinned and resolves when the pin is released; a webhook receiver on
// loopback gets both (its URL, a secret from the environment, appears in no output, audit
// file or API answer); Debian's real Alertmanager receives the firing alert and its
// resolution through its v2 API, lists it, and notifies its own webhook of both; silences and
// acknowledgements over the API need the token and survive a restart.
#include "../unit/alerting/httpreceiver.h"
#include "servefixture.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QProcessEnvironment>
#include <QStandardPaths>
#include <QTemporaryDir>

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

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

// Config for serve: our rule only, evaluated every second, plus `notifiers` (YAML lines).
QString config(const QString &dir, const QString &notifiers)
{
    QFile f(dir + QStringLiteral("/rules.yml"));
    if (f.open(QIODevice::WriteOnly))
        f.write(Rules);
    return QStringLiteral("sampler: {interval: 200ms}\n"
                          "alerting:\n"
                          "  default_rules: false\n"
                          "  rules: %1/rules.yml\n"
                          "  interval: 1s\n")
               .arg(dir)
        + notifiers;
}

bool pin(ServeProcess &serve, bool on)
{
    const QUrl url = serve.url().resolved(QUrl(
        on ? QStringLiteral("/api/degradation/pin") : QStringLiteral("/api/degradation/release")));
    return httpRequest(url, "POST",
               on ? R"({"level":"LEVEL_1","reason":"alert test","for":"30m"})" : "{}",
               serve.apiToken())
               .status
        == 200;
}

QJsonArray alerts(ServeProcess &serve)
{
    return httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/alerts"))))
        .json.value(QStringLiteral("alerts"))
        .toArray();
}

QString stateOf(const QJsonArray &list, const QString &name)
{
    for (const QJsonValue &v : list)
        if (v.toObject().value(QStringLiteral("alert")).toString() == name)
            return v.toObject().value(QStringLiteral("state")).toString();
    return QString();
}

} // namespace

class TstAlertingServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void webhookGetsFiringAndResolvedWithTheSecretHidden()
    {
        HttpReceiver receiver;
        QTemporaryDir dir;
        const QString secretUrl
            = QStringLiteral("http://127.0.0.1:%1/hook/S3CRETPATH").arg(receiver.port());
        ServeProcess serve(config(dir.path(),
            QStringLiteral("  notifiers:\n"
                           "    - {name: hook, type: webhook, url_env: SHIVX_TEST_HOOK, "
                           "group_wait: 0s}\n")));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SHIVX_TEST_HOOK"), secretUrl);
        serve.process().setProcessEnvironment(env);
        QVERIFY2(serve.start(), serve.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/health/ready")))).status,
            200, 15000);
        QVERIFY(pin(serve, true));
        QTRY_COMPARE_WITH_TIMEOUT(
            stateOf(alerts(serve), QStringLiteral("Pinned")), QStringLiteral("firing"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!receiver.requests.isEmpty(), 10000);
        QCOMPARE(receiver.requests.first().path, QByteArray("/hook/S3CRETPATH"));
        QVERIFY(receiver.requests.first().body.contains("\"status\":\"firing\""));
        QVERIFY(pin(serve, false));
        QTRY_VERIFY_WITH_TIMEOUT(receiver.requests.size() >= 2
                && receiver.requests.last().body.contains("\"status\":\"resolved\""),
            10000);
        QVERIFY(stateOf(alerts(serve), QStringLiteral("Pinned")).isEmpty());

        // The history has all three transitions.
        const QJsonArray history
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/alerts/history"))))
                  .json.value(QStringLiteral("history"))
                  .toArray();
        QStringList to;
        for (const QJsonValue &h : history)
            to.prepend(h.toObject().value(QStringLiteral("to")).toString());
        QCOMPARE(to, (QStringList { "pending", "firing", "resolved" }));

        // Nowhere but in the request itself: not the API, not /metrics, not the output, not
        // the audit chain or any other file of the data directory.
        for (const char *path : { "/api/alerts", "/api/alerts/history", "/metrics" })
            QVERIFY(!httpRequest(serve.url().resolved(QUrl(QLatin1String(path))))
                         .body.contains("S3CRETPATH"));
        QCOMPARE(serve.terminate(), 0);
        QVERIFY(!serve.output().contains("S3CRETPATH"));
        QVERIFY(!serve.errors().contains("S3CRETPATH"));
        QDirIterator it(serve.dataDir(), QDir::Files, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY2(!f.readAll().contains("S3CRETPATH"), qPrintable(f.fileName()));
            ++files;
        }
        QVERIFY(files > 2);
    }

    void alertmanagerReceivesFiringThenResolution()
    {
        const QString am
            = QStandardPaths::findExecutable(QStringLiteral("prometheus-alertmanager"));
        if (am.isEmpty())
            QSKIP("prometheus-alertmanager not installed (installer/install-deps.sh --test "
                  "installs it)");
        HttpReceiver receiver; // where Alertmanager itself notifies
        QTemporaryDir dir;
        QFile amConfig(dir.filePath(QStringLiteral("alertmanager.yml")));
        QVERIFY(amConfig.open(QIODevice::WriteOnly));
        amConfig.write(QStringLiteral("route:\n"
                                      "  receiver: hook\n"
                                      "  group_by: [alertname]\n"
                                      "  group_wait: 1s\n"
                                      "  group_interval: 1s\n"
                                      "  repeat_interval: 1h\n"
                                      "receivers:\n"
                                      "  - name: hook\n"
                                      "    webhook_configs:\n"
                                      "      - url: http://127.0.0.1:%1/am\n"
                                      "        send_resolved: true\n")
                           .arg(receiver.port())
                           .toUtf8());
        amConfig.close();
        const quint16 amPort = freePort();
        QProcess amProcess;
        amProcess.setProcessChannelMode(QProcess::MergedChannels);
        amProcess.start(am,
            { QStringLiteral("--config.file=") + amConfig.fileName(),
                QStringLiteral("--storage.path=") + dir.filePath(QStringLiteral("am")),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(amPort),
                QStringLiteral("--cluster.listen-address=") });
        QVERIFY(amProcess.waitForStarted(10000));
        const auto stopAm = qScopeGuard([&] {
            amProcess.terminate();
            if (!amProcess.waitForFinished(15000))
                amProcess.kill();
            amProcess.waitForFinished(5000);
        });
        const QUrl amUrl(QStringLiteral("http://127.0.0.1:%1").arg(amPort));
        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(amUrl.resolved(QUrl(QStringLiteral("/api/v2/status")))).status, 200, 30000);

        ServeProcess serve(config(dir.path(),
            QStringLiteral("  notifiers:\n"
                           "    - {name: am, type: alertmanager, url: \"%1\", group_wait: 0s}\n")
                .arg(amUrl.toString())));
        QVERIFY2(serve.start(), serve.output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/health/ready")))).status,
            200, 15000);
        QVERIFY(pin(serve, true));

        // Alertmanager lists it as active, with our labels and annotations.
        const auto listed = [&] {
            const QByteArray body
                = httpRequest(amUrl.resolved(QUrl(QStringLiteral("/api/v2/alerts")))).body;
            for (const QJsonValue &v : QJsonDocument::fromJson(body).array()) {
                const QJsonObject a = v.toObject();
                if (a.value(QStringLiteral("labels")).toObject().value(QStringLiteral("alertname"))
                    == QLatin1String("Pinned"))
                    return a;
            }
            return QJsonObject();
        };
        QJsonObject a;
        QTRY_VERIFY_WITH_TIMEOUT(!(a = listed()).isEmpty(), 20000);
        QCOMPARE(
            a.value(QStringLiteral("status")).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("active"));
        QCOMPARE(a.value(QStringLiteral("annotations"))
                     .toObject()
                     .value(QStringLiteral("summary"))
                     .toString(),
            QStringLiteral("degradation pinned"));
        QCOMPARE(a.value(QStringLiteral("labels"))
                     .toObject()
                     .value(QStringLiteral("severity"))
                     .toString(),
            QStringLiteral("warning"));
        QTRY_VERIFY_WITH_TIMEOUT(!receiver.requests.isEmpty()
                && receiver.requests.first().body.contains("\"status\":\"firing\""),
            20000);

        // The resolution: Alertmanager stops listing it and tells its receiver.
        QVERIFY(pin(serve, false));
        QTRY_VERIFY_WITH_TIMEOUT(listed().isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(
            receiver.requests.last().body.contains("\"status\":\"resolved\""), 20000);
        QCOMPARE(serve.terminate(), 0);
    }

    void silenceAndAcknowledgeNeedTheTokenAndSurviveARestart()
    {
        QTemporaryDir dir;
        ServeProcess serve(config(dir.path(), QString()));
        QVERIFY2(serve.start(), serve.output().constData());
        const QUrl silences = serve.url().resolved(QUrl(QStringLiteral("/api/alerts/silences")));
        const QByteArray body = "{\"matchers\":{\"alertname\":\"Pinned\"},\"duration\":\"2h\","
                                "\"comment\":\"maintenance\",\"actor\":\"cli:ci\"}";
        QCOMPARE(httpRequest(silences, "POST", body).status, 401);
        QCOMPARE(
            httpRequest(silences, "POST", R"({"matchers":{},"duration":"2h"})", serve.apiToken())
                .status,
            400);
        const HttpAnswer bad = httpRequest(silences, "POST",
            R"({"matchers":{"alertname":"Pinned"},"duration":"soon"})", serve.apiToken());
        QCOMPARE(bad.status, 400);
        QVERIFY2(bad.json.value(QStringLiteral("message"))
                     .toString()
                     .startsWith(QLatin1String("duration")),
            bad.body.constData());
        const HttpAnswer made = httpRequest(silences, "POST", body, serve.apiToken());
        QCOMPARE(made.status, 201);
        const QString id = made.json.value(QStringLiteral("id")).toString();
        QVERIFY(!id.isEmpty());

        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/health/ready")))).status,
            200, 15000);
        QVERIFY(pin(serve, true));
        QJsonObject pinned;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const QJsonValue &v : alerts(serve))
                    if (v.toObject().value(QStringLiteral("state")) == QLatin1String("firing"))
                        pinned = v.toObject();
                return !pinned.isEmpty();
            }(),
            10000);
        QCOMPARE(pinned.value(QStringLiteral("silenced_by")).toString(), id);
        const QUrl ack = serve.url().resolved(QUrl(QStringLiteral("/api/alerts/ack")));
        const QByteArray ackBody = QByteArray("{\"fingerprint\":\"")
            + pinned.value(QStringLiteral("fingerprint")).toString().toLatin1()
            + "\",\"actor\":\"cli:ci\"}";
        QCOMPARE(httpRequest(ack, "POST", ackBody).status, 401);
        QCOMPARE(
            httpRequest(ack, "POST", R"({"fingerprint":"nope"})", serve.apiToken()).status, 404);
        const HttpAnswer acked = httpRequest(ack, "POST", ackBody, serve.apiToken());
        QCOMPARE(acked.status, 200);
        QCOMPARE(acked.json.value(QStringLiteral("acknowledged_by")).toString(),
            QStringLiteral("cli:ci"));

        // Restart: the silence and the firing, acknowledged alert come back from SQLite.
        QCOMPARE(serve.terminate(), 0);
        QVERIFY2(serve.start(), serve.output().constData());
        const HttpAnswer after
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/alerts"))));
        const QJsonArray kept = after.json.value(QStringLiteral("silences")).toArray();
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.first().toObject().value(QStringLiteral("id")).toString(), id);
        QCOMPARE(kept.first().toObject().value(QStringLiteral("created_by")).toString(),
            QStringLiteral("cli:ci"));
        const QUrl expire
            = serve.url().resolved(QUrl(QStringLiteral("/api/alerts/silences/%1/expire").arg(id)));
        QCOMPARE(httpRequest(expire, "POST", "{}", serve.apiToken()).status, 200);
        QCOMPARE(httpRequest(expire, "POST", "{}", serve.apiToken()).status, 404);
        QCOMPARE(serve.terminate(), 0);

        // The actions of the operator are in the audit chain.
        const CliRun audit = runCli({ QStringLiteral("audit"), QStringLiteral("tail"),
            QStringLiteral("--data-dir"), serve.dataDir(), QStringLiteral("--stream"),
            QStringLiteral("operator"), QStringLiteral("-n"), QStringLiteral("50") });
        for (const char *action :
            { "alert.silenced", "alert.acknowledged", "alert.silence_expired" })
            QVERIFY2(audit.out.contains(action), audit.out.constData());
    }

    // The real `shivx alerts` binary against the engine, and export without one.
    void cliSilencesListsAcknowledgesAndExports()
    {
        QTemporaryDir dir;
        ServeProcess serve(config(dir.path(), QString()));
        QVERIFY2(serve.start(), serve.output().constData());
        const QStringList engine { QStringLiteral("--data-dir"), serve.dataDir() };
        CliRun r = runCli(
            QStringList { QStringLiteral("alerts"), QStringLiteral("silence"),
                QStringLiteral("alertname=Pinned"), QStringLiteral("--for"), QStringLiteral("1h"),
                QStringLiteral("--comment"), QStringLiteral("deploy") }
            + engine);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.startsWith("silenced until "), r.out.constData());
        r = runCli(QStringList { QStringLiteral("alerts"), QStringLiteral("list") } + engine);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            r.out.contains("silence ") && r.out.contains("{alertname=Pinned}"), r.out.constData());
        r = runCli(QStringList { QStringLiteral("alerts"), QStringLiteral("silence"),
                       QStringLiteral("alertname=Pinned") }
            + engine);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--for DURATION is required"), r.err.constData());
        r = runCli(
            QStringList { QStringLiteral("alerts"), QStringLiteral("ack"), QStringLiteral("nope") }
            + engine);
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no pending or firing alert nope"), r.err.constData());
        r = runCli(QStringList { QStringLiteral("alerts"), QStringLiteral("list"),
                       QStringLiteral("--format"), QStringLiteral("json") }
            + engine);
        QCOMPARE(QJsonDocument::fromJson(r.out)
                     .object()
                     .value(QStringLiteral("silences"))
                     .toArray()
                     .size(),
            1);
        QCOMPARE(serve.terminate(), 0);

        const QString out = dir.filePath(QStringLiteral("exported.yml"));
        r = runCli(
            { QStringLiteral("alerts"), QStringLiteral("export"), QStringLiteral("--prometheus"),
                QStringLiteral("--config"), serve.configPath(), QStringLiteral("--out"), out });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QFile f(out);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray text = f.readAll();
        QVERIFY2(
            text.contains("alert: Pinned") && text.contains("expr: shivx_degradation_pinned == 1"),
            text.constData());
        r = runCli({ QStringLiteral("alerts"), QStringLiteral("export") });
        QCOMPARE(r.exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TstAlertingServe)
#include "tst_alerting_serve.moc"
