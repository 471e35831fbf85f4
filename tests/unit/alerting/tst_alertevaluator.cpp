#include "alerting/alertevaluator.h"

#include <QTest>

using namespace Shivx;

namespace {

AlertRule rule(const char *yaml)
{
    auto r = parseAlertRules(
        QByteArray("groups:\n  - name: g\n    rules:\n") + yaml, QStringLiteral("test.yml"));
    if (!r)
        qFatal("%s", qPrintable(r.error().message));
    return r->first();
}

QStringList states(const QList<AlertTransition> &ts)
{
    QStringList out;
    for (const AlertTransition &t : ts)
        out << t.alert.rule + QLatin1Char(':') + t.from + QStringLiteral("->")
                + toString(t.alert.state);
    return out;
}

} // namespace

class TstAlertEvaluator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The registry's family and a scraped one of the same name (other label names): one
    // selector sees both, each series its own window and alert.
    void familiesOfOneNameFromTheRegistryAndAScrape()
    {
        MetricRegistry reg;
        reg.gauge(QStringLiteral("depth"), QStringLiteral("d"))->gauge().set(1);
        FamilySnapshot scraped;
        scraped.name = QStringLiteral("depth");
        scraped.labelNames = QStringList { "target", "queue" };
        scraped.series.append({ { "peer", "a" }, 50, {}, {}, 0, 0 });
        scraped.series.append({ { "peer", "b" }, 1, {}, {}, 0, 0 });
        AlertEvaluator e;
        e.setRules({ rule("      - alert: Deep\n        series: depth\n        threshold: 10\n") });
        QCOMPARE(states(e.evaluate(reg.collect() + QList<FamilySnapshot> { scraped }, 1000)),
            (QStringList { "Deep:inactive->pending", "Deep:pending->firing" }));
        QCOMPARE(e.active().size(), 1);
        QCOMPARE(e.active().first().labels.value(QStringLiteral("queue")), QStringLiteral("a"));
        QCOMPARE(e.active().first().labels.value(QStringLiteral("target")), QStringLiteral("peer"));
        // target="" keeps to the engine's own series.
        e.setRules({ rule("      - alert: Own\n        series: depth{target=\"\"}\n"
                          "        threshold: 0\n") });
        e.evaluate(reg.collect() + QList<FamilySnapshot> { scraped }, 2000);
        QCOMPARE(e.active().size(), 1);
        QCOMPARE(e.active().first().rule, QStringLiteral("Own"));
        QVERIFY(!e.active().first().labels.contains(QStringLiteral("target")));
    }

    // A summary family (the executor's wait times, say) stands for its observations, as a
    // histogram does: a rule on it sees the count, not the unused gauge value.
    void summaryFamiliesAreTheirCount()
    {
        FamilySnapshot waits;
        waits.name = QStringLiteral("waits");
        waits.type = MetricType::Summary;
        waits.series.append({ {}, 0, {}, {}, 2.5, 7 });
        AlertEvaluator e;
        e.setRules({ rule("      - alert: Busy\n        series: waits\n        threshold: 5\n") });
        QCOMPARE(states(e.evaluate({ waits }, 1000)),
            (QStringList { "Busy:inactive->pending", "Busy:pending->firing" }));
    }

    void pendingFiringResolved()
    {
        MetricRegistry reg;
        Gauge cpu = reg.gauge(QStringLiteral("cpu"), QStringLiteral("c"))->gauge();
        AlertEvaluator e;
        e.setRules(
            { rule("      - alert: Hot\n        series: cpu\n        function: avg_over_time\n"
                   "        window: 30s\n        threshold: 0.8\n        for: 20s\n"
                   "        annotations:\n          summary: \"cpu {{ $value }}\"\n") });
        qint64 t = 1'000'000;
        cpu.set(0.5);
        QVERIFY(e.evaluate(reg.collect(), t).isEmpty());
        cpu.set(1.0);
        t += 10'000; // avg 0.75: still fine
        QVERIFY(e.evaluate(reg.collect(), t).isEmpty());
        t += 10'000; // avg (0.5+1+1)/3 = 0.83
        QCOMPARE(states(e.evaluate(reg.collect(), t)), QStringList { "Hot:inactive->pending" });
        QCOMPARE(e.active().first().summary, QStringLiteral("cpu 0.833333"));
        t += 10'000;
        QVERIFY(e.evaluate(reg.collect(), t).isEmpty()); // pending for 10 s of 20
        t += 10'000;
        QCOMPARE(states(e.evaluate(reg.collect(), t)), QStringList { "Hot:pending->firing" });
        cpu.set(0);
        t += 10'000; // window 30s: 1, 1, 1, 0 -> 0.75
        QCOMPARE(states(e.evaluate(reg.collect(), t)), QStringList { "Hot:firing->resolved" });
        QVERIFY(e.active().isEmpty());
    }

    void forZeroFiresAtOnceAndPendingThatClearsResolvesFromPending()
    {
        MetricRegistry reg;
        Gauge g = reg.gauge(QStringLiteral("g"), QStringLiteral("g"))->gauge();
        AlertEvaluator e;
        e.setRules({ rule("      - alert: Now\n        series: g\n        threshold: 0\n"),
            rule("      - alert: Later\n        series: g\n        threshold: 0\n        for: "
                 "1m\n") });
        g.set(1);
        QCOMPARE(states(e.evaluate(reg.collect(), 0)),
            (QStringList {
                "Now:inactive->pending", "Now:pending->firing", "Later:inactive->pending" }));
        g.set(0);
        QCOMPARE(states(e.evaluate(reg.collect(), 1000)),
            (QStringList { "Now:firing->resolved", "Later:pending->resolved" }));
    }

    void oneAlertPerMatchingSeries()
    {
        MetricRegistry reg;
        MetricFamily *up = reg.gauge(QStringLiteral("up"), QStringLiteral("u"),
            { QStringLiteral("target"), QStringLiteral("type") });
        up->gauge({ QStringLiteral("web"), QStringLiteral("http") }).set(0);
        up->gauge({ QStringLiteral("db"), QStringLiteral("tcp") }).set(0);
        up->gauge({ QStringLiteral("cache"), QStringLiteral("http") }).set(1);
        AlertEvaluator e;
        e.setRules(
            { rule("      - alert: Down\n        series: up{type=\"http\"}\n        op: \"==\"\n"
                   "        threshold: 0\n        labels:\n          team: ops\n") });
        e.evaluate(reg.collect(), 0);
        const QList<AlertInstance> a = e.active();
        QCOMPARE(a.size(), 1);
        QCOMPARE(a.first().labels.value(QStringLiteral("target")), QStringLiteral("web"));
        QCOMPARE(a.first().labels.value(QStringLiteral("team")), QStringLiteral("ops"));
        QCOMPARE(a.first().labels.value(QStringLiteral("alertname")), QStringLiteral("Down"));
        // The series goes away (target removed): its firing alert resolves.
        up->retain([](const QStringList &v) { return v.first() != QLatin1String("web"); });
        QCOMPARE(states(e.evaluate(reg.collect(), 1000)), QStringList { "Down:firing->resolved" });
        // A pending alert whose series goes away resolves too (its stored row must go).
        e.setRules({ rule("      - alert: Down\n        series: up\n        op: \"==\"\n"
                          "        threshold: 0\n        for: 1h\n") });
        e.evaluate(reg.collect(), 2000);
        QCOMPARE(e.active().size(), 1);
        up->clear();
        QCOMPARE(states(e.evaluate(reg.collect(), 3000)), QStringList { "Down:pending->resolved" });
    }

    // An alert is inhibited while the alert it depends on fires, and stays inhibited across a
    // restart (the restored firing inhibitor counts before it is evaluated again):
    // prometheus/alertmanager#4064.
    void inhibitionSurvivesRestore()
    {
        MetricRegistry reg;
        MetricFamily *up
            = reg.gauge(QStringLiteral("up"), QStringLiteral("u"), { QStringLiteral("target") });
        MetricFamily *err
            = reg.gauge(QStringLiteral("err"), QStringLiteral("e"), { QStringLiteral("target") });
        up->gauge({ QStringLiteral("web") }).set(0);
        err->gauge({ QStringLiteral("web") }).set(5);
        err->gauge({ QStringLiteral("db") }).set(5);
        const auto parsed
            = parseAlertRules("groups:\n  - name: g\n    rules:\n"
                              "      - alert: Down\n        series: up\n        op: \"==\"\n"
                              "        threshold: 0\n        for: 1m\n"
                              "      - alert: Errors\n        series: err\n        threshold: 1\n"
                              "        inhibited_by: [Down]\n        inhibit_equal: [target]\n",
                QStringLiteral("test.yml"));
        QVERIFY2(parsed, parsed ? "" : qPrintable(parsed.error().message));
        const QList<AlertRule> rules = *parsed;
        AlertEvaluator e;
        e.setRules(rules);
        e.evaluate(reg.collect(), 0);
        e.evaluate(reg.collect(), 60'000);
        QList<AlertInstance> kept;
        for (const AlertInstance &a : e.active()) {
            kept << a;
            if (a.rule == QLatin1String("Errors"))
                QCOMPARE(
                    a.inhibited, a.labels.value(QStringLiteral("target")) == QLatin1String("web"));
        }
        QCOMPARE(kept.size(), 3);

        // A new evaluator (a restarted engine) given what the store kept: Down needs a minute of
        // `for` again if it starts from scratch, yet Errors{web} must stay inhibited.
        AlertEvaluator restarted;
        restarted.setRules(rules);
        restarted.restore(kept);
        const QList<AlertTransition> first = restarted.evaluate(reg.collect(), 120'000);
        QVERIFY2(first.isEmpty(), qPrintable(states(first).join(QLatin1Char(' '))));
        for (const AlertInstance &a : restarted.active())
            if (a.rule == QLatin1String("Errors"))
                QCOMPARE(
                    a.inhibited, a.labels.value(QStringLiteral("target")) == QLatin1String("web"));
            else
                QVERIFY(a.state == AlertState::Firing);
    }

    void silencesAndAcknowledgements()
    {
        MetricRegistry reg;
        reg.gauge(QStringLiteral("g"), QStringLiteral("g"))->gauge().set(1);
        AlertEvaluator e;
        e.setRules({ rule("      - alert: A\n        series: g\n        threshold: 0\n") });
        e.setSilences(
            { { QStringLiteral("s1"), { { QStringLiteral("alertname"), QStringLiteral("A") } }, 0,
                10'000, QStringLiteral("cli:alice"), QString() } });
        e.evaluate(reg.collect(), 5000);
        QCOMPARE(e.active().first().silencedBy, QStringLiteral("s1"));
        e.evaluate(reg.collect(), 10'000); // the silence has ended
        QVERIFY(e.active().first().silencedBy.isEmpty());
        const QString fp = e.active().first().fingerprint;
        QVERIFY(e.acknowledge(fp, QStringLiteral("cli:bob"), 11'000));
        QCOMPARE(e.active().first().ackedBy, QStringLiteral("cli:bob"));
        QVERIFY(!e.acknowledge(QStringLiteral("nope"), QStringLiteral("cli:bob"), 11'000));
    }

    void watchdogAlwaysFires()
    {
        MetricRegistry reg;
        AlertEvaluator e;
        e.setRules(
            { rule("      - alert: Watchdog\n        always: true\n        severity: none\n") });
        QCOMPARE(states(e.evaluate(reg.collect(), 0)),
            (QStringList { "Watchdog:inactive->pending", "Watchdog:pending->firing" }));
        QVERIFY(e.evaluate(reg.collect(), 1000).isEmpty());
        QVERIFY(e.active().first().state == AlertState::Firing);
    }

    void healthForecastNamesTheNextLevel()
    {
        MetricRegistry reg;
        Gauge score = reg.gauge(QStringLiteral("shivx_health_score"), QStringLiteral("s"))->gauge();
        AlertEvaluator e;
        e.setForecast(30 * 60'000, 2 * 3600'000,
            [](double s) {
                return s >= 80 ? QStringLiteral("NORMAL")
                    : s >= 60  ? QStringLiteral("LEVEL_1")
                               : QStringLiteral("LEVEL_2");
            },
            { { QStringLiteral("NORMAL"), 80 }, { QStringLiteral("LEVEL_1"), 60 } });
        // Falling 10 points an hour from 95, sampled every minute for 20 minutes.
        for (int m = 0; m <= 20; ++m) {
            score.set(95 - 10.0 * m / 60.0);
            e.evaluate(reg.collect(), qint64(m) * 60'000);
        }
        const HealthForecast f = e.forecast(20 * 60'000);
        QVERIFY(f.likely);
        QCOMPARE(f.level, QStringLiteral("LEVEL_1"));
        // At 20 min the score is 91.67; 80 is 11.67 points away: 70 minutes.
        QVERIFY2(qAbs(f.etaMs - 70 * 60'000) < 1000, qPrintable(QString::number(f.etaMs)));
        QVERIFY(qAbs(f.slopePerHour + 10) < 1e-6);
    }

    // A reload that drops a rule (the console's rule editor saves and reloads) resolves that
    // rule's alerts at the next evaluation, so the store drops their rows; they used to vanish
    // without a transition and stay in alerting_active.
    void rulesReplacedResolveTheAlertsOfRemovedRules()
    {
        MetricRegistry reg;
        Gauge g = reg.gauge(QStringLiteral("g"), QStringLiteral("g"))->gauge();
        AlertEvaluator e;
        const AlertRule kept
            = rule("      - alert: Kept\n        series: g\n        threshold: 0\n");
        e.setRules(
            { kept, rule("      - alert: Gone\n        series: g\n        threshold: 0\n") });
        g.set(1);
        QCOMPARE(e.evaluate(reg.collect(), 0).size(), 4);
        e.setRules({ kept });
        QCOMPARE(states(e.evaluate(reg.collect(), 1000)), QStringList { "Gone:firing->resolved" });
        QCOMPARE(e.active().size(), 1);
        QCOMPARE(e.active().first().rule, QStringLiteral("Kept"));
    }
};

QTEST_GUILESS_MAIN(TstAlertEvaluator)
#include "tst_alertevaluator.moc"
