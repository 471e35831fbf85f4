// The scanner's restore over real files on a thread of its own: files of a `protect: restore`
// set modified, deleted and chmod-ed are put back as the baseline recorded them (hash, mode,
// mtime), after which a full check finds nothing; the restore is audited; an accepted change
// becomes the copy a later restore uses; auto restore undoes only restorable differences and
// does not retry a failed one; what cannot be restored is refused with a clear error.
#include "integrity/integrityscanner.h"
#include "integrity/integritywatcher.h"
#include "integrity/safesnapshots.h"
#include "queuedrecorder.h"
#include "recordingauditsink.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <sys/stat.h>

using namespace Shivx;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

quint32 modeOf(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// Holds the scanner's thread in the audit record of each restored file for `delayMs`, as a
// busy disk under the audit writer would, then passes it on.
class SlowAuditSink final : public AuditSink
{
public:
    SlowAuditSink(AuditSink *next, int delayMs)
        : m_next(next)
        , m_delayMs(delayMs)
    {
    }
    void record(AuditEvent event) override
    {
        if (event.action == QLatin1String("integrity.restored")
            && event.stream == AuditStreams::security())
            QThread::msleep(m_delayMs);
        m_next->record(std::move(event));
    }

private:
    AuditSink *m_next;
    int m_delayMs;
};

} // namespace

class TstIntegrityRestore : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QThread> m_thread;
    IntegrityScanner *m_scanner = nullptr;
    std::unique_ptr<RecordingAuditSink> m_audit;

    QString etc() const { return m_dir->path() + QStringLiteral("/etc"); }
    QString other() const { return m_dir->path() + QStringLiteral("/other"); }
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }
    QString file(const char *name) const { return etc() + QLatin1Char('/') + QLatin1String(name); }

    IntegrityConfig m_config;

    void startScanner(bool autoRestore, bool critical = false, AuditSink *audit = nullptr)
    {
        IntegrityConfig c;
        IntegrityPathSet s;
        s.name = QStringLiteral("etc");
        s.paths = { etc() };
        s.protectRestore = true;
        s.autoRestore = autoRestore;
        s.critical = critical;
        IntegrityPathSet o;
        o.name = QStringLiteral("other");
        o.paths = { other() };
        c.sets = { s, o };
        c.fastIntervalMs = 0;
        c.fullIntervalMs = 0;
        c.cpuPercent = 100;
        m_config = c;
        m_scanner = new IntegrityScanner(c, dataDir(), audit ? audit : m_audit.get(), nullptr);
        m_thread = std::make_unique<QThread>();
        m_scanner->moveToThread(m_thread.get());
        connect(m_thread.get(), &QThread::finished, m_scanner, &QObject::deleteLater);
        m_thread->start();
        QMetaObject::invokeMethod(
            m_scanner, &IntegrityScanner::start, Qt::BlockingQueuedConnection);
    }

    // Runs `op` on the scanner's thread (after tryBegin, as the service does) and waits.
    template <class Op> auto onScanner(Op op)
    {
        IntegrityScanner *s = m_scanner;
        decltype(op(s)) r = makeError("test", QStringLiteral("the scanner was busy"));
        if (!m_scanner->tryBegin())
            return r;
        QMetaObject::invokeMethod(
            s, [&] { r = op(s); }, Qt::BlockingQueuedConnection);
        return r;
    }

    Result<IntegrityResult> initAndCheck(IntegrityMode mode)
    {
        auto init = onScanner([](IntegrityScanner *s) -> Result<IntegrityResult> {
            s->runInit(QStringLiteral("cli:alice"), QStringLiteral("provisioned"));
            return *s->lastOperation();
        });
        if (!init || init->outcome != IntegrityResult::Outcome::Ok)
            return init ? init->error : init.error();
        return check(mode);
    }

    Result<IntegrityResult> check(IntegrityMode mode)
    {
        return onScanner([mode](IntegrityScanner *s) -> Result<IntegrityResult> {
            s->runCheck(mode, QStringLiteral("cli:alice"), false);
            return *s->lastOperation();
        });
    }

    Result<IntegrityResult> restore(
        const QStringList &paths, const QString &reason = QStringLiteral("INC-7 tampering"))
    {
        return onScanner([&](IntegrityScanner *s) {
            return s->runRestore(paths, reason, QStringLiteral("cli:bob"), false);
        });
    }

