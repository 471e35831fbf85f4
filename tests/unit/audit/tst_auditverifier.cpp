// AuditVerifier against real chains on disk (tests/helpers/chainbuilder.h), tampered every way an
// attacker would; each tampering must be detected and located exactly.
#include "chainbuilder.h"

#include "audit/segmentreader.h"
#include "audit/verify/auditverifier.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Shivx;
using Shivx::Test::ChainBuilder;

Q_DECLARE_METATYPE(Shivx::VerifyProblem)

namespace {

const QString R = QStringLiteral("resilience");
const QString S = QStringLiteral("security");

// resilience: 150 entries in seg-000001.ndjson.zst (1-50, sealed), seg-000002.ndjson (51-100,
// sealed) and seg-000003.ndjson (101-150, active); checkpoints at 40, 80, 120; head at 150.
// security: 20 entries in one segment, a checkpoint at 20.
void buildBase(const QString &dataDir, qint64 alteredFrom = 0, QByteArray *witness = nullptr)
{
    ChainBuilder b(dataDir);
    b.setSegmentEntries(50);
    b.setCheckpointEvery(40);
    b.setAlteredFrom(alteredFrom);
    b.setCompressRotated(true);
    b.append(R, 51); // rotation of seg 1 (compressed) happens at entry 51
    b.setCompressRotated(false);
    b.append(R, 99);
    b.append(S, 20);
    b.checkpoint(S);
    if (witness)
        *witness = b.witness({ b.signedHead(R), b.signedHead(S) });
    QVERIFY2(b.error().isEmpty(), qPrintable(b.error()));
}

QString streamFile(const QString &dataDir, const QString &stream, const QString &name)
{
    return dataDir + QStringLiteral("/audit/") + stream + QLatin1Char('/') + name;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

// Lines of a segment (decompressing .zst), and writing them back the same way.
QList<QByteArray> lines(const QString &path)
{
    QByteArray bytes; // empty when unreadable (a tampered .zst)
    if (auto reader = AuditFiles::SegmentReader::open(path))
        if (auto all = (*reader)->readAll())
            bytes = *all;
    QList<QByteArray> l = bytes.split('\n');
    if (!l.isEmpty() && l.last().isEmpty())
        l.removeLast();
    return l;
}

void setLines(const QString &path, const QList<QByteArray> &l)
{
    QByteArray bytes = l.join('\n');
    if (!l.isEmpty())
        bytes += '\n';
    writeAll(path, path.endsWith(QLatin1String(".zst")) ? ChainBuilder::zstd(bytes) : bytes);
}

QByteArray member(const QByteArray &line, const char *name)
{
    const QByteArray key = QByteArray("\"") + name + "\":\"";
    return line.mid(line.indexOf(key) + key.size(), 64);
}

// The small-chunk variant also recomputes seal digests, so both settings see every tampering.
VerifyReport verify(const QString &dataDir, qint64 chunkBytes, int threads,
    const QString &publicKey = {}, const QString &witness = {})
{
    AuditVerifyOptions o;
    o.checkSealDigest = chunkBytes < 65536;
    o.dataDir = dataDir;
    o.chunkBytes = chunkBytes;
    o.threads = threads;
    o.publicKeyFile = publicKey;
    o.witnessFile = witness;
    return AuditVerifier(o).run();
}

} // namespace

class tst_AuditVerifier : public QObject
{
    Q_OBJECT

private slots:
    void intactChain();
    void tampered_data();
    void tampered();
    void linesLongerThanAChunk();
    void emptyAndMissing();
    void progressAndCancel();
    void millionEntries();
    void retiredSegments_data();
    void retiredSegments();
    void tornCheckpointLine();
};

void tst_AuditVerifier::intactChain()
{
    QTemporaryDir dir;
    buildBase(dir.path());
    for (const qint64 chunk : { qint64(4096), qint64(4 << 20) }) {
        const VerifyReport r = verify(dir.path(), chunk, chunk == 4096 ? 2 : 1);
        QCOMPARE(toString(r.verdict), QStringLiteral("intact"));
        QVERIFY(r.findings.isEmpty());
        QCOMPARE(r.streams.size(), 2);
        const StreamSummary &s = r.streams.at(0);
        QCOMPARE(s.name, R);
        QCOMPARE(s.entries, 150);
        QCOMPARE(s.firstSeq, 1);
        QCOMPARE(s.lastSeq, 150);
        const auto seg1 = lines(streamFile(dir.path(), R, QStringLiteral("seg-000001.ndjson.zst")));
        const auto seg3 = lines(streamFile(dir.path(), R, QStringLiteral("seg-000003.ndjson")));
        QCOMPARE(s.firstHash, member(seg1.first(), "hash"));
        QCOMPARE(s.lastHash, member(seg3.last(), "hash"));
        QCOMPARE(s.segments.size(), 3);
        QCOMPARE(s.segments.at(0).file, QStringLiteral("seg-000001.ndjson.zst"));
        QVERIFY(s.segments.at(0).compressed);
        QCOMPARE(s.segments.at(1).firstSeq, 51);
        QCOMPARE(s.segments.at(1).lastSeq, 100);
        QCOMPARE(s.segments.at(2).entries, 50);
        QCOMPARE(s.checkpoints.size(), 3);
        QCOMPARE(s.checkpoints.at(2).seq, 120);
        QVERIFY(s.checkpoints.at(2).signatureValid);
        QCOMPARE(r.streams.at(1).entries, 20);
        QCOMPARE(r.keyFingerprint.size(), 64);
        QVERIFY(r.verifiedBy.contains(QLatin1Char('@')));
        QVERIFY(r.bytesVerified > 0);
    }
}

void tst_AuditVerifier::tampered_data()
{
    QTest::addColumn<QString>("tamper");
    QTest::addColumn<VerifyProblem>("problem");
    QTest::addColumn<QString>("stream");
    QTest::addColumn<QString>("segment");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<qint64>("seq");
    const QString seg1z = QStringLiteral("seg-000001.ndjson.zst");
    const QString seg2 = QStringLiteral("seg-000002.ndjson");
    const QString seg3 = QStringLiteral("seg-000003.ndjson");
    const QString cps = QStringLiteral("checkpoints.ndjson");
    using P = VerifyProblem;
    const auto row = [&](const char *name, P p, const QString &segment, qint64 line, qint64 seq,
                         const QString &stream = R) {
        QTest::newRow(name) << QString::fromLatin1(name) << p << stream << segment << line << seq;
    };
    row("one data byte flipped", P::HashMismatch, seg3, 5, 105);
    row("hash changed", P::HashMismatch, seg2, 10, 60);
    row("hash changed in a compressed segment", P::HashMismatch, seg1z, 7, 7);
    row("line deleted", P::SeqGap, seg3, 7, 108);
    row("forged line with a valid hash inserted", P::SeqRepeat, seg3, 5, 104);
    row("line with a made-up hash inserted", P::HashMismatch, seg3, 4, 104);
    row("two lines swapped", P::SeqGap, seg2, 20, 71);
    row("line is not JSON", P::BadJson, seg2, 3, 53);
    row("data not canonical, hash recomputed", P::BadJson, seg3, 5, 105);
    row("last line torn", P::BadJson, seg3, 50, 150);
    row("entry of another stream", P::WrongStream, seg3, 2, 2);
    row("tail truncated", P::HeadMismatch, QStringLiteral("head.json"), 1, 150);
    row("tail truncated and head rewritten", P::MissingTail, seg3, 11, 111);
    row("segment deleted", P::SegmentGap, seg2, 0, 51);
    row("seal altered", P::SegmentHashMismatch, seg2, 0, 100);
    row("seal digest altered", P::SegmentHashMismatch, seg2, 0, 100);
    row("checkpoint signature forged", P::BadSignature, cps, 2, 80);
    row("checkpoints signed with another key", P::BadSignature, cps, 1, 40);
    row("wrong public key", P::BadSignature, cps, 1, 40);
    row("compressed segment corrupted", P::CorruptSegment, seg1z, 1, 1);
    row("compressed segment truncated", P::CorruptSegment, seg1z, 51, 51);
    row("chain rewritten from seq 90", P::CheckpointMismatch, seg3, 20, 120);
    row("witness from before a rollback", P::MissingTail, seg3, 1, 101);
    row("witness from before a rollback and rewrite", P::CheckpointMismatch, seg3, 50, 150);
    row("witness signed with another key", P::BadSignature, QStringLiteral("witness.json"), 1, 150);
}

void tst_AuditVerifier::tampered()
{
    QFETCH(QString, tamper);
    QFETCH(VerifyProblem, problem);
    QFETCH(QString, stream);
    QFETCH(QString, segment);
    QFETCH(qint64, line);
    QFETCH(qint64, seq);

    QTemporaryDir dir;
    const QString d = dir.path() + QStringLiteral("/data");
    QByteArray witness;
    buildBase(d, 0, &witness);
    const auto path
        = [&](const QString &name, const QString &st = R) { return streamFile(d, st, name); };
    const QString seg1z = path(QStringLiteral("seg-000001.ndjson.zst"));
    const QString seg2 = path(QStringLiteral("seg-000002.ndjson"));
    const QString seg3 = path(QStringLiteral("seg-000003.ndjson"));
    const QString cps = path(QStringLiteral("checkpoints.ndjson"));
    QString publicKey;
    const QString witnessFile = dir.path() + QStringLiteral("/witness.json");
    bool useWitness = false;
    bool sealDigestOnly = false; // a change to the seal file alone, seen only with seal digests on

    const auto otherKey = [&] {
        auto k = CheckpointKey::generate();
        writeAll(dir.path() + QStringLiteral("/other.pub"), k->publicKeyPem());
        return std::move(*k);
    };
    const auto rebuild = [&](qint64 alteredFrom) {
        // The same key (the engine's), a chain that differs from `alteredFrom` on.
        const QString other = dir.path() + QStringLiteral("/other");
        QDir().mkpath(other + QStringLiteral("/audit/keys"));
        for (const char *f : { "checkpoint.key", "checkpoint.pub" })
            QFile::copy(d + QStringLiteral("/audit/keys/") + QLatin1String(f),
                other + QStringLiteral("/audit/keys/") + QLatin1String(f));
        QByteArray unused;
        buildBase(other, alteredFrom, &unused);
        return other;
    };

    if (tamper == QLatin1String("one data byte flipped")) {
        auto l = lines(seg3);
        l[4].replace("original", "originaL");
        setLines(seg3, l);
    } else if (tamper == QLatin1String("hash changed")) {
        auto l = lines(seg2);
        l[9].replace(member(l[9], "hash"), ChainBuilder::sha256Hex("forged"));
        setLines(seg2, l);
    } else if (tamper == QLatin1String("hash changed in a compressed segment")) {
        auto l = lines(seg1z);
        l[6].replace(member(l[6], "hash"), ChainBuilder::sha256Hex("forged"));
        setLines(seg1z, l);
    } else if (tamper == QLatin1String("line deleted")) {
        auto l = lines(seg3);
        l.removeAt(6);
        setLines(seg3, l);
    } else if (tamper.startsWith(QLatin1String("forged line"))
        || tamper.startsWith(QLatin1String("line with a made-up"))) {
        auto l = lines(seg3);
        AuditEntry e;
        e.seq = 104;
        e.tsMs = ChainBuilder::BaseTsMs;
        e.stream = R;
        e.actor = QStringLiteral("mallory");
        e.action = QStringLiteral("test.event");
        e.data = QJsonObject { { QStringLiteral("i"), 104 },
            { QStringLiteral("note"), QStringLiteral("forged") } };
        e.prev = member(l[2], "hash");
        QByteArray forged = AuditEntryCodec::seal(e).value();
        if (tamper.startsWith(QLatin1String("line with a made-up")))
            forged.replace(e.hash, ChainBuilder::sha256Hex("made up"));
        l.insert(3, forged);
        setLines(seg3, l);
    } else if (tamper == QLatin1String("two lines swapped")) {
        auto l = lines(seg2);
        l.swapItemsAt(19, 20);
        setLines(seg2, l);
    } else if (tamper == QLatin1String("line is not JSON")) {
        auto l = lines(seg2);
        l[2] = l[2].left(40) + "\x01" + l[2].mid(41);
        setLines(seg2, l);
    } else if (tamper == QLatin1String("data not canonical, hash recomputed")) {
        // Valid JSON whose hash matches its bytes, but not the canonical form a writer produces
        // (members out of order): a verifier that only parsed JSON would pass this line.
        auto l = lines(seg3);
        QByteArray entry = l[4];
        const QByteArray hash = member(entry, "hash");
        QVERIFY(entry.contains("{\"i\":105,\"note\":\"original\"}"));
        entry.replace("{\"i\":105,\"note\":\"original\"}", "{\"note\":\"original\",\"i\":105}");
        QByteArray hashed = entry;
        hashed.replace(",\"hash\":\"" + hash + '"', "");
        entry.replace(hash, ChainBuilder::sha256Hex(hashed + member(entry, "prev")));
        l[4] = entry;
        setLines(seg3, l);
    } else if (tamper == QLatin1String("last line torn")) {
        QByteArray bytes = readAll(seg3);
        bytes.chop(1);
        writeAll(seg3, bytes);
    } else if (tamper == QLatin1String("entry of another stream")) {
        auto l = lines(seg3);
        l[1] = lines(path(QStringLiteral("seg-000001.ndjson"), S)).at(1);
        setLines(seg3, l);
    } else if (tamper == QLatin1String("tail truncated")) {
        setLines(seg3, lines(seg3).mid(0, 45));
    } else if (tamper == QLatin1String("tail truncated and head rewritten")) {
        const auto l = lines(seg3).mid(0, 10);
        setLines(seg3, l);
        ChainBuilder(d).writeHeadFile(
            R, 110, member(l.last(), "hash"), QStringLiteral("seg-000003.ndjson"));
    } else if (tamper == QLatin1String("segment deleted")) {
        QVERIFY(QFile::remove(seg2));
        QVERIFY(QFile::remove(path(QStringLiteral("seg-000002.seal"))));
    } else if (tamper == QLatin1String("seal altered")) {
        const QString seal = path(QStringLiteral("seg-000002.seal"));
        QByteArray bytes = readAll(seal);
        const QByteArray last = member(bytes, "last_hash");
        writeAll(seal, bytes.replace(last, ChainBuilder::sha256Hex("x")));
    } else if (tamper == QLatin1String("seal digest altered")) {
        const QString seal = path(QStringLiteral("seg-000002.seal"));
        QByteArray bytes = readAll(seal);
        writeAll(seal, bytes.replace(member(bytes, "sha256"), ChainBuilder::sha256Hex("x")));
        sealDigestOnly = true;
    } else if (tamper == QLatin1String("checkpoint signature forged")) {
        auto l = lines(cps);
        const int at = l[1].indexOf("\"sig\":\"") + 7;
        l[1][at] = l[1][at] == '0' ? '1' : '0';
        setLines(cps, l);
    } else if (tamper == QLatin1String("checkpoints signed with another key")) {
        const CheckpointKey k = otherKey();
        auto l = lines(cps);
        for (QByteArray &text : l) {
            Checkpoint cp = Checkpoint::parse(text).value();
            QVERIFY(k.sign(cp));
            text = cp.toLine();
        }
        setLines(cps, l);
    } else if (tamper == QLatin1String("wrong public key")) {
        otherKey();
        publicKey = dir.path() + QStringLiteral("/other.pub");
    } else if (tamper == QLatin1String("compressed segment corrupted")) {
        QByteArray bytes = readAll(seg1z);
        bytes[1] = char(bytes[1] ^ 0x40);
        writeAll(seg1z, bytes);
    } else if (tamper == QLatin1String("compressed segment truncated")) {
        QByteArray bytes = readAll(seg1z);
        bytes.chop(4);
        writeAll(seg1z, bytes);
    } else if (tamper == QLatin1String("chain rewritten from seq 90")) {
        // The attacker recomputes every hash from seq 90 on, the seals and the head, but cannot
        // sign: the original checkpoints stay.
        const QString other = rebuild(90);
        QFile::copy(cps, other + QStringLiteral("/cps"));
        QVERIFY(QDir(d + QStringLiteral("/audit")).removeRecursively());
        QVERIFY(QDir().rename(other + QStringLiteral("/audit"), d + QStringLiteral("/audit")));
        QFile::remove(cps);
        QVERIFY(QFile::copy(other + QStringLiteral("/cps"), cps));
    } else if (tamper == QLatin1String("witness from before a rollback")) {
        // Rolled back to seq 100 consistently: segment 3 emptied, head and checkpoints rewritten.
        setLines(seg3, {});
        ChainBuilder(d).writeHeadFile(
            R, 100, member(lines(seg2).last(), "hash"), QStringLiteral("seg-000002.ndjson"));
        setLines(cps, lines(cps).mid(0, 2));
        QCOMPARE(toString(verify(d, 4096, 2).verdict),
            QStringLiteral("intact")); // only the witness can tell
        writeAll(witnessFile, witness);
        useWitness = true;
    } else if (tamper == QLatin1String("witness from before a rollback and rewrite")) {
        const QString other = rebuild(101);
        QVERIFY(QDir(d + QStringLiteral("/audit")).removeRecursively());
        QVERIFY(QDir().rename(other + QStringLiteral("/audit"), d + QStringLiteral("/audit")));
        QCOMPARE(toString(verify(d, 4096, 2).verdict), QStringLiteral("intact"));
        writeAll(witnessFile, witness);
        useWitness = true;
    } else if (tamper == QLatin1String("witness signed with another key")) {
        const CheckpointKey k = otherKey();
        QJsonObject w = QJsonDocument::fromJson(witness).object();
        QJsonArray arr = w.value(QStringLiteral("checkpoints")).toArray();
        Checkpoint cp
            = Checkpoint::parse(QJsonDocument(arr.at(0).toObject()).toJson(QJsonDocument::Compact))
                  .value();
        QVERIFY(k.sign(cp));
        arr[0] = QJsonDocument::fromJson(cp.toLine()).object();
        w.insert(QStringLiteral("checkpoints"), arr);
        writeAll(witnessFile, QJsonDocument(w).toJson());
        useWitness = true;
    } else {
        QFAIL("unknown tamper row");
    }

    for (const qint64 chunk : { qint64(4096), qint64(4 << 20) }) {
        const VerifyReport r = verify(
            d, chunk, chunk == 4096 ? 2 : 1, publicKey, useWitness ? witnessFile : QString());
        if (sealDigestOnly && chunk != 4096) {
            QCOMPARE(toString(r.verdict), QStringLiteral("intact"));
            continue;
        }
        QCOMPARE(toString(r.verdict), QStringLiteral("tampered"));
        // A wrong public key fails every stream's checkpoints; any other tampering only its stream.
        const bool everyStream = tamper == QLatin1String("wrong public key");
        QCOMPARE(r.findings.size(), everyStream ? 2 : 1);
        const VerifyFinding &f = r.findings.first();
        QVERIFY2(f.problem == problem,
            qPrintable(toString(f.problem) + QStringLiteral(": ") + f.detail));
        QCOMPARE(f.stream, stream);
        QCOMPARE(f.segment, segment);
        QCOMPARE(f.line, line);
        QCOMPARE(f.seq, seq);
        QVERIFY(!f.detail.isEmpty());
        for (const StreamSummary &s : r.streams)
            QCOMPARE(s.intact, s.name != stream && !everyStream);
    }
}

void tst_AuditVerifier::linesLongerThanAChunk()
{
    // Entries of 3 MB between ordinary ones: a line spans several reads of a 1 MiB chunk, and
    // the scanning threads grow their hash buffers for it and give the memory back afterwards.
    QTemporaryDir dir;
    ChainBuilder b(dir.path());
    b.append(R, 4);
    b.setPadding(3 << 20);
    b.append(R, 2);
    b.setPadding(0);
    b.append(R, 4);
    QVERIFY2(b.error().isEmpty(), qPrintable(b.error()));
    for (const int threads : { 1, 2 }) {
        const VerifyReport r = verify(dir.path(), 1 << 20, threads);
        QCOMPARE(toString(r.verdict), QStringLiteral("intact"));
        QCOMPARE(r.streams.at(0).entries, 10);
    }
    const QString seg = streamFile(dir.path(), R, QStringLiteral("seg-000001.ndjson"));
    auto l = lines(seg);
    QCOMPARE(l[5].size() > (3 << 20), true);
    l[5][2 << 20] = 'y'; // deep inside the second long entry's note
    setLines(seg, l);
    const VerifyReport r = verify(dir.path(), 1 << 20, 2);
    QCOMPARE(toString(r.verdict), QStringLiteral("tampered"));
    QCOMPARE(r.findings.size(), 1);
    QCOMPARE(toString(r.findings.at(0).problem), toString(VerifyProblem::HashMismatch));
    QCOMPARE(r.findings.at(0).line, 6);
    QCOMPARE(r.findings.at(0).seq, 6);
}

void tst_AuditVerifier::emptyAndMissing()
{
    QTemporaryDir dir;
    VerifyReport r = verify(dir.path(), 4096, 1);
    QCOMPARE(toString(r.verdict), QStringLiteral("error"));
    QVERIFY(r.errorMessage.contains(QStringLiteral("no audit chain")));

    // A stream that exists but has no entries yet is intact.
    QVERIFY(QDir().mkpath(dir.path() + QStringLiteral("/audit/operator")));
    writeAll(dir.path() + QStringLiteral("/audit/operator/seg-000001.ndjson"), QByteArray());
    r = verify(dir.path(), 4096, 1);
    QCOMPARE(toString(r.verdict), QStringLiteral("intact"));
    QCOMPARE(r.streams.size(), 1);
    QCOMPARE(r.streams.first().entries, 0);

    // A segment that cannot be read is an I/O error, not tampering.
    buildBase(dir.path());
    if (::geteuid() != 0) {
        const QString seg = streamFile(dir.path(), R, QStringLiteral("seg-000002.ndjson"));
        QFile::setPermissions(seg, QFileDevice::WriteOwner);
        r = verify(dir.path(), 4096, 1);
        QCOMPARE(toString(r.verdict), QStringLiteral("error"));
        QCOMPARE(toString(r.findings.first().problem), toString(VerifyProblem::IoError));
    }
}

void tst_AuditVerifier::progressAndCancel()
{
    QTemporaryDir dir;
    buildBase(dir.path());
    AuditVerifyOptions o;
    o.dataDir = dir.path();
    o.chunkBytes = 4096;
    AuditVerifier v(o);
    QList<QPair<qint64, qint64>> calls;
    v.setProgressCallback([&](qint64 done, qint64 total) { calls.append({ done, total }); });
    QCOMPARE(toString(v.run().verdict), QStringLiteral("intact"));
    QVERIFY(calls.size() > 3);
    for (int i = 1; i < calls.size(); ++i)
        QVERIFY(calls[i].first >= calls[i - 1].first);
    QCOMPARE(calls.last().first, calls.last().second);

    std::atomic_bool cancel { false };
    AuditVerifier c(o);
    c.setCancelFlag(&cancel);
    c.setProgressCallback([&](qint64, qint64) { cancel = true; });
    const VerifyReport r = c.run();
    QCOMPARE(toString(r.verdict), QStringLiteral("error"));
    QVERIFY(r.cancelled);
}

void tst_AuditVerifier::millionEntries()
{
    // Sanitizer builds run several times slower: a quarter of the chain there (still 4 segments
    // and several checkpoints), the full million in every other build.
    const qint64 entries = SHIVX_TIME_SCALE > 1 ? 250000 : 1000000;
    QTemporaryDir dir;
    QElapsedTimer timer;
    timer.start();
    {
        ChainBuilder b(dir.path());
        b.setSegmentEntries(entries / 4);
        b.setCheckpointEvery(entries / 10);
        b.append(R, entries);
        QVERIFY2(b.error().isEmpty(), qPrintable(b.error()));
    }
    const qint64 builtMs = timer.restart();
    const VerifyReport r = verify(dir.path(), 4 << 20, 0);
    qInfo("built in %lld ms, verified %lld bytes in %lld ms", builtMs, r.bytesVerified,
        timer.elapsed());
    QCOMPARE(toString(r.verdict), QStringLiteral("intact"));
    QCOMPARE(r.streams.first().entries, entries);
    QCOMPARE(r.streams.first().segments.size(), 4);
    QCOMPARE(r.streams.first().checkpoints.size(), 10);
}

// Retention removes the data of the oldest segments and keeps their seals: the chain is
// carried through the seals (docs/audit-format.md), anything else is a gap or tampering.
void tst_AuditVerifier::retiredSegments_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<VerifyProblem>("problem");
    QTest::addColumn<QString>("segment");
    QTest::addColumn<qint64>("line");
    QTest::addColumn<qint64>("seq");
    QTest::addColumn<qint64>("entries"); // verified, when intact
    using P = VerifyProblem;
    QTest::newRow("segment 1 retired: its seal starts the chain")
        << "retire 1" << P::None << QString() << qint64(0) << qint64(0) << qint64(100);
    QTest::newRow("segments 1 and 2 retired")
        << "retire 1 2" << P::None << QString() << qint64(0) << qint64(0) << qint64(50);
    QTest::newRow("data of segment 2 removed, segment 1 kept")
        << "retire 2" << P::SegmentGap << "seg-000002.ndjson" << qint64(0) << qint64(51)
        << qint64(0);
    QTest::newRow("retired seal no longer continues the chain")
        << "retire 1 2, seal 2 first_seq" << P::SegmentGap << "seg-000002.seal" << qint64(0)
        << qint64(51) << qint64(0);
    QTest::newRow("retired seal's last_hash altered")
        << "retire 1, seal 1 last_hash" << P::BrokenLink << "seg-000002.ndjson" << qint64(1)
        << qint64(51) << qint64(0);
    QTest::newRow("retired seal is not a seal")
        << "retire 1, seal 1 garbage" << P::SegmentHashMismatch << "seg-000001.seal" << qint64(0)
        << qint64(1) << qint64(0);
    QTest::newRow("retired seal deleted too")
        << "retire 1, delete seal 1" << P::SegmentGap << "seg-000001.ndjson" << qint64(0)
        << qint64(1) << qint64(0);
}

