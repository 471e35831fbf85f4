// The real `shivx audit verify` binary on real chains: exit codes 0 (intact), 1 (tampered),
// 2 (usage or I/O), what it prints, and the JSON report it writes.
#include "chainbuilder.h"

#include "audit/verify/verifyreportjson.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

struct Run
{
    int exitCode = -1;
    QString out, err;
};

Run shivx(const QStringList &args)
{
    QProcess p;
    p.start(QStringLiteral(SHIVX_CLI),
        QStringList { QStringLiteral("audit"), QStringLiteral("verify") } + args);
    if (!p.waitForFinished(60000)) {
        p.kill();
        p.waitForFinished();
    }
    return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
        QString::fromUtf8(p.readAllStandardOutput()), QString::fromUtf8(p.readAllStandardError()) };
}

void build(const QString &dataDir, QByteArray *witness = nullptr)
{
    Test::ChainBuilder b(dataDir);
    b.setSegmentEntries(40);
    b.setCheckpointEvery(25);
    b.setCompressRotated(true);
    b.append(QStringLiteral("operator"), 100);
    if (witness)
        *witness = b.witness();
    QVERIFY2(b.error().isEmpty(), qPrintable(b.error()));
}

void flipNote(const QString &segment)
{
    QFile f(segment);
    QVERIFY(f.open(QIODevice::ReadWrite));
    QByteArray bytes = f.readAll();
    const int line5 = [&] {
        int at = 0;
        for (int i = 0; i < 4; ++i)
            at = bytes.indexOf('\n', at) + 1;
        return at;
    }();
    const int pos = bytes.indexOf("original", line5);
    bytes[pos] = 'O';
    f.seek(0);
    f.write(bytes);
}

} // namespace

class tst_AuditVerifyCli : public QObject
{
    Q_OBJECT

private slots:
    void intactExitsZero();
    void tamperedExitsOneAndLocates();
    void jsonReport();
    void pdfReport();
    void usageErrors_data();
    void usageErrors();
};

void tst_AuditVerifyCli::intactExitsZero()
{
    QTemporaryDir dir;
    QByteArray witness;
    build(dir.path(), &witness);
    const QString witnessFile = dir.filePath(QStringLiteral("witness.json"));
    QFile w(witnessFile);
    QVERIFY(w.open(QIODevice::WriteOnly));
    w.write(witness);
    w.close();
    const Run r = shivx(
        { QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--witness"), witnessFile });
    QVERIFY2(r.exitCode == 0, qPrintable(r.out + r.err));
    QVERIFY2(r.out.contains(QStringLiteral(
                 "operator: intact, 100 entries (seq 1..100) in 3 segment(s), 4 checkpoint(s)")),
        qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("verdict: intact")));
}

void tst_AuditVerifyCli::tamperedExitsOneAndLocates()
{
    QTemporaryDir dir;
    build(dir.path());
    flipNote(dir.filePath(QStringLiteral("audit/operator/seg-000003.ndjson")));
    const Run r = shivx({ QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--threads"),
        QStringLiteral("2") });
    QCOMPARE(r.exitCode, 1);
    QVERIFY2(r.out.contains(QStringLiteral(
                 "operator: hash_mismatch in seg-000003.ndjson line 5 seq 85: hash ")),
        qPrintable(r.out));
    QVERIFY(r.out.contains(QStringLiteral("verdict: tampered")));
}

void tst_AuditVerifyCli::jsonReport()
{
    QTemporaryDir dir;
    build(dir.path());
    flipNote(dir.filePath(QStringLiteral("audit/operator/seg-000003.ndjson")));
    const QString report = dir.filePath(QStringLiteral("report.json"));
    const Run r
        = shivx({ QStringLiteral("--data-dir"), dir.path(), QStringLiteral("--report"), report });
    QCOMPARE(r.exitCode, 1);
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const auto loaded = VerifyReportJson::fromJson(QJsonDocument::fromJson(f.readAll()).object());
    QVERIFY2(loaded, loaded ? "" : qPrintable(loaded.error().message));
    QCOMPARE(toString(loaded->verdict), QStringLiteral("tampered"));
    QCOMPARE(loaded->findings.size(), 1);
    QCOMPARE(loaded->findings[0].segment, QStringLiteral("seg-000003.ndjson"));
    QCOMPARE(loaded->findings[0].line, 5);
    QCOMPARE(loaded->findings[0].seq, 85);
    QCOMPARE(loaded->streams[0].segments.size(), 3);
    QVERIFY(loaded->streams[0].segments[0].compressed);
    QCOMPARE(loaded->keyFingerprint.size(), 64);
    QVERIFY(loaded->verifiedBy.contains(QLatin1Char('@')));
}

void tst_AuditVerifyCli::pdfReport()
{
    // The CLI runs without a display: it must bring up the offscreen platform by itself.
    QTemporaryDir dir;
    build(dir.path());
    flipNote(dir.filePath(QStringLiteral("audit/operator/seg-000003.ndjson")));
    const QString report = dir.filePath(QStringLiteral("r.pdf"));
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("QT_QPA_PLATFORM"));
    env.remove(QStringLiteral("DISPLAY"));
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(SHIVX_CLI),
        { QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--data-dir"),
            dir.path(), QStringLiteral("--report"), report });
    QVERIFY(p.waitForFinished(120000));
    QCOMPARE(p.exitCode(), 1);
    QFile f(report);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QVERIFY(f.read(5) == "%PDF-");
    QProcess text;
    text.start(
        QStringLiteral("pdftotext"), { QStringLiteral("-layout"), report, QStringLiteral("-") });
    QVERIFY2(text.waitForFinished(30000), "pdftotext (poppler-utils) is needed");
    const QString body = QString::fromUtf8(text.readAllStandardOutput());
    QVERIFY2(body.contains(QStringLiteral("seg-000003.ndjson")), qPrintable(body.left(2000)));
    QVERIFY2(body.contains(QStringLiteral("85")), qPrintable(body.left(2000)));
    QVERIFY2(body.contains(QStringLiteral("operator")), qPrintable(body.left(2000)));
}

