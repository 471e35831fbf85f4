// Debian's real Prometheus scrapes a real `shivx serve`, both on loopback ports the test picks,
// with a temporary configuration and data directory; Prometheus's own HTTP API then reports
// the target up and returns samples of the registry's families. Skips (with the reason) only
// when the prometheus binary is absent.
#include "servefixture.h"

#include <QJsonArray>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QUrlQuery>

namespace {

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TstPrometheusScrape : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void prometheusScrapesServe()
    {
        const QString prometheus = QStandardPaths::findExecutable(QStringLiteral("prometheus"));
        if (prometheus.isEmpty())
            QSKIP("prometheus not installed (Debian package prometheus; installer/install-deps.sh "
                  "--test installs it)");
        ServeProcess serve(QStringLiteral("sampler: {interval: 200ms}\n"));
        QVERIFY2(serve.start(), serve.output().constData());

        QTemporaryDir dir;
        const quint16 port = freePort();
        QFile config(dir.filePath(QStringLiteral("prometheus.yml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global: {scrape_interval: 1s, evaluation_interval: 1s}\n"
                                    "scrape_configs:\n"
                                    "  - job_name: shivx\n"
                                    "    static_configs: [{targets: ['127.0.0.1:%1']}]\n")
                         .arg(serve.url().port())
                         .toUtf8());
        config.close();
        QProcess prom;
        prom.setProcessChannelMode(QProcess::MergedChannels);
        prom.start(prometheus,
            { QStringLiteral("--config.file=") + config.fileName(),
                QStringLiteral("--storage.tsdb.path=") + dir.filePath(QStringLiteral("tsdb")),
                QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port) });
        QVERIFY(prom.waitForStarted(10000));
        const auto stop = qScopeGuard([&] {
            prom.terminate();
            if (!prom.waitForFinished(15000))
                prom.kill();
            prom.waitForFinished(5000);
        });
        const QUrl api(QStringLiteral("http://127.0.0.1:%1").arg(port));

        // The target, as Prometheus sees it.
        QJsonObject target;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const HttpAnswer a
                    = httpRequest(api.resolved(QUrl(QStringLiteral("/api/v1/targets"))));
                const QJsonArray active = a.json.value(QStringLiteral("data"))
                                              .toObject()
                                              .value(QStringLiteral("activeTargets"))
                                              .toArray();
                if (active.isEmpty())
                    return false;
                target = active.first().toObject();
                return target.value(QStringLiteral("health")).toString() == QLatin1String("up");
            }(),
            60000);
        QVERIFY2(target.value(QStringLiteral("lastError")).toString().isEmpty(),
            qPrintable(target.value(QStringLiteral("lastError")).toString()));

        const auto query = [&](const QString &expr) {
            QUrl u = api.resolved(QUrl(QStringLiteral("/api/v1/query")));
            QUrlQuery q;
            q.addQueryItem(QStringLiteral("query"), expr);
            u.setQuery(q);
            return httpRequest(u)
                .json.value(QStringLiteral("data"))
                .toObject()
                .value(QStringLiteral("result"))
                .toArray();
        };
        QJsonArray score;
        QTRY_VERIFY_WITH_TIMEOUT(
            !(score = query(QStringLiteral("shivx_health_score"))).isEmpty(), 30000);
        const QJsonArray value = score.first().toObject().value(QStringLiteral("value")).toArray();
        bool ok = false;
        const double v = value.at(1).toString().toDouble(&ok);
        QVERIFY(ok);
        QVERIFY2(v >= 0 && v <= 100, qPrintable(value.at(1).toString()));
        QCOMPARE(score.first()
                     .toObject()
                     .value(QStringLiteral("metric"))
                     .toObject()
                     .value(QStringLiteral("job"))
                     .toString(),
            QStringLiteral("shivx"));
        // The registry's histograms reach Prometheus as histograms: its own scrapes of /metrics.
        QTRY_VERIFY_WITH_TIMEOUT(
            !query(QStringLiteral(
                       "histogram_quantile(0.9, "
                       "rate(shivx_api_request_duration_seconds_bucket{route=\"/metrics\"}[1m]))"))
                 .isEmpty(),
            30000);
        QCOMPARE(query(QStringLiteral("up{job=\"shivx\"}"))
                     .first()
                     .toObject()
                     .value(QStringLiteral("value"))
                     .toArray()
                     .at(1)
                     .toString(),
            QStringLiteral("1"));
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstPrometheusScrape)
#include "tst_prometheus_scrape.moc"
