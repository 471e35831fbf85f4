// The Prometheus text format reader behind POST /api/metrics: what it accepts (the engine's
// own /metrics text among it) and the line and reason of each mistake.
#include "telemetry/expositionparser.h"
#include "telemetry/metricregistry.h"

#include <QTest>

#include <cmath>

using namespace Shivx;

class TestExpositionParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsSamplesLabelsEscapesAndTimestamps()
    {
        const QByteArray text = "# HELP jobs_done_total Jobs done.\n"
                                "# TYPE jobs_done_total counter\n"
                                "jobs_done_total{queue=\"a \\\"b\\\" \\\\ c\\nd\",kind=\"x\"} 42 "
                                "1700000000123\r\n"
                                "\n"
                                "# a plain comment\n"
                                "temp_celsius -3.5e1\n"
                                "ratio{} NaN\n"
                                "limit +Inf\n";
        const auto r = ExpositionParser::parse(text);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->size(), 4);
        const ExpositionSample &a = r->at(0);
        QCOMPARE(a.line, 3);
        QCOMPARE(a.name, QStringLiteral("jobs_done_total"));
        QCOMPARE(a.labels.size(), 2);
        QCOMPARE(a.labels.at(0).second, QStringLiteral("a \"b\" \\ c\nd"));
        QCOMPARE(a.value, 42.0);
        QCOMPARE(a.timestampMs.value_or(0), 1700000000123);
        QCOMPARE(r->at(1).value, -35.0);
        QVERIFY(!r->at(1).timestampMs);
        QVERIFY(std::isnan(r->at(2).value));
        QVERIFY(std::isinf(r->at(3).value));
    }

    void readsTheEnginesOwnExposition()
    {
        MetricRegistry registry;
        registry.counter(QStringLiteral("a_total"), QStringLiteral("A."), { QStringLiteral("x") })
            ->counter({ QStringLiteral("q\"uote\\") })
            .inc(3);
        registry
            .histogram(QStringLiteral("d_seconds"), QStringLiteral("D."), {},
                MetricRegistry::durationBuckets())
            ->histogram()
            .observe(0.2);
        const auto r = ExpositionParser::parse(registry.render());
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->first().labels.first().second, QStringLiteral("q\"uote\\"));
        QCOMPARE(r->size(), 1 + MetricRegistry::durationBuckets().size() + 1 + 2);
    }

    void mistakesNameTheLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("invalid metric name")
            << QByteArray("ok 1\nok 2\n3bad 1\n") << "line 3: invalid metric name \"3bad\"";
        QTest::newRow("invalid label name")
            << QByteArray("m{1x=\"a\"} 1\n") << "line 1: m: invalid label name \"1x\"";
        QTest::newRow("duplicate label")
            << QByteArray("m{a=\"1\",a=\"2\"} 1\n") << "line 1: m: label \"a\" appears twice";
        QTest::newRow("unterminated value") << QByteArray(
            "m{a=\"1} 1\n") << "line 1: m: label \"a\": the value has no closing quote";
        QTest::newRow("bad escape")
            << QByteArray("m{a=\"\\t\"} 1\n") << "line 1: m: label \"a\": unknown escape \\t";
        QTest::newRow("missing value")
            << QByteArray("m{a=\"1\"}\n") << "line 1: m: expected a value and at most a timestamp";
        QTest::newRow("not a number")
            << QByteArray("m one\n") << "line 1: m: \"one\" is not a number";
        QTest::newRow("bad timestamp")
            << QByteArray("m 1 soon\n") << "line 1: m: timestamp \"soon\" is not milliseconds";
        QTest::newRow("bad type") << QByteArray("# TYPE m meter\n")
                                  << "line 1: TYPE of m: expected counter";
        QTest::newRow("second type") << QByteArray("# TYPE m gauge\n# TYPE m gauge\n")
                                     << "line 2: second TYPE for m (first on line 1)";
        QTest::newRow("type after samples") << QByteArray("m_count 1\n# TYPE m summary\n")
                                            << "line 2: TYPE for m after its samples";
        QTest::newRow("bad name in HELP")
            << QByteArray("# HELP 9x text\n") << "line 1: invalid metric name \"9x\" in HELP";
    }
    void mistakesNameTheLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, error);
        const auto r = ExpositionParser::parse(text);
        QVERIFY(!r);
        QVERIFY2(r.error().message.startsWith(error), qPrintable(r.error().message));
        QCOMPARE(r.error().code, QStringLiteral("metrics.bad_exposition"));
    }
};

QTEST_GUILESS_MAIN(TestExpositionParser)
#include "tst_expositionparser.moc"
