// AuditStream on real files: rotation by size and age, seals, zstd, retention that keeps
// what no verified checkpoint covers, torn-tail recovery and head rebuild.
#include "audit/auditlock.h"
#include "audit/auditstream.h"
#include "audit/segmentfiles.h"
#include "audit/segmentreader.h"
#include "audit/segmentseal.h"
#include "audit/verify/auditverifier.h"
#include "auditchaincheck.h"
#include "core/clock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

AuditEvent auditEvent(int i, const QString &stream = QStringLiteral("resilience"))
{
    return AuditEvent { stream, QStringLiteral("engine"), QStringLiteral("test.event"),
        QJsonObject {
            { QStringLiteral("i"), i }, { QStringLiteral("pad"), QString(120, QLatin1Char('x')) } },
        0 };
}

QList<AuditEvent> events(int from, int count)
{
    QList<AuditEvent> out;
    for (int i = from; i < from + count; ++i)
        out.append(auditEvent(i));
    return out;
}

QStringList actions(const ChainCheck &c)
{
    QStringList out;
    for (const AuditEntry &e : c.entries)
        out.append(e.action);
    return out;
}

struct Fixture
{
    QTemporaryDir dir;
    ManualClock clock;
    AuditConfig config;
    CheckpointKey key = CheckpointKey::generate().value();
    QString streamDir() const
    {
        return AuditFiles::streamDir(dir.path(), QStringLiteral("resilience"));
    }

    std::unique_ptr<AuditStream> open(QList<AuditEvent> *repairs = nullptr)
    {
        auto s = std::make_unique<AuditStream>(
            dir.path(), QStringLiteral("resilience"), config, &clock, &key);
        auto r = s->sync();
        if (!r)
            qFatal("%s", qPrintable(r.error().message));
        if (repairs)
            *repairs = *r;
        if (!r->isEmpty() && !s->append(*r))
            qFatal("append of repairs failed");
        return s;
    }
};

} // namespace

