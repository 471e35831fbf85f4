// Verify and the errors that protect a restore: a tampered object, a truncated pack, a
// tampered snapshot and a wrong passphrase each give their own error code and message, and
// a restore of damaged data writes nothing in place of the file.
#include "backup/backupjob.h"
#include "backup/restorejob.h"
#include "backup/verifier.h"
#include "backupfixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using namespace Shivx::Backup;
using namespace BackupFixture;

class TstVerifier : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Repository> m_repo;
    Id m_snapshot;

    QString src() const { return m_dir.filePath("src"); }

    // The pack holding random.bin's first chunk, and that chunk's location.
    QString packOfRandomChunk(BlobLocation *loc)
    {
        QFile f(src() + "/random.bin");
        f.open(QIODevice::ReadOnly);
        const QByteArray data = f.readAll();
        const std::size_t n = m_repo->chunker().cut(
            reinterpret_cast<const std::uint8_t *>(data.constData()), std::size_t(data.size()));
        const Id id = m_repo->blobId(reinterpret_cast<const std::uint8_t *>(data.constData()), n);
        if (!m_repo->locate(id, loc))
            qFatal("chunk not found");
        return m_repo->packPath(m_repo->packId(loc->pack));
    }

    VerifyReport verify(bool quick = false)
    {
        auto fresh = Repository::open(m_dir.filePath("repo"), passphrase());
        if (!fresh || !(*fresh)->loadIndex())
            qFatal("open failed");
        VerifyOptions o;
        o.quick = quick;
        o.sample = 1.0;
        return *runVerify(**fresh, o);
    }

    bool hasProblem(const VerifyReport &r, const QString &code)
    {
        for (const Error &e : r.problems) {
            if (e.code == code)
                return true;
        }
        return false;
    }

    Result<RestoreStats> restoreAll(const QString &target)
    {
        auto fresh = Repository::open(m_dir.filePath("repo"), passphrase());
        (*fresh)->loadIndex();
        RestoreOptions o;
        o.target = target;
        return runRestore(**fresh, *(*fresh)->readSnapshot(m_snapshot), o);
    }

private Q_SLOTS:
    void init()
    {
        QDir(m_dir.path()).removeRecursively();
        QDir().mkpath(m_dir.path());
        makeTree(src());
        m_repo = createRepo(m_dir.filePath("repo"));
        BackupSetSpec s;
        s.name = QStringLiteral("main");
        s.paths = { src() };
        const auto st = runBackup(*m_repo, s, BackupOptions());
        QVERIFY(st);
        m_snapshot = st->snapshot;
    }

    void intactRepositoryVerifies()
    {
        const VerifyReport r = verify();
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.problems.first().message));
        QCOMPARE(r.snapshots, 1);
        QVERIFY(r.packsRead >= 1);
        QCOMPARE(r.packsRead, r.packs);
        QVERIFY(r.objectsRead > 10);
        QVERIFY(verify(true).ok());
    }

    void tamperedObjectIsFoundAndNeverRestored()
    {
        BlobLocation loc;
        const QString pack = packOfRandomChunk(&loc);
        QFile f(pack);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(loc.offset + 40); // inside the ciphertext
        char c;
        f.getChar(&c);
        f.seek(loc.offset + 40);
        f.putChar(char(c ^ 0x01));
        f.close();
        const VerifyReport r = verify();
        QVERIFY(hasProblem(r, QStringLiteral("backup.tampered")));
        const auto restored = restoreAll(m_dir.filePath("out"));
        QVERIFY(!restored);
        QCOMPARE(restored.error().code, QStringLiteral("backup.tampered"));
        QVERIFY2(restored.error().message.contains(QStringLiteral("fails authentication")),
            qPrintable(restored.error().message));
        QVERIFY(!QFile::exists(m_dir.filePath("out") + src() + "/random.bin"));
        QVERIFY(!QFile::exists(m_dir.filePath("out") + src() + "/random.bin.shivx-restore"));
    }

    void truncatedPackIsFound()
    {
        BlobLocation loc;
        const QString pack = packOfRandomChunk(&loc);
        QVERIFY(QFile::resize(pack, loc.offset + 10));
        const VerifyReport full = verify();
        QVERIFY(hasProblem(full, QStringLiteral("backup.truncated")));
        const VerifyReport quick = verify(true);
        QVERIFY(hasProblem(quick, QStringLiteral("backup.truncated")));
        const auto restored = restoreAll(m_dir.filePath("out"));
        QVERIFY(!restored);
        QCOMPARE(restored.error().code, QStringLiteral("backup.truncated"));
        QVERIFY(restored.error().message.contains(QStringLiteral("truncated")));
    }

    void tamperedSnapshotIsFound()
    {
        const QString file
            = m_dir.filePath("repo/snapshots/") + QString::fromStdString(m_snapshot.hex());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(f.size() - 20);
        f.putChar('x');
        f.close();
        const VerifyReport r = verify();
        QVERIFY(hasProblem(r, QStringLiteral("backup.tampered")));
    }

    void wrongPassphraseIsAClearError()
    {
        const auto r = Repository::open(m_dir.filePath("repo"), passphrase("wrong"));
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.wrong_key"));
        QVERIFY2(r.error().message.contains(QStringLiteral("wrong passphrase")),
            qPrintable(r.error().message));
        const auto notRepo = Repository::open(m_dir.filePath("src"), passphrase());
        QVERIFY(!notRepo);
        QCOMPARE(notRepo.error().code, QStringLiteral("backup.not_repository"));
    }

    void missingPackIsFound()
    {
        BlobLocation loc;
        QVERIFY(QFile::remove(packOfRandomChunk(&loc)));
        const VerifyReport r = verify(true);
        QVERIFY(hasProblem(r, QStringLiteral("backup.missing")));
    }
};

QTEST_GUILESS_MAIN(TstVerifier)
#include "tst_verifier.moc"
