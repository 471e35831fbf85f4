// AuditReader against real stream directories: plain and zstd segments, head.json,
// signed checkpoints, bad lines, files that change under the reader, filtered scans.

#include "audit/auditreader.h"
#include "auditstreamfixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace Shivx;
namespace F = AuditStreamFixture;

namespace {

// The number of entries 1..n that satisfy pred, the count a search must find.
template <typename Pred> qint64 countSeq(qint64 n, Pred pred)
{
    qint64 c = 0;
    for (qint64 s = 1; s <= n; ++s)
        c += pred(s) ? 1 : 0;
    return c;
}

// A stream of `entries` entries, `perSegment` to a segment, rotated segments compressed
// unless `compressRotated` is false.
F::Options streamOptions(qint64 entries, qint64 perSegment, bool compressRotated = true)
{
    F::Options opt;
    opt.entries = entries;
    opt.perSegment = perSegment;
    opt.compressRotated = compressRotated;
    return opt;
}

QList<qint64> searchAll(const AuditReader &reader, const AuditFilter &filter)
{
    QList<qint64> rows;
    reader.search(filter, 0, [&](const QList<qint64> &batch, qint64) {
        rows += batch;
        return true;
    });
    return rows;
}

} // namespace

class TstAuditReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fixtureLinesAreWhatSealWrites();
    void readsPlainAndCompressedSegments();
    void badLinesAreRowsWithAReason_data();
    void badLinesAreRowsWithAReason();
    void unterminatedLastLine();
    void unreadableCompressedSegment();
    void rotationAndTruncationAfterIndexing();
    void streamStatusFromHeadAndCheckpoints();
    void search_data();
    void search();
    void searchStopsOnCancel();
    void lineFieldsWithEscapes();
};

void TstAuditReader::fixtureLinesAreWhatSealWrites()
{
    // The builder checks its first line against AuditEntryCodec::seal and reports a difference.
    QTemporaryDir tmp;
    F::Options opt = streamOptions(5, 2);
    opt.stream = "security";
    opt.stepMs = 1234;
    const F::Written w = F::writeStream(tmp.path(), opt);
    QVERIFY2(w.error.isEmpty(), qPrintable(w.error));
    QCOMPARE(w.hashes.size(), 5);
}

void TstAuditReader::readsPlainAndCompressedSegments()
{
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(100, 40);
    const F::Written w = F::writeStream(tmp.path(), opt);
    QCOMPARE(w.segments,
        (QStringList { "seg-000001.ndjson.zst", "seg-000002.ndjson.zst", "seg-000003.ndjson" }));

    auto reader = AuditReader::open(w.dir);
    QVERIFY2(reader.ok(), qPrintable(reader.ok() ? QString() : reader.error().toString()));
    QCOMPARE(reader->rowCount(), 100);
    QCOMPARE(reader->streamName(), QStringLiteral("resilience"));
    const QList<AuditSegmentInfo> segs = reader->segments();
    QCOMPARE(segs.size(), 3);
    QVERIFY(segs[0].compressed && segs[1].compressed && !segs[2].compressed);
    QCOMPARE(segs[1].firstRow, 40);
    QCOMPARE(segs[2].lines, 20);
    QVERIFY(reader->indexBytes() > 0);

    // Across both compressed segments and into the plain one, in one read.
    const QList<AuditRecord> rows = reader->readRows(30, 60);
    QCOMPARE(rows.size(), 60);
    for (const AuditRecord &r : rows) {
        QVERIFY2(r.valid, qPrintable(r.error));
        QCOMPARE(r.entry.seq, r.row + 1);
        QCOMPARE(r.entry.hash, w.hashes[int(r.row)]);
        QCOMPARE(r.entry.action, QString::fromLatin1(F::actionOf(r.entry.seq)));
    }
    QCOMPARE(rows[15].segment, QStringLiteral("seg-000002.ndjson.zst"));
    QCOMPARE(rows[15].line, 6);

    // Clipped at the end; a copy reads on its own (it is what a worker thread gets).
    const AuditReader copy = reader.value();
    QCOMPARE(copy.readRows(95, 50).size(), 5);
    QCOMPARE(copy.readRow(99).entry.hash, w.lastHash);
    QVERIFY(!copy.readRow(100).valid);

    QCOMPARE(reader->rowOf(QStringLiteral("seg-000002.ndjson"), 6), 45);
    QCOMPARE(reader->rowOf(QStringLiteral("seg-000002.ndjson.zst"), 6), 45);
    QCOMPARE(reader->rowOf(QStringLiteral("seg-000003.ndjson"), 21), -1);
    QCOMPARE(reader->rowOfSeq(77), 76);
    QCOMPARE(reader->rowOfSeq(1000), -1);
}

