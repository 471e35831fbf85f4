// Custom metrics in: POST /api/metrics against the real `shivx serve` with real HTTP
// requests; what it accepts lands in the SQLite history under NAME{job="JOB",...}, and each
// refusal (token, size, syntax, cardinality) names what was wrong.
#include "servefixture.h"

#include "telemetry/historystore.h"

#include <QDateTime>

using namespace Shivx;

class TestMetricPushServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_serve.start(), m_serve.output().constData()); }
    void cleanupTestCase() { QCOMPARE(m_serve.terminate(), 0); }

    void needsTheToken()
    {
        const HttpAnswer a = httpRequest(url("batch"), "POST", "m 1\n");
        QCOMPARE(a.status, 401);
    }

    void pushedSamplesReachTheHistory()
    {
        const qint64 ts = QDateTime::currentMSecsSinceEpoch() - 5000;
        const QByteArray body = "# HELP jobs_done_total Jobs done.\n"
                                "# TYPE jobs_done_total counter\n"
                                "jobs_done_total{queue=\"a\",kind=\"x\"} 42 "
            + QByteArray::number(ts)
            + "\n"
              "queue_depth 7\n"
              "summary_p99 NaN\n";
        const HttpAnswer a = httpRequest(url("batch"), "POST", body, m_serve.apiToken());
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(QStringLiteral("samples")).toInt(), 2);
        QCOMPARE(a.json.value(QStringLiteral("new_series")).toInt(), 2);
        QCOMPARE(a.json.value(QStringLiteral("skipped_not_finite")).toInt(), 1);

        auto store = HistoryStore::open(m_serve.dataDir() + QStringLiteral("/shivx.db"),
            QStringLiteral("tst_metricpush_serve"));
        QVERIFY2(store, qPrintable(store ? QString() : store.error().message));
        const QString series = QStringLiteral(R"(jobs_done_total{job="batch",kind="x",queue="a"})");
        QList<HistoryPoint> points;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                auto q = (*store)->query(series, ts - 1, ts + 1, Resolution::Raw);
                points = q ? q->points : QList<HistoryPoint> {};
                return !points.isEmpty();
            }(),
            10000);
        QCOMPARE(points.first().tsMs, ts);
        QCOMPARE(points.first().avg, 42.0);
    }

    void refusalsNameWhatWasWrong_data()
    {
        QTest::addColumn<QByteArray>("job");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("syntax") << QByteArray("batch") << QByteArray("ok 1\nok 2\n3bad 1\n") << 400
                                << "line 3: invalid metric name \"3bad\"";
        QTest::newRow("no job") << QByteArray() << QByteArray("m 1\n") << 400
                                << "?job=NAME is required";
        QTest::newRow("engine's own name")
            << QByteArray("batch") << QByteArray("shivx_health_score 1\n") << 400
            << "line 1: shivx_health_score: names starting";
        QTest::newRow("job label") << QByteArray("batch") << QByteArray("m{job=\"x\"} 1\n") << 400
                                   << "the label job comes from";
        QTest::newRow("timestamp in seconds")
            << QByteArray("batch") << QByteArray("m 1 99999999999999\n") << 400
            << "line 1: m: timestamp 99999999999999";
        QByteArray many;
        for (int i = 0; i < 1001; ++i)
            many += "wide{i=\"" + QByteArray::number(i) + "\"} 1\n";
        QTest::newRow("cardinality")
            << QByteArray("wide") << many << 422
            << "line 1001: wide would be series 1001 of job wide; a job may have 1000";
    }
    void refusalsNameWhatWasWrong()
    {
        QFETCH(QByteArray, job);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        const HttpAnswer a = httpRequest(url(job), "POST", body, m_serve.apiToken());
        QCOMPARE(a.status, status);
        QVERIFY2(a.json.value(QStringLiteral("message")).toString().contains(message),
            a.body.constData());
    }

    void cardinalityRefusalStoredNothing()
    {
        // The refused push above created no series: 1000 fit now.
        QByteArray body;
        for (int i = 0; i < 1000; ++i)
            body += "wide{i=\"" + QByteArray::number(i) + "\"} 1\n";
        const HttpAnswer a = httpRequest(url("wide"), "POST", body, m_serve.apiToken());
        QCOMPARE(a.status, 200);
        QCOMPARE(a.json.value(QStringLiteral("new_series")).toInt(), 1000);
        QCOMPARE(httpRequest(url("wide"), "POST", "wide{i=\"new\"} 1\n", m_serve.apiToken()).status,
            422);
        QCOMPARE(
            httpRequest(url("wide"), "POST", "wide{i=\"7\"} 2\n", m_serve.apiToken()).status, 200);
    }

    void bodyOverTheLimit()
    {
        const QByteArray body(1024 * 1024 + 1, '\n');
        const HttpAnswer a = httpRequest(url("batch"), "POST", body, m_serve.apiToken());
        QCOMPARE(a.status, 413);
    }

private:
    QUrl url(const QByteArray &job) const
    {
        return m_serve.url().resolved(
            QUrl(job.isEmpty() ? QStringLiteral("/api/metrics")
                               : QStringLiteral("/api/metrics?job=") + QString::fromLatin1(job)));
    }

    ServeProcess m_serve;
};

QTEST_GUILESS_MAIN(TestMetricPushServe)
#include "tst_metricpush_serve.moc"
