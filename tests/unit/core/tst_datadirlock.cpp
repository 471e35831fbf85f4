// DATA_DIR/engine.lock: one holder at a time, the holder named in the refusal, a lock file a
// dead holder left behind does not block, and children started while it is held do not keep
// it (close-on-exec).
#include "core/datadirlock.h"
#include "core/timeutil.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Shivx;

class tst_DataDirLock : public QObject
{
    Q_OBJECT
private:
    static QByteArray contents(const QString &dir)
    {
        QFile f(DataDirLock::path(dir));
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

private Q_SLOTS:
    void secondHolderIsRefusedNamingTheFirst()
    {
        QTemporaryDir dir;
        const qint64 started = 1'700'000'000'123;
        DataDirLock first;
        QVERIFY(first.acquire(dir.path(), started));
        QVERIFY(first.isHeld());
        QCOMPARE(contents(dir.path()),
            QByteArray::number(qint64(::getpid())) + '\n' + TimeUtil::toRfc3339(started).toUtf8()
                + '\n');

        // flock(2) locks belong to the open file description: a second one in the same
        // process is refused like another process would be.
        DataDirLock second;
        const Result<void> r = second.acquire(dir.path(), started + 5);
        QVERIFY(!r);
        QVERIFY(!second.isHeld());
        QCOMPARE(r.error().code, QStringLiteral("engine.data_dir_locked"));
        QCOMPARE(r.error().message,
            QStringLiteral("data directory %1 is in use by the engine with pid %2 (started at "
                           "%3); stop it or use another --data-dir")
                .arg(dir.path())
                .arg(::getpid())
                .arg(TimeUtil::toRfc3339(started)));
        QCOMPARE(r.error().args.value(0).toString(), dir.path());
        QCOMPARE(r.error().args.value(1).toLongLong(), qint64(::getpid()));
        QCOMPARE(r.error().args.value(2).toString(), TimeUtil::toRfc3339(started));
        // The refused attempt left the holder's record alone.
        QVERIFY(contents(dir.path()).startsWith(QByteArray::number(qint64(::getpid())) + '\n'));

        first.release();
        QVERIFY(!first.isHeld());
        QVERIFY(second.acquire(dir.path(), started + 10));
        first.release(); // twice is harmless
    }

    // What a holder killed with -9 leaves: the file with its pid, and no lock (the kernel
    // dropped it). The pid is informative only: the next start takes the directory.
    void staleFileDoesNotBlock()
    {
        QTemporaryDir dir;
        {
            QFile f(DataDirLock::path(dir.path()));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("999999999\n2020-01-01T00:00:00.000Z\nsomething longer than the new one\n");
        }
        DataDirLock lock;
        QVERIFY(lock.acquire(dir.path(), 0));
        QVERIFY(contents(dir.path()).startsWith(QByteArray::number(qint64(::getpid())) + '\n'));
        QVERIFY(!contents(dir.path()).contains("longer"));
    }

    void holderWithoutRecordIsStillRefused()
    {
        QTemporaryDir dir;
        DataDirLock first;
        QVERIFY(first.acquire(dir.path(), 0));
        QVERIFY(QFile::resize(DataDirLock::path(dir.path()), 0)); // a holder caught mid-write
        DataDirLock second;
        const Result<void> r = second.acquire(dir.path(), 0);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("engine.data_dir_locked"));
        QVERIFY2(r.error().message.contains(QStringLiteral("in use by another engine")),
            qPrintable(r.error().message));
        QCOMPARE(r.error().args.value(1).toLongLong(), 0);
    }

    // A supervised process may outlive its engine (kill -9): it must not hold the engine's
    // lock, or the next engine could not start while it runs.
    void childrenDoNotInheritTheLock()
    {
        QTemporaryDir dir;
        DataDirLock lock;
        QVERIFY(lock.acquire(dir.path(), 0));
        QProcess child;
        child.start(QStringLiteral("sleep"), { QStringLiteral("30") });
        QVERIFY(child.waitForStarted());
        lock.release();
        DataDirLock next;
        QVERIFY(next.acquire(dir.path(), 0));
        child.kill();
        child.waitForFinished();
    }

    void missingDirectoryFailsClearly()
    {
        QTemporaryDir dir;
        const QString missing = dir.filePath(QStringLiteral("no/such/dir"));
        DataDirLock lock;
        const Result<void> r = lock.acquire(missing, 0);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("datadir.lock"));
        QVERIFY2(
            r.error().message.startsWith(missing + QStringLiteral("/engine.lock: cannot open")),
            qPrintable(r.error().message));
    }
};

QTEST_GUILESS_MAIN(tst_DataDirLock)
#include "tst_datadirlock.moc"