void tst_AuditVerifyCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("message");
    QTest::newRow("unknown option")
        << QStringList { QStringLiteral("--bogus") } << "Unknown option 'bogus'";
    QTest::newRow("unexpected argument")
        << QStringList { QStringLiteral("extra") } << "unexpected argument \"extra\"";
    QTest::newRow("data dir does not exist") << QStringList { QStringLiteral("--data-dir"),
        QStringLiteral("@/nonexistent") } << "does not exist";
    QTest::newRow("data dir is a file") << QStringList { QStringLiteral("--data-dir"),
        QStringLiteral("@/file") } << "does not exist";
    QTest::newRow("no audit chain") << QStringList { QStringLiteral("--data-dir"),
        QStringLiteral("@/empty") } << "no audit chain";
    QTest::newRow("unknown stream") << QStringList { QStringLiteral("--stream"),
        QStringLiteral("nosuch") } << "no stream \"nosuch\"";
    QTest::newRow("missing public key file") << QStringList { QStringLiteral("--public-key"),
        QStringLiteral("@/none.pub") } << "cannot read";
    QTest::newRow("public key not a key") << QStringList { QStringLiteral("--public-key"),
        QStringLiteral("@/file") } << "not an Ed25519 public key";
    QTest::newRow("witness not JSON") << QStringList { QStringLiteral("--witness"),
        QStringLiteral("@/file") } << "not a witness file";
    QTest::newRow("report of unknown type") << QStringList { QStringLiteral("--report"),
        QStringLiteral("@/r.txt") } << "--report must name a .json or .pdf file";
    QTest::newRow("threads zero") << QStringList { QStringLiteral("--threads"),
        QStringLiteral("0") } << "--threads needs";
    QTest::newRow("report in missing dir")
        << QStringList { QStringLiteral("--report"), QStringLiteral("@/no/such/r.json") }
        << "cannot write";
}

void tst_AuditVerifyCli::usageErrors()
{
    QFETCH(QStringList, args);
    QFETCH(QString, message);
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    build(data);
    QDir().mkpath(dir.filePath(QStringLiteral("empty")));
    QFile file(dir.filePath(QStringLiteral("file")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a key, not json\n");
    file.close();
    for (QString &a : args)
        a.replace(QLatin1Char('@'), dir.path());
    if (!args.contains(QStringLiteral("--data-dir")))
        args << QStringLiteral("--data-dir") << data;
    const Run r = shivx(args);
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(message), qPrintable(r.err));

    const Run help = shivx({ QStringLiteral("--help") });
    QCOMPARE(help.exitCode, 0);
    QVERIFY(help.out.contains(QStringLiteral("Exit status: 0 intact; 1 tampered; 2")));
}

QTEST_GUILESS_MAIN(tst_AuditVerifyCli)
#include "tst_auditverifycli.moc"