class TstAuditStream : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendsAChainAndHead()
    {
        Fixture f;
        auto s = f.open();
        QVERIFY(s->append(events(0, 5)).ok());
        QCOMPARE(s->lastSeq(), 5);
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 5);
        QCOMPARE(c.entries.first().prev, AuditEntryCodec::genesisHash());
        QCOMPARE(c.entries.last().hash, s->lastHash());
        // A second writer instance continues the same chain.
        s.reset();
        auto again = f.open();
        QCOMPARE(again->lastSeq(), 5);
        QVERIFY(again->append(events(5, 2)).ok());
        QCOMPARE(checkChain(f.streamDir()).entries.size(), 7);
    }

    void durabilityModes_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("entry") << int(AuditConfig::Durability::Entry);
        QTest::newRow("batch") << int(AuditConfig::Durability::Batch);
        QTest::newRow("os") << int(AuditConfig::Durability::Os);
    }
    void durabilityModes()
    {
        QFETCH(int, mode);
        Fixture f;
        f.config.durability = AuditConfig::Durability(mode);
        auto s = f.open();
        QVERIFY(s->append(events(0, 20)).ok());
        QVERIFY(s->append(events(20, 1)).ok());
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 21);
    }

    void invalidDataIsKeptNotDropped()
    {
        Fixture f;
        auto s = f.open();
        AuditEvent e = auditEvent(1);
        e.data = QJsonObject { { QStringLiteral("load"), 0.75 } };
        QVERIFY(s->append({ e }).ok());
        const ChainCheck c = checkChain(f.streamDir());
        QCOMPARE(c.entries.size(), 1);
        QVERIFY(c.entries.first()
                    .data.value(QStringLiteral("invalid_data"))
                    .toString()
                    .contains(QStringLiteral("load")));
        QVERIFY(c.entries.first()
                    .data.value(QStringLiteral("json"))
                    .toString()
                    .contains(QStringLiteral("0.75")));
    }

    void rotatesBySizeAndSealsAndCompresses_data()
    {
        QTest::addColumn<bool>("compress");
        QTest::newRow("compressed") << true;
        QTest::newRow("plain") << false;
    }
    void rotatesBySizeAndSealsAndCompresses()
    {
        QFETCH(bool, compress);
        Fixture f;
        f.config.segmentMaxBytes = 4096;
        f.config.compressRotated = compress;
        auto s = f.open();
        QVERIFY(s->append(events(0, 100)).ok()); // ~330 bytes each -> about 9 segments
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 100);
        QVERIFY(c.segments >= 8);
        QCOMPARE(c.compressed, compress ? c.segments - 1 : 0);
        const auto segments = AuditFiles::listSegments(f.streamDir());
        for (const auto &seg : segments.mid(0, segments.size() - 1)) {
            QVERIFY(seg.sealed());
            QCOMPARE(QFile::exists(f.streamDir() + QLatin1Char('/') + seg.name), !compress);
            const auto seal = *AuditFiles::readSeal(seg.sealPath);
            const QByteArray bytes = *AuditFiles::readSegment(seg);
            QCOMPARE(seal.sha256, AuditFiles::sha256Hex(bytes));
            QCOMPARE(seal.bytes, bytes.size());
            QVERIFY(seal.bytes <= 4096 + 400);
        }
        QVERIFY(!segments.last().sealed());
        // Reopening continues after the last sealed segment.
        s.reset();
        auto again = f.open();
        QCOMPARE(again->lastSeq(), 100);
        QVERIFY(again->append(events(100, 1)).ok());
        QVERIFY(checkChain(f.streamDir()).ok());
    }

    void rotatesByAge()
    {
        Fixture f;
        f.config.segmentMaxAgeMs = 60'000;
        auto s = f.open();
        QVERIFY(s->append(events(0, 3)).ok());
        f.clock.advanceMs(59'000);
        QVERIFY(s->append(events(3, 1)).ok());
        QCOMPARE(s->activeSegment(), 1);
        f.clock.advanceMs(1'000);
        QVERIFY(s->append(events(4, 1)).ok());
        QCOMPARE(s->activeSegment(), 2);
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.segments, 2);
        QCOMPARE(c.entries.size(), 5);
    }

    void retentionKeepsWhatNoVerifiedCheckpointCovers()
    {
        Fixture f;
        f.config.segmentMaxBytes = 4096;
        f.config.retentionMs = 3'600'000;
        auto s = f.open();
        QVERIFY(s->append(events(0, 40)).ok()); // 3-4 sealed segments
        const int sealedBefore = s->activeSegment() - 1;
        QVERIFY(sealedBefore >= 3);

        // Old enough, but no checkpoint: nothing may go.
        f.clock.advanceMs(2 * 3'600'000);
        QVERIFY(s->append(events(40, 15)).ok());
        QCOMPARE(checkChain(f.streamDir()).retired, 0);

        // A checkpoint signed by another key does not count.
        CheckpointKey other = CheckpointKey::generate().value();
        QVERIFY(s->checkpoint(other, true).ok());
        QVERIFY(s->append(events(55, 15)).ok());
        QCOMPARE(checkChain(f.streamDir()).retired, 0);

        // Our key, covering everything so far: the old segments are retired on the next rotation.
        const qint64 coveredSeq = s->lastSeq();
        QVERIFY(s->checkpoint(f.key, true).ok());
        f.clock.advanceMs(2 * 3'600'000);
        QVERIFY(s->append(events(70, 15)).ok());
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QVERIFY(c.retired >= sealedBefore);
        // Every retired segment ends at or before the checkpoint; the data after it is kept.
        for (const auto &seg : AuditFiles::listSegments(f.streamDir()))
            if (seg.retired())
                QVERIFY(AuditFiles::readSeal(seg.sealPath)->lastSeq <= coveredSeq);
        QVERIFY(c.entries.last().seq == s->lastSeq());
        QVERIFY(c.entries.first().seq <= coveredSeq + 1);
        QVERIFY(actions(c).contains(QStringLiteral("audit.segment_retired")));
    }

    void retentionNeedsAMatchingHash()
    {
        Fixture f;
        f.config.segmentMaxBytes = 4096;
        f.config.retentionMs = 3'600'000;
        auto s = f.open();
        QVERIFY(s->append(events(0, 40)).ok());
        // A validly signed checkpoint whose hash is not the chain's at that seq.
        Checkpoint forged { QStringLiteral("resilience"), s->lastSeq(), QByteArray(64, 'f'),
            f.clock.nowMs(), {}, {} };
        QVERIFY(f.key.sign(forged).ok());
        QFile cp(AuditFiles::checkpointsPath(f.streamDir()));
        QVERIFY(cp.open(QIODevice::Append));
        cp.write(forged.toLine() + '\n');
        cp.close();
        f.clock.advanceMs(2 * 3'600'000);
        QVERIFY(s->append(events(40, 20)).ok());
        QCOMPARE(checkChain(f.streamDir()).retired, 0);
    }

    void tornTail_data()
    {
        QTest::addColumn<QByteArray>("garbage");
        QTest::addColumn<bool>("corruptLastLine");
        QTest::newRow("half a line, no newline") << QByteArray("{\"action\":\"test.ev") << false;
        QTest::newRow("complete line that does not hash-verify") << QByteArray() << true;
    }
    void tornTail()
    {
        QFETCH(QByteArray, garbage);
        QFETCH(bool, corruptLastLine);
        Fixture f;
        {
            auto s = f.open();
            QVERIFY(s->append(events(0, 4)).ok());
        }
        const QString seg = f.streamDir() + QStringLiteral("/seg-000001.ndjson");
        QFile file(seg);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QByteArray bytes = file.readAll();
        qint64 tornAt = bytes.size();
        QByteArray moved = garbage;
        if (corruptLastLine) {
            tornAt = bytes.lastIndexOf('\n', bytes.size() - 2) + 1;
            moved = bytes.mid(tornAt);
            moved.replace("\"i\":3", "\"i\":9");
            bytes = bytes.left(tornAt) + moved;
            file.resize(0);
            file.write(bytes);
        } else {
            file.write(garbage);
        }
        file.close();

        QList<AuditEvent> repairs;
        auto s = f.open(&repairs);
        // A damaged complete line was already in head.json: the head is then rebuilt too.
        QCOMPARE(repairs.size(), corruptLastLine ? 2 : 1);
        if (corruptLastLine) {
            QCOMPARE(repairs.at(1).action, QStringLiteral("audit.head_rebuilt"));
            QCOMPARE(repairs.at(1).data.value(QStringLiteral("reason")).toString(),
                QStringLiteral("ahead"));
        }
        const AuditEvent &r = repairs.first();
        QCOMPARE(r.action, QStringLiteral("audit.torn_tail_recovered"));
        QCOMPARE(r.data.value(QStringLiteral("segment")).toString(),
            QStringLiteral("seg-000001.ndjson"));
        QCOMPARE(r.data.value(QStringLiteral("offset")).toInteger(), tornAt);
        QCOMPARE(r.data.value(QStringLiteral("bytes")).toInteger(), moved.size());
        QCOMPARE(r.data.value(QStringLiteral("sha256")).toString().toLatin1(),
            AuditFiles::sha256Hex(moved));
        const QString movedTo = f.streamDir() + QLatin1Char('/')
            + r.data.value(QStringLiteral("moved_to")).toString();
        QFile tornFile(movedTo);
        QVERIFY(tornFile.open(QIODevice::ReadOnly));
        QCOMPARE(tornFile.readAll(), moved);
        QVERIFY(movedTo.endsWith(QStringLiteral("/torn/seg-000001.ndjson.%1.torn").arg(tornAt)));

        QVERIFY(s->append(events(10, 1)).ok());
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(actions(c).count(QStringLiteral("audit.torn_tail_recovered")), 1);
        QCOMPARE(c.entries.size(), 6);
    }

    void headRebuilt_data()
    {
        QTest::addColumn<QString>("how");
        QTest::addColumn<QString>("reason");
        QTest::newRow("missing") << QStringLiteral("delete") << QStringLiteral("missing");
        QTest::newRow("behind (crash before rename)")
            << QStringLiteral("behind") << QStringLiteral("behind");
    }
    void headRebuilt()
    {
        QFETCH(QString, how);
        QFETCH(QString, reason);
        Fixture f;
        QByteArray oldHead;
        {
            auto s = f.open();
            QVERIFY(s->append(events(0, 2)).ok());
            QFile h(AuditFiles::headPath(f.streamDir()));
            QVERIFY(h.open(QIODevice::ReadOnly));
            oldHead = h.readAll();
            QVERIFY(s->append(events(2, 2)).ok());
        }
        if (how == QLatin1String("delete")) {
            QVERIFY(QFile::remove(AuditFiles::headPath(f.streamDir())));
        } else {
            QFile h(AuditFiles::headPath(f.streamDir()));
            QVERIFY(h.open(QIODevice::WriteOnly | QIODevice::Truncate));
            h.write(oldHead);
        }
        QList<AuditEvent> repairs;
        auto s = f.open(&repairs);
        QCOMPARE(repairs.size(), 1);
        QCOMPARE(repairs.first().action, QStringLiteral("audit.head_rebuilt"));
        QCOMPARE(repairs.first().data.value(QStringLiteral("reason")).toString(), reason);
        QCOMPARE(repairs.first().data.value(QStringLiteral("chain_seq")).toInteger(), 4);
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 5);
    }

    void checkpointsAreSignedAndOnlyWhenAdvanced()
    {
        Fixture f;
        auto s = f.open();
        QCOMPARE(s->checkpoint(f.key, false)->seq, 0); // empty stream
        QVERIFY(s->append(events(0, 3)).ok());
        const auto cp = s->checkpoint(f.key, false);
        QVERIFY(cp.ok());
        QCOMPARE(cp->seq, 3);
        QCOMPARE(cp->hash, s->lastHash());
        QVERIFY(f.key.verify(*cp));
        QCOMPARE(s->checkpoint(f.key, false)->seq, 0);
        QCOMPARE(s->checkpoint(f.key, true)->seq, 3);
        QCOMPARE(s->hashAtSeq(2), checkChain(f.streamDir()).entries.at(1).hash);
        // The last checkpoint is found again on reopen.
        s.reset();
        auto again = f.open();
        QCOMPARE(again->lastCheckpointSeq(), 3);
    }

    // A partial checkpoint append (a full disk, a crash) is moved to torn/ and recorded in the
    // chain, at the next load or before the next checkpoint append; the chain then verifies.
    void tornCheckpointLine_data()
    {
        QTest::addColumn<QByteArray>("garbage");
        QTest::addColumn<bool>("atLoad");
        const QByteArray half("{\"hash\":\"0123456789abcdef");
        QTest::newRow("half a line, repaired at load") << half << true;
        QTest::newRow("half a line, repaired before the next checkpoint") << half << false;
        QTest::newRow("zeros without a newline (power loss), at load")
            << QByteArray(300, '\0') << true;
        QTest::newRow("a complete line that does not parse, before the next checkpoint")
            << QByteArray("{\"not\":\"a checkpoint\"}\n") << false;
    }
    void tornCheckpointLine()
    {
        QFETCH(QByteArray, garbage);
        QFETCH(bool, atLoad);
        Fixture f;
        auto s = f.open();
        QVERIFY(s->append(events(0, 3)).ok());
        QVERIFY(s->checkpoint(f.key, false).ok());
        QVERIFY(s->append(events(3, 2)).ok());
        QVERIFY(s->checkpoint(f.key, false).ok());
        const QString cpPath = AuditFiles::checkpointsPath(f.streamDir());
        QFile cp(cpPath);
        QVERIFY(cp.open(QIODevice::Append));
        const qint64 tornAt = cp.size();
        cp.write(garbage);
        cp.close();

        QList<AuditEvent> repairs;
        if (atLoad) {
            s.reset();
            s = f.open(&repairs);
            QCOMPARE(repairs.size(), 1);
            QCOMPARE(s->lastCheckpointSeq(), 5);
        }
        QVERIFY(s->append(events(5, 1)).ok());
        const auto next = s->checkpoint(f.key, false);
        QVERIFY2(next.ok(), qPrintable(next.ok() ? QString() : next.error().message));

        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        const auto recovered
            = std::find_if(c.entries.cbegin(), c.entries.cend(), [](const AuditEntry &e) {
                  return e.action == QLatin1String("audit.torn_tail_recovered");
              });
        QVERIFY(recovered != c.entries.cend());
        QCOMPARE(actions(c).count(QStringLiteral("audit.torn_tail_recovered")), 1);
        const QJsonObject &d = recovered->data;
        QCOMPARE(
            d.value(QStringLiteral("segment")).toString(), QStringLiteral("checkpoints.ndjson"));
        QCOMPARE(d.value(QStringLiteral("offset")).toInteger(), tornAt);
        QCOMPARE(d.value(QStringLiteral("bytes")).toInteger(), garbage.size());
        QCOMPARE(d.value(QStringLiteral("sha256")).toString().toLatin1(),
            AuditFiles::sha256Hex(garbage));
        const QString movedTo = d.value(QStringLiteral("moved_to")).toString();
        QCOMPARE(movedTo, QStringLiteral("torn/checkpoints.ndjson.%1.torn").arg(tornAt));
        QFile torn(f.streamDir() + QLatin1Char('/') + movedTo);
        QVERIFY(torn.open(QIODevice::ReadOnly));
        QCOMPARE(torn.readAll(), garbage);

        // The new checkpoint starts on a line of its own, after the record of the repair.
        QFile after(cpPath);
        QVERIFY(after.open(QIODevice::ReadOnly));
        const QList<AuditFiles::Line> lines = AuditFiles::splitLines(after.readAll());
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.last().terminated);
        QCOMPARE(lines.last().offset, tornAt);
        QCOMPARE(Checkpoint::parse(lines.last().text)->seq, s->lastSeq());
        QVERIFY(recovered->seq <= s->lastSeq());

        // What `shivx audit verify` sees: intact, every checkpoint signed and in the chain.
        const QString pub = f.dir.filePath(QStringLiteral("checkpoint.pub"));
        QFile pubFile(pub);
        QVERIFY(pubFile.open(QIODevice::WriteOnly));
        pubFile.write(f.key.publicKeyPem());
        pubFile.close();
        AuditVerifyOptions o;
        o.dataDir = f.dir.path();
        o.publicKeyFile = pub;
        const VerifyReport report = AuditVerifier(o).run();
        QCOMPARE(toString(report.verdict), QStringLiteral("intact"));
        QCOMPARE(report.streams.first().checkpoints.size(), 3);
    }

    void tornTailMovedTwiceAtTheSameOffsetKeepsBoth()
    {
        Fixture f;
        auto s = f.open();
        QVERIFY(s->append(events(0, 2)).ok());
        QVERIFY(s->checkpoint(f.key, false).ok());
        const QString cpPath = AuditFiles::checkpointsPath(f.streamDir());
        const qint64 tornAt = QFileInfo(cpPath).size();
        for (const QByteArray &garbage : { QByteArray("{\"first"), QByteArray("{\"second") }) {
            QFile cp(cpPath);
            QVERIFY(cp.open(QIODevice::Append));
            cp.write(garbage);
            cp.close();
            s.reset();
            s = f.open(); // moves it, and truncates the file back to tornAt
            QCOMPARE(QFileInfo(cpPath).size(), tornAt);
        }
        const QString torn = AuditFiles::tornDir(f.streamDir());
        QFile first(torn + QStringLiteral("/checkpoints.ndjson.%1.torn").arg(tornAt));
        QFile second(torn + QStringLiteral("/checkpoints.ndjson.%1.2.torn").arg(tornAt));
        QVERIFY(first.open(QIODevice::ReadOnly) && second.open(QIODevice::ReadOnly));
        QCOMPARE(first.readAll(), QByteArray("{\"first"));
        QCOMPARE(second.readAll(), QByteArray("{\"second"));
    }

    void anotherWriterIsPickedUp()
    {
        Fixture f;
        AuditLock lock(AuditFiles::lockPath(f.dir.path()));
        QVERIFY(QDir().mkpath(AuditFiles::auditDir(f.dir.path())));
        auto a = f.open();
        auto b = f.open();
        for (int round = 0; round < 5; ++round) {
            for (AuditStream *s : { a.get(), b.get() }) {
                AuditLockGuard guard(lock);
                QVERIFY(guard.result().ok());
                QVERIFY(s->sync().ok());
                QVERIFY(s->append(events(round, 3)).ok());
            }
        }
        const ChainCheck c = checkChain(f.streamDir());
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 30);
    }
};

QTEST_GUILESS_MAIN(TstAuditStream)
#include "tst_auditstream.moc"