private Q_SLOTS:
    void init()
    {
        qRegisterMetaType<IntegrityResult>();
        qRegisterMetaType<IntegrityProgress>();
        qRegisterMetaType<IntegrityBaselineStatus>();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(etc()));
        QVERIFY(QDir().mkpath(other()));
        writeFile(file("sshd_config"), "PermitRootLogin no\nPasswordAuthentication no\n");
        writeFile(file("sudoers"), "root ALL=(ALL) ALL\n");
        QVERIFY(QFile::setPermissions(file("sudoers"), QFile::ReadOwner | QFile::ReadGroup));
        writeFile(file("hosts"), "127.0.0.1 localhost\n");
        writeFile(other() + QStringLiteral("/motd"), "hello\n");
        m_audit = std::make_unique<RecordingAuditSink>();
    }

    void cleanup()
    {
        if (m_thread) {
            m_thread->quit();
            m_thread->wait();
        }
        m_thread.reset();
        m_scanner = nullptr;
    }

    void restoresModifiedDeletedAndChmodded()
    {
        startScanner(false);
        QVERIFY(initAndCheck(IntegrityMode::Full).ok());
        const auto baseline = m_scanner->baseline();
        QVERIFY(baseline);
        QCOMPARE(baseline->files.value(file("sudoers")).snapshot.size(), 32);
        QVERIFY(baseline->files.value(other() + QStringLiteral("/motd")).snapshot.isEmpty());
        const QByteArray sshd = readFile(file("sshd_config"));
        const QByteArray sudoers = readFile(file("sudoers"));

        writeFile(file("sshd_config"), "PermitRootLogin yes\n");
        QVERIFY(QFile::remove(file("sudoers")));
        QVERIFY(QFile::setPermissions(file("hosts"),
            QFile::ReadOwner | QFile::WriteOwner | QFile::WriteOther | QFile::ReadOther));
        writeFile(other() + QStringLiteral("/motd"), "changed\n");
        const auto c = check(IntegrityMode::Fast);
        QVERIFY(c.ok());
        QCOMPARE(c->differences.size(), 4);

        // Every restorable difference; motd (no snapshot) is left alone.
        const auto r = restore({});
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->differences.size(), 3);
        QCOMPARE(readFile(file("sshd_config")), sshd);
        QCOMPARE(readFile(file("sudoers")), sudoers);
        QCOMPARE(modeOf(file("sudoers")), 0440u);
        QCOMPARE(modeOf(file("hosts")), baseline->files.value(file("hosts")).mode & 07777);
        QCOMPARE(readFile(other() + QStringLiteral("/motd")), QByteArray("changed\n"));

        // The differences left: motd only, also for a full check against the updated baseline.
        QCOMPARE(m_scanner->lastCheck()->differences.size(), 1);
        const auto after = check(IntegrityMode::Full);
        QVERIFY(after.ok());
        QCOMPARE(after->differences.size(), 1);
        QCOMPARE(after->differences.first().path, other() + QStringLiteral("/motd"));

        // Audited per file with path, hash, who and why, and as a baseline update.
        // Each on the security stream and on the operator's.
        const auto restored = m_audit->withAction(QStringLiteral("integrity.restored"));
        QCOMPARE(restored.size(), 6);
        QCOMPARE(restored.first().stream, AuditStreams::security());
        QCOMPARE(restored.first().actor, QStringLiteral("cli:bob"));
        QCOMPARE(restored.first().data.value(QStringLiteral("reason")).toString(),
            QStringLiteral("INC-7 tampering"));
        QCOMPARE(restored.first().data.value(QStringLiteral("path")).toString(), file("hosts"));
        QCOMPARE(restored.first().data.value(QStringLiteral("sha256")).toString(),
            QString::fromLatin1(baseline->files.value(file("hosts")).sha256.toHex()));
        QVERIFY(m_audit->actions(AuditStreams::resilience()).isEmpty());
        QCOMPARE(m_audit->actions(AuditStreams::operatorActions())
                     .count(QStringLiteral("integrity.restored")),
            3);
        const auto updates = m_audit->withAction(QStringLiteral("integrity.baseline_updated"));
        QCOMPARE(updates.last().data.value(QStringLiteral("operation")).toString(),
            QStringLiteral("restore"));
    }

    void refusesWhatCannotBeRestored()
    {
        startScanner(false);
        QVERIFY(initAndCheck(IntegrityMode::Full).ok());
        writeFile(file("new"), "added\n");
        writeFile(other() + QStringLiteral("/motd"), "changed\n");
        writeFile(file("hosts"), "tampered\n");
        QVERIFY(check(IntegrityMode::Fast).ok());
        const auto noReason = restore({ file("hosts") }, QStringLiteral(" "));
        QCOMPARE(noReason.error().code, QStringLiteral("integrity.bad_reason"));
        const auto added = restore({ file("new") });
        QCOMPARE(added.error().code, QStringLiteral("integrity.not_restorable"));
        const auto unprotected = restore({ other() + QStringLiteral("/motd") });
        QCOMPARE(unprotected.error().code, QStringLiteral("integrity.no_snapshot"));
        const auto unknown = restore({ file("sshd_config") });
        QCOMPARE(unknown.error().code, QStringLiteral("integrity.no_difference"));
        QCOMPARE(readFile(file("hosts")), QByteArray("tampered\n"));
    }

    void acceptUpdatesTheCopy()
    {
        startScanner(false);
        QVERIFY(initAndCheck(IntegrityMode::Full).ok());
        writeFile(file("sshd_config"), "PermitRootLogin no\nPort 2222\n");
        QVERIFY(check(IntegrityMode::Fast).ok());
        const auto accepted = onScanner([this](IntegrityScanner *s) {
            return s->runAccept(
                { file("sshd_config") }, QStringLiteral("CHG-1 port"), QStringLiteral("cli:bob"));
        });
        QVERIFY(accepted.ok());
        QVERIFY(m_scanner->baseline()->files.value(file("sshd_config")).snapshot.size() == 32);
        // The copy of the version no baseline names any more is pruned, audited.
        const auto pruned = m_audit->withAction(QStringLiteral("integrity.snapshots_pruned"));
        QCOMPARE(pruned.size(), 1);
        QCOMPARE(pruned.first().stream, AuditStreams::security());
        QCOMPARE(pruned.first().data.value(QStringLiteral("kept")).toInt(), 3);
        // At least the previous root; the old small copy shares a pack that is mostly still
        // needed, which the pruner leaves as it is (tst_safesnapshots frees a whole pack).
        QVERIFY(pruned.first().data.value(QStringLiteral("objects_dropped")).toInt() >= 1);
        QCOMPARE(m_scanner->counters().snapshotBytesPruned,
            pruned.first().data.value(QStringLiteral("bytes_freed")).toInteger());

        QVERIFY(QFile::remove(file("sshd_config")));
        QVERIFY(check(IntegrityMode::Fast).ok());
        QVERIFY(restore({ file("sshd_config") }).ok());
        QCOMPARE(readFile(file("sshd_config")), QByteArray("PermitRootLogin no\nPort 2222\n"));
    }

    void autoRestoreOnceAndNotAgainAfterFailure()
    {
        startScanner(true);
        QVERIFY(initAndCheck(IntegrityMode::Full).ok());
        writeFile(file("hosts"), "0.0.0.0 bank.example\n");
        QVERIFY(check(IntegrityMode::Fast).ok());
        QCOMPARE(m_scanner->autoRestoreCandidates(), QStringList { file("hosts") });
        QMetaObject::invokeMethod(
            m_scanner, &IntegrityScanner::autoRestore, Qt::BlockingQueuedConnection);
        QCOMPARE(readFile(file("hosts")), QByteArray("127.0.0.1 localhost\n"));
        QVERIFY(m_scanner->autoRestoreCandidates().isEmpty());
        QCOMPARE(
            m_audit->actions(AuditStreams::security()).count(QStringLiteral("integrity.restored")),
            1);
        const auto onResilience = m_audit->actions(AuditStreams::resilience());
        QCOMPARE(onResilience, QStringList { QStringLiteral("integrity.restored") });
        QCOMPARE(m_audit->withAction(QStringLiteral("integrity.restored")).first().actor,
            QStringLiteral("engine"));

        // Tampered again: restored again.
        writeFile(file("hosts"), "0.0.0.0 bank.example\n");
        QVERIFY(check(IntegrityMode::Fast).ok());
        QMetaObject::invokeMethod(
            m_scanner, &IntegrityScanner::autoRestore, Qt::BlockingQueuedConnection);
        QCOMPARE(readFile(file("hosts")), QByteArray("127.0.0.1 localhost\n"));
        QCOMPARE(
            m_audit->actions(AuditStreams::security()).count(QStringLiteral("integrity.restored")),
            2);

        // With the packs altered the restore fails, once: the same difference is not retried.
        QDirIterator it(SafeSnapshots::repositoryPath(dataDir()) + QStringLiteral("/data"),
            QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            QVERIFY(f.open(QIODevice::ReadWrite));
            QByteArray bytes = f.readAll();
            for (qsizetype i = 8; i < bytes.size(); i += 16)
                bytes[i] = char(bytes[i] ^ 0x55);
            QVERIFY(f.seek(0));
            f.write(bytes);
        }
        writeFile(file("hosts"), "0.0.0.0 bank.example\n");
        QVERIFY(check(IntegrityMode::Fast).ok());
        for (int i = 0; i < 2; ++i)
            QMetaObject::invokeMethod(
                m_scanner, &IntegrityScanner::autoRestore, Qt::BlockingQueuedConnection);
        // Once on each stream (automatic restores also go to resilience).
        const auto failed = m_audit->withAction(QStringLiteral("integrity.restore_failed"));
        QCOMPARE(failed.size(), 2);
        QVERIFY2(failed.first()
                     .data.value(QStringLiteral("error"))
                     .toString()
                     .contains(QStringLiteral("cannot be trusted")),
            qPrintable(failed.first().data.value(QStringLiteral("error")).toString()));
        QCOMPARE(readFile(file("hosts")), QByteArray("0.0.0.0 bank.example\n"));
        QCOMPARE(m_scanner->lastCheck()->differences.size(), 1);
    }

    // The watcher of a critical set sees the restore's own renames. A restore of several files
    // renames each long before it records the new inodes in the baseline: here the audit
    // record of each restored file is slow (as on a busy disk), so the watcher's gather window
    // ends in between, and a re-check then would report the renamed file's new inode and
    // ctime as a change (and auto restore would undo its own work).
    void watcherLeavesTheRestoresOwnRenames()
    {
        SlowAuditSink slow(m_audit.get(), 3 * IntegrityWatcher::GatherMs);
        startScanner(false, true, &slow);
        QVERIFY(initAndCheck(IntegrityMode::Full).ok());
        QThread watchThread;
        auto *watcher = new IntegrityWatcher(m_config, m_scanner);
        watcher->moveToThread(&watchThread);
        connect(&watchThread, &QThread::finished, watcher, &QObject::deleteLater);
        watchThread.start();
        const auto stopWatcher = qScopeGuard([&] {
            watchThread.quit();
            watchThread.wait();
        });
        QMetaObject::invokeMethod(watcher, &IntegrityWatcher::start, Qt::BlockingQueuedConnection);
        QCOMPARE(watcher->watchCount(), 1);

        // Tampered: the watcher reports both (that is its job).
        writeFile(file("hosts"), "0.0.0.0 bank.example\n");
        writeFile(file("sshd_config"), "PermitRootLogin yes\n");
        QTRY_COMPARE_WITH_TIMEOUT(
            m_scanner->lastCheck() ? m_scanner->lastCheck()->differences.size() : 0, 2,
            5000 * SHIVX_TIME_SCALE);
        // Events of the writes still in flight are gathered and re-checked before the restore.
        QTest::qWait(3 * IntegrityWatcher::GatherMs);
        const int reported = m_audit->count(QStringLiteral("integrity.realtime_difference"));
        QVERIFY(reported >= 2);

        const auto r = restore({});
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        QCOMPARE(r->differences.size(), 2);
        QTest::qWait(3 * IntegrityWatcher::GatherMs); // the renames' last events, re-checked now
        const auto realtime = m_audit->withAction(QStringLiteral("integrity.realtime_difference"));
        QVERIFY2(realtime.size() == reported,
            qPrintable(realtime.last().data.value(QStringLiteral("path")).toString()
                + QStringLiteral(": ")
                + realtime.last().data.value(QStringLiteral("attributes")).toString()));
        QVERIFY(m_scanner->lastCheck()->differences.isEmpty());
        QCOMPARE(readFile(file("hosts")), QByteArray("127.0.0.1 localhost\n"));
        const auto after = check(IntegrityMode::Full);
        QVERIFY(after.ok());
        QVERIFY(after->differences.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TstIntegrityRestore)
#include "tst_integrityrestore.moc"
