// The scanner on a thread of its own over real files: init, check, accept with their audit
// records; a baseline edited behind the engine's back or deleted is refused; cancel, the
// degradation level's EMERGENCY and progress with an ETA during a budgeted scheduled check;
// real-time results merged into the last check.
#include "integrity/baselinestore.h"
#include "integrity/integrityscanner.h"
#include "queuedrecorder.h"
#include "recordingauditsink.h"
#include "storage/database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
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

// Waits for the first value the recorder received.
template <class T> bool waitForSignal(const QueuedRecorder<T> &spy, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (spy.isEmpty() && t.elapsed() < timeoutMs)
        QTest::qWait(5);
    return !spy.isEmpty();
}

} // namespace

class TstIntegrityScanner : public QObject
{
    Q_OBJECT

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<QThread> m_thread;
    IntegrityScanner *m_scanner = nullptr;
    std::unique_ptr<RecordingAuditSink> m_audit;

    QString tree() const { return m_dir->path() + QStringLiteral("/tree"); }
    QString dataDir() const { return m_dir->path() + QStringLiteral("/data"); }

    void startScanner(int readMiBPerSecond = 0, const QStringList &extraPaths = {})
    {
        IntegrityConfig c;
        IntegrityPathSet s;
        s.name = QStringLiteral("tree");
        s.paths = QStringList { tree() } + extraPaths;
        c.sets = { s };
        c.fastIntervalMs = 0;
        c.fullIntervalMs = 0;
        c.cpuPercent = 100;
        c.readMiBPerSecond = readMiBPerSecond;
        m_scanner = new IntegrityScanner(c, dataDir(), m_audit.get(), nullptr);
        m_thread = std::make_unique<QThread>();
        m_scanner->moveToThread(m_thread.get());
        connect(m_thread.get(), &QThread::finished, m_scanner, &QObject::deleteLater);
        m_thread->start();
        QMetaObject::invokeMethod(
            m_scanner, &IntegrityScanner::start, Qt::BlockingQueuedConnection);
    }

