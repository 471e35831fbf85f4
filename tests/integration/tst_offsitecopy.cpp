// Off-site copies of a real backup repository through Debian's rclone to a real SFTP server
// (Debian's sshd, started by the test on loopback): the copy verifies, a second backup moves
// only its new files, prune's deletions follow, the remote copy alone opens and lists the
// snapshots, a remote file tampered with (same size and time) fails verification, and a
// refused key, a missing repository and a cancel each give their clear error. In the engine,
// a backup over the API is followed by a copy to each `backup.offsite` remote, visible as an
// operation and a metric; `shivx backup offsite` copies from the command line.
#include "../unit/backup/backupfixture.h"
#include "backup/backupjob.h"
#include "backup/offsitecopy.h"
#include "backup/pruner.h"
#include "servefixture.h"
#include "sshdfixture.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QTemporaryDir>

#include <thread>
#include <utime.h>

using namespace BackupFixture;
using namespace Shivx;
using namespace Shivx::Backup;

namespace {

// Every file under `root` (relative path -> bytes), locks and unfinished writes left out.
QMap<QString, QByteArray> files(const QString &root)
{
    QMap<QString, QByteArray> out;
    QDirIterator it(root, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        const QString rel = QDir(root).relativeFilePath(path);
        if (rel.startsWith(QLatin1String("locks/")) || rel.contains(QLatin1String("tmp-")))
            continue;
        QFile f(path);
        f.open(QIODevice::ReadOnly);
        out.insert(rel, f.readAll());
    }
    return out;
}

} // namespace

class TstOffsiteCopy : public QObject
{
    Q_OBJECT

    SshdFixture m_sshd;
    QTemporaryDir m_dir;

    OffsiteRemote remote(const QString &path, const char *key = "user") const
    {
        OffsiteRemote r;
        r.name = QStringLiteral("offsite-test");
        r.remote = m_sshd.rcloneRemote(path, key);
        r.timeoutSeconds = 120;
        return r;
    }

    BackupStats backup(Repository &repo, const QString &src)
    {
        BackupSetSpec set;
        set.name = QStringLiteral("main");
        set.paths = { src };
        auto stats = runBackup(repo, set, BackupOptions {});
        if (!stats)
            qFatal("backup failed: %s", qPrintable(stats.error().message));
        return *stats;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(QStringLiteral("rclone")).isEmpty()
            || SshdFixture::sshd().isEmpty())
            QSKIP("rclone or openssh-server not installed (installer/install-deps.sh --test "
                  "installs both)");
        const QString why = m_sshd.start();
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    void copiesIncrementallyFollowsPruneAndRestoresFromTheCopy()
    {
        const QString local = m_dir.filePath("repo");
        const QString far = m_dir.filePath("far/repo");
        const QString src = m_dir.filePath("src");
        makeTree(src);
        auto repo = createRepo(local);
        const BackupStats first = backup(*repo, src);

        QList<Progress> seen;
        Control control;
        control.progress = [&](const Progress &p) { seen.append(p); };
        auto r1 = OffsiteCopy::run(local, remote(far), control);
        QVERIFY2(r1.ok(), qPrintable(r1.ok() ? QString() : r1.error().message));
        QCOMPARE(files(far), files(local));
        QCOMPARE(r1->filesCopied, quint64(files(local).size()));
        QCOMPARE(r1->filesVerified, quint64(files(local).size()));
        QVERIFY(!seen.isEmpty());

        // A second backup after one change: only what it added travels.
        writeFile(src + "/docs/changed.txt", "a new file\n");
        const BackupStats second = backup(*repo, src);
        const int before = files(far).size();
        auto r2 = OffsiteCopy::run(local, remote(far));
        QVERIFY2(r2.ok(), qPrintable(r2.ok() ? QString() : r2.error().message));
        QCOMPARE(files(far), files(local));
        QCOMPARE(r2->filesCopied, quint64(files(local).size() - before));
        QVERIFY(r2->bytesCopied < r1->bytesCopied);

        // Prune forgets the first snapshot; the remote loses what the local repository lost.
        auto pruned = runPrune(*repo, { first.snapshot }, PruneOptions {});
        QVERIFY2(pruned.ok(), qPrintable(pruned.ok() ? QString() : pruned.error().message));
        auto r3 = OffsiteCopy::run(local, remote(far));
        QVERIFY2(r3.ok(), qPrintable(r3.ok() ? QString() : r3.error().message));
        QVERIFY(r3->filesDeleted >= 1);
        QCOMPARE(files(far), files(local));

        // The copy alone is a repository: it opens with the passphrase and lists the snapshot.
        auto copy = Repository::open(far, passphrase());
        QVERIFY2(copy.ok(), qPrintable(copy.ok() ? QString() : copy.error().message));
        auto snapshots = (*copy)->snapshots();
        QVERIFY(snapshots.ok());
        QCOMPARE(snapshots->size(), 1);
        QCOMPARE(snapshots->first().id, second.snapshot);
    }

