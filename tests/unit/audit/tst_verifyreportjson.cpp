#include "audit/verify/verifyreportjson.h"

#include <QJsonArray>
#include <QTest>

using namespace Shivx;

class tst_VerifyReportJson : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip();
    void stableCodes();
    void rejectsBadReports_data();
    void rejectsBadReports();
    void namesTheNestedMember_data();
    void namesTheNestedMember();
};

namespace {

VerifyReport sample()
{
    VerifyReport r;
    r.verdict = VerifyReport::Verdict::Tampered;
    r.startedAtMs = 1795910400123;
    r.finishedAtMs = 1795910401456;
    r.verifiedBy = QStringLiteral("alice@ops-1");
    r.dataDir = QStringLiteral("/var/lib/shivx");
    r.keyFingerprint = QString(64, QLatin1Char('f'));
    r.publicKeySource = QStringLiteral("/var/lib/shivx/audit/keys/checkpoint.pub");
    r.witnessFile = QStringLiteral("/tmp/witness.json");
    r.bytesVerified = 123456789;
    StreamSummary s;
    s.name = QStringLiteral("resilience");
    s.entries = 150;
    s.firstSeq = 1;
    s.lastSeq = 150;
    s.firstHash = QByteArray(64, '1');
    s.lastHash = QByteArray(64, '2');
    s.intact = false;
    s.segments.append(
        SegmentSummary { QStringLiteral("seg-000001.ndjson.zst"), 1, 50, 50, 13000, true });
    s.segments.append(
        SegmentSummary { QStringLiteral("seg-000002.ndjson"), 51, 150, 100, 26000, false });
    s.checkpoints.append(CheckpointSummary { 40, QByteArray(64, '3'), 1795910400040, true });
    r.streams.append(s);
    r.findings.append(VerifyFinding { VerifyProblem::HashMismatch, QStringLiteral("resilience"),
        QStringLiteral("seg-000002.ndjson"), 10, 60,
        QStringLiteral("hash a recorded, b computed") });
    return r;
}

// Sets the member at `path` ("streams", "0", "segments", ...: keys and array indexes) below `v`.
QJsonValue replaced(const QJsonValue &v, QStringList path, const QJsonValue &value)
{
    if (path.isEmpty())
        return value;
    const QString step = path.takeFirst();
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        a[step.toInt()] = replaced(a.at(step.toInt()), path, value);
        return a;
    }
    QJsonObject o = v.toObject();
    o[step] = replaced(o.value(step), path, value);
    return o;
}

} // namespace

void tst_VerifyReportJson::roundTrip()
{
    const VerifyReport r = sample();
    const QJsonObject json = VerifyReportJson::toJson(r);
    QCOMPARE(json.value(QStringLiteral("verdict")).toString(), QStringLiteral("tampered"));
    QCOMPARE(json.value(QStringLiteral("started_at")).toString(),
        QStringLiteral("2026-11-29T00:00:00.123Z"));
    QCOMPARE(json.value(QStringLiteral("findings"))
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(QStringLiteral("problem"))
                 .toString(),
        QStringLiteral("hash_mismatch"));
    const auto back = VerifyReportJson::fromJson(json);
    QVERIFY2(back, back ? "" : qPrintable(back.error().message));
    QCOMPARE(toString(back->verdict), toString(r.verdict));
    QCOMPARE(back->startedAtMs, r.startedAtMs);
    QCOMPARE(back->finishedAtMs, r.finishedAtMs);
    QCOMPARE(back->verifiedBy, r.verifiedBy);
    QCOMPARE(back->keyFingerprint, r.keyFingerprint);
    QCOMPARE(back->bytesVerified, r.bytesVerified);
    QCOMPARE(back->streams.size(), 1);
    QCOMPARE(back->streams[0].lastHash, r.streams[0].lastHash);
    QCOMPARE(back->streams[0].segments.size(), 2);
    QCOMPARE(back->streams[0].segments[0].compressed, true);
    QCOMPARE(back->streams[0].segments[1].firstSeq, 51);
    QCOMPARE(back->streams[0].checkpoints[0].tsMs, 1795910400040);
    QCOMPARE(back->findings.size(), 1);
    QCOMPARE(toString(back->findings[0].problem), toString(VerifyProblem::HashMismatch));
    QCOMPARE(back->findings[0].line, 10);
    QCOMPARE(back->findings[0].seq, 60);
    QCOMPARE(VerifyReportJson::toJson(*back), json);
}

