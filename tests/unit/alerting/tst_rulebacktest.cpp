// Rule previews over the stored history: the replay gives the same pending and firing spans
// the evaluator would (`for`, clearing, NaN of a rate's first sample), run() picks the matching
// series from a real SQLite history (labels, a histogram's _count, the cap) and can be
// cancelled, and history names parse back into metric and labels.
#include "alerting/rulebacktest.h"
#include "telemetry/historystore.h"

#include <QSqlDatabase>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

AlertRule parsed(const QByteArray &yaml)
{
    auto r = parseAlertRules("groups:\n  - name: g\n    rules:\n" + yaml, QStringLiteral("t.yml"));
    if (!r)
        qFatal("%s", qPrintable(r.error().message));
    return r->first();
}

using Spans = QList<QPair<qint64, qint64>>;
Spans spans(const QList<BacktestSeries::Span> &list)
{
    Spans out;
    for (const auto &s : list)
        out.append({ s.fromMs, s.toMs });
    return out;
}

} // namespace

class TstRuleBacktest : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void replay_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QList<double>>("values"); // one a second from t = 0
        QTest::addColumn<Spans>("pending");
        QTest::addColumn<Spans>("firing");
        const QByteArray base = "      - alert: A\n        series: m\n        threshold: 5\n";
        QTest::newRow("for 0s: firing at once, no pending")
            << base << QList<double> { 1, 9, 9, 1, 9 } << Spans {}
            << Spans { { 1000, 2000 }, { 4000, 4000 } };
        QTest::newRow("for 2s: pending, then firing until it clears")
            << base + "        for: 2s\n"
            << QList<double> { 9, 9, 9, 9, 1 } << Spans { { 0, 2000 } } << Spans { { 2000, 3000 } };
        QTest::newRow("for 2s: a pending that clears never fires")
            << base + "        for: 2s\n"
            << QList<double> { 9, 9, 1, 1 } << Spans { { 0, 1000 } } << Spans {};
        QTest::newRow("rate: the first sample has no value")
            << QByteArray("      - alert: R\n        series: c\n        function: rate\n"
                          "        window: 10s\n        threshold: 0.5\n")
            << QList<double> { 0, 1, 2, 2, 2 } << Spans {} << Spans { { 1000, 3000 } };
    }
    void replay()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QList<double>, values);
        QFETCH(Spans, pending);
        QFETCH(Spans, firing);
        BacktestSeries s;
        for (int i = 0; i < values.size(); ++i)
            s.samples.append({ i * 1000LL, values.at(i) });
        RuleBacktest::replay(parsed(yaml), &s);
        QCOMPARE(s.values.size(), values.size());
        QCOMPARE(spans(s.pending), pending);
        QCOMPARE(spans(s.firing), firing);
    }

    void seriesNames()
    {
        auto a = RuleBacktest::parseSeriesName(
            QStringLiteral("shivx_target_up{target=\"web\",type=\"http\"}"));
        QVERIFY(a);
        QCOMPARE(a->first, QStringLiteral("shivx_target_up"));
        QCOMPARE(a->second, (QMap<QString, QString> { { "target", "web" }, { "type", "http" } }));
        QVERIFY(RuleBacktest::parseSeriesName(QStringLiteral("shivx_health_score")));
        QVERIFY(!RuleBacktest::parseSeriesName(QStringLiteral("health.score")));
        QVERIFY(!RuleBacktest::parseSeriesName(QStringLiteral("target.web.latency_ms")));
    }

    void runOverARealHistory()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("h.db"));
        {
            auto store = HistoryStore::open(db, QStringLiteral("seed"));
            QVERIFY(store);
            QList<SamplePoint> points;
            const qint64 t0 = 1'700'000'000'000;
            for (int i = 0; i < 60; ++i) {
                const qint64 t = t0 + i * 10'000;
                points.append(
                    { QStringLiteral("q_depth{queue=\"a\"}"), t, i >= 30 && i < 40 ? 9.0 : 1.0 });
                points.append({ QStringLiteral("q_depth{queue=\"b\"}"), t, 2.0 });
                points.append(
                    { QStringLiteral("q_depthx{queue=\"a\"}"), t, 99.0 }); // another metric
                points.append({ QStringLiteral("lat_seconds_count{route=\"/\"}"), t, double(i) });
                points.append(
                    { QStringLiteral("lat_seconds{route=\"/\",quantile=\"0.9\"}"), t, 0.2 });
            }
            QVERIFY((*store)->append(points));

            const qint64 from = t0, to = t0 + 600'000;
            auto res = RuleBacktest::run(**store,
                parsed("      - alert: D\n        series: q_depth{queue=~\"a|b\"}\n"
                       "        threshold: 5\n        for: 20s\n"),
                from, to);
            QVERIFY2(res, res ? "" : qPrintable(res.error().message));
            QCOMPARE(res->matched, 2);
            QCOMPARE(res->series.size(), 2);
            QCOMPARE(res->series.at(0).name, QStringLiteral("q_depth{queue=\"a\"}"));
            QCOMPARE(res->series.at(0).samples.size(), 60);
            QCOMPARE(
                spans(res->series.at(0).firing), (Spans { { from + 320'000, from + 390'000 } }));
            QVERIFY(res->series.at(1).firing.isEmpty());

            // A histogram's rule sees its observation count, not its quantile series.
            auto hist = RuleBacktest::run(**store,
                parsed("      - alert: L\n        series: lat_seconds\n        function: rate\n"
                       "        window: 1m\n        threshold: 0.05\n"),
                from, to);
            QVERIFY(hist);
            QCOMPARE(hist->series.size(), 1);
            QCOMPARE(hist->series.first().name, QStringLiteral("lat_seconds_count{route=\"/\"}"));
            QCOMPARE(hist->series.first().firing.size(), 1); // 0.1/s throughout

            // The cap, and cancelling between series.
            auto capped = RuleBacktest::run(**store,
                parsed("      - alert: D\n        series: q_depth\n        threshold: 5\n"), from,
                to, {}, 1);
            QVERIFY(capped);
            QCOMPARE(capped->matched, 2);
            QCOMPARE(capped->series.size(), 1);
            int calls = 0;
            auto cancelled = RuleBacktest::run(**store,
                parsed("      - alert: D\n        series: q_depth\n        threshold: 5\n"), from,
                to, [&](int done, int total) {
                    ++calls;
                    return !(done == 1 && total == 2);
                });
            QVERIFY(!cancelled);
            QCOMPARE(cancelled.error().code, QStringLiteral("alerting.cancelled"));
            QCOMPARE(calls, 2);

            auto always = RuleBacktest::run(
                **store, parsed("      - alert: W\n        always: true\n"), from, to);
            QVERIFY(!always);
            QCOMPARE(always.error().code, QStringLiteral("alerting.bad_rules"));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("seed"));
    }
};

QTEST_GUILESS_MAIN(TstRuleBacktest)
#include "tst_rulebacktest.moc"