    void verificationCatchesATamperedRemoteFile()
    {
        const QString local = m_dir.filePath("repo2");
        const QString far = m_dir.filePath("far2/repo");
        makeTree(m_dir.filePath("src2"), 7);
        auto repo = createRepo(local);
        backup(*repo, m_dir.filePath("src2"));
        QVERIFY(OffsiteCopy::run(local, remote(far)).ok());

        // Flip one byte of a pack, keeping its size and time: the copy step sees nothing new.
        QString pack;
        QDirIterator it(far + "/data", QDir::Files, QDirIterator::Subdirectories);
        pack = it.next();
        struct stat st;
        QVERIFY(::stat(QFile::encodeName(pack).constData(), &st) == 0);
        QFile f(pack);
        QVERIFY(f.open(QIODevice::ReadWrite));
        f.seek(100);
        char c;
        f.getChar(&c);
        f.seek(100);
        f.putChar(char(c ^ 0x5a));
        f.close();
        const struct utimbuf times
        {
            st.st_atime, st.st_mtime
        };
        ::utime(QFile::encodeName(pack).constData(), &times);

        auto r = OffsiteCopy::run(local, remote(far));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("offsite.verify_failed"));
        QVERIFY2(r.error().message.contains(QLatin1String("offsite-test")),
            qPrintable(r.error().message));
    }

    void errorsAreClear()
    {
        const QString local = m_dir.filePath("repo3");
        makeTree(m_dir.filePath("src3"), 9);
        auto repo = createRepo(local);
        backup(*repo, m_dir.filePath("src3"));

        auto stranger = OffsiteCopy::run(local, remote(m_dir.filePath("far3"), "stranger"));
        QVERIFY(!stranger.ok());
        QCOMPARE(stranger.error().code, QStringLiteral("offsite.failed"));
        QVERIFY2(stranger.error().message.contains(QLatin1String("offsite-test (copy data)")),
            qPrintable(stranger.error().message));

        auto notRepo = OffsiteCopy::run(m_dir.filePath("src3"), remote(m_dir.filePath("far4")));
        QVERIFY(!notRepo.ok());
        QVERIFY2(notRepo.error().message.contains(QLatin1String("is not a backup repository")),
            qPrintable(notRepo.error().message));

        auto missing = OffsiteCopy::run(
            local, remote(m_dir.filePath("far5")), {}, QStringLiteral("/nonexistent/rclone"));
        QVERIFY(!missing.ok());
        QVERIFY2(missing.error().message.contains(QLatin1String("cannot start")),
            qPrintable(missing.error().message));
    }

    void theEngineCopiesAfterEachBackup()
    {
        const QString src = m_dir.filePath("src7");
        const QString local = m_dir.filePath("repo7");
        const QString far = m_dir.filePath("far7/repo");
        makeTree(src, 11);
        writeFile(m_dir.filePath("pw7"), "engine offsite passphrase\n");
        const CliRun init = runCli(
            { "backup", "init", "--repo", local, "--password-file", m_dir.filePath("pw7") });
        QVERIFY2(init.exitCode == 0, init.err.constData());
        const QString yaml = QStringLiteral("backup:\n"
                                            "  repository: %1\n"
                                            "  password_file: %2\n"
                                            "  offsite:\n"
                                            "    - name: far\n"
                                            "      remote: '%3'\n"
                                            "      timeout: 2m\n"
                                            "  sets:\n"
                                            "    app: {paths: [%4]}\n")
                                 .arg(local, m_dir.filePath("pw7"), remote(far).remote, src);
        ServeProcess serve(yaml);
        QVERIFY2(serve.start(), serve.output().constData());
        const HttpAnswer run = httpRequest(serve.url().resolved(QUrl("/api/backup/run")), "POST",
            R"({"set": "app", "type": "full"})", serve.apiToken());
        QCOMPARE(run.status, 202);

        // The copy is an operation of its own, queued when the backup succeeded.
        QJsonObject copy;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const QJsonArray ops = httpRequest(serve.url().resolved(QUrl("/api/backup")))
                                           .json.value("operations")
                                           .toArray();
                for (const QJsonValue &v : ops)
                    if (v["kind"].toString() == "offsite" && v["state"] == "succeeded")
                        copy = v.toObject();
                return !copy.isEmpty();
            }(),
            90000);
        QCOMPARE(copy["type"].toString(), QStringLiteral("far"));
        QVERIFY(copy["result"].toObject()["files_copied"].toInteger() > 0);
        QCOMPARE(files(far), files(local));
        const QByteArray metrics = httpRequest(serve.url().resolved(QUrl("/metrics"))).body;
        QVERIFY(metrics.contains(
            "shivx_backup_offsite_last_success_timestamp_seconds{remote=\"far\"}"));
        QVERIFY(metrics.contains("shivx_backup_offsite_failing{remote=\"far\"} 0"));
        QCOMPARE(serve.terminate(), 0);

        // From the command line: nothing new to copy, verified again; a wrong name is refused.
        const QStringList common { "--config", serve.configPath(), "--data-dir", serve.dataDir() };
        const CliRun again = runCli(QStringList { "backup", "offsite" } + common, 120000);
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(again.out.contains("far: 0 files copied"), again.out.constData());
        const CliRun wrong
            = runCli(QStringList { "backup", "offsite", "--remote", "nope" } + common);
        QCOMPARE(wrong.exitCode, 2);
        QVERIFY2(wrong.err.contains("no remote named nope"), wrong.err.constData());
    }

    void cancelStopsRcloneAtOnce()
    {
        const QString local = m_dir.filePath("repo6");
        const QString src = m_dir.filePath("src6");
        for (int i = 0; i < 8; ++i)
            writeFile(src + QStringLiteral("/bulk%1.bin").arg(i), randomBytes(2 << 20, 90 + i));
        auto repo = createRepo(local);
        backup(*repo, src);
        OffsiteRemote slow = remote(m_dir.filePath("far6"));
        slow.bandwidthLimit = QStringLiteral("512k"); // 16 MiB would take half a minute
        std::atomic<bool> cancel { false };
        Control control;
        control.cancel = &cancel;
        std::thread canceller([&] {
            std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            cancel = true;
        });
        QElapsedTimer t;
        t.start();
        auto r = OffsiteCopy::run(local, slow, control);
        canceller.join();
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("backup.cancelled"));
        QVERIFY2(t.elapsed() < 6000, qPrintable(QString::number(t.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TstOffsiteCopy)
#include "tst_offsitecopy.moc"
