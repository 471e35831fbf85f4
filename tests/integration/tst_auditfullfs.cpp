// The audit chain on a real, small file system that fills up: a tmpfs of a few hundred KiB is
// mounted for each test (root only; skipped otherwise) and filled with a filler file, so that
// writes fail with a real ENOSPC, cut short where the kernel cuts them. A checkpoint append cut
// in half is moved to torn/ and recorded at the next append or load; head.json and seal writes
// that fail leave the old file, no temporary file and an error naming the file and the cause.
// Every test unmounts in its cleanup, also when it fails.
#include "audit/auditstream.h"
#include "audit/auditwriter.h"
#include "audit/checkpointkey.h"
#include "audit/segmentfiles.h"
#include "audit/verify/auditverifier.h"
#include "auditchaincheck.h"
#include "core/clock.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace Shivx;

namespace {

const QString Op = QStringLiteral("operator");

// A tmpfs of `bytes` mounted on a fresh directory for the lifetime of the object.
class SmallFileSystem
{
public:
    explicit SmallFileSystem(qint64 bytes)
    {
        const QByteArray options = "size=" + QByteArray::number(bytes) + ",mode=0700";
        if (::mount("shivx-test", QFile::encodeName(m_dir.path()).constData(), "tmpfs", 0,
                options.constData())
            != 0)
            m_error = QString::fromLocal8Bit(std::strerror(errno));
        else
            m_mounted = true;
    }
    ~SmallFileSystem()
    {
        if (!m_mounted)
            return;
        const QByteArray path = QFile::encodeName(m_dir.path());
        // Lazily if something still holds a file open: the mount never outlives the test.
        if (::umount2(path.constData(), 0) != 0)
            ::umount2(path.constData(), MNT_DETACH);
    }
    SmallFileSystem(const SmallFileSystem &) = delete;
    SmallFileSystem &operator=(const SmallFileSystem &) = delete;

    bool mounted() const { return m_mounted; }
    QString error() const { return m_error; }
    QString path() const { return m_dir.path(); }

