// The baseline file: records survive a round trip, reading never changes its bytes (so the
// audited digest stays valid), damage is a clear error, and a real child process killed with
// SIGKILL in the middle of an update leaves the old baseline intact and usable.
#include "integrity/baselinestore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace Shivx;

namespace {

Baseline makeBaseline(int files, const QByteArray &salt)
{
    Baseline b;
    b.createdMs = 1'700'000'000'000;
    b.updatedMs = 1'700'000'100'000;
    for (int i = 0; i < files; ++i) {
        FileState f;
        f.path = QStringLiteral("/srv/data/dir-%1/file-%2").arg(i % 97).arg(i);
        f.set = i % 2 ? QStringLiteral("odd") : QStringLiteral("even");
        f.kind = i % 50 == 0 ? FileState::Kind::Symlink : FileState::Kind::Regular;
        f.sha256
            = QCryptographicHash::hash(salt + QByteArray::number(i), QCryptographicHash::Sha256);
        f.size = i * 13;
        f.mode = 0100644;
        f.uid = 1000;
        f.gid = 100 + quint32(i % 3);
        f.inode = 5'000'000'000ULL + quint64(i);
        f.mtimeNs = 1'700'000'000'123'456'789LL + i;
        f.ctimeNs = 1'700'000'000'223'456'789LL + i;
        if (i == 3)
            f.error = QStringLiteral("Permission denied");
        b.files.insert(f.path, f);
    }
    return b;
}

QByteArray fileSha256Hex(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

// The child's side of killDuringUpdateLeavesOldBaseline: one big update, killed by the parent.
int childUpdate(const QString &path, int files)
{
    BaselineStore store(path);
    const auto r = store.write(makeBaseline(files, "new"));
    return r ? 0 : 3;
}

} // namespace

class TstBaselineStore : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString path() const { return BaselineStore::pathIn(m_dir.path()); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(m_dir.path() + QStringLiteral("/integrity")).removeRecursively();
    }

    void roundTrip()
    {
        BaselineStore store(path());
        QVERIFY(!store.exists());
        const Baseline b = makeBaseline(500, "old");
        const auto digest = store.write(b);
        QVERIFY2(digest.ok(), digest.ok() ? "" : qPrintable(digest.error().message));
        QCOMPARE(*digest, fileSha256Hex(path()));
        const auto loaded = store.load();
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        QCOMPARE(loaded->files.size(), 500);
        QCOMPARE(loaded->createdMs, b.createdMs);
        QCOMPARE(loaded->updatedMs, b.updatedMs);
        for (const FileState &f : b.files) {
            const FileState &g = loaded->files[f.path];
            QCOMPARE(g.set, f.set);
            QVERIFY(g.kind == f.kind);
            QCOMPARE(g.sha256, f.sha256);
            QCOMPARE(g.size, f.size);
            QCOMPARE(g.mode, f.mode);
            QCOMPARE(g.uid, f.uid);
            QCOMPARE(g.gid, f.gid);
            QCOMPARE(g.inode, f.inode);
            QCOMPARE(g.mtimeNs, f.mtimeNs);
            QCOMPARE(g.ctimeNs, f.ctimeNs);
            QCOMPARE(g.error, f.error);
        }
        // Only the engine's user may read what the machine's files looked like.
        const QFile::Permissions perms = QFile::permissions(path());
        QVERIFY(perms & QFile::ReadOwner);
        QVERIFY(!(
            perms & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther)));
    }

    void readingKeepsTheDigest()
    {
        BaselineStore store(path());
        const auto digest = store.write(makeBaseline(200, "old"));
        QVERIFY(digest.ok());
        for (int i = 0; i < 3; ++i)
            QVERIFY(store.load().ok());
        QCOMPARE(*store.digest(), *digest);
        QCOMPARE(fileSha256Hex(path()), *digest);
        QVERIFY(
            QDir(m_dir.path() + QStringLiteral("/integrity")).entryList(QDir::Files).size() == 1);
    }

    void sameRecordsGiveTheSameBytes()
    {
        BaselineStore store(path());
        const auto first = store.write(makeBaseline(300, "old"));
        const auto second = store.write(makeBaseline(300, "old"));
        QVERIFY(first.ok() && second.ok());
        QCOMPARE(*first, *second);
        const auto third = store.write(makeBaseline(300, "other"));
        QVERIFY(*third != *first);
    }

    void damagedFileIsAnError()
    {
        QVERIFY(QDir().mkpath(m_dir.path() + QStringLiteral("/integrity")));
        QFile f(path());
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("this is not an SQLite database, just text that someone wrote here\n");
        f.close();
        const auto loaded = BaselineStore(path()).load();
        QVERIFY(!loaded.ok());
        QCOMPARE(loaded.error().code, QStringLiteral("integrity.baseline_unreadable"));
        QVERIFY2(loaded.error().message.contains(path()), qPrintable(loaded.error().message));
    }

    void killDuringUpdateLeavesOldBaseline()
    {
        BaselineStore store(path());
        const auto old = store.write(makeBaseline(100, "old"));
        QVERIFY(old.ok());

        QProcess child;
        child.start(QCoreApplication::applicationFilePath(),
            { QStringLiteral("--child-update"), path(), QStringLiteral("200000") });
        // Never leave the child behind, whatever the outcome.
        const auto reap = qScopeGuard([&child] {
            if (child.state() != QProcess::NotRunning) {
                child.kill();
                child.waitForFinished(10'000);
            }
        });
        QVERIFY(child.waitForStarted());
        // Kill once the new file is being filled: the update is then certainly in progress.
        const QDir dir(m_dir.path() + QStringLiteral("/integrity"));
        QElapsedTimer t;
        t.start();
        bool midUpdate = false;
        while (!midUpdate && t.elapsed() < 60'000 * SHIVX_TIME_SCALE
            && child.state() == QProcess::Running) {
            for (const QFileInfo &i :
                dir.entryInfoList({ QStringLiteral("baseline.db.tmp-*") }, QDir::Files))
                midUpdate = midUpdate || i.size() > (1 << 20);
            if (!midUpdate)
                QTest::qSleep(5);
        }
        QVERIFY2(midUpdate, "the child finished or never started its update");
        ::kill(pid_t(child.processId()), SIGKILL);
        QVERIFY(child.waitForFinished(10'000));
        QCOMPARE(child.exitStatus(), QProcess::CrashExit);

        QCOMPARE(*store.digest(), *old);
        const auto loaded = store.load();
        QVERIFY2(loaded.ok(), loaded.ok() ? "" : qPrintable(loaded.error().message));
        QCOMPARE(loaded->files.size(), 100);
        QCOMPARE(loaded->files.begin()->sha256.size(), 32);
        QVERIFY(!dir.entryList({ QStringLiteral("baseline.db.tmp-*") }, QDir::Files).isEmpty());

        // The next update sweeps the dead one's temporary file away.
        QVERIFY(store.write(makeBaseline(10, "next")).ok());
        QVERIFY(dir.entryList({ QStringLiteral("baseline.db.tmp-*") }, QDir::Files).isEmpty());
        QCOMPARE(store.load()->files.size(), 10);
    }
};

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (argc == 4 && qstrcmp(argv[1], "--child-update") == 0)
        return childUpdate(QString::fromLocal8Bit(argv[2]), QByteArray(argv[3]).toInt());
    TstBaselineStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_baselinestore.moc"
