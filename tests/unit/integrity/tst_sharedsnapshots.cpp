// One store with the backups (integrity.snapshot_store): once a backup repository is
// initialised, safe snapshots go into it, under a shared repository lock, named by an
// `integrity-baseline` root; a backup of protected files stores none of their data again, nor
// the copies of files a backup already holds; copies made before the repository existed are
// restored from the module's own store until the next baseline update moves them, after which
// the own store is gone; a backup prune keeps every copy; `latest` of the repository is never
// the integrity root; an explicit `backup` store without a repository, or one that cannot be
// unlocked, is a clear error. Real files, a real repository, real backups and prunes.
#include "backup/backupconfig.h"
#include "backup/backupjob.h"
#include "backup/pruner.h"
#include "backup/repository.h"
#include "integrity/baselinestore.h"
#include "integrity/filehasher.h"
#include "integrity/integrityconfig.h"
#include "integrity/pathwalker.h"
#include "integrity/saferestore.h"
#include "integrity/safesnapshots.h"
#include "snapshotfixture.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using namespace SnapshotFixture;
using Store = IntegrityConfig::SnapshotStore;

namespace {

// Bytes of every pack under REPO/data.
qint64 packBytes(const QString &repo)
{
    qint64 total = 0;
    QDirIterator it(repo + QStringLiteral("/data"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

} // namespace

class TstSharedSnapshots : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<BackupConfig> m_backup;
    QString tree() const { return m_dir->path() + QStringLiteral("/etc"); }
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString repoPath() const { return m_dir->path() + QStringLiteral("/backup-repo"); }

    // `shivx backup init` with a key file, as the engine's backups would unlock it.
    void initBackupRepository()
    {
        const auto credential = Backup::KeySlots::createKeyFile(m_backup->keyFile);
        QVERIFY2(credential.ok(), credential.ok() ? "" : qPrintable(credential.error().message));
        Backup::Repository::InitOptions options;
        options.scrypt.n = 1u << 10; // a quick key derivation: this test is not about scrypt
        const auto repo = Backup::Repository::init(repoPath(), *credential, options);
        QVERIFY2(repo.ok(), repo.ok() ? "" : qPrintable(repo.error().message));
    }

    std::unique_ptr<Backup::Repository> openBackupRepository()
    {
        const auto credential = Backup::KeySlots::readKeyFile(m_backup->keyFile);
        if (!credential)
            return nullptr;
        auto repo = Backup::Repository::open(repoPath(), *credential);
        if (!repo || !(*repo)->loadIndex())
            return nullptr;
        return std::move(*repo);
    }

    QList<Backup::SnapshotInfo> roots()
    {
        QList<Backup::SnapshotInfo> out;
        const auto repo = openBackupRepository();
        if (!repo)
            return out;
        const auto all = repo->snapshots();
        for (const Backup::SnapshotInfo &s : all.ok() ? *all : QList<Backup::SnapshotInfo>())
            if (s.set == QLatin1String("integrity-baseline"))
                out.append(s);
        return out;
    }

    SafeSnapshots snapshots(Store choice = Store::Auto)
    {
        return SafeSnapshots(dataDir(), 64 << 20, choice, m_backup);
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(tree()));
        QVERIFY(QDir().mkpath(dataDir()));
        m_backup = std::make_shared<BackupConfig>();
        m_backup->repository = repoPath();
        m_backup->keyFile = m_dir->path() + QStringLiteral("/backup.key");
    }

    void autoUsesTheBackupRepositoryOnceInitialised()
    {
        const QString path = tree() + QStringLiteral("/sudoers");
        writeFile(path, "root ALL=(ALL) ALL\n");
        writeFile(tree() + QStringLiteral("/hosts"), "127.0.0.1 localhost\n");
        initBackupRepository();
        SafeSnapshots s = snapshots();
        QVERIFY(s.storeDescription().startsWith(QStringLiteral("the backup repository ")));
        Baseline b = scan(tree());
        QStringList warnings;
        const auto p = s.protect(&b, nullptr, protectedConfig(tree()), &warnings);
        QVERIFY2(p.ok(), p.ok() ? "" : qPrintable(p.error().message));
        QVERIFY(warnings.isEmpty());
        // No second store: the module's own was never made.
        QVERIFY(!QFileInfo::exists(SafeSnapshots::repositoryPath(dataDir())));
        QVERIFY(!QFileInfo::exists(SafeSnapshots::keyPath(dataDir())));
        // The copies are named by a root before the baseline is even written.
        QCOMPARE(roots().size(), 1);
        QCOMPARE(roots().first().stats.value(QStringLiteral("files")).toInt(), 2);
        // No lock is left behind.
        QVERIFY(QDir(repoPath() + QStringLiteral("/locks")).entryList(QDir::Files).isEmpty());

        writeFile(path, "evil ALL=(ALL) NOPASSWD: ALL\n");
        const auto r = SafeRestore::restoreFile(s, b.files.value(path));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(readFile(path), QByteArray("root ALL=(ALL) ALL\n"));

        // The next update keeps one root: the older one is forgotten.
        writeFile(tree() + QStringLiteral("/hosts"), "127.0.0.1 localhost box\n");
        Baseline next = scan(tree());
        QVERIFY(s.protect(&next, &b, protectedConfig(tree()), &warnings).ok());
        QCOMPARE(roots().size(), 2);
        const auto pruned = s.prune(next);
        QVERIFY2(pruned.ok(), pruned.ok() ? "" : qPrintable(pruned.error().message));
        QCOMPARE(pruned->rootsForgotten, 1);
        QCOMPARE(roots().size(), 1);
        QCOMPARE(pruned->copies, 2);
    }

    void backupsAndCopiesShareTheirData()
    {
        // Copies first, then a backup of the same files: the backup finds their data stored.
        writeFile(tree() + QStringLiteral("/a.bin"), noise(600 * 1024, 1));
        writeFile(tree() + QStringLiteral("/b.bin"), noise(400 * 1024, 2));
        initBackupRepository();
        SafeSnapshots s = snapshots();
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&b, nullptr, protectedConfig(tree()), &warnings).ok());
        auto repo = openBackupRepository();
        QVERIFY(repo);
        BackupSetSpec set;
        set.name = QStringLiteral("etc");
        set.paths = { tree() };
        const auto stats = Backup::runBackup(*repo, set, Backup::BackupOptions());
        QVERIFY2(stats.ok(), stats.ok() ? "" : qPrintable(stats.error().message));
        QCOMPARE(stats->bytes, quint64(1000 * 1024));
        QVERIFY2(stats->newBytes < 16 * 1024, qPrintable(QString::number(stats->newBytes)));

