// The `guardian:` section through the real configuration loader: defaults, every key, and
// bad input refused with the file, line and dotted key.
#include "core/config.h"
#include "guardian/guardianconfig.h"

#include <QTest>

using namespace Shivx;

class TstGuardianConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenAbsent()
    {
        const auto c = ConfigLoader::parse("engine: {api: false}\n", QStringLiteral("g.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        const GuardianConfig &g = c->section<GuardianConfig>();
        QVERIFY(g.enabled);
        QCOMPARE(g.api.warnRequests, 100);
        QCOMPARE(g.api.limitRequests, 500);
        QCOMPARE(g.api.windowMs, 60'000);
        QCOMPARE(g.api.tokenWarn, 5);
        QCOMPARE(g.api.tokenCritical, 10);
        QCOMPARE(
            g.api.ignore, (QStringList { QStringLiteral("127.0.0.0/8"), QStringLiteral("::1") }));
        QVERIFY(g.policies.isEmpty());
    }

    void everyKey()
    {
        const QByteArray yaml = "guardian:\n"
                                "  enabled: true\n"
                                "  aggregate_window: 30m\n"
                                "  retention: 7d\n"
                                "  mode: {elevate_warnings: 3, elevate_window: 2m,\n"
                                "         lockdown_on_critical: false, elevate_score: 50,\n"
                                "         lockdown_score: 80, quiet: 5m}\n"
                                "  api:\n"
                                "    window: 30s\n"
                                "    warn_requests: 10\n"
                                "    limit_requests: 20\n"
                                "    token_window: 1m\n"
                                "    token_warn: 2\n"
                                "    token_critical: 4\n"
                                "    ignore: []\n"
                                "  policies:\n"
                                "    - type: api.token_failures\n"
                                "      severity: critical\n"
                                "      isolate: 10m\n"
                                "      raise_mode: lockdown\n"
                                "      command: [/usr/local/sbin/shivx-ban, --set, banned]\n"
                                "      command_timeout: 5s\n";
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("g.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        const GuardianConfig &g = c->section<GuardianConfig>();
        QCOMPARE(g.aggregateWindowMs, 30 * 60'000);
        QCOMPARE(g.retentionMs, 7 * 86'400'000LL);
        QCOMPARE(g.mode.elevateWarnings, 3);
        QCOMPARE(g.mode.elevateWindowMs, 120'000);
        QVERIFY(!g.mode.lockdownOnCritical);
        QCOMPARE(g.mode.elevateScore, 50);
        QCOMPARE(g.mode.lockdownScore, 80);
        QCOMPARE(g.mode.quietMs, 300'000);
        QCOMPARE(g.api.windowMs, 30'000);
        QCOMPARE(g.api.warnRequests, 10);
        QCOMPARE(g.api.limitRequests, 20);
        QCOMPARE(g.api.tokenWindowMs, 60'000);
        QCOMPARE(g.api.tokenWarn, 2);
        QCOMPARE(g.api.tokenCritical, 4);
        QVERIFY(g.api.ignore.isEmpty());
        QCOMPARE(g.policies.size(), 1);
        const GuardianPolicy &p = g.policies.at(0);
        QCOMPARE(p.type, QStringLiteral("api.token_failures"));
        QCOMPARE(toString(p.minSeverity), toString(ThreatSeverity::Critical));
        QCOMPARE(p.isolateMs, 600'000);
        QVERIFY(p.raiseMode);
        QCOMPARE(toString(*p.raiseMode), toString(DefenseMode::Lockdown));
        QCOMPARE(p.command.size(), 3);
        QCOMPARE(p.commandTimeoutMs, 5000);
    }

    void externalTargets()
    {
        const QByteArray yaml = "targets:\n"
                                "  - name: web\n"
                                "    type: process\n"
                                "    process_name: nginx\n"
                                "    external: true\n"
                                "    supervise: {command: /usr/sbin/nginx}\n"
                                "  - name: db\n"
                                "    type: process\n"
                                "    process_name: postgres\n"
                                "    external: false\n"
                                "    supervise: {command: /usr/bin/postgres}\n";
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("g.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QCOMPARE(
            c->section<GuardianConfig>().externalTargets, QStringList { QStringLiteral("web") });
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown key") << QByteArray("guardian:\n  modes: {}\n")
                                     << QStringLiteral("g.yaml:2: guardian.modes: unknown key");
        QTest::newRow("bad ignore entry")
            << QByteArray("guardian:\n  api:\n    ignore: [127.0.0.0/8, localhost]\n")
            << QStringLiteral("g.yaml:3: guardian.api.ignore[1]: \"localhost\" is not an address");
        QTest::newRow("warn above limit")
            << QByteArray("guardian:\n  api:\n    warn_requests: 600\n")
            << QStringLiteral("g.yaml:3: guardian.api.warn_requests: 600 must not be above "
                              "limit_requests (500)");
        QTest::newRow("token warn above critical")
            << QByteArray("guardian:\n  api: {token_warn: 11}\n")
            << QStringLiteral("guardian.api.token_warn: 11 must not be above token_critical (10)");
        QTest::newRow("lockdown score below elevate")
            << QByteArray("guardian:\n  mode:\n    lockdown_score: 50\n")
            << QStringLiteral("g.yaml:3: guardian.mode.lockdown_score: 50 must not be below "
                              "elevate_score (60)");
        QTest::newRow("score out of range")
            << QByteArray("guardian:\n  mode: {elevate_score: 101}\n")
            << QStringLiteral("guardian.mode.elevate_score: 101 is out of range [0, 100]");
        QTest::newRow("policy without type")
            << QByteArray("guardian:\n  policies:\n    - isolate: 1m\n")
            << QStringLiteral("g.yaml:3: guardian.policies[0].type: is required");
        QTest::newRow("policy bad severity")
            << QByteArray("guardian:\n  policies:\n    - {type: x, severity: high, isolate: 1m}\n")
            << QStringLiteral("guardian.policies[0].severity: \"high\" is not info, warning or "
                              "critical");
        QTest::newRow("policy bad mode")
            << QByteArray("guardian:\n  policies:\n    - {type: x, raise_mode: red}\n")
            << QStringLiteral("guardian.policies[0].raise_mode: \"red\" is not NORMAL");
        QTest::newRow("policy relative command")
            << QByteArray("guardian:\n  policies:\n    - {type: x, command: [nft, add]}\n")
            << QStringLiteral("guardian.policies[0].command: \"nft\" must be an absolute path");
        QTest::newRow("policy empty command")
            << QByteArray("guardian:\n  policies:\n    - {type: x, command: []}\n")
            << QStringLiteral("guardian.policies[0].command: needs the program to run");
        QTest::newRow("policy does nothing")
            << QByteArray("guardian:\n  policies:\n    - {type: x, severity: info}\n")
            << QStringLiteral("guardian.policies[0]: does nothing");
        QTest::newRow("policies not a list")
            << QByteArray("guardian:\n  policies: {type: x}\n")
            << QStringLiteral("guardian.policies: expected a list");
        QTest::newRow("external without supervise")
            << QByteArray("targets:\n  - {name: db, type: tcp, host: 127.0.0.1, port: 5432,\n"
                          "     external: true}\n")
            << QStringLiteral("g.yaml:3: targets[0].external: applies only to a target with "
                              "supervise:");
        QTest::newRow("external not a boolean")
            << QByteArray("targets:\n  - {name: db, type: tcp, host: 127.0.0.1, port: 5432,\n"
                          "     external: maybe}\n")
            << QStringLiteral("targets[0].external: expected true or false");
        QTest::newRow("isolate without unit")
            << QByteArray("guardian:\n  policies:\n    - {type: x, isolate: 600}\n")
            << QStringLiteral("guardian.policies[0].isolate:");
    }
    void badInput()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("g.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(error), qPrintable(c.error().message));
    }
};

QTEST_GUILESS_MAIN(TstGuardianConfig)
#include "tst_guardianconfig.moc"
