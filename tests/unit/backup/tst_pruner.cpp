// Retention and prune: which snapshots each rule keeps; prune deletes only what no snapshot
// needs (the rest restores byte for byte afterwards, and verify passes); a backup and a prune
// running at the same time both complete and leave a consistent repository.
#include "backup/backupjob.h"
#include "backup/pruner.h"
#include "backup/restorejob.h"
#include "backup/verifier.h"
#include "backupfixture.h"

#include <QDirIterator>
#include <QTemporaryDir>
#include <QTest>

#include <thread>

using namespace Shivx;
using namespace Shivx::Backup;
using namespace BackupFixture;

namespace {

SnapshotInfo snap(const QString &time, quint8 tag, const QString &set = QStringLiteral("s"))
{
    SnapshotInfo s;
    s.time = QDateTime::fromString(time, Qt::ISODate).toLocalTime();
    s.id.b[0] = tag;
    s.set = set;
    return s;
}

qint64 repoBytes(const QString &path)
{
    qint64 total = 0;
    QDirIterator it(path + "/data", QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        total += it.fileInfo().size();
    }
    return total;
}

} // namespace

class TstPruner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void retentionRules_data()
    {
        QTest::addColumn<BackupRetention>("policy");
        QTest::addColumn<QList<int>>("forgotten");
        // Snapshots 1..6 (tags), oldest first; times in local time.
        QTest::newRow("keep-last 2 -> 4 oldest go")
            << BackupRetention { 2, 0, 0, 0, 0 } << QList<int> { 1, 2, 3, 4 };
        QTest::newRow("daily 2 -> newest of the last two days")
            << BackupRetention { 0, 0, 2, 0, 0 } << QList<int> { 1, 2, 4, 5 };
        QTest::newRow("hourly 3") << BackupRetention { 0, 3, 0, 0, 0 } << QList<int> { 1, 2, 5 };
        QTest::newRow("monthly 1 + last 1")
            << BackupRetention { 1, 0, 0, 0, 1 } << QList<int> { 1, 2, 3, 4, 5 };
        // Sunday 6 December is in the ISO week of Monday 30 November.
        QTest::newRow("weekly 2") << BackupRetention { 0, 0, 0, 2, 0 } << QList<int> { 2, 3, 4, 5 };
        QTest::newRow("nothing set keeps all") << BackupRetention {} << QList<int> {};
    }
    void retentionRules()
    {
        QFETCH(BackupRetention, policy);
        QFETCH(QList<int>, forgotten);
        const QList<SnapshotInfo> all {
            snap("2026-10-20T10:00:00", 1), // an older week
            snap("2026-11-30T10:00:00", 2), // Monday of the last week
            snap("2026-12-05T09:10:00", 3),
            snap("2026-12-06T08:00:00", 4),
            snap("2026-12-06T09:05:00", 5),
            snap("2026-12-06T09:55:00", 6),
            snap("2026-12-06T09:58:00", 7, QStringLiteral("other")),
        };
        const QList<Id> ids = snapshotsToForget(all, [&](const QString &set) {
            return set == QLatin1String("s") ? policy : BackupRetention();
        });
        QList<int> tags;
        for (const Id &id : ids)
            tags.append(id.b[0]);
        std::sort(tags.begin(), tags.end());
        QCOMPARE(tags, forgotten);
    }

    void pruneDeletesOnlyWhatNoSnapshotNeeds()
    {
        QTemporaryDir dir;
        const QString src = dir.filePath("src");
        auto repo = createRepo(dir.filePath("repo"));
        BackupSetSpec s;
        s.name = QStringLiteral("main");
        s.paths = { src };
        writeFile(src + "/keep.bin", randomBytes(400'000, 1));
        writeFile(src + "/gone.bin", randomBytes(600'000, 2));
        const auto first = runBackup(*repo, s, BackupOptions());
        QVERIFY(first);
        QFile::remove(src + "/gone.bin");
        writeFile(src + "/later.bin", randomBytes(200'000, 3));
        const auto second = runBackup(*repo, s, BackupOptions());
        QVERIFY(second);
        const qint64 before = repoBytes(dir.filePath("repo"));

        // Nothing forgotten: nothing is unreferenced, nothing goes.
        auto none = runPrune(*repo, {}, PruneOptions());
        QVERIFY(none);
        QCOMPARE(none->packsDeleted, 0);
        QCOMPARE(repoBytes(dir.filePath("repo")), before);

        const auto stats = runPrune(*repo, { first->snapshot }, PruneOptions());
        QVERIFY2(stats, stats ? "" : qPrintable(stats.error().message));
        QCOMPARE(stats->forgotten, 1);
        const qint64 after = repoBytes(dir.filePath("repo"));
        QVERIFY2(after < before - 500'000,
            qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));

        auto fresh = Repository::open(dir.filePath("repo"), passphrase());
        QVERIFY(fresh && (*fresh)->loadIndex());
        const auto report = runVerify(**fresh, VerifyOptions());
        QVERIFY2(report && report->ok(),
            report->ok() ? "" : qPrintable(report->problems.first().message));
        QVERIFY(report->notes.isEmpty());
        RestoreOptions o;
        o.target = dir.filePath("out");
        QVERIFY(runRestore(**fresh, *(*fresh)->readSnapshot(second->snapshot), o));
        QString why;
        QVERIFY2(sameTree(src, dir.filePath("out") + src, &why), qPrintable(why));
    }

    // A separate Repository object per operation, as two processes would have.
    void backupAndPruneAtTheSameTime()
    {
        QTemporaryDir dir;
        const QString repoPath = dir.filePath("repo");
        createRepo(repoPath);
        const QString src = dir.filePath("src");
        BackupSetSpec s;
        s.name = QStringLiteral("main");
        s.paths = { src };
        for (int i = 0; i < 6; ++i)
            writeFile(src + QStringLiteral("/old%1.bin").arg(i), randomBytes(300'000, 100 + i));
        Id oldSnap;
        {
            auto repo = Repository::open(repoPath, passphrase()).value();
            oldSnap = runBackup(*repo, s, BackupOptions())->snapshot;
        }
        // The next backup shares nothing with the old one except what it keeps, and is big
        // enough to still run when the prune starts.
        for (int i = 0; i < 3; ++i)
            QFile::remove(src + QStringLiteral("/old%1.bin").arg(i));
        for (int i = 0; i < 40; ++i)
            writeFile(src + QStringLiteral("/new%1.bin").arg(i), randomBytes(500'000, 200 + i));

        std::optional<Result<BackupStats>> backupResult;
        std::thread backupThread([&] {
            auto repo = Repository::open(repoPath, passphrase()).value();
            BackupOptions o;
            o.queueBytes = 1 << 20;
            backupResult = runBackup(*repo, s, o);
        });
        // Start the prune once the backup holds its lock.
        QTRY_VERIFY_WITH_TIMEOUT(!QDir(repoPath + "/locks").isEmpty(), 10000);
        auto pruneRepo = Repository::open(repoPath, passphrase()).value();
        const auto pruned = runPrune(*pruneRepo, { oldSnap }, PruneOptions());
        backupThread.join();
        QVERIFY2(pruned, pruned ? "" : qPrintable(pruned.error().message));
        QVERIFY(backupResult && *backupResult);
        QCOMPARE(pruned->forgotten, 1);

        auto check = Repository::open(repoPath, passphrase()).value();
        QVERIFY(check->loadIndex());
        const auto report = runVerify(*check, VerifyOptions());
        QVERIFY2(report->ok(), report->ok() ? "" : qPrintable(report->problems.first().message));
        RestoreOptions o;
        o.target = dir.filePath("out");
        QVERIFY(runRestore(*check, *check->readSnapshot((*backupResult)->snapshot), o));
        QString why;
        QVERIFY2(sameTree(src, dir.filePath("out") + src, &why), qPrintable(why));
        // And the next backup on top completes.
        QVERIFY(runBackup(*check, s, BackupOptions()));
    }
};

QTEST_GUILESS_MAIN(TstPruner)
#include "tst_pruner.moc"
