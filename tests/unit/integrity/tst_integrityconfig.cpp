// The `integrity:` section through the real configuration loader: good input gives the
// values, bad input an error naming the file, line and key.
#include "core/config.h"
#include "integrity/integrityconfig.h"

#include <QTest>

using namespace Shivx;

class TstIntegrityConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaultsWhenAbsent()
    {
        const auto c = ConfigLoader::parse("engine: {api: false}\n", QStringLiteral("i.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        const IntegrityConfig &i = c->section<IntegrityConfig>();
        QVERIFY(i.sets.isEmpty());
        QCOMPARE(i.fastIntervalMs, 15 * 60'000);
        QCOMPARE(i.fullIntervalMs, 24 * 3'600'000);
        QCOMPARE(i.threads, 2);
    }

    void customValues()
    {
        const QByteArray yaml = "integrity:\n"
                                "  sets:\n"
                                "    - name: etc\n"
                                "      paths: [/etc]\n"
                                "      exclude: ['*.swp', /etc/mtab]\n"
                                "      critical: true\n"
                                "      protect: restore\n"
                                "      auto_restore: true\n"
                                "    - name: bin\n"
                                "      paths: ['/usr/local/bin/*']\n"
                                "      follow_symlinks: true\n"
                                "  schedule: {fast: 5m, full: 0s}\n"
                                "  budget: {cpu_percent: 30, read_mib_per_second: 64}\n"
                                "  threads: 1\n"
                                "  snapshot_max_mib: 8\n";
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("i.yaml"));
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        const IntegrityConfig &i = c->section<IntegrityConfig>();
        QCOMPARE(i.sets.size(), 2);
        QCOMPARE(i.sets[0].name, QStringLiteral("etc"));
        QCOMPARE(i.sets[0].paths, QStringList { QStringLiteral("/etc") });
        QCOMPARE(i.sets[0].excludes,
            (QStringList { QStringLiteral("*.swp"), QStringLiteral("/etc/mtab") }));
        QVERIFY(i.sets[0].critical);
        QVERIFY(!i.sets[0].followSymlinks);
        QVERIFY(i.sets[1].followSymlinks);
        QVERIFY(!i.sets[1].critical);
        QVERIFY(i.hasCritical());
        QCOMPARE(i.fastIntervalMs, 5 * 60'000);
        QCOMPARE(i.fullIntervalMs, 0);
        QCOMPARE(i.cpuPercent, 30);
        QCOMPARE(i.readMiBPerSecond, 64);
        QCOMPARE(i.threads, 1);
        QVERIFY(i.sets[0].protectRestore && i.sets[0].autoRestore);
        QVERIFY(!i.sets[1].protectRestore && !i.sets[1].autoRestore);
        QCOMPARE(i.snapshotMaxMiB, 8);
        QCOMPARE(i.set(QStringLiteral("bin")), &i.sets[1]);
    }

    void rejected_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("error");
        QTest::newRow("unknown key") << QByteArray("integrity:\n  setz: []\n")
                                     << QStringLiteral("i.yaml:2: integrity.setz: unknown key");
        QTest::newRow("sets not a list")
            << QByteArray("integrity:\n  sets: {a: 1}\n")
            << QStringLiteral("i.yaml:2: integrity.sets: expected a list of sets");
        QTest::newRow("set without name")
            << QByteArray("integrity:\n  sets:\n    - paths: [/etc]\n")
            << QStringLiteral("i.yaml:3: integrity.sets[0].name: every set needs a name");
        QTest::newRow("bad name")
            << QByteArray("integrity:\n  sets:\n    - name: 'a b'\n      paths: [/etc]\n")
            << QStringLiteral("i.yaml:3: integrity.sets[0].name: \"a b\": set names are");
        QTest::newRow("relative path")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: [/etc, etc]\n")
            << QStringLiteral("i.yaml:4: integrity.sets[0].paths[1]: \"etc\" is not an absolute "
                              "path");
        QTest::newRow("no paths")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: []\n")
            << QStringLiteral("i.yaml:4: integrity.sets[0].paths: a set needs at least one path");
        QTest::newRow("duplicate set")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: [/etc]\n"
                          "    - name: a\n      paths: [/usr]\n")
            << QStringLiteral("i.yaml:5: integrity.sets[1].name: duplicate set name \"a\"");
        QTest::newRow("unknown set key")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: [/etc]\n"
                          "      protekt: restore\n")
            << QStringLiteral("i.yaml:5: integrity.sets[0].protekt: unknown key");
        QTest::newRow("unknown protection")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: [/etc]\n"
                          "      protect: backup\n")
            << QStringLiteral(
                   "i.yaml:5: integrity.sets[0].protect: \"backup\" is not a protection (restore)");
        QTest::newRow("auto_restore without protect")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: [/etc]\n"
                          "      auto_restore: true\n")
            << QStringLiteral("i.yaml:5: integrity.sets[0].auto_restore: needs `protect: "
                              "restore` (there is no copy to restore from)");
        QTest::newRow("snapshot limit out of range")
            << QByteArray("integrity:\n  snapshot_max_mib: 0\n")
            << QStringLiteral("i.yaml:2: integrity.snapshot_max_mib: 0 is out of range [1, 4096]");
        QTest::newRow("critical not bool")
            << QByteArray("integrity:\n  sets:\n    - name: a\n      paths: [/etc]\n"
                          "      critical: maybe\n")
            << QStringLiteral("i.yaml:5: integrity.sets[0].critical: expected true or false");
        QTest::newRow("schedule too short")
            << QByteArray("integrity:\n  schedule: {fast: 10s}\n")
            << QStringLiteral("i.yaml:2: integrity.schedule.fast: must be 0s (off) or at least 1m");
        QTest::newRow("bad duration") << QByteArray("integrity:\n  schedule:\n    full: often\n")
                                      << QStringLiteral("i.yaml:3: integrity.schedule.full:");
        QTest::newRow("cpu out of range")
            << QByteArray("integrity:\n  budget: {cpu_percent: 0}\n")
            << QStringLiteral("i.yaml:2: integrity.budget.cpu_percent: 0 is out of range [1, 100]");
        QTest::newRow("threads out of range")
            << QByteArray("integrity:\n  threads: 99\n")
            << QStringLiteral("i.yaml:2: integrity.threads: 99 is out of range [1, 16]");
    }

    void rejected()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, error);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("i.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.startsWith(error), qPrintable(c.error().message));
    }
};

QTEST_GUILESS_MAIN(TstIntegrityConfig)
#include "tst_integrityconfig.moc"