        // The other way round: a file the backup holds costs the copies nothing but its tree.
        writeFile(tree() + QStringLiteral("/c.bin"), noise(500 * 1024, 3));
        QVERIFY(Backup::runBackup(*repo, set, Backup::BackupOptions()).ok());
        const qint64 before = packBytes(repoPath());
        Baseline next = scan(tree());
        QVERIFY(s.protect(&next, &b, protectedConfig(tree()), &warnings).ok());
        QVERIFY2(packBytes(repoPath()) - before < 16 * 1024,
            qPrintable(QString::number(packBytes(repoPath()) - before)));
        QCOMPARE(next.files.value(tree() + QStringLiteral("/c.bin")).snapshot.size(), 32);

        // A backup prune (retention of the backups' own set) keeps every copy.
        const auto snaps = repo->snapshots();
        QVERIFY(snaps.ok());
        QList<Backup::Id> forget;
        for (const Backup::SnapshotInfo &i : *snaps)
            if (i.set == QLatin1String("etc"))
                forget.append(i.id);
        const auto prune = Backup::runPrune(*repo, forget, Backup::PruneOptions());
        QVERIFY2(prune.ok(), prune.ok() ? "" : qPrintable(prune.error().message));
        QCOMPARE(prune->forgotten, int(forget.size()));
        for (const QString &name : { QStringLiteral("a.bin"), QStringLiteral("c.bin") }) {
            const QString path = tree() + QLatin1Char('/') + name;
            const QByteArray content = readFile(path);
            QVERIFY(QFile::remove(path));
            const auto r = SafeRestore::restoreFile(s, next.files.value(path));
            QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
            QCOMPARE(readFile(path), content);
        }
        // `latest` of the repository is the newest backup, never the copies' root.
        QCOMPARE(roots().size(), 2);
        const auto latest = openBackupRepository()->findSnapshot(QStringLiteral("latest"));
        QVERIFY(!latest.ok()); // every backup was forgotten
        QCOMPARE(latest.error().code, QStringLiteral("backup.no_snapshot"));
    }

    void copiesMoveAtTheNextUpdateAfterBackupsLand()
    {
        const QString path = tree() + QStringLiteral("/shadow");
        writeFile(path, "root:*:19000:0:99999:7:::\n");
        Baseline b = scan(tree());
        QStringList warnings;
        {
            SafeSnapshots s = snapshots();
            QVERIFY(s.storeDescription().startsWith(QStringLiteral("the integrity store ")));
            QVERIFY(s.protect(&b, nullptr, protectedConfig(tree()), &warnings).ok());
            QVERIFY(s.prune(b).ok());
        }
        QVERIFY(QFileInfo::exists(SafeSnapshots::repositoryPath(dataDir())));

        // Backups land. Until the next update the copy is read from the own store.
        initBackupRepository();
        SafeSnapshots s = snapshots();
        writeFile(path, "root::19000:0:99999:7:::\n");
        auto r = SafeRestore::restoreFile(s, b.files.value(path));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(readFile(path), QByteArray("root:*:19000:0:99999:7:::\n"));

        // The update stores the copy in the backup repository; its prune removes the own store.
        Baseline next = scan(tree());
        QVERIFY(s.protect(&next, &b, protectedConfig(tree()), &warnings).ok());
        QVERIFY(next.files.value(path).snapshot != b.files.value(path).snapshot);
        const auto pruned = s.prune(next);
        QVERIFY2(pruned.ok(), pruned.ok() ? "" : qPrintable(pruned.error().message));
        QVERIFY(pruned->ownStoreRemoved);
        QVERIFY(!QFileInfo::exists(SafeSnapshots::repositoryPath(dataDir())));
        QVERIFY(!QFileInfo::exists(SafeSnapshots::keyPath(dataDir())));
        QFile::remove(path);
        SafeSnapshots afresh = snapshots();
        r = SafeRestore::restoreFile(afresh, next.files.value(path));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(readFile(path), QByteArray("root:*:19000:0:99999:7:::\n"));
    }

    void ownStaysApart()
    {
        writeFile(tree() + QStringLiteral("/hosts"), "127.0.0.1 localhost\n");
        initBackupRepository();
        SafeSnapshots s = snapshots(Store::Own);
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&b, nullptr, protectedConfig(tree()), &warnings).ok());
        QVERIFY(QFileInfo::exists(SafeSnapshots::repositoryPath(dataDir())));
        QVERIFY(roots().isEmpty());
    }

    void backupWithoutRepositoryOrCredentialIsAClearError()
    {
        writeFile(tree() + QStringLiteral("/hosts"), "127.0.0.1 localhost\n");
        Baseline b = scan(tree());
        QStringList warnings;
        auto r = snapshots(Store::Backup).protect(&b, nullptr, protectedConfig(tree()), &warnings);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("integrity.snapshot_store"));
        QVERIFY2(r.error().message.contains(repoPath())
                && r.error().message.contains(QStringLiteral("shivx backup init")),
            qPrintable(r.error().message));
        QVERIFY(!QFileInfo::exists(SafeSnapshots::repositoryPath(dataDir())));

        initBackupRepository();
        QVERIFY(QFile::remove(m_backup->keyFile));
        writeFile(m_backup->keyFile, QByteArray(64, 'a') + '\n'); // another key
        r = snapshots().protect(&b, nullptr, protectedConfig(tree()), &warnings);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("integrity.snapshot_store"));
        QVERIFY2(r.error().message.contains(QStringLiteral("cannot be unlocked"))
                && r.error().message.contains(QStringLiteral("snapshot_store: own")),
            qPrintable(r.error().message));
        QVERIFY(!QFileInfo::exists(SafeSnapshots::repositoryPath(dataDir())));
    }
};

QTEST_GUILESS_MAIN(TstSharedSnapshots)
#include "tst_sharedsnapshots.moc"
