#include "core/config.h"

#include <QTest>

using namespace Shivx;

class TstAuditConfig : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void defaults()
    {
        const auto c = ConfigLoader::parse("engine: {api: false}\n", QStringLiteral("t.yaml"));
        QVERIFY(c.ok());
        QVERIFY(c->audit.durability == AuditConfig::Durability::Batch);
        QCOMPARE(c->audit.segmentMaxBytes, 16LL * 1024 * 1024);
        QCOMPARE(c->audit.compressRotated, true);
        QCOMPARE(c->audit.retentionMs, 0);
        QCOMPARE(c->audit.checkpointEveryEntries, 1000);
        QCOMPARE(c->audit.checkpointEveryMs, 300'000);
    }

    void embeddedDefaultHasTheSameValues()
    {
        const auto c = ConfigLoader::loadDefault();
        QVERIFY(c.ok());
        const AuditConfig d;
        QVERIFY(c->audit.durability == d.durability);
        QCOMPARE(c->audit.segmentMaxBytes, d.segmentMaxBytes);
        QCOMPARE(c->audit.segmentMaxAgeMs, d.segmentMaxAgeMs);
        QCOMPARE(c->audit.compressRotated, d.compressRotated);
        QCOMPARE(c->audit.retentionMs, d.retentionMs);
        QCOMPARE(c->audit.checkpointEveryEntries, d.checkpointEveryEntries);
        QCOMPARE(c->audit.checkpointEveryMs, d.checkpointEveryMs);
    }

    void readsEverything()
    {
        const QByteArray yaml = "audit:\n"
                                "  durability: entry\n"
                                "  segment:\n"
                                "    max_size: 512KiB\n"
                                "    max_age: 6h\n"
                                "  compress_rotated: false\n"
                                "  retention: 90d\n"
                                "  checkpoint:\n"
                                "    every_entries: 50\n"
                                "    every: 30s\n";
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("t.yaml"));
        QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
        QVERIFY(c->audit.durability == AuditConfig::Durability::Entry);
        QCOMPARE(c->audit.segmentMaxBytes, 512 * 1024);
        QCOMPARE(c->audit.segmentMaxAgeMs, 6LL * 3600 * 1000);
        QCOMPARE(c->audit.compressRotated, false);
        QCOMPARE(c->audit.retentionMs, 90LL * 86'400'000);
        QCOMPARE(c->audit.checkpointEveryEntries, 50);
        QCOMPARE(c->audit.checkpointEveryMs, 30'000);
    }

    void sizes_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("bytes") << QStringLiteral("65536") << qint64(65536);
        QTest::newRow("KiB") << QStringLiteral("4KiB") << qint64(4096);
        QTest::newRow("MiB") << QStringLiteral("16MiB") << qint64(16 << 20);
        QTest::newRow("GiB") << QStringLiteral("1GiB") << (qint64(1) << 30);
        QTest::newRow("decimal rejected") << QStringLiteral("1.5MiB") << qint64(-1);
        QTest::newRow("MB (SI) rejected") << QStringLiteral("16MB") << qint64(-1);
    }
    void sizes()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        QCOMPARE(Internal::parseByteSize(text), bytes);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad durability")
            << QByteArray("audit:\n  durability: always\n")
            << QStringLiteral("t.yaml:2: audit.durability: \"always\" is not entry, batch or os");
        QTest::newRow("unknown key") << QByteArray("audit:\n  fsync: true\n")
                                     << QStringLiteral("t.yaml:2: audit.fsync: unknown key");
        QTest::newRow("bad size") << QByteArray("audit:\n  segment:\n    max_size: big\n")
                                  << QStringLiteral(
                                         "t.yaml:3: audit.segment.max_size: \"big\" is not a size");
        QTest::newRow("size too small")
            << QByteArray("audit:\n  segment:\n    max_size: 100\n")
            << QStringLiteral("t.yaml:3: audit.segment.max_size: 100 bytes is out of range");
        QTest::newRow("retention too short")
            << QByteArray("audit:\n  retention: 5m\n")
            << QStringLiteral("t.yaml:2: audit.retention: must be at least 1h");
        QTest::newRow("every_entries zero")
            << QByteArray("audit:\n  checkpoint:\n    every_entries: 0\n")
            << QStringLiteral("t.yaml:3: audit.checkpoint.every_entries: 0 is out of range");
        QTest::newRow("checkpoint every bare number")
            << QByteArray("audit:\n  checkpoint:\n    every: 30\n")
            << QStringLiteral("t.yaml:3: audit.checkpoint.every:");
    }
    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, message);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("t.yaml"));
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.startsWith(message), qPrintable(c.error().message));
    }
};

QTEST_GUILESS_MAIN(TstAuditConfig)
#include "tst_auditconfig.moc"