    // Takes every free block with a filler file; returns its size (0 when nothing was free).
    qint64 fill()
    {
        const int fd = ::open(QFile::encodeName(filler()).constData(),
            O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
        if (fd < 0)
            return -1;
        const QByteArray block(4096, 'F');
        for (;;) {
            const ssize_t n = ::write(fd, block.constData(), size_t(block.size()));
            if (n <= 0)
                break;
        }
        ::close(fd);
        return QFileInfo(filler()).size();
    }
    void free() { QFile::remove(filler()); }

private:
    QString filler() const { return m_dir.path() + QStringLiteral("/filler"); }

    QTemporaryDir m_dir;
    bool m_mounted = false;
    QString m_error;
};

#define MOUNT_OR_SKIP(fs)                                                                          \
    if (!(fs).mounted())                                                                           \
        QSKIP(qPrintable(QStringLiteral("cannot mount a tmpfs (needs root, CAP_SYS_ADMIN): %1")    \
                             .arg((fs).error())));

AuditEvent opEvent(int i)
{
    return AuditEvent { Op, QStringLiteral("cli:test"), QStringLiteral("test.event"),
        QJsonObject {
            { QStringLiteral("i"), i }, { QStringLiteral("pad"), QString(120, QLatin1Char('x')) } },
        0 };
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

VerifyReport verify(const QString &dataDir, const QString &publicKey = {})
{
    AuditVerifyOptions o;
    o.dataDir = dataDir;
    o.publicKeyFile = publicKey;
    o.threads = 1;
    return AuditVerifier(o).run();
}

QString describe(const VerifyReport &r)
{
    QStringList out { toString(r.verdict), r.errorMessage };
    for (const VerifyFinding &f : r.findings)
        out << QStringLiteral("%1 %2 line %3: %4")
                   .arg(toString(f.problem), f.segment)
                   .arg(f.line)
                   .arg(f.detail);
    return out.join(QStringLiteral("; "));
}

// Free bytes in the last 4 KiB page of a file: what tmpfs still accepts once no page is free.
qint64 roomInLastPage(const QString &path)
{
    return (4096 - QFileInfo(path).size() % 4096) % 4096;
}

} // namespace

class tst_AuditFullFs : public QObject
{
    Q_OBJECT

private slots:
    void checkpointCutShort_data();
    void checkpointCutShort();
    void headWriteFails();
    void sealWriteFails();
};

void tst_AuditFullFs::checkpointCutShort_data()
{
    QTest::addColumn<bool>("restart");
    QTest::newRow("repaired before the next checkpoint append") << false;
    QTest::newRow("repaired at the next load (restart)") << true;
}

void tst_AuditFullFs::checkpointCutShort()
{
    QFETCH(bool, restart);
    SmallFileSystem fs(512 * 1024);
    MOUNT_OR_SKIP(fs);
    const QString data = fs.path() + QStringLiteral("/data");
    const QString cps = AuditFiles::checkpointsPath(AuditFiles::streamDir(data, Op));
    auto writer = std::make_unique<AuditWriter>(data, AuditConfig {});
    QVERIFY(writer->open().ok());
    for (int i = 0; i < 3; ++i)
        writer->record(opEvent(i));
    writer->flush();

    // Checkpoint until the file's last page has room for part of a line but not all of it.
    qint64 lineBytes = 0;
    for (int i = 0; i < 40; ++i) {
        const qint64 before = QFileInfo(cps).size();
        const auto written = writer->checkpointAll(true);
        QVERIFY(written.ok() && written->size() == 1);
        lineBytes = QFileInfo(cps).size() - before;
        const qint64 room = roomInLastPage(cps);
        if (room > 0 && room < lineBytes - 1)
            break;
    }
    const qint64 room = roomInLastPage(cps);
    QVERIFY(room > 0 && room < lineBytes - 1);
    const qint64 tornAt = QFileInfo(cps).size();
    const int linesBefore = int(readAll(cps).count('\n'));

    QVERIFY(fs.fill() > 0);
    const auto failed = writer->checkpointAll(true);
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message.contains(QStringLiteral("checkpoints.ndjson"))
            && failed.error().message.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))),
        qPrintable(failed.error().message));
    // The kernel wrote what fitted: a real partial line, without its newline.
    QCOMPARE(QFileInfo(cps).size(), tornAt + room);
    const QByteArray torn = readAll(cps).mid(tornAt);
    QVERIFY(torn.startsWith("{\"hash\":\""));
    QVERIFY(!torn.contains('\n'));

    // The verifier's view until a writer repairs it: a torn line, reported where it is.
    VerifyReport r = verify(data);
    QCOMPARE(toString(r.verdict), QStringLiteral("tampered"));
    QCOMPARE(r.findings.size(), 1);
    QCOMPARE(r.findings.first().segment, QStringLiteral("checkpoints.ndjson"));
    QCOMPARE(r.findings.first().line, linesBefore + 1);
    QCOMPARE(toString(r.findings.first().problem), toString(VerifyProblem::BadJson));

    // Still full: the repair cannot write torn/ either, so nothing moves and nothing is lost.
    if (!restart) {
        QVERIFY(!writer->checkpointAll(true).ok());
        QCOMPARE(readAll(cps).mid(tornAt), torn);
    }

    fs.free();
    if (restart) {
        writer->finish(false);
        writer = std::make_unique<AuditWriter>(data, AuditConfig {});
        QVERIFY(writer->open().ok()); // load: moves the torn line and records it
    } else {
        const auto next = writer->checkpointAll(true);
        QVERIFY2(next.ok(), qPrintable(next.ok() ? QString() : next.error().message));
        QCOMPARE(next->size(), 1);
    }
    writer->finish(false);

    const QString sdir = AuditFiles::streamDir(data, Op);
    const QString movedTo = QStringLiteral("torn/checkpoints.ndjson.%1.torn").arg(tornAt);
    QCOMPARE(readAll(sdir + QLatin1Char('/') + movedTo), torn);
    const ChainCheck chain = checkChain(sdir);
    QVERIFY2(chain.ok(), qPrintable(chain.error));
    int recorded = 0;
    for (const AuditEntry &e : chain.entries) {
        if (e.action != QLatin1String("audit.torn_tail_recovered"))
            continue;
        ++recorded;
        QCOMPARE(e.data.value(QStringLiteral("segment")).toString(),
            QStringLiteral("checkpoints.ndjson"));
        QCOMPARE(e.data.value(QStringLiteral("offset")).toInteger(), tornAt);
        QCOMPARE(e.data.value(QStringLiteral("bytes")).toInteger(), room);
        QCOMPARE(e.data.value(QStringLiteral("sha256")).toString().toLatin1(),
            AuditFiles::sha256Hex(torn));
        QCOMPARE(e.data.value(QStringLiteral("moved_to")).toString(), movedTo);
    }
    QCOMPARE(recorded, 1);
    const QByteArray after = readAll(cps);
    QVERIFY(after.endsWith('\n'));
    QCOMPARE(int(after.count('\n')), linesBefore + (restart ? 0 : 1));

    r = verify(data);
    QVERIFY2(r.verdict == VerifyReport::Verdict::Intact, qPrintable(describe(r)));
}

