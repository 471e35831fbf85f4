#include "audit/auditentry.h"

#include <QCryptographicHash>
#include <QJsonObject>
#include <QTest>

using namespace Shivx;

namespace {

AuditEntry sample()
{
    AuditEntry e;
    e.seq = 7;
    e.tsMs = 1'700'000'000'123;
    e.stream = QStringLiteral("resilience");
    e.actor = QStringLiteral("engine");
    e.action = QStringLiteral("target.transition");
    e.data = QJsonObject { { QStringLiteral("to"), QStringLiteral("down") },
        { QStringLiteral("n"), 3 } };
    e.prev = QByteArray(64, 'a');
    return e;
}

} // namespace

class TstAuditEntry : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sealWritesTheDocumentedLineAndHash()
    {
        AuditEntry e = sample();
        const auto line = AuditEntryCodec::seal(e);
        QVERIFY(line.ok());
        const QByteArray withoutHash = "{\"action\":\"target.transition\",\"actor\":\"engine\","
                                       "\"data\":{\"n\":3,\"to\":\"down\"},"
                                       "\"prev\":\""
            + QByteArray(64, 'a')
            + "\",\"seq\":7,\"stream\":\"resilience\","
              "\"ts\":\"2023-11-14T22:13:20.123Z\"}";
        const QByteArray expectedHash = QCryptographicHash::hash(
            withoutHash + QByteArray(64, 'a'), QCryptographicHash::Sha256)
                                            .toHex();
        QCOMPARE(e.hash, expectedHash);
        QCOMPARE(*AuditEntryCodec::hashedBytes(e), withoutHash);
        // The line is the hashed bytes with "hash":"...", inserted before "prev" (74 bytes).
        QByteArray expectedLine = withoutHash;
        expectedLine.insert(withoutHash.indexOf("\"prev\""), "\"hash\":\"" + expectedHash + "\",");
        QCOMPARE(*line, expectedLine);
        QCOMPARE(line->size() - withoutHash.size(), 74);
    }

    void parseRoundTrips()
    {
        AuditEntry e = sample();
        const QByteArray line = *AuditEntryCodec::seal(e);
        const auto back = AuditEntryCodec::parseVerified(line);
        QVERIFY(back.ok());
        QCOMPARE(back->seq, e.seq);
        QCOMPARE(back->tsMs, e.tsMs);
        QCOMPARE(back->data, e.data);
        QCOMPARE(back->hash, e.hash);
        QCOMPARE(back->prev, e.prev);
    }

    void parseVerifiedCatchesChanges_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::newRow("data value changed") << QByteArray("\"down\"") << QByteArray("\"up\"");
        QTest::newRow("seq changed") << QByteArray("\"seq\":7") << QByteArray("\"seq\":8");
        QTest::newRow("actor changed") << QByteArray("\"engine\"") << QByteArray("\"mallory\"");
        QTest::newRow("prev changed") << QByteArray("\"prev\":\"a") << QByteArray("\"prev\":\"b");
    }
    void parseVerifiedCatchesChanges()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        AuditEntry e = sample();
        QByteArray line = *AuditEntryCodec::seal(e);
        line.replace(from, to);
        const auto r = AuditEntryCodec::parseVerified(line);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("audit.hash_mismatch"));
    }

    void hashLookAlikeInDataDoesNotConfuse()
    {
        AuditEntry e = sample();
        e.data = QJsonObject { { QStringLiteral("note"),
            QStringLiteral("\"hash\":\"") + QString(64, QLatin1Char('0'))
                + QStringLiteral("\",") } };
        const QByteArray line = *AuditEntryCodec::seal(e);
        QVERIFY(AuditEntryCodec::parseVerified(line).ok());
    }

    void parseRejects_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("not json") << QByteArray("{\"action\":");
        QTest::newRow("array") << QByteArray("[1]");
        QTest::newRow("missing member") << QByteArray("{\"action\":\"a\"}");
        AuditEntry e = sample();
        QByteArray good = *AuditEntryCodec::seal(e);
        QTest::newRow("bad ts") << QByteArray(good).replace(
            "2023-11-14T22:13:20.123Z", "2023-11-14 22:13:20");
        QTest::newRow("seq zero") << QByteArray(good).replace("\"seq\":7", "\"seq\":0");
        QTest::newRow("uppercase hex")
            << QByteArray(good).replace("\"prev\":\"aaaa", "\"prev\":\"AAAA");
    }
    void parseRejects()
    {
        QFETCH(QByteArray, line);
        QVERIFY(!AuditEntryCodec::parse(line).ok());
    }

    void sealRejectsBadEntries()
    {
        AuditEntry e = sample();
        e.stream = QStringLiteral("../etc");
        QVERIFY(!AuditEntryCodec::seal(e).ok());
        e = sample();
        e.action.clear();
        QVERIFY(!AuditEntryCodec::seal(e).ok());
        e = sample();
        e.prev = "abc";
        QVERIFY(!AuditEntryCodec::seal(e).ok());
        e = sample();
        e.data = QJsonObject { { QStringLiteral("load"), 0.5 } };
        QVERIFY(!AuditEntryCodec::seal(e).ok());
    }

    void streamNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("resilience") << QStringLiteral("resilience") << true;
        QTest::newRow("digits and dash") << QStringLiteral("a1_b-2") << true;
        QTest::newRow("32 chars") << QString(32, QLatin1Char('a')) << true;
        QTest::newRow("33 chars") << QString(33, QLatin1Char('a')) << false;
        QTest::newRow("uppercase") << QStringLiteral("Ops") << false;
        QTest::newRow("leading dash") << QStringLiteral("-x") << false;
        QTest::newRow("dot dot") << QStringLiteral("..") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("empty") << QString() << false;
    }
    void streamNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        QCOMPARE(AuditEntryCodec::isValidStreamName(name), valid);
    }

    void genesisIs64Zeros() { QCOMPARE(AuditEntryCodec::genesisHash(), QByteArray(64, '0')); }
};

QTEST_GUILESS_MAIN(TstAuditEntry)
#include "tst_auditentry.moc"
