// The chain our writer produces checks out with the independent Python reference verifier
// (docs/audit_verify.py, run by the real python3): canonical bytes, hashes, links, seals,
// .zst segments (through `zstd -dc`), and checkpoint signatures (through `openssl`).
#include "audit/auditwriter.h"
#include "audit/canonicaljson.h"
#include "audit/segmentfiles.h"
#include "audit/verify/auditverifier.h"
#include "auditchaincheck.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

const QString verifier = QStringLiteral(SHIVX_SOURCE_DIR "/docs/audit_verify.py");

struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

Run python(const QStringList &args, const QByteArray &input = {})
{
    QProcess p;
    p.start(QStringLiteral("python3"), QStringList { verifier } + args);
    Run r;
    if (!p.waitForStarted(10000))
        return r;
    p.write(input);
    p.closeWriteChannel();
    p.waitForFinished(60000);
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAllStandardOutput();
    r.err = p.readAllStandardError();
    return r;
}

// Data that exercises every escaping and ordering rule of the canonical form.
QList<QJsonObject> trickyData()
{
    const QString nonBmp = QString::fromUtf8("\xf0\x9f\x98\x80");
    return {
        { { QStringLiteral("text"),
            QString::fromUtf8("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xe2\x82\xac") } },
        { { QStringLiteral("quotes"), QStringLiteral("say \"hi\" 'there'") },
            { QStringLiteral("slash"), QStringLiteral("a\\b/c") } },
        { { QStringLiteral("controls"),
            QString(QChar(0)) + QChar(1) + QChar(0x1f) + QStringLiteral("\b\f\n\r\t") } },
        { { QStringLiteral("del"), QString(QChar(0x7f)) },
            { QStringLiteral("ls"), QString(QChar(0x2028)) + QChar(0x2029) } },
        { { nonBmp, 1 }, { QString(QChar(0xffff)), 2 }, { QString(QChar(0xe9)), 3 },
            { QStringLiteral("Z"), 4 }, { QStringLiteral("a"), 5 } },
        { { QStringLiteral("max"), qint64(9007199254740992) },
            { QStringLiteral("min"), qint64(-9007199254740992) }, { QStringLiteral("zero"), 0 } },
        { { QStringLiteral("nested"),
            QJsonObject { { QStringLiteral("b"),
                              QJsonArray { 1,
                                  QJsonObject { { QStringLiteral("y"), true },
                                      { QStringLiteral("x"), QJsonValue() } } } },
                { QStringLiteral("a"), QJsonObject {} } } } },
        { { QStringLiteral("key \"quoted\"\n"), QStringLiteral("") },
            { QStringLiteral(""), QJsonArray {} } },
        {},
    };
}

} // namespace

