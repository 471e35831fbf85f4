// Targets of type `prometheus` against the real `shivx serve`: Python's http.server serves a
// fixture the test rewrites between scrapes, the engine scrapes it (and itself, ${api}/metrics)
// into its SQLite history, which the test reads back; a capped target, a malformed line and a
// server that never answers show in the targets' state and message; an alert rule selects a
// scraped series.
#include "pythonhttpserver.h"
#include "servefixture.h"

#include "telemetry/historystore.h"

#include <QDir>
#include <QHostAddress>
#include <QJsonArray>
#include <QTcpServer>

using namespace Shivx;

namespace {

const QByteArray FixtureV1 = "# HELP queue_depth Jobs waiting.\n"
                             "# TYPE queue_depth gauge\n"
                             "queue_depth{queue=\"a\"} 5\n"
                             "# TYPE jobs_total counter\n"
                             "jobs_total{queue=\"a\",target=\"inner\"} 12\n"
                             "# TYPE wait_seconds histogram\n"
                             "wait_seconds_bucket{le=\"1\"} 4\n"
                             "wait_seconds_bucket{le=\"10\"} 8\n"
                             "wait_seconds_bucket{le=\"+Inf\"} 8\n"
                             "wait_seconds_sum 20\n"
                             "wait_seconds_count 8\n";

bool writeFile(const QString &path, const QByteArray &data)
{
    return PythonHttpServer::writeFile(path, data);
}

QJsonObject targetOf(const QUrl &api, const QString &name)
{
    const QJsonArray targets
        = httpRequest(api.resolved(QUrl(QStringLiteral("/api/health/status?verbose=1"))))
              .json.value(QStringLiteral("targets"))
              .toArray();
    for (const QJsonValue &t : targets)
        if (t.toObject().value(QStringLiteral("name")).toString() == name)
            return t.toObject();
    return {};
}

} // namespace

class TestPrometheusTargetServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString www = m_dir.filePath(QStringLiteral("www"));
        QVERIFY(QDir().mkpath(www));
        QVERIFY(writeFile(www + QStringLiteral("/metrics.txt"), FixtureV1));
        QVERIFY(writeFile(www + QStringLiteral("/bad.txt"),
            "# TYPE ok gauge\nok 1\nbroken{label=\"x\" 2\nfine 3\n"));
        QVERIFY(m_python.start(www));
        // Accepts connections (the kernel completes the handshake) and never answers.
        QVERIFY(m_hang.listen(QHostAddress::LocalHost, 0));

        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("rules.yml")),
            "groups:\n"
            "  - name: scraped\n"
            "    rules:\n"
            "      - alert: QueueDeep\n"
            "        series: queue_depth{target=\"fixture\"}\n"
            "        op: \">\"\n"
            "        threshold: 100\n"
            "        severity: warning\n"
            "        annotations: {summary: \"queue {{ $labels.queue }} is deep\"}\n"));
        const QString fixture = m_python.url(QString()).chopped(1);
        m_serve = std::make_unique<ServeProcess>(
            QStringLiteral("sampler: {interval: 200ms}\n"
                           "alerting:\n"
                           "  default_rules: false\n"
                           "  rules: %1/rules.yml\n"
                           "  interval: 1s\n"
                           "targets:\n"
                           "  - {name: fixture, type: prometheus, url: \"%2/metrics.txt\", "
                           "interval: 300ms, timeout: 300ms}\n"
                           "  - {name: capped, type: prometheus, url: \"%2/metrics.txt\", "
                           "interval: 300ms, timeout: 300ms, max_series: 2}\n"
                           "  - {name: broken, type: prometheus, url: \"%2/bad.txt\", "
                           "interval: 300ms, timeout: 300ms, failure_threshold: 1}\n"
                           "  - {name: hangs, type: prometheus, "
                           "url: \"http://127.0.0.1:%3/metrics\", interval: 1s, timeout: 250ms, "
                           "failure_threshold: 1}\n"
                           "  - {name: self, type: prometheus, url: \"http://${api}/metrics\", "
                           "interval: 500ms, metrics: [shivx_health_score, "
                           "\"shivx_api_request_duration_seconds\"]}\n")
                .arg(m_dir.path(), fixture)
                .arg(m_hang.serverPort()));
        QVERIFY2(m_serve->start(), (m_serve->output() + m_serve->errors()).constData());
        auto store = HistoryStore::open(m_serve->dataDir() + QStringLiteral("/shivx.db"),
            QStringLiteral("tst_prometheustarget_serve"));
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        m_store = std::move(*store);
    }

    void cleanupTestCase()
    {
        m_store.reset();
        if (m_serve)
            QCOMPARE(m_serve->terminate(), 0);
    }

    void scrapeIsUpAndInTheHistory()
    {
        QTRY_COMPARE_WITH_TIMEOUT(
            targetOf(m_serve->url(), QStringLiteral("fixture")).value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("UP")), 15000);
        QCOMPARE(targetOf(m_serve->url(), QStringLiteral("fixture")).value(QStringLiteral("type")),
            QJsonValue(QStringLiteral("prometheus")));
        QTRY_COMPARE_WITH_TIMEOUT(last(R"(queue_depth{target="fixture",queue="a"})"), 5.0, 15000);
        // A scraped `target` label is kept as exported_target; counters as they are.
        QCOMPARE(last(R"(jobs_total{target="fixture",exported_target="inner",queue="a"})"), 12.0);
        // Histograms as the engine stores its own: count, sum, quantiles; no buckets.
        QCOMPARE(last(R"(wait_seconds_count{target="fixture"})"), 8.0);
        QCOMPARE(last(R"(wait_seconds_sum{target="fixture"})"), 20.0);
        QCOMPARE(last(R"(wait_seconds{target="fixture",quantile="0.5"})"), 1.0);
        for (const QString &name : seriesOf(QStringLiteral("fixture")))
            QVERIFY2(!name.contains(QLatin1String("_bucket")), qPrintable(name));
    }

    void aChangedExpositionIsScrapedAgainAndAlertsOnIt()
    {
        QVERIFY(stateOf(QStringLiteral("QueueDeep")).isEmpty());
        QByteArray v2 = FixtureV1;
        v2.replace("queue_depth{queue=\"a\"} 5", "queue_depth{queue=\"a\"} 500");
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("www/metrics.txt")), v2));
        QTRY_COMPARE_WITH_TIMEOUT(last(R"(queue_depth{target="fixture",queue="a"})"), 500.0, 15000);
        // The rule selects the scraped series like one of the engine's own.
        QTRY_COMPARE_WITH_TIMEOUT(
            stateOf(QStringLiteral("QueueDeep")), QStringLiteral("firing"), 15000);
        const QJsonObject alert = alertOf(QStringLiteral("QueueDeep"));
        QCOMPARE(
            alert.value(QStringLiteral("summary")).toString(), QStringLiteral("queue a is deep"));
        QVERIFY(writeFile(m_dir.filePath(QStringLiteral("www/metrics.txt")), FixtureV1));
        QTRY_VERIFY_WITH_TIMEOUT(stateOf(QStringLiteral("QueueDeep")).isEmpty(), 15000);
    }

    void theCapKeepsTheFirstSeriesAndCountsTheRest()
    {
        QTRY_COMPARE_WITH_TIMEOUT(
            targetOf(m_serve->url(), QStringLiteral("capped")).value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("UP")), 15000);
        QTest::qWait(1000); // a few scrapes
        // The first two series of the exposition, and only they.
        QCOMPARE(seriesOf(QStringLiteral("capped")),
            (QStringList { R"(jobs_total{target="capped",exported_target="inner",queue="a"})",
                R"(queue_depth{target="capped",queue="a"})" }));
        const QByteArray metrics
            = httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/metrics")))).body;
        // Over the cap: the histogram's count and sum, and in the first scrape also its three
        // quantiles (later scrapes saw no new observation, so they have none).
        QVERIFY2(metrics.contains("shivx_target_scrape_series_dropped{target=\"capped\"} 2\n"),
            metrics.constData());
        QVERIFY(metrics.contains("shivx_target_scrape_series{target=\"capped\"} 2\n"));
        QVERIFY(metrics.contains("shivx_target_scrape_series_dropped{target=\"fixture\"} 0\n"));
        static const QRegularExpression total(QStringLiteral(
            "shivx_target_scrape_samples_dropped_total\\{target=\"capped\"\\} (\\d+)"));
        QVERIFY(total.match(QString::fromUtf8(metrics)).captured(1).toInt() >= 6);
    }

    void aMalformedLineIsNamed()
    {
        QTRY_COMPARE_WITH_TIMEOUT(
            targetOf(m_serve->url(), QStringLiteral("broken")).value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("DOWN")), 15000);
        const QString error = targetOf(m_serve->url(), QStringLiteral("broken"))
                                  .value(QStringLiteral("last_error"))
                                  .toString();
        QVERIFY2(
            error.contains(QLatin1String("bad exposition: line 3: broken:")), qPrintable(error));
        QVERIFY(seriesOf(QStringLiteral("broken")).isEmpty()); // nothing of a bad scrape
    }

    void aServerThatHangsTimesOut()
    {
        QTRY_COMPARE_WITH_TIMEOUT(
            targetOf(m_serve->url(), QStringLiteral("hangs")).value(QStringLiteral("state")),
            QJsonValue(QStringLiteral("DOWN")), 15000);
        // By the time it is DOWN its breaker may have opened too ("...; circuit open"): the
        // underlying error comes first either way.
        const QString error = targetOf(m_serve->url(), QStringLiteral("hangs"))
                                  .value(QStringLiteral("last_error"))
                                  .toString();
        QVERIFY2(error == QLatin1String("timed out after 250ms")
                || error == QLatin1String("timed out after 250ms; circuit open"),
            qPrintable(error));
    }

    void theEngineScrapesItselfFiltered()
    {
        QTRY_VERIFY_WITH_TIMEOUT(!std::isnan(last(R"(shivx_health_score{target="self"})")), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(
            seriesOf(QStringLiteral("self")).filter(QStringLiteral("_count{")).size() > 0, 15000);
        for (const QString &name : seriesOf(QStringLiteral("self")))
            QVERIFY2(name.startsWith(QLatin1String("shivx_health_score{"))
                    || name.startsWith(QLatin1String("shivx_api_request_duration_seconds")),
                qPrintable(name));
    }

    void theCapIsLoggedOnce()
    {
        QTest::qWait(700);
        QCOMPARE(m_serve->terminate(), 0);
        const QByteArray log = m_serve->output() + m_serve->errors();
        QCOMPARE(log.count("target capped: the scrape has 5 series over max_series 2"), 1);
        m_serve.reset();
    }

private:
    double last(const char *series)
    {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        auto q
            = m_store->query(QString::fromUtf8(series), now - 600'000, now + 1000, Resolution::Raw);
        return q && !q->points.isEmpty() ? q->points.last().avg : qQNaN();
    }

    QStringList seriesOf(const QString &target)
    {
        QStringList out;
        auto all = m_store->listSeries();
        if (!all)
            return { QStringLiteral("<%1>").arg(all.error().message) };
        const QString label = QStringLiteral("{target=\"%1\"").arg(target);
        for (const SeriesInfo &s : *all) {
            // The engine's own per-target families (shivx_target_up{target="T",type=...})
            // reach the history too, through the metric feed every 10 s: not scraped series.
            // A scraped copy of them would carry exported_target.
            if (s.name.startsWith(QLatin1String("shivx_target_"))
                && !s.name.contains(QLatin1String("exported_target=")))
                continue;
            if (s.name.contains(label))
                out.append(s.name);
        }
        out.sort();
        return out;
    }

    QJsonObject alertOf(const QString &name)
    {
        const QJsonArray alerts
            = httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/api/alerts"))))
                  .json.value(QStringLiteral("alerts"))
                  .toArray();
        for (const QJsonValue &v : alerts)
            if (v.toObject().value(QStringLiteral("alert")).toString() == name)
                return v.toObject();
        return {};
    }

    QString stateOf(const QString &name)
    {
        return alertOf(name).value(QStringLiteral("state")).toString();
    }

    QTemporaryDir m_dir;
    PythonHttpServer m_python;
    QTcpServer m_hang;
    std::unique_ptr<ServeProcess> m_serve;
    std::unique_ptr<HistoryStore> m_store;
};

QTEST_GUILESS_MAIN(TestPrometheusTargetServe)
#include "tst_prometheustarget_serve.moc"
