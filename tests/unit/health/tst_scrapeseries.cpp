// ScrapeSeries: what one scrape of a `prometheus` target stores in the history, with the
// parser's real output as input (ExpositionParser), so names, types and the cap are checked
// on the text a server would send.
#include "health/scrapeseries.h"
#include "telemetry/expositionparser.h"

#include <QTest>

using namespace Shivx;

namespace {

QList<ExpositionSample> parse(const QByteArray &text)
{
    auto r = ExpositionParser::parse(text);
    if (!r)
        qWarning("%s", qPrintable(r.error().message));
    return r ? *r : QList<ExpositionSample> {};
}

QMap<QString, double> byName(const ScrapeOutcome &o)
{
    QMap<QString, double> m;
    for (const SamplePoint &p : o.points)
        m.insert(p.series, p.value);
    return m;
}

} // namespace

class TestScrapeSeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parserNamesFamilyAndType()
    {
        const auto s = parse("# TYPE h histogram\n"
                             "h_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 4\nh_count 3\n"
                             "# TYPE s summary\ns{quantile=\"0.5\"} 1\ns_count 2\n"
                             "# TYPE c_total counter\nc_total 5\nplain_count 1\n");
        QCOMPARE(s.size(), 8);
        QCOMPARE(s.at(0).family, QStringLiteral("h"));
        QCOMPARE(s.at(0).type, QStringLiteral("histogram"));
        QCOMPARE(s.at(3).family, QStringLiteral("h"));
        QCOMPARE(s.at(4).family, QStringLiteral("s"));
        QCOMPARE(s.at(5).type, QStringLiteral("summary"));
        QCOMPARE(s.at(6).type, QStringLiteral("counter"));
        // No TYPE for `plain`: the sample is its own untyped family.
        QCOMPARE(s.at(7).family, QStringLiteral("plain_count"));
        QCOMPARE(s.at(7).type, QStringLiteral("untyped"));
    }

    void namesCarryTheTargetFirstThenLabelsByName()
    {
        ScrapeSeries series(QStringLiteral("node"), 100, {});
        const ScrapeOutcome o
            = series.convert(parse("# TYPE up gauge\nup 1\n"
                                   "requests_total{path=\"/a\",code=\"200\"} 7\n"
                                   "shivx_target_up{target=\"web\",type=\"http\"} 0\n"
                                   "odd{v=\"quote\\\" and \\\\ back\"} 2\n"
                                   "nan_value NaN\n"),
                1000);
        const QMap<QString, double> m = byName(o);
        QCOMPARE(m.value(QStringLiteral(R"(up{target="node"})"), -1), 1.0);
        QCOMPARE(
            m.value(QStringLiteral(R"(requests_total{target="node",code="200",path="/a"})"), -1),
            7.0);
        // A scraped `target` is kept as exported_target, as Prometheus does.
        QVERIFY(m.contains(
            QStringLiteral(R"(shivx_target_up{target="node",exported_target="web",type="http"})")));
        const QString escaped
            = QStringLiteral("odd{target=\"node\",v=\"quote\\\" and \\\\ back\"}");
        QVERIFY2(m.contains(escaped), qPrintable(m.keys().join(QLatin1Char(' '))));
        QCOMPARE(o.points.size(), 4); // NaN is not stored
        QCOMPARE(o.points.first().tsMs, 1000);
        QCOMPARE(o.series, 4);
        QCOMPARE(o.dropped, 0);
        // The same series as gauge families, for alert rules.
        bool found = false;
        for (const FamilySnapshot &f : o.families)
            if (f.name == QLatin1String("requests_total")) {
                QCOMPARE(f.labelNames, (QStringList { "target", "code", "path" }));
                QCOMPARE(f.series.first().labelValues, (QStringList { "node", "200", "/a" }));
                found = true;
            }
        QVERIFY(found);
    }

    void histogramsAsCountSumAndQuantilesSinceTheLastScrape()
    {
        ScrapeSeries series(QStringLiteral("app"), 100, {});
        const QByteArray first = "# TYPE d histogram\n"
                                 "d_bucket{op=\"get\",le=\"0.1\"} 10\n"
                                 "d_bucket{op=\"get\",le=\"1\"} 10\n"
                                 "d_bucket{op=\"get\",le=\"+Inf\"} 10\n"
                                 "d_sum{op=\"get\"} 0.5\n"
                                 "d_count{op=\"get\"} 10\n";
        QMap<QString, double> m = byName(series.convert(parse(first), 1000));
        QCOMPARE(m.value(QStringLiteral(R"(d_count{target="app",op="get"})")), 10.0);
        QCOMPARE(m.value(QStringLiteral(R"(d_sum{target="app",op="get"})")), 0.5);
        QCOMPARE(m.value(QStringLiteral(R"(d{target="app",op="get",quantile="0.5"})")), 0.05);
        for (const QString &name : m.keys())
            QVERIFY2(!name.contains(QLatin1String("_bucket")), qPrintable(name));
        // Ten more observations, all between 0.1 and 1: the quantiles cover only those.
        const QByteArray second = "# TYPE d histogram\n"
                                  "d_bucket{op=\"get\",le=\"0.1\"} 10\n"
                                  "d_bucket{op=\"get\",le=\"1\"} 20\n"
                                  "d_bucket{op=\"get\",le=\"+Inf\"} 20\n"
                                  "d_sum{op=\"get\"} 6\n"
                                  "d_count{op=\"get\"} 20\n";
        m = byName(series.convert(parse(second), 2000));
        QCOMPARE(m.value(QStringLiteral(R"(d{target="app",op="get",quantile="0.5"})")), 0.55);
        QCOMPARE(m.value(QStringLiteral(R"(d_count{target="app",op="get"})")), 20.0);
        // No new observation: no quantile point, as for the engine's own histograms.
        m = byName(series.convert(parse(second), 3000));
        QVERIFY(!m.contains(QStringLiteral(R"(d{target="app",op="get",quantile="0.5"})")));
    }

    void capKeepsTheFirstSeriesAcrossScrapes()
    {
        ScrapeSeries series(QStringLiteral("wide"), 3, {});
        ScrapeOutcome o = series.convert(parse("a 1\nb 2\nc 3\nd 4\ne 5\n"), 1000);
        QCOMPARE(o.series, 3);
        QCOMPARE(o.dropped, 2);
        QCOMPARE(byName(o).keys(),
            (QStringList { R"(a{target="wide"})", R"(b{target="wide"})", R"(c{target="wide"})" }));
        // New series first in the next scrape do not push the admitted ones out.
        o = series.convert(parse("z 0\ny 0\nc 30\nb 20\na 10\n"), 2000);
        QCOMPARE(o.series, 3);
        QCOMPARE(o.dropped, 2);
        QCOMPARE(byName(o).value(QStringLiteral(R"(a{target="wide"})")), 10.0);
        QVERIFY(!byName(o).contains(QStringLiteral(R"(z{target="wide"})")));
    }

    void metricFilterBeforeTheCap()
    {
        ScrapeSeries series(QStringLiteral("f"), 2, { QStringLiteral("node_cpu.*"), "up" });
        const ScrapeOutcome o = series.convert(
            parse("go_gc 1\nnode_cpu_seconds_total{cpu=\"0\"} 5\nup 1\nupx 2\n"), 1000);
        QCOMPARE(byName(o).keys(),
            (QStringList { R"(node_cpu_seconds_total{target="f",cpu="0"})", R"(up{target="f"})" }));
        QCOMPARE(o.dropped, 0);
    }
};

QTEST_GUILESS_MAIN(TestScrapeSeries)
#include "tst_scrapeseries.moc"