void tst_AuditVerifier::retiredSegments()
{
    QFETCH(QString, change);
    QFETCH(VerifyProblem, problem);
    QFETCH(QString, segment);
    QFETCH(qint64, line);
    QFETCH(qint64, seq);
    QFETCH(qint64, entries);
    QTemporaryDir dir;
    buildBase(dir.path());
    const auto path = [&](const QString &name) { return streamFile(dir.path(), R, name); };
    const QString seal1 = path(QStringLiteral("seg-000001.seal"));
    const QString seal2 = path(QStringLiteral("seg-000002.seal"));
    if (change.startsWith(QLatin1String("retire 1")))
        QVERIFY(QFile::remove(path(QStringLiteral("seg-000001.ndjson.zst"))));
    if (change.startsWith(QLatin1String("retire 1 2")) || change == QLatin1String("retire 2"))
        QVERIFY(QFile::remove(path(QStringLiteral("seg-000002.ndjson"))));
    if (change.endsWith(QLatin1String("seal 2 first_seq"))) {
        QByteArray bytes = readAll(seal2);
        writeAll(seal2, bytes.replace("\"first_seq\":51", "\"first_seq\":52"));
    } else if (change.endsWith(QLatin1String("seal 1 last_hash"))) {
        QByteArray bytes = readAll(seal1);
        writeAll(seal1, bytes.replace(member(bytes, "last_hash"), ChainBuilder::sha256Hex("x")));
    } else if (change.endsWith(QLatin1String("seal 1 garbage"))) {
        writeAll(seal1, "{\"bytes\":1}\n");
    } else if (change.endsWith(QLatin1String("delete seal 1"))) {
        QVERIFY(QFile::remove(seal1));
    }
    for (const qint64 chunk : { qint64(4096), qint64(1 << 20) }) {
        const VerifyReport r = verify(dir.path(), chunk, 2);
        const StreamSummary &s = r.streams.at(0);
        if (problem == VerifyProblem::None) {
            QVERIFY2(r.findings.isEmpty(),
                qPrintable(r.findings.isEmpty() ? QString() : r.findings.first().detail));
            QCOMPARE(toString(r.verdict), QStringLiteral("intact"));
            QCOMPARE(s.entries, entries);
            QCOMPARE(s.firstSeq, 151 - entries);
            QCOMPARE(s.lastSeq, 150);
            // Signed checkpoints at 40, 80, 120: those in removed entries are checked only by
            // their signature.
            QCOMPARE(s.checkpoints.size(), 3);
            continue;
        }
        QCOMPARE(r.findings.size(), 1);
        const VerifyFinding &f = r.findings.first();
        QVERIFY2(f.problem == problem,
            qPrintable(toString(f.problem) + QStringLiteral(": ") + f.detail));
        QCOMPARE(f.stream, R);
        QCOMPARE(f.segment, segment);
        QCOMPARE(f.line, line);
        QCOMPARE(f.seq, seq);
        QVERIFY(!f.detail.isEmpty());
    }
}