void TstAuditReader::badLinesAreRowsWithAReason_data()
{
    QTest::addColumn<QByteArray>("badLine");
    QTest::addColumn<QString>("reason");
    QTest::newRow("not JSON") << QByteArray("garbage here") << QStringLiteral("not JSON");
    QTest::newRow("cut JSON") << QByteArray("{\"action\":\"x\",\"actor\"")
                              << QStringLiteral("not JSON");
    QTest::newRow("empty line") << QByteArray() << QStringLiteral("empty line");
    QTest::newRow("wrong members") << QByteArray("{\"a\":1}") << QStringLiteral("members are");
    QTest::newRow("binary") << QByteArray("\x01\x02\xff\xfe", 4) << QStringLiteral("not JSON");
}

void TstAuditReader::badLinesAreRowsWithAReason()
{
    QFETCH(QByteArray, badLine);
    QFETCH(QString, reason);
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(10, 100);
    const F::Written w = F::writeStream(tmp.path(), opt);
    // Insert the bad line as line 4 of the active segment.
    const QString seg = w.dir + QStringLiteral("/seg-000001.ndjson");
    QFile f(seg);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = f.readAll().split('\n');
    f.close();
    lines.insert(3, badLine);
    QVERIFY(Test::ChainBuilder::saveFile(seg, lines.join('\n')));

    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());
    QCOMPARE(reader->rowCount(), 11);
    const QList<AuditRecord> rows = reader->readRows(0, 11);
    QVERIFY(rows[2].valid);
    QVERIFY(!rows[3].valid);
    QVERIFY2(rows[3].error.contains(reason), qPrintable(rows[3].error));
    QCOMPARE(rows[3].raw, badLine);
    QCOMPARE(rows[3].line, 4);
    QVERIFY(rows[4].valid);
    QCOMPARE(rows[4].entry.seq, 4);
    // A bad line matches text only, never a field condition.
    AuditFilter byAction;
    byAction.action = QStringLiteral("e");
    QVERIFY(!searchAll(reader.value(), byAction).contains(3));
}

void TstAuditReader::unterminatedLastLine()
{
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(30, 20, false);
    const F::Written w = F::writeStream(tmp.path(), opt);
    // An append in progress in the active segment is not a row yet...
    QFile active(w.dir + QStringLiteral("/seg-000002.ndjson"));
    QVERIFY(active.open(QIODevice::Append));
    active.write("{\"action\":\"half");
    active.close();
    // ...but a rotated segment is complete, so its unterminated tail is a (bad) row.
    QFile rotated(w.dir + QStringLiteral("/seg-000001.ndjson"));
    QVERIFY(rotated.open(QIODevice::Append));
    rotated.write("{\"torn");
    rotated.close();

    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());
    QCOMPARE(reader->rowCount(), 31);
    const AuditRecord torn = reader->readRow(20);
    QVERIFY(!torn.valid);
    QCOMPARE(torn.raw, QByteArray("{\"torn"));
    QCOMPARE(torn.segment, QStringLiteral("seg-000001.ndjson"));
    QCOMPARE(reader->readRow(21).entry.seq, 21);
    QCOMPARE(reader->readRow(30).entry.seq, 30);
}

void TstAuditReader::unreadableCompressedSegment()
{
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(50, 20);
    const F::Written w = F::writeStream(tmp.path(), opt);
    QVERIFY(Test::ChainBuilder::saveFile(
        w.dir + QStringLiteral("/seg-000002.ndjson.zst"), "not zstd at all"));
    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());
    const QList<AuditSegmentInfo> segs = reader->segments();
    QVERIFY2(segs[1].error.contains(QStringLiteral("zstd")), qPrintable(segs[1].error));
    QCOMPARE(segs[1].lines, 0);
    QCOMPARE(reader->rowCount(), 30);
    QCOMPARE(reader->readRow(19).entry.seq, 20);
    QCOMPARE(reader->readRow(20).entry.seq, 41);
}