void tst_VerifyReportJson::stableCodes()
{
    QCOMPARE(toString(VerifyProblem::SeqGap), QStringLiteral("seq_gap"));
    QCOMPARE(toString(VerifyProblem::MissingTail), QStringLiteral("missing_tail"));
    QCOMPARE(toString(VerifyReport::Verdict::Intact), QStringLiteral("intact"));
    for (int i = int(VerifyProblem::None); i <= int(VerifyProblem::CorruptSegment); ++i)
        QVERIFY(verifyProblemFromString(toString(VerifyProblem(i))) == VerifyProblem(i));
    QVERIFY(!verifyProblemFromString(QStringLiteral("nonsense")));
}

void tst_VerifyReportJson::rejectsBadReports_data()
{
    QTest::addColumn<QString>("member");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("other format") << "format" << QJsonValue(QStringLiteral("x"))
                                  << "not a verification report";
    QTest::newRow("unknown verdict")
        << "verdict" << QJsonValue(QStringLiteral("fine")) << "report.verdict";
    QTest::newRow("bytes not a number")
        << "bytes_verified" << QJsonValue(QStringLiteral("1")) << "report.bytes_verified";
    QTest::newRow("bad time") << "started_at" << QJsonValue(QStringLiteral("yesterday"))
                              << "report.started_at";
    QTest::newRow("streams missing") << "streams" << QJsonValue() << "report.streams";
}

void tst_VerifyReportJson::rejectsBadReports()
{
    QFETCH(QString, member);
    QFETCH(QJsonValue, value);
    QFETCH(QString, error);
    QJsonObject json = VerifyReportJson::toJson(sample());
    if (value.isNull())
        json.remove(member);
    else
        json.insert(member, value);
    const auto r = VerifyReportJson::fromJson(json);
    QVERIFY(!r);
    QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
}

void tst_VerifyReportJson::namesTheNestedMember_data()
{
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("error");
    QTest::newRow("segment bytes not whole") << QStringList { "streams", "0", "segments", "1",
        "bytes" } << QJsonValue(1.5) << "report.streams[0].segments[1].bytes must be an integer";
    QTest::newRow("checkpoint validity a string")
        << QStringList { "streams", "0", "checkpoints", "0", "signature_valid" }
        << QJsonValue(QStringLiteral("yes"))
        << "report.streams[0].checkpoints[0].signature_valid must be true or false";
    QTest::newRow("stream name missing")
        << QStringList { "streams", "0", "name" } << QJsonValue(QJsonValue::Undefined)
        << "report.streams[0].name must be a string";
    QTest::newRow("unknown problem")
        << QStringList { "findings", "0", "problem" } << QJsonValue(QStringLiteral("odd"))
        << "report.findings[0].problem must be a known problem code";
    QTest::newRow("segments not an array") << QStringList { "streams", "0",
        "segments" } << QJsonValue(3) << "report.streams[0].segments must be an array";
}

void tst_VerifyReportJson::namesTheNestedMember()
{
    QFETCH(QStringList, path);
    QFETCH(QJsonValue, value);
    QFETCH(QString, error);
    const QJsonObject json = replaced(VerifyReportJson::toJson(sample()), path, value).toObject();
    const auto r = VerifyReportJson::fromJson(json);
    QVERIFY(!r);
    QCOMPARE(r.error().message, error);
}

QTEST_GUILESS_MAIN(tst_VerifyReportJson)
#include "tst_verifyreportjson.moc"
