// The one segment lister (AuditFiles::listSegments) and its naming rule, on real directories:
// which names are segments, how .ndjson / .ndjson.zst / .seal pair up, how a retired segment
// shows, and that files merely named like a segment are ignored (docs/audit-format.md).
#include "audit/segmentfiles.h"
#include "audit/segmentreader.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <zstd.h>

using namespace Shivx;
using AuditFiles::SegmentPart;

namespace {

// "1:ndjson+seal 2:zst 3:retired+seal", with the data file's name where it is not the logical one.
QString describe(const QList<AuditFiles::SegmentFile> &segments)
{
    QStringList out;
    for (const AuditFiles::SegmentFile &s : segments) {
        QString d = QString::number(s.number) + QLatin1Char(':')
            + (s.retired()         ? QStringLiteral("retired")
                    : s.compressed ? QStringLiteral("zst")
                                   : QStringLiteral("ndjson"));
        if (s.sealed())
            d += QStringLiteral("+seal");
        out << d;
    }
    return out.join(QLatin1Char(' '));
}

bool touch(const QString &path, const QByteArray &bytes = "x\n")
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

class tst_SegmentFiles : public QObject
{
    Q_OBJECT

private slots:
    void names_data();
    void names();
    void listing_data();
    void listing();
    void pairsAndPaths();
    void readerPlainAndZstd();
};

void tst_SegmentFiles::names_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<int>("number");
    QTest::addColumn<int>("part");
    const int data = int(SegmentPart::Data), zst = int(SegmentPart::Compressed),
              seal = int(SegmentPart::Seal);
    QTest::newRow("data file") << "seg-000001.ndjson" << 1 << data;
    QTest::newRow("compressed data file") << "seg-000042.ndjson.zst" << 42 << zst;
    QTest::newRow("seal") << "seg-999999.seal" << 999999 << seal;
    QTest::newRow("seven digits past 999999") << "seg-1234567.ndjson" << 1234567 << data;
    QTest::newRow("nine digits") << "seg-999999999.seal" << 999999999 << seal;
    QTest::newRow("ten digits: not a segment") << "seg-1234567890.ndjson" << 0 << data;
    QTest::newRow("seg-0: too few digits") << "seg-0.ndjson" << 0 << data;
    QTest::newRow("seg-1: too few digits") << "seg-1.ndjson" << 0 << data;
    QTest::newRow("number 0") << "seg-000000.ndjson" << 0 << data;
    QTest::newRow("padded past six digits") << "seg-0000001.ndjson" << 0 << data;
    QTest::newRow("writer's temporary file") << "seg-000001.ndjson.tmp" << 0 << data;
    QTest::newRow("seal's temporary file") << "seg-000001.seal.tmp" << 0 << data;
    QTest::newRow("upper case suffix") << "seg-000001.NDJSON" << 0 << data;
    QTest::newRow("sign in the number") << "seg-+00001.ndjson" << 0 << data;
    QTest::newRow("no suffix") << "seg-000001" << 0 << data;
    QTest::newRow("torn tail moved aside") << "seg-000001.ndjson.120.torn" << 0 << data;
}

void tst_SegmentFiles::names()
{
    QFETCH(QString, file);
    QFETCH(int, number);
    QFETCH(int, part);
    const AuditFiles::SegmentFileName n = AuditFiles::parseSegmentFileName(file);
    QCOMPARE(n.number, number);
    QCOMPARE(AuditFiles::segmentNumber(file), number);
    if (number == 0)
        return;
    QCOMPARE(int(n.part), part);
    // The rule is exactly what the writer names: parse and name round-trip.
    const QString written = n.part == SegmentPart::Seal ? AuditFiles::sealName(number)
        : n.part == SegmentPart::Compressed             ? AuditFiles::compressedSegmentName(number)
                                                        : AuditFiles::segmentName(number);
    QCOMPARE(written, file);
}

void tst_SegmentFiles::listing_data()
{
    QTest::addColumn<QStringList>("files");
    QTest::addColumn<QString>("expected");
    QTest::newRow("empty directory") << QStringList {} << QString();
    QTest::newRow("one active segment") << QStringList { "seg-000001.ndjson" } << "1:ndjson";
    QTest::newRow("sealed, compressed, active") << QStringList { "seg-000001.ndjson.zst",
        "seg-000001.seal", "seg-000002.ndjson", "seg-000002.seal", "seg-000003.ndjson" }
                                                << "1:zst+seal 2:ndjson+seal 3:ndjson";
    QTest::newRow("zst next to its ndjson: the ndjson is the data") << QStringList {
        "seg-000001.ndjson", "seg-000001.ndjson.zst", "seg-000001.seal", "seg-000002.ndjson"
    } << "1:ndjson+seal 2:ndjson";
    QTest::newRow("seal with no data file: retired") << QStringList { "seg-000001.seal",
        "seg-000002.seal", "seg-000003.ndjson.zst", "seg-000003.seal",
        "seg-000004.ndjson" } << "1:retired+seal 2:retired+seal 3:zst+seal 4:ndjson";
    QTest::newRow("a number missing from disk is absent (a gap is the caller's call)")
        << QStringList { "seg-000001.ndjson", "seg-000001.seal", "seg-000003.ndjson" }
        << "1:ndjson+seal 3:ndjson";
    QTest::newRow("seg-1234567.ndjson after seg-999999") << QStringList { "seg-999999.ndjson",
        "seg-999999.seal", "seg-1234567.ndjson" } << "999999:ndjson+seal 1234567:ndjson";
    QTest::newRow("stray files named like segments are ignored") << QStringList { "seg-0.ndjson",
        "seg-000000.ndjson", "seg-0000001.ndjson", "seg-000001.ndjson.tmp", "seg-000002.seal.tmp",
        "seg-1.ndjson", "seg-000001.NDJSON", "seg-1234567890.ndjson", "seg-000001.ndjson",
        "notes.txt" } << "1:ndjson";
    QTest::newRow("padded seven digits do not shadow segment 1")
        << QStringList { "seg-0000001.ndjson.zst", "seg-000001.ndjson" } << "1:ndjson";
    QTest::newRow("a directory named like a segment is ignored")
        << QStringList { "seg-000001.ndjson", "dir:seg-000002.ndjson" } << "1:ndjson";
}