void TstAuditReader::rotationAndTruncationAfterIndexing()
{
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(60, 30, false);
    const F::Written w = F::writeStream(tmp.path(), opt);
    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());

    // The writer compresses seg 1 and removes the plain file: the rows read on from the copy.
    const QString plain = w.dir + QStringLiteral("/seg-000001.ndjson");
    QFile f(plain);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray content = f.readAll();
    f.close();
    QVERIFY(Test::ChainBuilder::saveFile(
        plain + QStringLiteral(".zst"), Test::ChainBuilder::zstd(content)));
    QVERIFY(QFile::remove(plain));
    QCOMPARE(reader->readRow(10).entry.seq, 11);

    // Recovery truncates the active segment: the vanished rows say so instead of crashing.
    const QString active = w.dir + QStringLiteral("/seg-000002.ndjson");
    QVERIFY(QFile::resize(active, 100));
    const AuditRecord gone = reader->readRow(59);
    QVERIFY(!gone.valid);
    QVERIFY2(gone.error.contains(QStringLiteral("shorter")), qPrintable(gone.error));
}

void TstAuditReader::streamStatusFromHeadAndCheckpoints()
{
    QTemporaryDir tmp;
    F::Options opt = streamOptions(250, 100);
    opt.checkpointEvery = 100;
    const F::Written w = F::writeStream(tmp.path(), opt);
    // Signed with the audit directory's own key, as the engine does.
    auto key = CheckpointKey::loadOrCreate(tmp.filePath(QStringLiteral("keys")));
    QVERIFY(key.ok());
    F::Options sec;
    sec.stream = "security";
    sec.entries = 3;
    F::writeStream(tmp.path(), sec);
    QDir(tmp.path()).mkpath(QStringLiteral("Not_A_Stream"));

    const QList<AuditStreamStatus> streams = AuditReader::listStreams(tmp.path());
    QCOMPARE(streams.size(), 2);
    QCOMPARE(streams[0].name, QStringLiteral("resilience"));
    QCOMPARE(streams[1].name, QStringLiteral("security"));
    const AuditStreamStatus &st = streams[0];
    QVERIFY(st.hasHead);
    QCOMPARE(st.headSeq, 250);
    QCOMPARE(st.headHash, w.lastHash);
    QCOMPARE(st.headTsMs, opt.startTsMs + 249 * opt.stepMs);
    QCOMPARE(st.segmentCount, 3);
    QCOMPARE(st.checkpointCount, 2);
    QVERIFY(st.lastCheckpoint.has_value());
    QCOMPARE(st.lastCheckpoint->seq, 200);
    QCOMPARE(st.lastCheckpoint->hash, w.hashes[199]);
    QVERIFY(key->verify(*st.lastCheckpoint));
    QCOMPARE(streams[1].checkpointCount, 0);
    QVERIFY(!streams[1].lastCheckpoint.has_value());

    // A broken head is reported, not trusted.
    QVERIFY(Test::ChainBuilder::saveFile(w.dir + QStringLiteral("/head.json"), "{oops"));
    const AuditStreamStatus broken = AuditReader::streamStatus(w.dir);
    QVERIFY(!broken.hasHead);
    QVERIFY(!broken.headError.isEmpty());
}

