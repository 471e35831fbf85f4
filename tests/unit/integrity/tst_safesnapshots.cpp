// Safe snapshots over real files: the store is made at first use with its key file readable by
// the engine's user only; protected files are stored (unchanged ones cost nothing), larger
// ones are left out with a warning; a restore puts back content, mode and mtime through a
// verified temporary file; an altered pack restores nothing; a child process killed with
// SIGKILL while it stores leaves the earlier copies readable and the store usable; a prune
// deletes the copies the baseline no longer names, and a child killed while it prunes leaves
// every copy the baseline names readable.
#include "backup/repository.h"
#include "integrity/baselinestore.h"
#include "integrity/filehasher.h"
#include "integrity/integrityconfig.h"
#include "integrity/pathwalker.h"
#include "integrity/saferestore.h"
#include "integrity/safesnapshots.h"
#include "snapshotfixture.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace Shivx;
using namespace SnapshotFixture;

namespace {

// Every pack file (DATA/integrity/snapshots/data/XX/ID), as absolute paths.
QStringList packs(const QString &dataDir)
{
    QStringList out;
    const QDir data(SafeSnapshots::repositoryPath(dataDir) + QStringLiteral("/data"));
    for (const QString &sub : data.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        for (const QString &p : QDir(data.filePath(sub)).entryList(QDir::Files))
            out.append(data.filePath(sub) + QLatin1Char('/') + p);
    return out;
}

// The child's side of killDuringStoreKeepsOldCopies: stores a large file, killed by the parent.
int childStore(const QString &dataDir, const QString &tree)
{
    SafeSnapshots s(dataDir, qint64(1) << 32);
    Baseline b = scan(tree);
    QStringList warnings;
    return s.protect(&b, nullptr, protectedConfig(tree, 4096), &warnings) ? 0 : 3;
}

// The child's side of killDuringPruneKeepsTheBaselinesCopies: prunes to the tree as it is.
int childPrune(const QString &dataDir, const QString &tree)
{
    SafeSnapshots s(dataDir, qint64(1) << 32);
    Baseline b = scan(tree);
    QStringList warnings;
    if (!s.protect(&b, nullptr, protectedConfig(tree), &warnings))
        return 3;
    return s.prune(b) ? 0 : 4;
}

qint64 packBytes(const QString &dataDir)
{
    qint64 total = 0;
    for (const QString &p : packs(dataDir))
        total += QFileInfo(p).size();
    return total;
}

// Restores every file of `b` over what is there and compares it with `expected` (path ->
// content). Empty when all came back.
QString restoresAll(
    const QString &dataDir, const Baseline &b, const QHash<QString, QByteArray> &expected)
{
    SafeSnapshots s(dataDir, qint64(1) << 32);
    for (const FileState &f : b.files) {
        if (const auto r = SafeRestore::restoreFile(s, f); !r)
            return r.error().message;
        if (readFile(f.path) != expected.value(f.path))
            return f.path + QStringLiteral(": other content");
    }
    return {};
}

} // namespace

class TstSafeSnapshots : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    QString tree() const { return m_dir->path() + QStringLiteral("/etc"); }
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(tree()));
    }

    void storesAtFirstUseWithPrivateKey()
    {
        writeFile(tree() + QStringLiteral("/sshd_config"), "PermitRootLogin no\n");
        writeFile(tree() + QStringLiteral("/hosts"), "127.0.0.1 localhost\n");
        SafeSnapshots s(dataDir(), 1 << 20);
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&b, nullptr, protectedConfig(tree()), &warnings).ok());
        QVERIFY2(warnings.isEmpty(), qPrintable(warnings.join(QLatin1Char('\n'))));
        for (const FileState &f : std::as_const(b.files))
            QCOMPARE(f.snapshot.size(), 32);
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(SafeSnapshots::keyPath(dataDir())).constData(), &st), 0);
        QCOMPARE(st.st_mode & 0777, 0600u);
        QCOMPARE(
            ::stat(QFile::encodeName(dataDir() + QStringLiteral("/integrity")).constData(), &st),
            0);
        QCOMPARE(st.st_mode & 0777, 0700u);
        // The copies are encrypted: the content is nowhere in the packs.
        QVERIFY(!packs(dataDir()).isEmpty());
        for (const QString &p : packs(dataDir()))
            QVERIFY(!readFile(p).contains("PermitRootLogin"));

        // Unchanged content costs nothing, also through a store opened afresh; a file of
        // another set is not stored.
        const int before = int(packs(dataDir()).size());
        SafeSnapshots again(dataDir(), 1 << 20);
        Baseline next = scan(tree());
        QVERIFY(again.protect(&next, &b, protectedConfig(tree()), &warnings).ok());
        QCOMPARE(int(packs(dataDir()).size()), before);
        QCOMPARE(next.files.value(tree() + QStringLiteral("/hosts")).snapshot,
            b.files.value(tree() + QStringLiteral("/hosts")).snapshot);
        IntegrityConfig unprotected = protectedConfig(tree());
        unprotected.sets[0].protectRestore = false;
        QVERIFY(again.protect(&next, &b, unprotected, &warnings).ok());
        QVERIFY(next.files.value(tree() + QStringLiteral("/hosts")).snapshot.isEmpty());
    }

    void tooLargeIsAWarning()
    {
        writeFile(tree() + QStringLiteral("/small"), "small\n");
        writeFile(tree() + QStringLiteral("/big"), QByteArray(2 * 1024 * 1024, 'x'));
        SafeSnapshots s(dataDir(), 1024 * 1024);
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&b, nullptr, protectedConfig(tree(), 1), &warnings).ok());
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.first().startsWith(
                     tree() + QStringLiteral("/big: no snapshot: 2097152 bytes, above the limit")),
            qPrintable(warnings.first()));
        QVERIFY(b.files.value(tree() + QStringLiteral("/big")).snapshot.isEmpty());
        QCOMPARE(b.files.value(tree() + QStringLiteral("/small")).snapshot.size(), 32);
        const auto r = SafeRestore::restoreFile(s, b.files.value(tree() + QStringLiteral("/big")));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("integrity.no_snapshot"));
    }

    void restoresContentModeAndMtime()
    {
        const QString path = tree() + QStringLiteral("/sudoers");
        const QByteArray content = noise(3 * 1024 * 1024, 7); // several chunks
        writeFile(path, content);
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::ReadGroup));
        SafeSnapshots s(dataDir(), 64 << 20);
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&b, nullptr, protectedConfig(tree()), &warnings).ok());
        const FileState record = b.files.value(path);

        // Tampered: content, mode and mtime.
        QVERIFY(
            QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        writeFile(path, "evil ALL=(ALL) NOPASSWD: ALL\n");
        const auto r = SafeRestore::restoreFile(s, record);
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(
            QCryptographicHash::hash(readFile(path), QCryptographicHash::Sha256), record.sha256);
        FileState now;
        QVERIFY(PathWalker::statPath(path, false, &now));
        QCOMPARE(now.mode, record.mode);
        QCOMPARE(now.mtimeNs, record.mtimeNs);
        QCOMPARE(now.uid, record.uid);
        QVERIFY(QDir(tree())
                    .entryList({ QStringLiteral("*.shivx-restore-*") }, QDir::Files | QDir::Hidden)
                    .isEmpty());

        // Deleted.
        QVERIFY(QFile::remove(path));
        QVERIFY(SafeRestore::restoreFile(s, record).ok());
        QCOMPARE(readFile(path), content);
    }

    void tamperedPackRestoresNothing()
    {
        const QString path = tree() + QStringLiteral("/passwd");
        writeFile(path, "root:x:0:0:root:/root:/bin/bash\n");
        SafeSnapshots s(dataDir(), 1 << 20);
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&b, nullptr, protectedConfig(tree()), &warnings).ok());
        writeFile(path, "root::0:0:root:/root:/bin/bash\n");

        // Flip one byte in every pack's objects (after the 8-byte magic).
        QVERIFY(!packs(dataDir()).isEmpty());
        for (const QString &p : packs(dataDir())) {
            QFile f(p);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray bytes = f.readAll();
            bytes[40] = char(bytes[40] ^ 0x55);
            QVERIFY(f.seek(0));
            f.write(bytes);
        }
        SafeSnapshots fresh(dataDir(), 1 << 20);
        const auto r = SafeRestore::restoreFile(fresh, b.files.value(path));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("integrity.snapshot_tampered"));
        QVERIFY2(r.error().message.contains(path)
                && r.error().message.contains(QStringLiteral("nothing was restored")),
            qPrintable(r.error().message));
        QCOMPARE(readFile(path), QByteArray("root::0:0:root:/root:/bin/bash\n"));
        QVERIFY(QDir(tree())
                    .entryList({ QStringLiteral("*.shivx-restore-*") }, QDir::Files | QDir::Hidden)
                    .isEmpty());
    }

    void lostKeyIsAClearError()
    {
        writeFile(tree() + QStringLiteral("/a"), "a\n");
        Baseline b = scan(tree());
        QStringList warnings;
        QVERIFY(SafeSnapshots(dataDir(), 1 << 20)
                    .protect(&b, nullptr, protectedConfig(tree()), &warnings)
                    .ok());
        QVERIFY(QFile::remove(SafeSnapshots::keyPath(dataDir())));
        SafeSnapshots s(dataDir(), 1 << 20);
        const auto r = s.protect(&b, nullptr, protectedConfig(tree()), &warnings);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("integrity.snapshot_store"));
        QVERIFY2(r.error().message.contains(QStringLiteral("snapshots.key is gone")),
            qPrintable(r.error().message));
    }

    void killDuringStoreKeepsOldCopies()
    {
        const QString small = tree() + QStringLiteral("/small");
        writeFile(small, "keep me\n");
        SafeSnapshots s(dataDir(), qint64(1) << 32);
        Baseline old = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&old, nullptr, protectedConfig(tree()), &warnings).ok());

        // 256 MiB of noise: the child is still writing its pack when the parent kills it.
        {
            QFile big(tree() + QStringLiteral("/big"));
            QVERIFY(big.open(QIODevice::WriteOnly));
            for (int i = 0; i < 64; ++i)
                big.write(noise(4 << 20, quint32(i + 1)));
        }
        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
            { QStringLiteral("--child-store"), dataDir(), tree() });
        const auto reap = qScopeGuard([&child] {
            if (child.state() != QProcess::NotRunning) {
                child.kill();
                child.waitForFinished(10'000);
            }
        });
        QVERIFY(child.waitForStarted());
        const QDir data(SafeSnapshots::repositoryPath(dataDir()) + QStringLiteral("/data"));
        QElapsedTimer t;
        t.start();
        bool midStore = false;
        while (!midStore && t.elapsed() < 60'000 * SHIVX_TIME_SCALE
            && child.state() == QProcess::Running) {
            for (const QFileInfo &i : data.entryInfoList({ QStringLiteral("tmp-*") }, QDir::Files))
                midStore = midStore || i.size() > (8 << 20);
            if (!midStore)
                QTest::qSleep(5);
        }
        QVERIFY2(midStore, "the child finished or never started storing");
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(10'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        // The old copy restores through a store opened afresh, and the store takes new ones.
        QVERIFY(QFile::remove(small));
        SafeSnapshots after(dataDir(), qint64(1) << 32);
        const auto r = SafeRestore::restoreFile(after, old.files.value(small));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(readFile(small), QByteArray("keep me\n"));
        QVERIFY(QFile::remove(tree() + QStringLiteral("/big")));
        writeFile(tree() + QStringLiteral("/new"), "new\n");
        Baseline next = scan(tree());
        QVERIFY(after.protect(&next, &old, protectedConfig(tree()), &warnings).ok());
        QVERIFY(QFile::remove(tree() + QStringLiteral("/new")));
        QVERIFY(SafeRestore::restoreFile(after, next.files.value(tree() + QStringLiteral("/new")))
                    .ok());
        QCOMPARE(readFile(tree() + QStringLiteral("/new")), QByteArray("new\n"));
    }

    void pruneKeepsOnlyWhatTheBaselineNames()
    {
        const QString a = tree() + QStringLiteral("/a"), b = tree() + QStringLiteral("/b");
        writeFile(a, noise(2 << 20, 1));
        writeFile(b, "keep me\n");
        SafeSnapshots s(dataDir(), qint64(1) << 32);
        Baseline v1 = scan(tree());
        QStringList warnings;
        QVERIFY(s.protect(&v1, nullptr, protectedConfig(tree()), &warnings).ok());
        // Nothing to drop yet: the first prune only records the baseline's copies.
        const auto first = s.prune(v1);
        QVERIFY2(first.ok(), first.ok() ? "" : qPrintable(first.error().message));
        QCOMPARE(first->copies, 2);
        QCOMPARE(first->objectsDropped, 0);

        writeFile(a, noise(2 << 20, 2));
        Baseline v2 = scan(tree());
        QVERIFY(s.protect(&v2, &v1, protectedConfig(tree()), &warnings).ok());
        const qint64 before = packBytes(dataDir());
        const auto pruned = s.prune(v2);
        QVERIFY2(pruned.ok(), pruned.ok() ? "" : qPrintable(pruned.error().message));
        QCOMPARE(pruned->copies, 2);
        QVERIFY(pruned->objectsDropped >= 2); // v1's data of `a` and its tree
        QVERIFY2(pruned->bytesFreed >= (2 << 20), qPrintable(QString::number(pruned->bytesFreed)));
        QVERIFY(packBytes(dataDir()) <= before - (2 << 20));
        QCOMPARE(QDir(SafeSnapshots::repositoryPath(dataDir()) + QStringLiteral("/snapshots"))
                     .entryList(QDir::Files)
                     .size(),
            1);

        // v2 restores through a store opened afresh; v1's `a` is gone, its `b` (shared) is not.
        const QString why
            = restoresAll(dataDir(), v2, { { a, noise(2 << 20, 2) }, { b, "keep me\n" } });
        QVERIFY2(why.isEmpty(), qPrintable(why));
        SafeSnapshots fresh(dataDir(), qint64(1) << 32);
        QVERIFY(!SafeRestore::restoreFile(fresh, v1.files.value(a)).ok());
        QCOMPARE(readFile(a), noise(2 << 20, 2));
        QVERIFY(SafeRestore::restoreFile(fresh, v1.files.value(b)).ok());

        // Again with nothing changed: nothing dropped, still one root.
        const auto again = fresh.prune(v2);
        QVERIFY(again.ok());
        QCOMPARE(again->objectsDropped, 0);
        QCOMPARE(again->packsDeleted + again->packsRewritten, 0);
    }

    void killDuringPruneKeepsTheBaselinesCopies()
    {
        const QString big = tree() + QStringLiteral("/big"),
                      small = tree() + QStringLiteral("/small");
        writeFile(small, "keep me\n");
        SafeSnapshots s(dataDir(), qint64(1) << 32);
        QStringList warnings;
        QByteArray content;
        Baseline current;
        for (quint32 version = 1; version <= 4; ++version) {
            // Each round leaves 24 MiB that the current baseline no longer names.
            content = noise(24 << 20, version);
            writeFile(big, content);
            Baseline next = scan(tree());
            QVERIFY(s.protect(&next, &current, protectedConfig(tree()), &warnings).ok());
            current = next;
            if (version == 1)
                continue;
            QProcess child;
            child.start(QCoreApplication::applicationFilePath(),
                { QStringLiteral("--child-prune"), dataDir(), tree() });
            const auto reap = qScopeGuard([&child] {
                if (child.state() != QProcess::NotRunning) {
                    child.kill();
                    child.waitForFinished(10'000);
                }
            });
            QVERIFY(child.waitForStarted());
            // Killed as the prune takes the store's lock, and at two points after.
            const QDir locks(SafeSnapshots::repositoryPath(dataDir()) + QStringLiteral("/locks"));
            QElapsedTimer t;
            t.start();
            while (locks.isEmpty(QDir::Files) && child.state() == QProcess::Running
                && t.elapsed() < 30'000 * SHIVX_TIME_SCALE)
                QThread::usleep(200);
            QThread::usleep((version - 2) * (version - 2) * 5000); // 0, 5 and 20 ms
            ::kill(pid_t(child.processId()), SIGKILL);
            QVERIFY(child.waitForFinished(10'000));
            const QString why
                = restoresAll(dataDir(), current, { { big, content }, { small, "keep me\n" } });
            QVERIFY2(
                why.isEmpty(), qPrintable(QStringLiteral("round %1: %2").arg(version).arg(why)));
        }
        // The store is still usable, and a whole prune leaves the last version only.
        SafeSnapshots after(dataDir(), qint64(1) << 32);
        const auto pruned = after.prune(current);
        QVERIFY2(pruned.ok(), pruned.ok() ? "" : qPrintable(pruned.error().message));
        QVERIFY2(packBytes(dataDir()) < (24 << 20) + (4 << 20),
            qPrintable(QString::number(packBytes(dataDir()))));
        const QString why
            = restoresAll(dataDir(), current, { { big, content }, { small, "keep me\n" } });
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], "--child-store") == 0)
        return childStore(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    if (argc == 4 && qstrcmp(argv[1], "--child-prune") == 0)
        return childPrune(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    TstSafeSnapshots test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_safesnapshots.moc"