// A checkpoint append cut short (ENOSPC, a crash) leaves a last line without "\n": bad_json
// at that line, as for a segment, until the next writer moves it to torn/.
void tst_AuditVerifier::tornCheckpointLine()
{
    QTemporaryDir dir;
    buildBase(dir.path());
    const QString cps = streamFile(dir.path(), R, QStringLiteral("checkpoints.ndjson"));
    const QByteArray intact = readAll(cps);
    QCOMPARE(intact.count('\n'), 3);
    // Even a complete checkpoint without its newline: the writer could not know it was whole.
    for (const QByteArray &torn : { intact.split('\n').at(2).left(50), intact.split('\n').at(2) }) {
        writeAll(cps, intact + torn);
        const VerifyReport r = verify(dir.path(), 1 << 20, 1);
        QCOMPARE(toString(r.verdict), QStringLiteral("tampered"));
        QCOMPARE(r.findings.size(), 1);
        const VerifyFinding &f = r.findings.first();
        QCOMPARE(toString(f.problem), toString(VerifyProblem::BadJson));
        QCOMPARE(f.segment, QStringLiteral("checkpoints.ndjson"));
        QCOMPARE(f.line, 4);
        QVERIFY2(f.detail.contains(QStringLiteral("torn")), qPrintable(f.detail));
    }
}

QTEST_GUILESS_MAIN(tst_AuditVerifier)
#include "tst_auditverifier.moc"
