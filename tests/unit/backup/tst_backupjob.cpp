// Backup and restore through the real repository on real files: byte-for-byte round trips
// with modes and times, what each backup type reads, deduplication, subtree / single-file /
// point-in-time restores, dry runs, excludes, and a cancelled backup leaving no snapshot.
#include "backup/backupjob.h"
#include "backup/restorejob.h"
#include "backupfixture.h"

#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Shivx;
using namespace Shivx::Backup;
using namespace BackupFixture;

class TstBackupJob : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString src() const { return m_dir.filePath("src"); }

    BackupSetSpec set(const QString &name = QStringLiteral("main")) const
    {
        BackupSetSpec s;
        s.name = name;
        s.paths = { src() };
        return s;
    }

    BackupStats backup(Repository &repo, BackupType type, const BackupSetSpec &s)
    {
        BackupOptions o;
        o.type = type;
        const auto r = runBackup(repo, s, o);
        if (!r)
            qFatal("backup failed: %s", qPrintable(r.error().message));
        return *r;
    }

    RestoreStats restore(Repository &repo, const Id &snap, const QString &target,
        const QString &path = QString(), bool dryRun = false)
    {
        const auto s = repo.readSnapshot(snap);
        if (!s)
            qFatal("%s", qPrintable(s.error().message));
        RestoreOptions o;
        o.target = target;
        o.path = path;
        o.dryRun = dryRun;
        const auto r = runRestore(repo, *s, o);
        if (!r)
            qFatal("restore failed: %s", qPrintable(r.error().message));
        return *r;
    }