void tst_AuditFullFs::headWriteFails()
{
    SmallFileSystem fs(256 * 1024);
    MOUNT_OR_SKIP(fs);
    ManualClock clock;
    AuditConfig config;
    CheckpointKey key = CheckpointKey::generate().value();
    AuditStream s(fs.path(), Op, config, &clock, &key);
    QVERIFY(s.sync().ok());
    const QString seg = s.directory() + QStringLiteral("/seg-000001.ndjson");
    const QString head = AuditFiles::headPath(s.directory());
    // Until the active segment's last page has room for a whole entry, so that the entry
    // itself still fits once the disk is full and only the new head.json cannot be written.
    int next = 0;
    QVERIFY(s.append({ opEvent(next++) }).ok());
    const qint64 entryBytes = QFileInfo(seg).size();
    while (roomInLastPage(seg) < 2 * entryBytes)
        QVERIFY(s.append({ opEvent(next++) }).ok());
    const QByteArray oldHead = readAll(head);
    QVERIFY(oldHead.contains("\"seq\":" + QByteArray::number(next)));

    QVERIFY(fs.fill() > 0);
    const auto failed = s.append({ opEvent(next++) });
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message.contains(QStringLiteral("head.json.tmp"))
            && failed.error().message.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))),
        qPrintable(failed.error().message));
    QCOMPARE(readAll(head), oldHead); // the old head, whole
    QVERIFY(!QFile::exists(head + QStringLiteral(".tmp")));
    QCOMPARE(s.lastSeq(), next); // the entry itself is in the segment

    fs.free();
    // A restart finds the head behind the chain, rebuilds it and says so in the chain.
    AuditStream again(fs.path(), Op, config, &clock, &key);
    auto repairs = again.sync();
    QVERIFY(repairs.ok());
    QCOMPARE(repairs->size(), 1);
    QCOMPARE(repairs->first().action, QStringLiteral("audit.head_rebuilt"));
    QCOMPARE(
        repairs->first().data.value(QStringLiteral("reason")).toString(), QStringLiteral("behind"));
    QVERIFY(again.append(*repairs).ok());
    const ChainCheck chain = checkChain(s.directory());
    QVERIFY2(chain.ok(), qPrintable(chain.error));
    QCOMPARE(chain.entries.size(), next + 1);
    const VerifyReport r = verify(fs.path(), QString());
    QVERIFY2(r.verdict == VerifyReport::Verdict::Intact, qPrintable(describe(r)));
}

void tst_AuditFullFs::sealWriteFails()
{
    SmallFileSystem fs(256 * 1024);
    MOUNT_OR_SKIP(fs);
    ManualClock clock;
    AuditConfig config;
    config.segmentMaxBytes = 8192;
    config.compressRotated = false;
    CheckpointKey key = CheckpointKey::generate().value();
    AuditStream s(fs.path(), Op, config, &clock, &key);
    QVERIFY(s.sync().ok());
    const QString seg = s.directory() + QStringLiteral("/seg-000001.ndjson");
    int next = 0;
    // Up to the size limit: the next append rotates, which starts with writing the seal.
    while (QFileInfo(seg).size() < config.segmentMaxBytes)
        QVERIFY(s.append({ opEvent(next++) }).ok());
    QCOMPARE(s.activeSegment(), 1);

    QVERIFY(fs.fill() > 0);
    const AuditEvent pending = opEvent(next);
    int written = -1;
    const auto failed = s.append({ pending }, &written);
    QVERIFY(!failed.ok());
    QVERIFY2(failed.error().message.contains(QStringLiteral("seg-000001.seal.tmp"))
            && failed.error().message.contains(QString::fromLocal8Bit(std::strerror(ENOSPC))),
        qPrintable(failed.error().message));
    QCOMPARE(written, 0); // the caller keeps the event and retries it
    const QString seal = s.directory() + QStringLiteral("/seg-000001.seal");
    QVERIFY(!QFile::exists(seal));
    QVERIFY(!QFile::exists(seal + QStringLiteral(".tmp")));
    const auto segments = AuditFiles::listSegments(s.directory());
    QCOMPARE(segments.size(), 1);
    QVERIFY(!segments.first().sealed());

    fs.free();
    // The writer's next batch: sync() reopens (the rotation left no active file open) and the
    // rotation is done again, now with its seal.
    auto repairs = s.sync();
    QVERIFY(repairs.ok());
    QVERIFY(repairs->isEmpty());
    QVERIFY(s.append({ pending }).ok());
    QCOMPARE(s.activeSegment(), 2);
    QVERIFY(QFile::exists(seal));
    const ChainCheck chain = checkChain(s.directory());
    QVERIFY2(chain.ok(), qPrintable(chain.error));
    QCOMPARE(chain.entries.size(), next + 1);
    const VerifyReport r = verify(fs.path(), QString());
    QVERIFY2(r.verdict == VerifyReport::Verdict::Intact, qPrintable(describe(r)));
}

QTEST_GUILESS_MAIN(tst_AuditFullFs)
#include "tst_auditfullfs.moc"