void TstAuditReader::search_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<QString>("actor");
    QTest::addColumn<qint64>("fromSeq");
    QTest::addColumn<qint64>("toSeq");
    QTest::addColumn<QString>("text");

    QTest::newRow("action substring") << "breaker"
                                      << "" << 0LL << 0LL << "";
    QTest::newRow("action case-insensitive") << "PROCESS.EXITED"
                                             << "" << 0LL << 0LL << "";
    QTest::newRow("actor") << ""
                           << "alice" << 0LL << 0LL << "";
    QTest::newRow("time range") << ""
                                << "" << 100LL << 150LL << "";
    QTest::newRow("from only") << ""
                               << "" << 200LL << 0LL << "";
    QTest::newRow("text in data") << ""
                                  << "" << 0LL << 0LL << "billing-db";
    QTest::newRow("text case-insensitive") << ""
                                           << "" << 0LL << 0LL << "http 503";
    QTest::newRow("all conditions") << "breaker"
                                    << "engine" << 10LL << 200LL << "payments";
    QTest::newRow("nothing matches") << "no.such.action"
                                     << "" << 0LL << 0LL << "";
}

void TstAuditReader::search()
{
    QFETCH(QString, action);
    QFETCH(QString, actor);
    QFETCH(qint64, fromSeq);
    QFETCH(qint64, toSeq);
    QFETCH(QString, text);
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(250, 90);
    const F::Written w = F::writeStream(tmp.path(), opt);
    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());

    AuditFilter filter;
    filter.action = action;
    filter.actor = actor;
    const auto tsOf = [&](qint64 seq) { return opt.startTsMs + (seq - 1) * opt.stepMs; };
    filter.fromMs = fromSeq ? tsOf(fromSeq) : 0;
    filter.toMs = toSeq ? tsOf(toSeq) : 0;
    filter.text = text;

    const QList<qint64> rows = searchAll(reader.value(), filter);
    const auto expected = [&](qint64 s) {
        const QString line = QString::fromLatin1(F::actionOf(s) + F::actorOf(s) + F::dataOf(s));
        return QString::fromLatin1(F::actionOf(s)).contains(action, Qt::CaseInsensitive)
            && QString::fromLatin1(F::actorOf(s)).contains(actor, Qt::CaseInsensitive)
            && (!fromSeq || s >= fromSeq) && (!toSeq || s <= toSeq)
            && line.contains(text, Qt::CaseInsensitive);
    };
    QCOMPARE(rows.size(), countSeq(250, expected));
    QVERIFY(std::is_sorted(rows.begin(), rows.end()));
    for (qint64 row : rows)
        QVERIFY2(expected(row + 1), qPrintable(QString::number(row)));
}

void TstAuditReader::searchStopsOnCancel()
{
    QTemporaryDir tmp;
    const F::Options opt = streamOptions(20'000, 20'000);
    const F::Written w = F::writeStream(tmp.path(), opt);
    auto reader = AuditReader::open(w.dir);
    QVERIFY(reader.ok());
    std::atomic_bool cancel { false };
    int calls = 0;
    AuditFilter all;
    all.text = QStringLiteral("seq");
    const qint64 scanned = reader->search(
        all, 0,
        [&](const QList<qint64> &, qint64) {
            ++calls;
            cancel = true; // as the UI does when the operator types again
            return true;
        },
        &cancel);
    QCOMPARE(calls, 1);
    QCOMPARE(scanned, AuditReader::kScanRows);
}

void TstAuditReader::lineFieldsWithEscapes()
{
    QByteArray hash;
    const QByteArray line = Test::ChainBuilder::canonicalLine("operator", 1,
        TimeUtil::toRfc3339(1'795'000'000'123).toLatin1(),
        { "operator:\\\"bob\\\"", "note.added", "{\"text\":\"say \\\"hi\\\" \\\\ ok\"}" },
        AuditEntryCodec::genesisHash(), &hash);
    const AuditLineFields f = AuditLineFields::extract(line);
    QVERIFY(f.ok);
    QCOMPARE(f.action, QStringLiteral("note.added"));
    QCOMPARE(f.actor, QStringLiteral("operator:\"bob\""));
    QCOMPARE(f.tsMs, 1'795'000'000'123);
    AuditFilter quoted;
    quoted.text = QStringLiteral("say \"HI\" \\");
    QVERIFY(AuditLineMatcher(quoted).matches(line));
    quoted.actor = QStringLiteral("\"bob\"");
    QVERIFY(AuditLineMatcher(quoted).matches(line));
    QVERIFY(!AuditLineFields::extract("{\"action\":\"x\"}").ok);
}

QTEST_GUILESS_MAIN(TstAuditReader)
#include "tst_auditreader.moc"