private Q_SLOTS:
    void init()
    {
        QDir(src()).removeRecursively();
        QDir(m_dir.filePath("repo")).removeRecursively();
        makeTree(src());
    }

    void roundTripIsByteForByte()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats st = backup(*repo, BackupType::Full, set());
        QCOMPARE(st.type, QStringLiteral("full"));
        QCOMPARE(st.files, quint64(4)); // random.bin, text.txt, small.txt, empty
        QVERIFY(st.storedBytes < st.bytes); // the text compressed
        const QString out = m_dir.filePath("out1");
        restore(*repo, st.snapshot, out);
        QString why;
        QVERIFY2(sameTree(src(), out + src(), &why), qPrintable(why));
        // A second process (a fresh open) sees the same.
        auto again = Repository::open(m_dir.filePath("repo"), passphrase());
        QVERIFY(again);
        QVERIFY((*again)->loadIndex());
        const QString out2 = m_dir.filePath("out2");
        restore(**again, st.snapshot, out2);
        QVERIFY2(sameTree(src(), out2 + src(), &why), qPrintable(why));
    }

    void incrementalReadsOnlyChangedFiles()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        backup(*repo, BackupType::Full, set());
        QThread::msleep(20);
        writeFile(src() + "/docs/deep/er/small.txt", "changed\n");
        writeFile(src() + "/new.txt", "new file\n");
        const BackupStats inc = backup(*repo, BackupType::Incremental, set());
        QCOMPARE(inc.type, QStringLiteral("incremental"));
        QCOMPARE(inc.readBytes, quint64(8 + 9)); // only the two files
        QVERIFY2(inc.storedBytes < 4000, qPrintable(QString::number(inc.storedBytes)));
        // The incremental snapshot still describes the whole set.
        const QString out = m_dir.filePath("inc");
        restore(*repo, inc.snapshot, out);
        QString why;
        QVERIFY2(sameTree(src(), out + src(), &why), qPrintable(why));
    }

    // Continuous mode: only the touched paths and the directories above them are listed;
    // everything else comes from the parent as it was (which is why inotify must see every
    // change), and the snapshot's totals still count the whole set.
    void touchedPathsLimitWhatIsListed()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats full = backup(*repo, BackupType::Full, set());
        QThread::msleep(20);
        writeFile(src() + "/docs/deep/er/small.txt", "seen\n");
        writeFile(src() + "/emptydir/new.txt", "unseen\n"); // a directory not touched
        BackupOptions o;
        o.touched = QSet<QString> { src() + "/docs/deep/er/small.txt" };
        const auto r = runBackup(*repo, set(), o);
        QVERIFY2(r, qPrintable(r ? QString() : r.error().message));
        QCOMPARE(r->readBytes, quint64(5));
        QCOMPARE(r->files, full.files);
        QCOMPARE(r->bytes, full.bytes - 6 + 5);
        const QString out = m_dir.filePath("touched");
        restore(*repo, r->snapshot, out);
        QFile small(out + src() + "/docs/deep/er/small.txt");
        QVERIFY(small.open(QIODevice::ReadOnly));
        QCOMPARE(small.readAll(), QByteArray("seen\n"));
        QVERIFY(QFileInfo(out + src() + "/emptydir").isDir());
        QVERIFY(!QFile::exists(out + src() + "/emptydir/new.txt")); // the parent's version
    }

    void differentialReadsEverythingChangedSinceTheFull()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats full = backup(*repo, BackupType::Full, set());
        writeFile(src() + "/a.txt", "first change\n");
        backup(*repo, BackupType::Incremental, set());
        writeFile(src() + "/b.txt", "second\n");
        const BackupStats diff = backup(*repo, BackupType::Differential, set());
        QCOMPARE(diff.parent, full.snapshot);
        QCOMPARE(diff.readBytes, quint64(13 + 7)); // both changes since the full
        const BackupStats inc = backup(*repo, BackupType::Incremental, set());
        QCOMPARE(inc.readBytes, quint64(0));
        // Nothing changed below the source: at most the trees of its ancestors are new (/tmp's
        // own mtime moves with whatever else runs here).
        QVERIFY2(inc.newBytes < 1024, qPrintable(QString::number(inc.newBytes)));
    }

    void fullBackupReadsAllButStoresNothingNew()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats first = backup(*repo, BackupType::Full, set());
        const BackupStats second = backup(*repo, BackupType::Full, set());
        QCOMPARE(second.readBytes, first.readBytes);
        QVERIFY2(second.storedBytes < 1024, qPrintable(QString::number(second.storedBytes)));
        // Another set with the same files shares their data.
        BackupSetSpec other = set(QStringLiteral("other"));
        const BackupStats third = backup(*repo, BackupType::Full, other);
        QVERIFY2(third.storedBytes < 1024, qPrintable(QString::number(third.storedBytes)));
    }

    void restoresASubtreeAndOneFile()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats st = backup(*repo, BackupType::Full, set());
        const QString out = m_dir.filePath("sub");
        const RestoreStats r = restore(*repo, st.snapshot, out, src() + "/docs/deep");
        QCOMPARE(r.files, quint64(1));
        QVERIFY(QFile::exists(out + src() + "/docs/deep/er/small.txt"));
        QVERIFY(!QFile::exists(out + src() + "/docs/text.txt"));
        const QString one = m_dir.filePath("one");
        restore(*repo, st.snapshot, one, src() + "/random.bin");
        QFile a(src() + "/random.bin"), b(one + src() + "/random.bin");
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
        const auto snap = repo->readSnapshot(st.snapshot);
        RestoreOptions o;
        o.target = one;
        o.path = src() + "/no/such";
        const auto missing = runRestore(*repo, *snap, o);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, QStringLiteral("backup.no_path"));
    }

    void dryRunListsChangesAndWritesNothing()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats st = backup(*repo, BackupType::Full, set());
        writeFile(src() + "/docs/text.txt", "edited\n");
        QFile::remove(src() + "/empty");
        const RestoreStats r = restore(*repo, st.snapshot, "/", src(), true);
        QMap<QString, RestoreChange::Kind> kinds;
        for (const RestoreChange &c : r.changes)
            kinds.insert(c.path, c.kind);
        QCOMPARE(kinds.value(src() + "/docs/text.txt"), RestoreChange::Kind::Update);
        QCOMPARE(kinds.value(src() + "/empty"), RestoreChange::Kind::Create);
        QCOMPARE(kinds.value(src() + "/random.bin"), RestoreChange::Kind::Unchanged);
        QVERIFY(!QFile::exists(src() + "/empty"));
        // The real restore to the original place puts both back.
        restore(*repo, st.snapshot, "/", src());
        QVERIFY(QFile::exists(src() + "/empty"));
        QFile t(src() + "/docs/text.txt");
        QVERIFY(t.open(QIODevice::ReadOnly));
        QVERIFY(t.readAll().startsWith("line 0 of some text"));
    }

    void pointInTimePicksTheNewestNotAfter()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        const BackupStats a = backup(*repo, BackupType::Full, set());
        QThread::msleep(30);
        const QDateTime between = QDateTime::currentDateTimeUtc();
        QThread::msleep(30);
        backup(*repo, BackupType::Full, set());
        const auto at = snapshotAt(*repo, between, QString());
        QVERIFY(at);
        QCOMPARE(at->id, a.snapshot);
        const auto before = snapshotAt(*repo, between.addSecs(-3600), QString());
        QVERIFY(!before);
        QCOMPARE(before.error().code, QStringLiteral("backup.no_snapshot"));
    }

    void excludesAndIncludes()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        BackupSetSpec s = set();
        s.exclude = { QStringLiteral("deep"), src() + "/random.bin" };
        s.include = { QStringLiteral("*.txt") };
        const BackupStats st = backup(*repo, BackupType::Full, s);
        QCOMPARE(st.files, quint64(1)); // docs/text.txt only
        const QString out = m_dir.filePath("ex");
        restore(*repo, st.snapshot, out);
        QVERIFY(QFile::exists(out + src() + "/docs/text.txt"));
        QVERIFY(!QFile::exists(out + src() + "/random.bin"));
        QVERIFY(!QFileInfo::exists(out + src() + "/docs/deep"));
    }

    void cancelledBackupLeavesNoSnapshot()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        std::atomic<bool> cancel { true };
        BackupOptions o;
        o.control.cancel = &cancel;
        const auto r = runBackup(*repo, set(), o);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.cancelled"));
        QCOMPARE(repo->snapshots()->size(), 0);
        QVERIFY(QDir(m_dir.filePath("repo/locks")).isEmpty());
    }

    void missingSourceIsAClearError()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        BackupSetSpec s = set();
        s.paths = { m_dir.filePath("nope") };
        const auto r = runBackup(*repo, s, BackupOptions());
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.source"));
        QVERIFY(r.error().message.contains(m_dir.filePath("nope")));
    }
};

QTEST_GUILESS_MAIN(TstBackupJob)
#include "tst_backupjob.moc"
