#include "core/config.h"
#include "executor/boundedexecutor.h"
#include "health/healthconfig.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstConfigLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void embeddedDefaultLoads()
    {
        const auto c = ConfigLoader::loadDefault();
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->section<HealthConfig>().sampleIntervalMs, 1000LL);
        QVERIFY(!c->targets.isEmpty());
        QVERIFY(c->targets.constFirst().urlTemplate.contains(QLatin1String("${api}")));
    }

    void emptyFileMeansDefaults()
    {
        const auto c = ConfigLoader::parse("", QStringLiteral("empty.yaml"));
        QVERIFY(c.ok());
        QCOMPARE(c->listen, QStringLiteral("127.0.0.1:8087"));
        QVERIFY(c->targets.isEmpty());
    }

    void fullTargets()
    {
        const auto c = ConfigLoader::loadFile(
            QStringLiteral(SHIVX_SOURCE_DIR "/tests/fixtures/config/full.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->section<HealthConfig>().sampleIntervalMs, 500LL);
        QCOMPARE(c->retention.rawMs, 86400000LL);
        QCOMPARE(c->targets.size(), 4);
        const TargetSpec &web = c->targets.at(0);
        QVERIFY(web.kind == TargetKind::Http);
        QCOMPARE(web.expectStatus, 204);
        QCOMPARE(web.timeoutMs, 3000LL);
        QCOMPARE(web.weight, 2.0);
        QVERIFY(web.critical);
        QCOMPARE(web.slowThresholdMs, 800LL);
        QCOMPARE(c->targets.at(1).port, quint16(5432));
        QCOMPARE(c->targets.at(2).processName, QStringLiteral("nginx"));
        QCOMPARE(
            c->targets.at(3).args, (QStringList { QStringLiteral("-x"), QStringLiteral("y z") }));
        QCOMPARE(c->targets.at(3).failureThreshold, 1);
    }

    // engine.workers and engine.queue_size size the engine's executor (docs/configuration.md).
    void executorSizing_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<int>("workers");
        QTest::addColumn<int>("queueSize");
        QTest::newRow("defaults") << QByteArray("engine:\n  api: true\n") << 2 << 256;
        QTest::newRow("both set") << QByteArray("engine:\n  workers: 4\n  queue_size: 32\n") << 4
                                  << 32;
        QTest::newRow("workers only") << QByteArray("engine:\n  workers: 1\n") << 1 << 256;
    }
    void executorSizing()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(int, workers);
        QFETCH(int, queueSize);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("sizing.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->section<ExecutorConfig>().workers, workers);
        QCOMPARE(c->section<ExecutorConfig>().queueSize, queueSize);
    }

    // Each bad configuration names the file, the line and the key.
    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown top-level key")
            << QByteArray("engine: {}\nsampler:\n  intervall: 1s\n")
            << "bad.yaml:3: sampler.intervall: unknown key";
        QTest::newRow("bad duration 5x")
            << QByteArray("sampler:\n  interval: 5x\n")
            << "bad.yaml:2: sampler.interval: \"5x\" is not a duration";
        QTest::newRow("duration too short")
            << QByteArray("sampler:\n  interval: 1ms\n")
            << "bad.yaml:2: sampler.interval: must be at least 100ms";
        QTest::newRow("bad url")
            << QByteArray("targets:\n  - name: a\n    type: http\n    url: ftp://x/\n")
            << "bad.yaml:4: targets[0].url: \"ftp://x/\" is not an http(s) URL";
        QTest::newRow("url without host")
            << QByteArray("targets:\n  - {name: a, type: http, url: \"http://\"}\n")
            << "bad.yaml:2: targets[0].url:";
        QTest::newRow("wrong type for weight")
            << QByteArray("targets:\n  - {name: a, type: tcp, host: h, port: 1, weight: heavy}\n")
            << "bad.yaml:2: targets[0].weight: expected a number, got \"heavy\"";
        QTest::newRow("port out of range")
            << QByteArray("targets:\n  - {name: a, type: tcp, host: h, port: 70000}\n")
            << "targets[0].port: 70000 is out of range";
        QTest::newRow("missing url") << QByteArray("targets:\n  - {name: a, type: http}\n")
                                     << "targets[0].url: required for type http";
        QTest::newRow("key of other type") << QByteArray(
            "targets:\n  - {name: a, type: tcp, host: h, port: 1, url: \"http://x\"}\n")
                                           << "targets[0].url: does not apply to type tcp";
        QTest::newRow("unknown target type") << QByteArray("targets:\n  - {name: a, type: ping}\n")
                                             << "targets[0].type: \"ping\" is not a target type";
        QTest::newRow("duplicate name") << QByteArray(
            "targets:\n  - {name: a, type: tcp, host: h, port: 1}\n  - {name: a, type: tcp, host: "
            "h, port: 2}\n") << "bad.yaml:3: targets[1].name: duplicate target name";
        QTest::newRow("timeout above interval") << QByteArray(
            "targets:\n  - {name: a, type: tcp, host: h, port: 1, interval: 1s, "
            "timeout: 2s}\n") << "targets[0].timeout: must not exceed the interval";
        QTest::newRow("critical not bool")
            << QByteArray("targets:\n  - {name: a, type: tcp, host: h, port: 1, critical: maybe}\n")
            << "targets[0].critical: expected true or false";
        QTest::newRow("executor without workers") << QByteArray(
            "engine:\n  workers: 0\n") << "bad.yaml:2: engine.workers: 0 is out of range [1, 64]";
        QTest::newRow("executor queue not a number")
            << QByteArray("engine:\n  queue_size: lots\n")
            << "bad.yaml:2: engine.queue_size: expected an integer, got \"lots\"";
        QTest::newRow("bad listen") << QByteArray("engine:\n  listen: nowhere\n")
                                    << "bad.yaml:2: engine.listen: \"nowhere\" is not HOST:PORT";
        QTest::newRow("targets not a list")
            << QByteArray("targets: {a: 1}\n") << "bad.yaml:1: targets: expected a list";
        QTest::newRow("yaml syntax") << QByteArray("engine:\n  listen: [1, 2\n") << "bad.yaml:";
        QTest::newRow("process needs one selector")
            << QByteArray("targets:\n  - {name: a, type: process}\n")
            << "needs exactly one of pid_file or process_name";
        QTest::newRow("bad name") << QByteArray(
            "targets:\n  - {name: \"a b\", type: tcp, host: h, port: 1}\n")
                                  << "targets[0].name: required;";
        QTest::newRow("duplicate key, both lines named")
            << QByteArray("engine:\n  listen: 127.0.0.1:1\n  api: true\n  listen: 127.0.0.1:2\n")
            << "bad.yaml:4: engine.listen: duplicate key (first at line 2)";
        QTest::newRow("duplicate key in a flow mapping")
            << QByteArray("targets:\n  - {name: a, type: tcp, host: h, port: 1, port: 2}\n")
            << "bad.yaml:2: targets[0].port: duplicate key (first at line 2)";
        QTest::newRow("duplicate feature")
            << QByteArray("features:\n  chat: LEVEL_3\n  chat: NORMAL\n")
            << "bad.yaml:3: features.chat: duplicate key (first at line 2)";
        QTest::newRow("sampler slower than the watchdog")
            << QByteArray("sampler:\n  interval: 10s\n  watchdog_stall: 5s\n")
            << "bad.yaml:2: sampler.interval: 10s must be shorter than sampler.watchdog_stall (5s)";
        // The interval is implied (1s, the default): the error names the mapping's line.
        QTest::newRow("implied interval names the mapping's line")
            << QByteArray("engine: {}\nsampler:\n  watchdog_stall: 1s\n")
            << "bad.yaml:3: sampler.interval: 1s must be shorter than sampler.watchdog_stall (1s)";
        QTest::newRow("duration sum overflows") << QByteArray("history:\n  retention:\n    raw: ")
                + QByteArray("1000000000d").repeated(120)
                + QByteArray("\n") << "bad.yaml:3: history.retention.raw: duration \"";
        QTest::newRow("history write interval too long")
            << QByteArray("history:\n  write_interval: 2m\n")
            << "bad.yaml:2: history.write_interval: must be at most 1m";
        QTest::newRow("history write interval too short")
            << QByteArray("history:\n  write_interval: 10ms\n")
            << "bad.yaml:2: history.write_interval: must be at least 100ms";
        QTest::newRow("timer beyond what QTimer holds")
            << QByteArray("targets:\n  - {name: a, type: tcp, host: h, port: 1, interval: 30d}\n")
            << "bad.yaml:2: targets[0].interval: 30d is longer than a timer can wait (at most 24d";
        QTest::newRow("backup schedule not cron")
            << QByteArray("backup:\n  sets:\n    a:\n      paths: [/x]\n      schedule: hourly\n")
            << "bad.yaml:5: backup.sets.a.schedule: ";
        QTest::newRow("backup schedule type unknown")
            << QByteArray("backup:\n  sets:\n    a:\n      paths: [/x]\n      schedule:\n"
                          "        - {cron: \"0 3 * * *\", type: weekly}\n")
            << "bad.yaml:6: backup.sets.a.schedule[0].type: weekly is not full, incremental or "
               "differential";
        QTest::newRow("backup drill not cron") << QByteArray(
            "backup:\n  sets:\n    a:\n      paths: [/x]\n      drill: \"61 * * * *\"\n")
                                               << "bad.yaml:5: backup.sets.a.drill: ";
        QTest::newRow("backup verify mode")
            << QByteArray("backup:\n  verify: {schedule: \"0 4 * * 0\", mode: deep}\n")
            << "bad.yaml:2: backup.verify.mode: deep is not quick or full";
        QTest::newRow("backup debounce too short")
            << QByteArray("backup:\n  continuous: {debounce: 10ms}\n")
            << "bad.yaml:2: backup.continuous.debounce: must be at least";
        QTest::newRow("prometheus needs a url")
            << QByteArray("targets:\n  - {name: a, type: prometheus}\n")
            << "targets[0].url: required for type prometheus";
        QTest::newRow("prometheus max_series out of range") << QByteArray(
            "targets:\n  - {name: a, type: prometheus, url: \"http://h/m\", "
            "max_series: 0}\n") << "targets[0].max_series: 0 is out of range";
        QTest::newRow("prometheus bad metrics pattern")
            << QByteArray("targets:\n  - {name: a, type: prometheus, url: \"http://h/m\", "
                          "metrics: [\"node_(\"]}\n")
            << "targets[0].metrics: \"node_(\" is not a regular expression";
        QTest::newRow("max_series on http") << QByteArray(
            "targets:\n  - {name: a, type: http, url: \"http://h/\", "
            "max_series: 5}\n") << "targets[0].max_series: does not apply to type http";
        QTest::newRow("body_contains on prometheus") << QByteArray(
            "targets:\n  - {name: a, type: prometheus, url: \"http://h/\", "
            "body_contains: x}\n") << "targets[0].body_contains: does not apply to type prometheus";
        QTest::newRow("checkpoint timer too long")
            << QByteArray("audit:\n  checkpoint:\n    every: 25d\n")
            << "bad.yaml:3: audit.checkpoint.every: 25d is longer than a timer can wait";
    }
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("bad.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(expected), qPrintable(c.error().message));
    }

    // docs/configuration.md: a target without `timeout:` gets recovery.timeout (30 s by
    // default) capped at its interval, never an error.
    void defaultTimeoutIsCappedAtTheInterval()
    {
        const auto c = ConfigLoader::parse(
            "targets:\n  - {name: a, type: tcp, host: h, port: 1, interval: 2s}\n"
            "  - {name: b, type: tcp, host: h, port: 1, interval: 1m}\n",
            QStringLiteral("ok.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->targets.at(0).timeoutMs, 2000LL);
        QCOMPARE(c->targets.at(1).timeoutMs, 30'000LL);
    }

    void prometheusTarget()
    {
        const auto c = ConfigLoader::parse(
            "targets:\n  - {name: node, type: prometheus, url: \"http://127.0.0.1:9100/metrics\"}\n"
            "  - name: app\n    type: prometheus\n    url: \"http://${api}/metrics\"\n"
            "    max_series: 50\n    metrics: [\"shivx_health_.*\", up]\n    tls_verify: false\n",
            QStringLiteral("ok.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QVERIFY(c->targets.at(0).kind == TargetKind::Prometheus);
        QCOMPARE(c->targets.at(0).url, QUrl(QStringLiteral("http://127.0.0.1:9100/metrics")));
        QCOMPARE(c->targets.at(0).maxSeries, 1000);
        QCOMPARE(c->targets.at(0).expectStatus, 200);
        QCOMPARE(c->targets.at(1).maxSeries, 50);
        QCOMPARE(c->targets.at(1).metricPatterns, (QStringList { "shivx_health_.*", "up" }));
        QCOMPARE(c->targets.at(1).urlTemplate, QStringLiteral("http://${api}/metrics"));
        QVERIFY(!c->targets.at(1).tlsVerify);
    }

    // Retention periods are not timers: a year is fine.
    void retentionIsNotATimer()
    {
        const auto c = ConfigLoader::parse(
            "history:\n  retention: {hour: 800d}\naudit:\n  retention: 365d\n",
            QStringLiteral("ok.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->retention.hourMs, 800LL * 86'400'000);
    }

    void fileErrorsNameThePath()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing.yaml"));
        const auto c = ConfigLoader::loadFile(path);
        QVERIFY(!c.ok());
        QVERIFY(c.error().message.startsWith(path));
    }
};

QTEST_GUILESS_MAIN(TstConfigLoader)
#include "tst_configloader.moc"
