#include "alerting/alertingconfig.h"
#include "alerting/alertrule.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstAlertRule : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void selectorParses()
    {
        auto s = SeriesSelector::parse(
            QStringLiteral("shivx_target_up{type=\"http\", target!~\"test-.*\",x!=\"a\\\"b\"}"));
        QVERIFY2(s, s ? "" : qPrintable(s.error().message));
        QCOMPARE(s->metric, QStringLiteral("shivx_target_up"));
        QCOMPARE(s->matchers.size(), 3);
        const QStringList names { QStringLiteral("target"), QStringLiteral("type"),
            QStringLiteral("x") };
        QVERIFY(s->matches(
            names, { QStringLiteral("web"), QStringLiteral("http"), QStringLiteral("z") }));
        QVERIFY(!s->matches(
            names, { QStringLiteral("test-1"), QStringLiteral("http"), QStringLiteral("z") }));
        QVERIFY(!s->matches(
            names, { QStringLiteral("web"), QStringLiteral("http"), QStringLiteral("a\"b") }));
        QCOMPARE(SeriesSelector::parse(s->toString())->toString(), s->toString());
    }

    void badSelectorsNameTheSpot_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("error");
        QTest::newRow("no name") << "{a=\"b\"}"
                                 << "expected a metric name";
        QTest::newRow("unquoted") << "m{a=b}"
                                  << "expected a quoted value";
        QTest::newRow("bad op") << "m{a<\"b\"}"
                                << "expected =, !=, =~ or !~";
        QTest::newRow("unterminated") << "m{a=\"b}"
                                      << "unterminated value";
        QTest::newRow("bad regex") << "m{a=~\"(\"}"
                                   << "bad regular expression";
        QTest::newRow("trailing") << "m{a=\"b\"} x"
                                  << "unexpected text";
    }
    void badSelectorsNameTheSpot()
    {
        QFETCH(QString, text);
        QFETCH(QString, error);
        auto s = SeriesSelector::parse(text);
        QVERIFY(!s);
        QVERIFY2(s.error().message.contains(error), qPrintable(s.error().message));
    }

    void badRulesNameFileLineAndKey_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown key") << QByteArray("groups:\n  - name: g\n    rules:\n"
                                                   "      - alert: A\n        series: m\n"
                                                   "        threshold: 1\n        colour: red\n")
                                     << "rules.yml:7: groups[0].rules[0].colour: unknown key";
        QTest::newRow("bad function")
            << QByteArray("groups:\n  - name: g\n    rules:\n      - alert: A\n        series: m\n"
                          "        function: median\n        threshold: 1\n")
            << "rules.yml:6: groups[0].rules[0].function: unknown function \"median\"";
        QTest::newRow("no threshold")
            << QByteArray("groups:\n  - name: g\n    rules:\n      - alert: A\n        series: m\n")
            << "groups[0].rules[0].threshold: is required";
        QTest::newRow("bad for") << QByteArray(
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        series: m\n"
            "        threshold: 1\n        for: soon\n")
                                 << "rules.yml:7: groups[0].rules[0].for:";
        QTest::newRow("duplicate")
            << QByteArray("groups:\n  - name: g\n    rules:\n      - alert: A\n        series: m\n"
                          "        threshold: 1\n      - alert: A\n        series: m\n"
                          "        threshold: 2\n")
            << "alert A is defined twice";
        QTest::newRow("unknown inhibitor")
            << QByteArray("groups:\n  - name: g\n    rules:\n      - alert: A\n        series: m\n"
                          "        threshold: 1\n        inhibited_by: [B]\n")
            << "inhibited_by names B, which is not a rule";
        QTest::newRow("quantile without q")
            << QByteArray("groups:\n  - name: g\n    rules:\n      - alert: A\n        series: m\n"
                          "        function: quantile_over_time\n        threshold: 1\n")
            << "quantile_over_time needs quantile";
    }
    void badRulesNameFileLineAndKey()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        auto r = parseAlertRules(yaml, QStringLiteral("rules.yml"));
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
    }

    void defaultsLoadWithTheirDependencies()
    {
        auto rules = defaultAlertRules();
        QVERIFY2(rules, rules ? "" : qPrintable(rules.error().message));
        QStringList names;
        for (const AlertRule &r : *rules)
            names << r.name;
        for (const char *n : { "CpuHigh", "MemoryHigh", "DiskFilling", "DiskSpaceLow", "TargetDown",
                 "ProbeErrorRate", "BreakerOpen", "BackupOverdue", "AuditChainBroken", "Watchdog" })
            QVERIFY2(names.contains(QLatin1String(n)), n);
        QCOMPARE(names.size(), 10);
    }

    void templatesExpand()
    {
        AlertRule r;
        r.name = QStringLiteral("DiskFilling");
        r.threshold = 24;
        const QString s
            = expandTemplate(QStringLiteral("{{ $alert }}: {{ $labels.mountpoint }} full in "
                                            "{{$value}} h (< {{ $threshold }}) {{ $nope }}"),
                r, { { QStringLiteral("mountpoint"), QStringLiteral("/data") } }, 12.5);
        QCOMPARE(s, QStringLiteral("DiskFilling: /data full in 12.5 h (< 24) {{ $nope }}"));
    }

    void directoryOfFilesLoadsInNameOrder()
    {
        QTemporaryDir dir;
        const auto write = [&](const char *name, const QByteArray &text) {
            QFile f(dir.filePath(QLatin1String(name)));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        };
        write("b.yml",
            "groups:\n  - name: b\n    rules:\n      - alert: B\n        series: m\n        "
            "threshold: 1\n");
        write("a.yaml",
            "groups:\n  - name: a\n    rules:\n      - alert: A\n        series: m\n        "
            "threshold: 1\n");
        write("ignored.txt", "not yaml: [");
        auto r = loadAlertRules(dir.path());
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        QCOMPARE(r->size(), 2);
        QCOMPARE(r->at(0).name, QStringLiteral("A"));
        write("c.yml",
            "groups:\n  - name: c\n    rules:\n      - alert: A\n        series: m\n        "
            "threshold: 1\n");
        r = loadAlertRules(dir.path());
        QVERIFY(!r);
        QVERIFY2(
            r.error().message.contains(QStringLiteral("c.yml")), qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(TstAlertRule)
#include "tst_alertrule.moc"