class TstAuditPython : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
            QSKIP("python3 is not installed (installer/install-deps.sh --test installs it)");
    }

    void canonicalBytesEqualPython()
    {
        QByteArray input, ours;
        for (const QJsonObject &o : trickyData()) {
            const QByteArray bytes = *CanonicalJson::serialize(o);
            input += bytes + '\n'; // Python parses our bytes and writes its canonical form
            ours += bytes + '\n';
        }
        const Run r = python({ QStringLiteral("--canonical") }, input);
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, ours);
    }

    void writerChainVerifiesWithPython_data()
    {
        QTest::addColumn<bool>("compress");
        QTest::newRow("plain segments") << false;
        QTest::newRow("zstd segments") << true;
    }
    void writerChainVerifiesWithPython()
    {
        QFETCH(bool, compress);
        if (compress && QStandardPaths::findExecutable(QStringLiteral("zstd")).isEmpty())
            QSKIP("the zstd command is not installed");
        QTemporaryDir dir;
        AuditConfig config;
        config.segmentMaxBytes = 4096;
        config.compressRotated = compress;
        config.checkpointEveryEntries = 7;
        {
            AuditWriter w(dir.path(), config);
            QVERIFY(w.open().ok());
            for (int round = 0; round < 6; ++round) {
                for (const QJsonObject &o : trickyData())
                    w.record(
                        { round % 2 ? QStringLiteral("security") : QStringLiteral("resilience"),
                            QString::fromUtf8("op\xc3\xa9rateur \"x\""),
                            QStringLiteral("test.tricky"), o, 0 });
                w.flush();
            }
            w.finish();
        }
        const Run r = python({ QStringLiteral("--print-hashes"), dir.path() });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(!r.err.contains("signatures not checked")
                || QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty(),
            r.err.constData());
        QByteArray expected;
        int segments = 0;
        for (const char *s : { "operator", "resilience", "security" }) {
            const ChainCheck c = checkChain(AuditFiles::streamDir(dir.path(), QLatin1String(s)));
            QVERIFY2(c.ok(), qPrintable(c.error));
            segments += c.segments;
            for (const AuditEntry &e : c.entries)
                expected += QByteArray(s) + ' ' + QByteArray::number(e.seq) + ' ' + e.hash + '\n';
        }
        QVERIFY(segments > 4);
        QCOMPARE(r.out, expected);
    }

    void pythonFindsTampering_data()
    {
        QTest::addColumn<QString>("what");
        QTest::newRow("data byte changed") << QStringLiteral("data");
        QTest::newRow("checkpoint signature changed") << QStringLiteral("signature");
        QTest::newRow("tail truncated below a checkpoint") << QStringLiteral("truncate");
    }
    void pythonFindsTampering()
    {
        QFETCH(QString, what);
        if (what == QLatin1String("signature")
            && QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
            QSKIP("openssl is not installed");
        QTemporaryDir dir;
        {
            AuditWriter w(dir.path(), AuditConfig {});
            QVERIFY(w.open().ok());
            for (int i = 0; i < 5; ++i)
                w.record({ QStringLiteral("resilience"), QStringLiteral("engine"),
                    QStringLiteral("test.x"),
                    { { QStringLiteral("i"), i },
                        { QStringLiteral("who"), QStringLiteral("alice") } },
                    0 });
            w.flush();
            w.finish();
        }
        const QString stream = AuditFiles::streamDir(dir.path(), QStringLiteral("resilience"));
        QCOMPARE(python({ dir.path() }).exitCode, 0);
        if (what == QLatin1String("data")) {
            QFile f(stream + QStringLiteral("/seg-000001.ndjson"));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray b = f.readAll();
            b.replace(b.indexOf("alice"), 5, "alicf");
            f.seek(0);
            f.write(b);
        } else if (what == QLatin1String("signature")) {
            QFile f(AuditFiles::checkpointsPath(stream));
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray b = f.readAll();
            const qsizetype at = b.indexOf("\"sig\":\"") + 7;
            b[at] = b[at] == '0' ? '1' : '0';
            f.seek(0);
            f.write(b);
        } else {
            QFile f(stream + QStringLiteral("/seg-000001.ndjson"));
            QVERIFY(f.open(QIODevice::ReadWrite));
            const QByteArray b = f.readAll();
            f.resize(b.lastIndexOf('\n', b.size() - 2) + 1);
        }
        const Run r = python({ dir.path() });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("problem:"), r.err.constData());
    }

    // The one segment naming rule and the torn-checkpoint rule (docs/audit-format.md), seen the
    // same way by the reference verifier and by AuditVerifier.
    void bothVerifiersAgree_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<bool>("intact");
        QTest::newRow("stray files named like segments are ignored")
            << QStringLiteral("strays") << true;
        QTest::newRow("oldest segment retired (only its seal left)")
            << QStringLiteral("retire") << true;
        QTest::newRow("middle segment's data missing") << QStringLiteral("hole") << false;
        QTest::newRow("checkpoint line torn (no newline)")
            << QStringLiteral("torn checkpoint") << false;
    }
    void bothVerifiersAgree()
    {
        QFETCH(QString, change);
        QFETCH(bool, intact);
        QTemporaryDir dir;
        AuditConfig config;
        config.segmentMaxBytes = 2048;
        config.compressRotated = false;
        {
            AuditWriter w(dir.path(), config);
            QVERIFY(w.open().ok());
            for (int i = 0; i < 40; ++i) {
                w.record({ QStringLiteral("resilience"), QStringLiteral("engine"),
                    QStringLiteral("test.x"), { { QStringLiteral("i"), i } }, 0 });
                w.flush(); // one batch each: rotations fall between entries
            }
            w.finish();
        }
        const QString stream = AuditFiles::streamDir(dir.path(), QStringLiteral("resilience"));
        const auto segments = AuditFiles::listSegments(stream);
        QVERIFY(segments.size() >= 3);
        const auto write = [](const QString &path, const QByteArray &bytes, bool append) {
            QFile f(path);
            return f.open(append ? QIODevice::Append : QIODevice::WriteOnly)
                && f.write(bytes) == bytes.size();
        };
        if (change == QLatin1String("strays")) {
            for (const char *name : { "seg-0.ndjson", "seg-000000.ndjson", "seg-0000001.ndjson",
                     "seg-000001.ndjson.tmp", "seg-1234567890.ndjson", "seg-000002.seal.tmp" })
                QVERIFY(
                    write(stream + QLatin1Char('/') + QLatin1String(name), "not an entry", false));
        } else if (change == QLatin1String("retire")) {
            QVERIFY(QFile::remove(segments.first().path));
        } else if (change == QLatin1String("hole")) {
            QVERIFY(QFile::remove(segments.at(1).path));
        } else {
            QFile cps(AuditFiles::checkpointsPath(stream));
            QVERIFY(cps.open(QIODevice::ReadOnly));
            const QByteArray last = cps.readAll().split('\n').first();
            QVERIFY(write(cps.fileName(), last.left(last.size() / 2), true));
        }
        const Run py = python({ dir.path() });
        QVERIFY2(py.exitCode == (intact ? 0 : 1), py.err.constData());
        AuditVerifyOptions o;
        o.dataDir = dir.path();
        const VerifyReport r = AuditVerifier(o).run();
        QCOMPARE(
            toString(r.verdict), intact ? QStringLiteral("intact") : QStringLiteral("tampered"));
    }
};

QTEST_GUILESS_MAIN(TstAuditPython)
#include "tst_auditpython.moc"