void tst_SegmentFiles::listing()
{
    QFETCH(QStringList, files);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    for (const QString &f : std::as_const(files)) {
        if (f.startsWith(QLatin1String("dir:")))
            QVERIFY(QDir(dir.path()).mkdir(f.mid(4)));
        else
            QVERIFY(touch(dir.filePath(f)));
    }
    QCOMPARE(describe(AuditFiles::listSegments(dir.path())), expected);
}

void tst_SegmentFiles::pairsAndPaths()
{
    QTemporaryDir dir;
    QVERIFY(touch(dir.filePath("seg-000001.seal")));
    QVERIFY(touch(dir.filePath("seg-000002.ndjson.zst"), "12345"));
    QVERIFY(touch(dir.filePath("seg-000002.seal")));
    QVERIFY(touch(dir.filePath("seg-000003.ndjson"), "abc\n"));
    const auto segments = AuditFiles::listSegments(dir.path());
    QCOMPARE(segments.size(), 3);

    const AuditFiles::SegmentFile &retired = segments[0];
    QVERIFY(retired.retired());
    QCOMPARE(retired.name, QStringLiteral("seg-000001.ndjson"));
    QCOMPARE(retired.fileName(), QStringLiteral("seg-000001.ndjson"));
    QCOMPARE(retired.sealPath, dir.filePath("seg-000001.seal"));
    QCOMPARE(retired.size, 0);
    auto opened = AuditFiles::SegmentReader::open(retired);
    QVERIFY(!opened);
    QCOMPARE(opened.error().code, QStringLiteral("audit.retired"));

    const AuditFiles::SegmentFile &zst = segments[1];
    QCOMPARE(zst.name, QStringLiteral("seg-000002.ndjson"));
    QCOMPARE(zst.fileName(), QStringLiteral("seg-000002.ndjson.zst"));
    QCOMPARE(zst.path, dir.filePath("seg-000002.ndjson.zst"));
    QCOMPARE(zst.size, 5);
    QVERIFY(zst.compressed && zst.sealed());

    const AuditFiles::SegmentFile &active = segments[2];
    QCOMPARE(active.fileName(), QStringLiteral("seg-000003.ndjson"));
    QCOMPARE(active.size, 4);
    QVERIFY(!active.sealed() && !active.compressed && !active.retired());
}

void tst_SegmentFiles::readerPlainAndZstd()
{
    QTemporaryDir dir;
    QByteArray content;
    for (int i = 0; i < 20000; ++i)
        content += "{\"line\":" + QByteArray::number(i) + "}\n";
    QByteArray packed(qsizetype(ZSTD_compressBound(size_t(content.size()))), Qt::Uninitialized);
    packed.resize(qsizetype(ZSTD_compress(
        packed.data(), size_t(packed.size()), content.constData(), size_t(content.size()), 3)));
    QVERIFY(touch(dir.filePath("seg-000001.ndjson.zst"), packed));
    QVERIFY(touch(dir.filePath("seg-000002.ndjson"), content));
    const auto segments = AuditFiles::listSegments(dir.path());
    QCOMPARE(segments.size(), 2);
    for (const AuditFiles::SegmentFile &s : segments) {
        // Whole, and streamed in small pieces: the same bytes.
        const auto whole = AuditFiles::readSegment(s);
        QVERIFY(whole.ok());
        QCOMPARE(*whole, content);
        auto reader = AuditFiles::SegmentReader::open(s);
        QVERIFY(reader.ok());
        QCOMPARE((*reader)->sizeHint(), content.size());
        QByteArray streamed;
        char buf[1000];
        for (;;) {
            const auto n = (*reader)->read(buf, sizeof buf);
            QVERIFY(n.ok());
            if (*n == 0)
                break;
            streamed.append(buf, qsizetype(*n));
        }
        QCOMPARE(streamed, content);
        QCOMPARE((*reader)->filePosition(), s.size);
    }

    // A .zst cut short: the bytes before the cut come first, then the error naming zstd.
    QVERIFY(touch(dir.filePath("seg-000001.ndjson.zst"), packed.left(packed.size() / 2)));
    auto cut = AuditFiles::SegmentReader::open(AuditFiles::listSegments(dir.path()).first());
    QVERIFY(cut.ok());
    QByteArray got;
    Error error;
    for (;;) {
        QByteArray buf(4096, Qt::Uninitialized);
        const auto n = (*cut)->read(buf.data(), buf.size());
        if (!n) {
            error = n.error();
            break;
        }
        QVERIFY2(*n > 0, "a truncated .zst must not end without an error");
        got.append(buf.constData(), qsizetype(*n));
    }
    QCOMPARE(error.code, QStringLiteral("audit.corrupt_segment"));
    QVERIFY2(error.message.contains(QStringLiteral("zstd")), qPrintable(error.message));
    QVERIFY(content.startsWith(got));
    QVERIFY(!AuditFiles::readSegment(AuditFiles::listSegments(dir.path()).first()).ok());
}

QTEST_GUILESS_MAIN(tst_SegmentFiles)
#include "tst_segmentfiles.moc"
