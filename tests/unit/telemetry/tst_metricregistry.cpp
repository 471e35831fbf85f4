#include "telemetry/metrichistoryfeed.h"
#include "telemetry/metricregistry.h"

#include <QProcess>
#include <QStandardPaths>
#include <QTest>
#include <QThread>

#include <vector>

using namespace Shivx;

namespace {

QByteArray promtoolCheck(const QByteArray &text, int *exitCode)
{
    QProcess p;
    p.start(QStandardPaths::findExecutable(QStringLiteral("promtool")),
        { QStringLiteral("check"), QStringLiteral("metrics") });
    if (!p.waitForStarted()) {
        *exitCode = -1;
        return "promtool did not start";
    }
    p.write(text);
    p.closeWriteChannel();
    p.waitForFinished(30000);
    *exitCode = p.exitCode();
    return p.readAllStandardOutput() + p.readAllStandardError();
}

double valueOf(const QList<SamplePoint> &points, const QString &series)
{
    for (const SamplePoint &p : points)
        if (p.series == series)
            return p.value;
    return qQNaN();
}

} // namespace

class TstMetricRegistry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void countersGaugesAndHistogramsRender()
    {
        MetricRegistry r;
        Counter c = r.counter(QStringLiteral("shivx_test_events_total"), QStringLiteral("Events."),
                         { QStringLiteral("kind") })
                        ->counter({ QStringLiteral("a\"b") });
        c.inc();
        c.inc(2);
        c.inc(-5); // ignored: counters never go down
        Gauge g = r.gauge(QStringLiteral("shivx_test_temperature_celsius"), QStringLiteral("T."))
                      ->gauge();
        g.set(21.5);
        Histogram h = r.histogram(QStringLiteral("shivx_test_duration_seconds"),
                           QStringLiteral("D."), { QStringLiteral("route") }, { 0.1, 1 })
                          ->histogram({ QStringLiteral("/x") });
        h.observe(0.05);
        h.observe(0.5);
        h.observe(3);
        const QByteArray text = r.render();
        QVERIFY(text.contains("# TYPE shivx_test_events_total counter\n"));
        QVERIFY(text.contains("shivx_test_events_total{kind=\"a\\\"b\"} 3\n"));
        QVERIFY(text.contains("shivx_test_temperature_celsius 21.5\n"));
        QVERIFY(text.contains("# TYPE shivx_test_duration_seconds histogram\n"));
        QVERIFY(text.contains("shivx_test_duration_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"));
        QVERIFY(text.contains("shivx_test_duration_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"));
        QVERIFY(text.contains("shivx_test_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"));
        QVERIFY(text.contains("shivx_test_duration_seconds_sum{route=\"/x\"} 3.55\n"));
        QVERIFY(text.contains("shivx_test_duration_seconds_count{route=\"/x\"} 3\n"));
        int code = 0;
        const QByteArray out = promtoolCheck(text, &code);
        QVERIFY2(code == 0 && out.trimmed().isEmpty(), out.constData());
    }

    void sameFamilyTwiceIsOneFamilyConflictsAreRefused()
    {
        MetricRegistry r;
        MetricFamily *a = r.counter(QStringLiteral("shivx_x_total"), QStringLiteral("X."));
        QCOMPARE(r.counter(QStringLiteral("shivx_x_total"), QStringLiteral("X.")), a);
        QCOMPARE(r.gauge(QStringLiteral("shivx_x_total"), QStringLiteral("X.")), nullptr);
        QCOMPARE(r.counter(QStringLiteral("shivx_x_total"), QStringLiteral("X."),
                     { QStringLiteral("l") }),
            nullptr);
        QCOMPARE(r.gauge(QStringLiteral("1bad"), QStringLiteral("X.")), nullptr);
        QCOMPARE(r.gauge(QStringLiteral("shivx_y"), QStringLiteral("Y."), { QStringLiteral("le") }),
            nullptr);
        // A handle with the wrong number of label values does nothing instead of crashing.
        Counter wrong = a->counter({ QStringLiteral("extra") });
        wrong.inc();
        QCOMPARE(wrong.value(), 0.0);
    }

    void collectorsMirrorAndRetainDropsSeries()
    {
        MetricRegistry r;
        MetricFamily *up = r.gauge(
            QStringLiteral("shivx_t_up"), QStringLiteral("Up."), { QStringLiteral("target") });
        QStringList targets { QStringLiteral("a"), QStringLiteral("b") };
        r.addCollector([&] {
            for (const QString &t : targets)
                up->gauge({ t }).set(1);
            up->retain([&](const QStringList &v) { return targets.contains(v.first()); });
        });
        QVERIFY(r.render().contains("shivx_t_up{target=\"b\"} 1\n"));
        Gauge kept = up->gauge({ QStringLiteral("b") });
        targets = { QStringLiteral("a") };
        const QByteArray text = r.render();
        QVERIFY(text.contains("shivx_t_up{target=\"a\"} 1\n"));
        QVERIFY(!text.contains("target=\"b\""));
        kept.set(5); // a handle on a dropped series stays safe to use
    }

    void counterAdvanceToNeverGoesDown()
    {
        MetricRegistry r;
        Counter c = r.counter(QStringLiteral("shivx_c_total"), QStringLiteral("C."))->counter();
        c.advanceTo(10);
        c.advanceTo(7);
        QCOMPARE(c.value(), 10.0);
    }

    // Four threads hammer the same handles; no update may be lost (TSan runs this too).
    void concurrentUpdatesAreExact()
    {
        MetricRegistry r;
        MetricFamily *f = r.counter(
            QStringLiteral("shivx_c_total"), QStringLiteral("C."), { QStringLiteral("t") });
        MetricFamily *hf = r.histogram(QStringLiteral("shivx_h_seconds"), QStringLiteral("H."), {},
            MetricRegistry::durationBuckets());
        constexpr int perThread = 20000;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back(QThread::create([f, hf, t] {
                // Half the threads take their handle once; half look it up every time.
                Counter c = f->counter({ QStringLiteral("shared") });
                Histogram h = hf->histogram();
                for (int i = 0; i < perThread; ++i) {
                    if (t % 2)
                        f->counter({ QStringLiteral("shared") }).inc();
                    else
                        c.inc();
                    h.observe(0.003);
                }
            }));
            threads.back()->start();
        }
        // Scrapes run while the writers write.
        for (int i = 0; i < 20; ++i)
            QVERIFY(!r.render().isEmpty());
        for (auto &t : threads)
            QVERIFY(t->wait(60000));
        QCOMPARE(f->counter({ QStringLiteral("shared") }).value(), 4.0 * perThread);
        QVERIFY(r.render().contains("shivx_h_seconds_count 80000\n"));
    }

    void historySeriesNamesAndQuantiles()
    {
        MetricRegistry r;
        r.gauge(QStringLiteral("shivx_g"), QStringLiteral("G."))->gauge().set(2);
        r.counter(QStringLiteral("shivx_r_total"), QStringLiteral("R."),
             { QStringLiteral("route"), QStringLiteral("code") })
            ->counter({ QStringLiteral("/a"), QStringLiteral("200") })
            .inc(4);
        Histogram h = r.histogram(QStringLiteral("shivx_d_seconds"), QStringLiteral("D."),
                           { QStringLiteral("route") }, { 1, 2, 4 }, { 0.5, 0.9 })
                          ->histogram({ QStringLiteral("/a") });
        for (int i = 0; i < 10; ++i)
            h.observe(1.5); // all in (1, 2]
        QHash<QString, QList<quint64>> previous;
        QList<SamplePoint> p = MetricHistoryFeed::points(r.collect(), 1000, previous);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_g")), 2.0);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_r_total{route=\"/a\",code=\"200\"}")), 4.0);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_d_seconds_count{route=\"/a\"}")), 10.0);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_d_seconds_sum{route=\"/a\"}")), 15.0);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_d_seconds{route=\"/a\",quantile=\"0.5\"}")), 1.5);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_d_seconds{route=\"/a\",quantile=\"0.9\"}")), 1.9);
        // The next copy's quantiles cover only what was observed since: nothing, then 3.5s.
        p = MetricHistoryFeed::points(r.collect(), 2000, previous);
        QVERIFY(
            qIsNaN(valueOf(p, QStringLiteral("shivx_d_seconds{route=\"/a\",quantile=\"0.5\"}"))));
        QCOMPARE(valueOf(p, QStringLiteral("shivx_d_seconds_count{route=\"/a\"}")), 10.0);
        h.observe(3.5);
        p = MetricHistoryFeed::points(r.collect(), 3000, previous);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_d_seconds{route=\"/a\",quantile=\"0.5\"}")), 3.0);
    }

    // A summary mirrored from a component's own estimator: its quantiles, _sum and _count on
    // /metrics (promtool-clean) and in the history; one without quantiles has only the two.
    void summariesRenderAndReachTheHistory()
    {
        MetricRegistry r;
        Summary wait = r.summary(QStringLiteral("shivx_wait_seconds"), QStringLiteral("W."),
                            { QStringLiteral("pool") }, { 0.99, 0.5, 1.5 })
                           ->summary({ QStringLiteral("a") });
        Summary delay
            = r.summary(QStringLiteral("shivx_delay_seconds"), QStringLiteral("S."), {}, {})
                  ->summary();
        QVERIFY(!r.summary(QStringLiteral("shivx_wait_seconds"), QStringLiteral("W."), {}, {}));
        QVERIFY(!r.counter(QStringLiteral("shivx_delay_seconds"), QStringLiteral("S.")));
        QCOMPARE(r.summary(QStringLiteral("shivx_delay_seconds"), QStringLiteral("S."), {}, {})
                     ->counter()
                     .value(),
            0.0); // a summary family hands out no counter
        wait.set(7, 0.3, { 0.0015, 0.25 });
        delay.set(2, 1.5);
        const QByteArray text = r.render();
        QVERIFY(text.contains("# TYPE shivx_wait_seconds summary\n"));
        QVERIFY(text.contains("\nshivx_wait_seconds{pool=\"a\",quantile=\"0.5\"} 0.0015\n"));
        QVERIFY(text.contains("\nshivx_wait_seconds{pool=\"a\",quantile=\"0.99\"} 0.25\n"));
        QVERIFY(!text.contains("quantile=\"1.5\"")); // not a quantile: dropped at registration
        QVERIFY(text.contains("\nshivx_wait_seconds_sum{pool=\"a\"} 0.3\n"));
        QVERIFY(text.contains("\nshivx_wait_seconds_count{pool=\"a\"} 7\n"));
        QVERIFY(text.contains("# TYPE shivx_delay_seconds summary\nshivx_delay_seconds_sum 1.5\n"
                              "shivx_delay_seconds_count 2\n"));
        int code = 0;
        const QByteArray out = promtoolCheck(text, &code);
        QVERIFY2(code == 0 && out.trimmed().isEmpty(), out.constData());

        QHash<QString, QList<quint64>> previous;
        const QList<SamplePoint> p = MetricHistoryFeed::points(r.collect(), 1000, previous);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_wait_seconds_count{pool=\"a\"}")), 7.0);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_wait_seconds_sum{pool=\"a\"}")), 0.3);
        QCOMPARE(
            valueOf(p, QStringLiteral("shivx_wait_seconds{pool=\"a\",quantile=\"0.99\"}")), 0.25);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_delay_seconds_count")), 2.0);
        QCOMPARE(valueOf(p, QStringLiteral("shivx_delay_seconds_sum")), 1.5);
        QCOMPARE(p.size(), 6);
    }

    void quantileInTheInfBucketIsTheHighestBound()
    {
        QCOMPARE(MetricHistoryFeed::quantile(0.99, { 1, 2 }, { 0, 0, 5 }), 2.0);
        QVERIFY(qIsNaN(MetricHistoryFeed::quantile(0.5, { 1, 2 }, { 0, 0, 0 })));
    }
};

QTEST_GUILESS_MAIN(TstMetricRegistry)
#include "tst_metricregistry.moc"
