// The guardian's detectors wired into the real `shivx serve`: log watchers on real files that
// the test appends to, rotates and truncates raise threat events through the same path as the
// API guard (policies, isolation, mode), the resource-abuse detector names the top processes,
// and real HTTP requests from distinct loopback sources (the ignore list set empty) feed the
// threat score that the events carry and that `shivx guardian threats` explains.
#include "../unit/alerting/httpreceiver.h"
#include "servefixture.h"
#include "sourceclient.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QProcessEnvironment>
#include <QTemporaryDir>

namespace {

QByteArray sshdFailure(const QByteArray &source, int n)
{
    return "Dec  7 08:00:0" + QByteArray::number(n % 10) + " web1 sshd[" + QByteArray::number(n)
        + "]: Failed password for invalid user admin from " + source + " port 4"
        + QByteArray::number(n) + " ssh2\n";
}

QByteArray nginxLine(const QByteArray &source, const QByteArray &path, int status)
{
    return source + " - - [07/Dec/2026:08:01:02 +0000] \"GET " + path + " HTTP/1.1\" "
        + QByteArray::number(status) + " 153 \"-\" \"curl/7.88.1\"\n";
}

bool append(const QString &path, const QByteArray &data)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Append))
        return false;
    return f.write(data) == data.size() && f.flush();
}

CliRun guardianCli(ServeProcess &serve, const QStringList &args)
{
    return runCli(QStringList { QStringLiteral("guardian") } + args
        + QStringList { QStringLiteral("--data-dir"), serve.dataDir(), QStringLiteral("--url"),
            serve.url().toString() });
}

QJsonObject threatsJson(ServeProcess &serve, const QString &source)
{
    const CliRun r = guardianCli(serve,
        { QStringLiteral("threats"), QStringLiteral("--source"), source, QStringLiteral("--format"),
            QStringLiteral("json") });
    return QJsonDocument::fromJson(r.out).object();
}

// The row of `type` from `source`, or an empty object.
QJsonObject row(ServeProcess &serve, const QString &source, const QString &type)
{
    for (const QJsonValue &v :
        threatsJson(serve, source).value(QStringLiteral("threats")).toArray())
        if (v.toObject().value(QStringLiteral("type")).toString() == type)
            return v.toObject();
    return {};
}

// All rows of `type`, any source.
QJsonArray rowsOfType(const QUrl &url, const QString &type)
{
    QUrl u = url;
    u.setPath(QStringLiteral("/api/guardian/threats"));
    u.setQuery(QStringLiteral("type=") + type);
    return httpRequest(u).json.value(QStringLiteral("threats")).toArray();
}

QString modeOf(const QUrl &url)
{
    QUrl u = url;
    u.setPath(QStringLiteral("/api/guardian"));
    return httpRequest(u).json.value(QStringLiteral("mode")).toString();
}

} // namespace

class TstGuardianDetectorsServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void detectorsRaiseThroughTheGuardian()
    {
        QTemporaryDir logs;
        const QString auth = logs.filePath(QStringLiteral("auth.log"));
        const QString access = logs.filePath(QStringLiteral("access.log"));
        // Lines already in the file when the watcher starts are history, not an attack.
        QVERIFY(append(auth,
            sshdFailure("127.0.0.50", 1) + sshdFailure("127.0.0.50", 2)
                + sshdFailure("127.0.0.50", 3) + sshdFailure("127.0.0.50", 4)));
        const QString config = QStringLiteral(
            "guardian:\n"
            "  api: {ignore: [], warn_requests: 40, limit_requests: 1000}\n"
            "  mode: {lockdown_on_critical: false, elevate_warnings: 1000, elevate_score: 0,\n"
            "         lockdown_score: 0, quiet: 1h}\n"
            "  watchers:\n"
            "    - {name: sshd, file: '%1', filter: sshd, window: 1m, threshold: 3,\n"
            "       action: isolate, isolate_for: 10m}\n"
            "    - name: web-4xx\n"
            "      file: '%2'\n"
            "      filter: '^(?<source>\\S+) \\S+ \\S+ \\[[^\\]]*\\] \"[A-Z]+ (?<path>\\S+) "
            "[^\"]*\" (?<status>4\\d\\d) '\n"
            "      window: 1m\n"
            "      threshold: 3\n"
            "      severity: critical\n"
            "  resource_abuse: {memory_percent: 1, sustain: 0s}\n"
            "  policies:\n"
            "    - {type: watcher.web-4xx, severity: critical, raise_mode: ELEVATED}\n")
                                   .arg(auth, access);
        ServeProcess serve(config);
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const QByteArray token = serve.apiToken();

        // sshd: three failures from one source cross the threshold; action isolate shuts the
        // source out of the API (403), as a policy's isolation does.
        QVERIFY(append(auth,
            sshdFailure("127.0.0.7", 11) + sshdFailure("127.0.0.7", 12)
                + sshdFailure("127.0.0.7", 13)));
        QJsonObject sshd;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(sshd = row(serve, QStringLiteral("127.0.0.7"), QStringLiteral("watcher.sshd")))
                 .isEmpty(),
            15000);
        QCOMPARE(sshd.value(QStringLiteral("severity")).toString(), QStringLiteral("warning"));
        QVERIFY2(sshd.value(QStringLiteral("evidence"))
                     .toString()
                     .contains(QLatin1String("3 matches within 1m")),
            qPrintable(sshd.value(QStringLiteral("evidence")).toString()));
        QVERIFY(sshd.value(QStringLiteral("evidence"))
                    .toString()
                    .contains(QLatin1String("Failed password for invalid user admin")));
        // The matched lines are the score's watcher signal, and the event carries the score.
        QVERIFY2(sshd.value(QStringLiteral("score")).toInt() >= 15,
            QJsonDocument(sshd).toJson().constData());
        {
            SourceClient isolated("127.0.0.7", "127.0.0.1", port);
            const Answer a = isolated.request("GET", "/api/health/live");
            QCOMPARE(a.status, 403);
            QCOMPARE(a.json.value(QStringLiteral("error")).toString(),
                QStringLiteral("guardian.isolated"));
        }
        // What was in the file before the start was not replayed.
        QVERIFY(row(serve, QStringLiteral("127.0.0.50"), QStringLiteral("watcher.sshd")).isEmpty());

        // Rotation by rename: the new file's lines count, none is lost or read twice.
        QVERIFY(append(auth, sshdFailure("127.0.0.8", 21)));
        QVERIFY(QFile::rename(auth, auth + QStringLiteral(".1")));
        QVERIFY(append(auth, sshdFailure("127.0.0.8", 22) + sshdFailure("127.0.0.8", 23)));
        QJsonObject rotated;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(rotated = row(serve, QStringLiteral("127.0.0.8"), QStringLiteral("watcher.sshd")))
                 .isEmpty(),
            15000);
        QCOMPARE(rotated.value(QStringLiteral("count")).toInt(), 1);
        // Truncation (copytruncate): reading starts again at the start of the file.
        QVERIFY(QFile::resize(auth, 0));
        QTest::qWait(300);
        QVERIFY(append(auth,
            sshdFailure("127.0.0.9", 31) + sshdFailure("127.0.0.9", 32)
                + sshdFailure("127.0.0.9", 33)));
        QTRY_VERIFY_WITH_TIMEOUT(
            !row(serve, QStringLiteral("127.0.0.9"), QStringLiteral("watcher.sshd")).isEmpty(),
            15000);

        // A log that appears after the start is read from its beginning; the watcher's
        // severity and a policy on its type apply (critical -> ELEVATED).
        QCOMPARE(modeOf(serve.url()), QStringLiteral("NORMAL"));
        QVERIFY(append(access,
            nginxLine("127.0.0.10", "/.env", 404) + nginxLine("127.0.0.10", "/", 200)
                + nginxLine("127.0.0.10", "/.git/config", 404)
                + nginxLine("127.0.0.10", "/wp-login.php", 403)));
        QJsonObject web;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(web = row(serve, QStringLiteral("127.0.0.10"), QStringLiteral("watcher.web-4xx")))
                 .isEmpty(),
            15000);
        QCOMPARE(web.value(QStringLiteral("severity")).toString(), QStringLiteral("critical"));
        QTRY_COMPARE_WITH_TIMEOUT(modeOf(serve.url()), QStringLiteral("ELEVATED"), 5000);
        // notify (the default action) isolates nobody.
        {
            SourceClient c("127.0.0.10", "127.0.0.1", port);
            QCOMPARE(c.request("GET", "/api/health/live").status, 200);
        }

        // The API's own signals: a scanner on 127.0.0.11 walks 60 missing paths (rate,
        // distinct paths, error ratio) and fails the token 5 times; a quiet neighbour on
        // 127.0.0.12 asks twice.
        {
            SourceClient scanner("127.0.0.11", "127.0.0.1", port);
            for (int i = 0; i < 60; ++i)
                QCOMPARE(scanner.request("GET", "/probe/" + QByteArray::number(i)).status, 404);
            for (int i = 0; i < 5; ++i)
                QCOMPARE(scanner
                             .request("POST", "/api/guardian/mode", "wrong-token",
                                 "{\"mode\":\"NORMAL\",\"reason\":\"x\"}")
                             .status,
                    401);
            SourceClient quiet("127.0.0.12", "127.0.0.1", port);
            QCOMPARE(quiet.request("GET", "/api/health/live").status, 200);
            QCOMPARE(quiet.request("GET", "/api/guardian").status, 200);
        }
        QJsonObject rate;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(rate = row(serve, QStringLiteral("127.0.0.11"), QStringLiteral("api.token_failures")))
                 .isEmpty(),
            15000);
        const QJsonObject all = threatsJson(serve, QStringLiteral("127.0.0.11"));
        const QJsonObject score = all.value(QStringLiteral("scores"))
                                      .toObject()
                                      .value(QStringLiteral("127.0.0.11"))
                                      .toObject();
        QCOMPARE(score.value(QStringLiteral("class")).toString(), QStringLiteral("loopback"));
        double sum = 0;
        QHash<QString, double> points;
        for (const QJsonValue &v : score.value(QStringLiteral("features")).toArray()) {
            const QJsonObject f = v.toObject();
            points.insert(f.value(QStringLiteral("name")).toString(),
                f.value(QStringLiteral("points")).toDouble());
            sum += f.value(QStringLiteral("points")).toDouble();
            QVERIFY(!f.value(QStringLiteral("detail"))
                         .toObject()
                         .value(QStringLiteral("text"))
                         .toString()
                         .isEmpty());
        }
        QCOMPARE(points.size(), 5);
        QVERIFY2(
            points.value(QStringLiteral("rate")) > 0, QJsonDocument(score).toJson().constData());
        QVERIFY(points.value(QStringLiteral("distinct_paths")) > 0);
        QVERIFY(points.value(QStringLiteral("error_ratio")) > 0);
        QVERIFY(points.value(QStringLiteral("auth_failures")) > 0);
        QCOMPARE(points.value(QStringLiteral("watchers")), 0.0);
        QVERIFY(qAbs(sum - score.value(QStringLiteral("score")).toDouble()) < 0.5);
        // The token-failure event carried the score the scanner had when it was raised.
        QVERIFY2(rate.value(QStringLiteral("score")).toInt() >= 40,
            QJsonDocument(rate).toJson().constData());
        // The quiet neighbour scores nothing.
        const QJsonObject quietScore = threatsJson(serve, QStringLiteral("127.0.0.12"));
        QVERIFY(quietScore.value(QStringLiteral("threats")).toArray().isEmpty());

        // The text form explains the score too.
        const CliRun text = guardianCli(serve,
            { QStringLiteral("threats"), QStringLiteral("--source"),
                QStringLiteral("127.0.0.11") });
        QCOMPARE(text.exitCode, 0);
        QVERIFY2(text.out.contains("THREAT SCORE NOW"), text.out.constData());
        QVERIFY(text.out.contains("distinct_paths"));
        QVERIFY(text.out.contains("failed token checks in 1m"));

        // Resource abuse: memory above 1 % from the first sample names the top processes.
        QJsonArray memory;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(memory = rowsOfType(serve.url(), QStringLiteral("resource.memory"))).isEmpty(),
            15000);
        const QString evidence
            = memory.first().toObject().value(QStringLiteral("evidence")).toString();
        QVERIFY2(evidence.startsWith(QLatin1String("memory at "))
                && evidence.contains(QLatin1String("top: "))
                && evidence.contains(QLatin1String(" MiB")),
            qPrintable(evidence));
        QVERIFY(!memory.first().toObject().value(QStringLiteral("source")).toString().isEmpty());
        Q_UNUSED(token);

        QCOMPARE(serve.terminate(), 0);
        // The watchers' positions are kept under the data directory.
        QVERIFY(!QDir(serve.dataDir() + QStringLiteral("/guardian-watchers"))
                     .entryList(QDir::Files)
                     .isEmpty());
    }

    // LOCKDOWN pauses the stages of `external: true` pipelines (a run waits) and leaves the
    // others alone; leaving LOCKDOWN resumes them.
    void lockdownPausesExternalPipelines()
    {
        QTemporaryDir pipelines;
        QFile ext(pipelines.filePath(QStringLiteral("ext.yaml")));
        QVERIFY(ext.open(QIODevice::WriteOnly));
        ext.write("name: ext\nexternal: true\nstages:\n  - {name: s, command: /bin/true}\n");
        ext.close();
        QFile local(pipelines.filePath(QStringLiteral("local.yaml")));
        QVERIFY(local.open(QIODevice::WriteOnly));
        local.write("name: local\nstages:\n  - {name: s, command: /bin/true}\n");
        local.close();
        ServeProcess serve(QStringLiteral("pipelines: {directory: '%1'}\n").arg(pipelines.path()));
        QVERIFY2(serve.start(), serve.output().constData());
        const QByteArray token = serve.apiToken();
        QUrl u = serve.url();
        const auto post = [&](const QString &path, const QByteArray &body) {
            QUrl url = u;
            url.setPath(path);
            return httpRequest(url, "POST", body, token);
        };
        const auto pausedOf = [&](const QString &name) {
            QUrl url = u;
            url.setPath(QStringLiteral("/api/pipelines"));
            for (const QJsonValue &v : httpRequest(url, "GET", {}, token)
                                           .json.value(QStringLiteral("pipelines"))
                                           .toArray())
                if (v.toObject().value(QStringLiteral("name")).toString() == name)
                    return v.toObject().value(QStringLiteral("paused")).toBool();
            return false;
        };
        const auto stateOf = [&](qint64 run) {
            QUrl url = u;
            url.setPath(QStringLiteral("/api/pipelines/runs/%1").arg(run));
            // In LOCKDOWN loopback needs the token for everything but the probes.
            return httpRequest(url, "GET", {}, token)
                .json.value(QStringLiteral("state"))
                .toString();
        };
        QVERIFY(!pausedOf(QStringLiteral("ext")));
        QCOMPARE(post(QStringLiteral("/api/guardian/mode"),
                     "{\"mode\":\"LOCKDOWN\",\"reason\":\"test\"}")
                     .status,
            200);
        QTRY_VERIFY_WITH_TIMEOUT(pausedOf(QStringLiteral("ext")), 5000);
        QVERIFY(!pausedOf(QStringLiteral("local")));
        const HttpAnswer extRun
            = post(QStringLiteral("/api/pipelines/run"), "{\"pipeline\":\"ext\"}");
        QCOMPARE(extRun.status, 201);
        const HttpAnswer localRun
            = post(QStringLiteral("/api/pipelines/run"), "{\"pipeline\":\"local\"}");
        QCOMPARE(localRun.status, 201);
        const qint64 extId = extRun.json.value(QStringLiteral("run")).toInteger();
        const qint64 localId = localRun.json.value(QStringLiteral("run")).toInteger();
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(localId), QStringLiteral("succeeded"), 15000);
        QVERIFY2(stateOf(extId) != QLatin1String("succeeded"), qPrintable(stateOf(extId)));
        QCOMPARE(
            post(QStringLiteral("/api/guardian/mode"), "{\"mode\":\"NORMAL\",\"reason\":\"over\"}")
                .status,
            200);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(extId), QStringLiteral("succeeded"), 15000);
        QVERIFY(!pausedOf(QStringLiteral("ext")));
        QCOMPARE(serve.terminate(), 0);
    }

    // A policy's notify goes out through alerting's notifiers: a webhook on loopback gets the
    // alert GuardianThreat with the event's type, source and severity.
    void notifyPolicyGoesThroughTheAlertingNotifiers()
    {
        HttpReceiver receiver;
        QTemporaryDir logs;
        const QString auth = logs.filePath(QStringLiteral("auth.log"));
        QVERIFY(append(auth, QByteArray()));
        ServeProcess serve(QStringLiteral(
            "alerting:\n"
            "  default_rules: false\n"
            "  interval: 1s\n"
            "  notifiers:\n"
            "    - {name: hook, type: webhook, url_env: SHIVX_TEST_HOOK, group_wait: 0s}\n"
            "guardian:\n"
            "  mode: {lockdown_on_critical: false, elevate_warnings: 1000}\n"
            "  watchers:\n"
            "    - {name: sshd, file: '%1', filter: sshd, window: 1m, threshold: 2}\n"
            "  policies:\n"
            "    - {type: watcher.sshd, notify: true}\n")
                               .arg(auth));
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SHIVX_TEST_HOOK"),
            QStringLiteral("http://127.0.0.1:%1/hook").arg(receiver.port()));
        serve.process().setProcessEnvironment(env);
        QVERIFY2(serve.start(), serve.output().constData());
        QVERIFY(append(auth, sshdFailure("203.0.113.44", 1) + sshdFailure("203.0.113.44", 2)));
        QTRY_VERIFY_WITH_TIMEOUT(!receiver.requests.isEmpty(), 20000);
        const QByteArray body = receiver.requests.first().body;
        QVERIFY2(body.contains("GuardianThreat") && body.contains("watcher.sshd")
                && body.contains("203.0.113.44") && body.contains("\"status\":\"firing\""),
            body.constData());
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstGuardianDetectorsServe)
#include "tst_guardiandetectors_serve.moc"
