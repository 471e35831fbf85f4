#include "alerting/alertingconfig.h"
#include "core/config.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstAlertingConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults()
    {
        const auto c = ConfigLoader::parse(QByteArray("{}\n"), QStringLiteral("d.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        const AlertingConfig &a = c.value().section<AlertingConfig>();
        QVERIFY(a.enabled);
        QCOMPARE(a.intervalMs, 10'000);
        QCOMPARE(a.rules.size(), 10);
        QVERIFY(a.notifiers.isEmpty());
    }

    void rulesFileAndNotifiers()
    {
        QTemporaryDir dir;
        QFile rules(dir.filePath(QStringLiteral("mine.yml")));
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write("groups:\n  - name: g\n    rules:\n      - alert: Mine\n        series: m\n"
                    "        threshold: 1\n");
        rules.close();
        QFile config(dir.filePath(QStringLiteral("shivx.yaml")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(
            "alerting:\n  rules: mine.yml\n  interval: 2s\n  notifiers:\n"
            "    - {name: hook, type: webhook, url_env: HOOK, group_by: [alertname, target]}\n"
            "    - {name: am, type: alertmanager, url: 'http://127.0.0.1:9093'}\n"
            "    - {name: pd, type: pagerduty, routing_key_file: /etc/pd-key}\n");
        config.close();
        const auto c = ConfigLoader::loadFile(config.fileName());
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        const AlertingConfig &a = c.value().section<AlertingConfig>();
        QCOMPARE(a.rules.size(), 11); // relative to the configuration file
        QCOMPARE(a.rules.last().name, QStringLiteral("Mine"));
        QCOMPARE(a.intervalMs, 2000);
        QCOMPARE(a.notifiers.size(), 3);
        QCOMPARE(a.notifiers.at(0).secretEnv, QStringLiteral("HOOK"));
        QCOMPARE(a.notifiers.at(0).groupBy, (QStringList { "alertname", "target" }));
        QCOMPARE(a.notifiers.at(1).repeatIntervalMs, 60'000);
        QCOMPARE(a.notifiers.at(2).url, QStringLiteral("https://events.pagerduty.com/v2/enqueue"));
    }

    void aBadRuleFileNamesItsOwnLine()
    {
        QTemporaryDir dir;
        QFile rules(dir.filePath(QStringLiteral("bad.yml")));
        QVERIFY(rules.open(QIODevice::WriteOnly));
        rules.write("groups:\n  - name: g\n    rules:\n      - alert: CpuHigh\n        series: m\n"
                    "        threshold: 1\n");
        rules.close();
        const auto c = ConfigLoader::parse(
            "alerting:\n  rules: " + rules.fileName().toUtf8() + "\n", QStringLiteral("d.yaml"));
        QVERIFY(!c.ok());
        // A name the defaults use already.
        QVERIFY2(c.error().message.startsWith(QLatin1String("d.yaml:2: alerting.rules: ")),
            qPrintable(c.error().message));
        QVERIFY2(c.error().message.contains(
                     QLatin1String("bad.yml:4: alert CpuHigh is defined already")),
            qPrintable(c.error().message));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("unknown key") << QByteArray("alerting:\n  colour: red\n")
                                     << QStringLiteral("d.yaml:2: alerting.colour: unknown key");
        QTest::newRow("interval below a second")
            << QByteArray("alerting:\n  interval: 100ms\n")
            << QStringLiteral("d.yaml:2: alerting.interval: must be at least 1s");
        QTest::newRow("missing rules file")
            << QByteArray("alerting:\n  rules: /nonexistent/rules.yml\n")
            << QStringLiteral("d.yaml:2: alerting.rules: /nonexistent/rules.yml does not exist");
        QTest::newRow("inline webhook url")
            << QByteArray("alerting:\n  notifiers:\n    - {name: a, type: webhook, url: "
                          "'http://x/T0KEN'}\n")
            << QStringLiteral("d.yaml:3: alerting.notifiers[0].url: a webhook URL is a secret");
        QTest::newRow("inline routing key")
            << QByteArray(
                   "alerting:\n  notifiers:\n    - {name: a, type: pagerduty, routing_key: abc}\n")
            << QStringLiteral(
                   "d.yaml:3: alerting.notifiers[0].routing_key: a routing key is a secret");
        QTest::newRow("no secret named")
            << QByteArray("alerting:\n  notifiers:\n    - {name: a, type: pagerduty}\n")
            << QStringLiteral(
                   "d.yaml:3: alerting.notifiers[0].routing_key_file: name exactly one of "
                   "routing_key_file and routing_key_env");
        QTest::newRow("unknown type")
            << QByteArray("alerting:\n  notifiers:\n    - {name: a, type: email}\n")
            << QStringLiteral("d.yaml:3: alerting.notifiers[0].type: expected webhook, pagerduty "
                              "or alertmanager");
        QTest::newRow("alertmanager without url")
            << QByteArray("alerting:\n  notifiers:\n    - {name: a, type: alertmanager}\n")
            << QStringLiteral("d.yaml:3: alerting.notifiers[0].url: is required");
        QTest::newRow("two notifiers, one name")
            << QByteArray("alerting:\n  notifiers:\n    - {name: a, type: alertmanager, url: "
                          "'http://h:1'}\n"
                          "    - {name: a, type: alertmanager, url: 'http://h:2'}\n")
            << QStringLiteral("d.yaml:4: alerting.notifiers[1].name: \"a\" is used twice");
    }
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("d.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.startsWith(message), qPrintable(c.error().message));
        // The secret itself is never echoed.
        QVERIFY(!c.error().message.contains(QLatin1String("T0KEN")));
    }
};

QTEST_GUILESS_MAIN(TstAlertingConfig)
#include "tst_alertingconfig.moc"