    // Runs one operation and waits for its result.
    IntegrityResult run(const std::function<void(IntegrityScanner *)> &op)
    {
        QueuedRecorder<IntegrityResult> finished(m_scanner, &IntegrityScanner::finished);
        if (!m_scanner->tryBegin()) {
            QTest::qFail("scanner busy", __FILE__, __LINE__);
            return {};
        }
        IntegrityScanner *s = m_scanner;
        QMetaObject::invokeMethod(
            s, [s, op] { op(s); }, Qt::QueuedConnection);
        if (!waitForSignal(finished, 60'000))
            return {};
        return finished.values.first();
    }

    IntegrityResult check(IntegrityMode mode, bool scheduled = false)
    {
        return run([mode, scheduled](IntegrityScanner *s) {
            s->runCheck(mode, QStringLiteral("console:alice"), scheduled);
        });
    }

    Result<IntegrityResult> accept(const QStringList &paths, const QString &reason)
    {
        Result<IntegrityResult> r = makeError("test", QString());
        if (!m_scanner->tryBegin())
            return r;
        IntegrityScanner *s = m_scanner;
        QMetaObject::invokeMethod(
            s, [&] { r = s->runAccept(paths, reason, QStringLiteral("cli:bob")); },
            Qt::BlockingQueuedConnection);
        return r;
    }

private Q_SLOTS:
    void init()
    {
        qRegisterMetaType<IntegrityResult>();
        qRegisterMetaType<IntegrityProgress>();
        qRegisterMetaType<IntegrityBaselineStatus>();
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(QDir().mkpath(tree() + QStringLiteral("/sub")));
        writeFile(tree() + QStringLiteral("/passwd"), "root:x:0:0\n");
        writeFile(tree() + QStringLiteral("/sub/app.conf"), "port=80\n");
        m_audit = std::make_unique<RecordingAuditSink>();
    }

    void cleanup()
    {
        if (m_thread) {
            // A test that failed midway may leave a check running on the thread.
            m_scanner->cancel(QStringLiteral("test cleanup"), QStringLiteral("test"));
            m_thread->quit();
            m_thread->wait();
        }
        m_thread.reset();
        m_scanner = nullptr;
    }

    void checkBeforeInitSaysSo()
    {
        startScanner();
        const IntegrityResult r = check(IntegrityMode::Full);
        QVERIFY(r.outcome == IntegrityResult::Outcome::Failed);
        QCOMPARE(r.error.code, QStringLiteral("integrity.no_baseline"));
    }

    void initCheckAccept()
    {
        startScanner();
        const IntegrityResult i = run([](IntegrityScanner *s) {
            s->runInit(QStringLiteral("cli:bob"), QStringLiteral("first baseline"));
        });
        QVERIFY(i.outcome == IntegrityResult::Outcome::Ok);
        const auto updated = m_audit->withAction(QStringLiteral("integrity.baseline_updated"));
        QCOMPARE(updated.size(), 1);
        QCOMPARE(updated[0].stream, QStringLiteral("security"));
        QCOMPARE(updated[0].actor, QStringLiteral("cli:bob"));
        QCOMPARE(updated[0].data.value(QStringLiteral("digest")).toString().toLatin1(),
            *BaselineStore(BaselineStore::pathIn(dataDir())).digest());
        QCOMPARE(updated[0].data.value(QStringLiteral("files")).toInteger(), 2);
        QCOMPARE(m_scanner->baselineStatus().files, 2);
        QVERIFY(m_scanner->baselineStatus().verified);

        QCOMPARE(check(IntegrityMode::Full).differences.size(), 0);
        ::usleep(20'000); // past the file system's timestamp tick (see tst_integritychecker)
        writeFile(tree() + QStringLiteral("/passwd"), "root:x:0:0\nevil:x:0:0\n");
        const IntegrityResult c = check(IntegrityMode::Fast);
        QVERIFY(c.outcome == IntegrityResult::Outcome::Ok);
        QCOMPARE(c.differences.size(), 1);
        QCOMPARE(c.filesHashed, 1);
        QCOMPARE(m_audit->count(QStringLiteral("integrity.check_finished")), 2);

        const auto noReason = accept({}, QStringLiteral("  "));
        QVERIFY(!noReason.ok());
        QCOMPARE(noReason.error().code, QStringLiteral("integrity.bad_reason"));
        const auto wrongPath
            = accept({ tree() + QStringLiteral("/sub/app.conf") }, QStringLiteral("x"));
        QCOMPARE(wrongPath.error().code, QStringLiteral("integrity.no_difference"));
        const auto ok
            = accept({ tree() + QStringLiteral("/passwd") }, QStringLiteral("user added"));
        QVERIFY2(ok.ok(), ok.ok() ? "" : qPrintable(ok.error().message));
        const auto last = m_audit->withAction(QStringLiteral("integrity.baseline_updated")).last();
        QCOMPARE(
            last.data.value(QStringLiteral("reason")).toString(), QStringLiteral("user added"));
        QCOMPARE(last.data.value(QStringLiteral("operation")).toString(), QStringLiteral("accept"));
        QCOMPARE(last.data.value(QStringLiteral("previous")).toString(),
            updated[0].data.value(QStringLiteral("digest")).toString());
        QVERIFY(m_scanner->lastCheck()->differences.isEmpty());
        QCOMPARE(check(IntegrityMode::Full).differences.size(), 0);
    }

    void editedBaselineIsRefused()
    {
        startScanner();
        const IntegrityResult i = run(
            [](IntegrityScanner *s) { s->runInit(QStringLiteral("api"), QStringLiteral("b")); });
        QVERIFY(i.outcome == IntegrityResult::Outcome::Ok);
        // An intruder changes a file and rewrites its record to match, so that a plain
        // comparison would see nothing.
        writeFile(tree() + QStringLiteral("/passwd"), "root:x:0:0\nevil:x:0:0\n");
        {
            QSqlDatabase db
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("intruder"));
            db.setDatabaseName(BaselineStore::pathIn(dataDir()));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(q.exec(QStringLiteral("UPDATE files SET size = 22")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("intruder"));
        const IntegrityResult r = check(IntegrityMode::Full);
        QVERIFY(r.outcome == IntegrityResult::Outcome::Failed);
        QCOMPARE(r.error.code, QStringLiteral("integrity.baseline_tampered"));
        QVERIFY(!m_scanner->baselineStatus().verified);
        QCOMPARE(m_audit->count(QStringLiteral("integrity.baseline_tampered")), 1);
        // Reported once per tampered file, not at every check.
        check(IntegrityMode::Fast);
        QCOMPARE(m_audit->count(QStringLiteral("integrity.baseline_tampered")), 1);
        // An operator's init records a new trusted baseline.
        run([](IntegrityScanner *s) {
            s->runInit(QStringLiteral("api"), QStringLiteral("re-baseline"));
        });
        QVERIFY(check(IntegrityMode::Full).outcome == IntegrityResult::Outcome::Ok);
    }

    void deletedBaselineIsRefused()
    {
        startScanner();
        run([](IntegrityScanner *s) { s->runInit(QStringLiteral("api"), QStringLiteral("b")); });
        QVERIFY(QFile::remove(BaselineStore::pathIn(dataDir())));
        const IntegrityResult r = check(IntegrityMode::Fast);
        QCOMPARE(r.error.code, QStringLiteral("integrity.baseline_missing"));
    }

    void cancelAndProgressDuringBudgetedCheck()
    {
        writeFile(tree() + QStringLiteral("/big"), QByteArray(24 << 20, 'b'));
        startScanner(4); // 4 MiB/s: the scheduled check of 24 MiB takes about 6 s
        run([](IntegrityScanner *s) { s->runInit(QStringLiteral("api"), QStringLiteral("b")); });
        QueuedRecorder<IntegrityProgress> progress(m_scanner, &IntegrityScanner::progressChanged);
        QueuedRecorder<IntegrityResult> finished(m_scanner, &IntegrityScanner::finished);
        QVERIFY(m_scanner->tryBegin());
        QVERIFY(!m_scanner->tryBegin());
        IntegrityScanner *s = m_scanner;
        QMetaObject::invokeMethod(
            s, [s] { s->runCheck(IntegrityMode::Full, QStringLiteral("engine"), true); },
            Qt::QueuedConnection);
        QTRY_VERIFY_WITH_TIMEOUT(m_scanner->progress().etaMs > 0, 10'000);
        const IntegrityProgress p = m_scanner->progress();
        QVERIFY(p.running);
        QCOMPARE(p.phase, QStringLiteral("hashing"));
        QCOMPARE(p.bytesTotal, qint64(24 << 20) + 11 + 8);
        QVERIFY(p.bytesDone < p.bytesTotal);
        QVERIFY(m_scanner->cancel(
            QStringLiteral("operator wants lunch"), QStringLiteral("console:alice")));
        QVERIFY(waitForSignal(finished, 10'000));
        const auto r = finished.values.first();
        QVERIFY(r.outcome == IntegrityResult::Outcome::Cancelled);
        QCOMPARE(r.error.message, QStringLiteral("operator wants lunch"));
        QVERIFY(progress.values.size() >= 2);
        QVERIFY(!m_scanner->busy());
        QVERIFY(!m_scanner->cancel(QStringLiteral("again"), QStringLiteral("x")));
    }

    void emergencyStopsScheduledChecksOnly()
    {
        writeFile(tree() + QStringLiteral("/big"), QByteArray(16 << 20, 'b'));
        startScanner(4);
        run([](IntegrityScanner *s) { s->runInit(QStringLiteral("api"), QStringLiteral("b")); });
        QueuedRecorder<IntegrityResult> finished(m_scanner, &IntegrityScanner::finished);
        QVERIFY(m_scanner->tryBegin());
        IntegrityScanner *s = m_scanner;
        QMetaObject::invokeMethod(
            s, [s] { s->runCheck(IntegrityMode::Full, QStringLiteral("engine"), true); },
            Qt::QueuedConnection);
        // The check itself is hashing (progress() still shows the init's numbers before).
        QTRY_VERIFY_WITH_TIMEOUT(m_scanner->progress().operation == QLatin1String("check")
                && m_scanner->progress().bytesDone > 0,
            10'000);
        m_scanner->setDegradationLevel(4);
        QVERIFY(waitForSignal(finished, 10'000));
        const auto r = finished.values.first();
        QVERIFY(r.outcome == IntegrityResult::Outcome::Cancelled);
        QVERIFY2(r.error.message.contains(QLatin1String("EMERGENCY")), qPrintable(r.error.message));
        // A scheduled check that was queued before EMERGENCY does not start.
        QVERIFY(m_scanner->tryBegin());
        QMetaObject::invokeMethod(
            s, [s] { s->runCheck(IntegrityMode::Fast, QStringLiteral("engine"), true); },
            Qt::QueuedConnection);
        QTRY_VERIFY(finished.values.size() == 2);
        QVERIFY(finished.values.last().outcome == IntegrityResult::Outcome::Cancelled);
        // An operator's check at EMERGENCY still runs, unthrottled.
        const IntegrityResult onDemand = check(IntegrityMode::Full);
        QVERIFY(onDemand.outcome == IntegrityResult::Outcome::Ok);
    }

    void realtimeResultsMergeIntoTheLastCheck()
    {
        startScanner();
        run([](IntegrityScanner *s) { s->runInit(QStringLiteral("api"), QStringLiteral("b")); });
        QCOMPARE(check(IntegrityMode::Full).differences.size(), 0);
        IntegrityDifference d;
        d.kind = IntegrityDifference::Kind::Removed;
        d.path = tree() + QStringLiteral("/passwd");
        d.set = QStringLiteral("tree");
        m_scanner->mergeRealtime({ d.path }, { d });
        m_scanner->mergeRealtime({ d.path }, { d }); // the same event twice: audited once
        QCOMPARE(m_scanner->lastCheck()->differences.size(), 1);
        QCOMPARE(m_audit->count(QStringLiteral("integrity.realtime_difference")), 1);
        m_scanner->mergeRealtime({ d.path }, {}); // restored
        QVERIFY(m_scanner->lastCheck()->differences.isEmpty());
        QCOMPARE(m_scanner->counters().realtimeChecks, 3);
    }

    // A path set over the data directory: the engine's database and the baseline (with their
    // -wal and -shm) are never opened. Opening and closing them would drop the process's POSIX
    // locks, and another process closing the database would then delete the -wal file that the
    // engine's connection still writes to: the row written afterwards is lost (commit 25a3249).
    void engineDatabasesAreNeverRead()
    {
        QVERIFY(QDir().mkpath(dataDir()));
        const QString db = dataDir() + QStringLiteral("/shivx.db");
        {
            auto writer = Database::open(db, QStringLiteral("engine-writer"));
            QVERIFY2(writer.ok(), qPrintable(writer.ok() ? QString() : writer.error().toString()));
            QVERIFY(
                Database::exec(*writer, QStringLiteral("INSERT INTO series (name) VALUES ('a')"))
                    .ok());
            writeFile(dataDir() + QStringLiteral("/notes.txt"), "kept\n");
            startScanner(0, { dataDir() });
            const IntegrityResult init = run(
                [](IntegrityScanner *s) { s->runInit(QStringLiteral("cli:bob"), QString()); });
            QVERIFY(init.outcome == IntegrityResult::Outcome::Ok);
            for (const char *name : { "/shivx.db", "/shivx.db-wal", "/shivx.db-shm" })
                QVERIFY2(init.skipped.contains(dataDir() + QLatin1String(name)),
                    qPrintable(init.skipped.join(QLatin1Char(','))));
            QVERIFY(
                m_scanner->baseline()->files.contains(dataDir() + QStringLiteral("/notes.txt")));
            for (const QString &path : m_scanner->baseline()->files.keys())
                QVERIFY2(!path.contains(QLatin1String(".db")), qPrintable(path));
            // The baseline's own file is skipped by the next check, and nothing is "removed".
            const IntegrityResult checked = check(IntegrityMode::Full);
            QVERIFY(checked.outcome == IntegrityResult::Outcome::Ok);
            QVERIFY2(checked.differences.isEmpty(),
                qPrintable(
                    checked.differences.isEmpty() ? QString() : checked.differences.first().path));
            QVERIFY(checked.skipped.contains(dataDir() + QStringLiteral("/integrity/baseline.db")));

            const auto countElsewhere = [&db]() {
                QProcess py;
                py.start(QStringLiteral("python3"),
                    { QStringLiteral("-c"),
                        QStringLiteral("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                                       "print(c.execute('SELECT COUNT(*) FROM series')"
                                       ".fetchone()[0]); c.close()"),
                        db });
                if (!py.waitForFinished(30'000) || py.exitCode() != 0)
                    return -1;
                return py.readAllStandardOutput().trimmed().toInt();
            };
            QCOMPARE(countElsewhere(), 1);
            QVERIFY(QFile::exists(db + QStringLiteral("-wal")));
            QVERIFY(
                Database::exec(*writer, QStringLiteral("INSERT INTO series (name) VALUES ('b')"))
                    .ok());
            QCOMPARE(countElsewhere(), 2);
        }
        Database::close(QStringLiteral("engine-writer"));
    }
};

QTEST_GUILESS_MAIN(TstIntegrityScanner)
#include "tst_integrityscanner.moc"
