// The recovery keys of a target entry (supervise, restart_command, restart_after_failures,
// startup_grace, crash_loop), read through the real ConfigLoader.
#include "core/config.h"

#include "recovery/recoveryconfig.h"

#include <QTest>

using namespace Shivx;

class tst_SuperviseConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fullSupervise()
    {
        const QByteArray yaml = R"(targets:
  - name: web
    type: tcp
    host: 127.0.0.1
    port: 8080
    supervise:
      command: /usr/bin/web
      args: [--port, "8080"]
      env: {MODE: prod, EMPTY: ""}
      cwd: /srv/web
      restart: on-failure
      backoff: {initial: 250ms, max: 30s}
      stop_timeout: 3s
      log: {max_size: 4096, files: 2}
    restart_after_failures: 5
    startup_grace: 20s
    crash_loop: {restarts: 4, window: 2m, cooldown: 10m}
  - name: db
    type: tcp
    host: 127.0.0.1
    port: 5432
    restart_command: {command: /usr/bin/systemctl, args: [restart, postgresql], timeout: 45s}
  - name: plain
    type: tcp
    host: 127.0.0.1
    port: 1
)";
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("s.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->targets.size(), 3);
        QCOMPARE(c->section<RecoveryConfig>().supervised.size(), 2);
        const RecoverySpec &web = c->section<RecoveryConfig>().supervised.at(0);
        QCOMPARE(web.name, QStringLiteral("web"));
        QVERIFY(web.supervised);
        QCOMPARE(web.command, QStringLiteral("/usr/bin/web"));
        QCOMPARE(web.args, (QStringList { QStringLiteral("--port"), QStringLiteral("8080") }));
        QCOMPARE(web.env.size(), 2);
        QCOMPARE(web.env.at(0), qMakePair(QStringLiteral("MODE"), QStringLiteral("prod")));
        QCOMPARE(web.cwd, QStringLiteral("/srv/web"));
        QVERIFY(web.restart == RestartPolicy::OnFailure);
        QCOMPARE(web.backoffInitialMs, 250);
        QCOMPARE(web.backoffMaxMs, 30'000);
        QCOMPARE(web.stopTimeoutMs, 3000);
        QCOMPARE(web.logMaxBytes, 4096);
        QCOMPARE(web.logFiles, 2);
        QCOMPARE(web.restartAfterFailures, 5);
        QCOMPARE(web.startupGraceMs, 20'000);
        QCOMPARE(web.crashLoopRestarts, 4);
        QCOMPARE(web.crashLoopWindowMs, 120'000);
        QCOMPARE(web.crashLoopCooldownMs, 600'000);
        const RecoverySpec &db = c->section<RecoveryConfig>().supervised.at(1);
        QVERIFY(!db.supervised);
        QCOMPARE(db.restartCommand, QStringLiteral("/usr/bin/systemctl"));
        QCOMPARE(db.restartArgs,
            (QStringList { QStringLiteral("restart"), QStringLiteral("postgresql") }));
        QCOMPARE(db.restartTimeoutMs, 45'000);
        QCOMPARE(db.restartAfterFailures, 3); // the default
    }

    void defaults()
    {
        const auto c
            = ConfigLoader::parse("targets:\n  - name: a\n    type: tcp\n    host: h\n    port: 1\n"
                                  "    supervise: {command: /bin/true}\n",
                QStringLiteral("d.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        const RecoverySpec &s = c->section<RecoveryConfig>().supervised.at(0);
        QVERIFY(s.restart == RestartPolicy::Always);
        QCOMPARE(s.backoffInitialMs, 100);
        QCOMPARE(s.backoffMaxMs, 60'000);
        QCOMPARE(s.stopTimeoutMs, 10'000);
        QCOMPARE(s.restartAfterFailures, 3);
        QCOMPARE(s.crashLoopRestarts, 5);
        QVERIFY(s.args.isEmpty());
    }

    void restartCommandAsString()
    {
        const auto c
            = ConfigLoader::parse("targets:\n  - name: a\n    type: tcp\n    host: h\n    port: 1\n"
                                  "    restart_command: /usr/local/bin/kick\n",
                QStringLiteral("d.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QCOMPARE(c->section<RecoveryConfig>().supervised.at(0).restartCommand,
            QStringLiteral("/usr/local/bin/kick"));
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("entry");
        QTest::addColumn<QString>("expected");
        QTest::newRow("supervise without command") << QByteArray(
            "    supervise: {args: [x]}\n") << "bad.yaml:6: targets[0].supervise.command: required";
        QTest::newRow("unknown supervise key")
            << QByteArray("    supervise:\n      command: /bin/x\n      restrat: always\n")
            << "bad.yaml:8: targets[0].supervise.restrat: unknown key";
        QTest::newRow("bad restart policy")
            << QByteArray("    supervise:\n      command: /bin/x\n      restart: sometimes\n")
            << "bad.yaml:8: targets[0].supervise.restart: \"sometimes\" is not a restart policy";
        QTest::newRow("backoff max below initial")
            << QByteArray(
                   "    supervise:\n      command: /bin/x\n      backoff: {initial: 5s, max: 1s}\n")
            << "bad.yaml:8: targets[0].supervise.backoff.max: must not be below initial (5s)";
        QTest::newRow("bad stop_timeout")
            << QByteArray("    supervise:\n      command: /bin/x\n      stop_timeout: soon\n")
            << "bad.yaml:8: targets[0].supervise.stop_timeout: \"soon\" is not a duration";
        QTest::newRow("env not a mapping")
            << QByteArray("    supervise:\n      command: /bin/x\n      env: [A]\n")
            << "bad.yaml:8: targets[0].supervise.env: expected a mapping";
        QTest::newRow("log too small")
            << QByteArray("    supervise:\n      command: /bin/x\n      log: {max_size: 10}\n")
            << "bad.yaml:8: targets[0].supervise.log.max_size: 10 is out of range";
        QTest::newRow("restart_after_failures without a way to restart")
            << QByteArray("    restart_after_failures: 2\n")
            << "bad.yaml:6: targets[0].restart_after_failures: applies only with supervise or "
               "restart_command";
        QTest::newRow("both supervise and restart_command")
            << QByteArray("    supervise: {command: /bin/x}\n    restart_command: /bin/y\n")
            << "bad.yaml:7: targets[0].restart_command: a supervised target is restarted by its "
               "supervisor";
        QTest::newRow("crash_loop with restart_command")
            << QByteArray("    restart_command: /bin/y\n    crash_loop: {restarts: 2}\n")
            << "bad.yaml:7: targets[0].crash_loop: applies only with supervise";
        QTest::newRow("crash_loop restarts zero")
            << QByteArray("    supervise: {command: /bin/x}\n    crash_loop: {restarts: 0}\n")
            << "bad.yaml:7: targets[0].crash_loop.restarts: 0 is out of range";
        QTest::newRow("negative restart_after_failures")
            << QByteArray("    supervise: {command: /bin/x}\n    restart_after_failures: -1\n")
            << "bad.yaml:7: targets[0].restart_after_failures: -1 is out of range";
        QTest::newRow("restart_command without command")
            << QByteArray("    restart_command: {timeout: 5s}\n")
            << "bad.yaml:6: targets[0].restart_command: needs a command to run";
    }

    void errors()
    {
        QFETCH(QByteArray, entry);
        QFETCH(QString, expected);
        const QByteArray yaml
            = "targets:\n  - name: a\n    type: tcp\n    host: h\n    port: 1\n" + entry;
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("bad.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.startsWith(expected), qPrintable(c.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_SuperviseConfig)
#include "tst_superviseconfig.moc"
