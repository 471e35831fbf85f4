// AuditWriter: the thread-safe queue, batches (one per event-loop turn), checkpoints by
// count, by timer and at finish, recovery recorded at open, on a real worker thread.
#include "audit/auditwriter.h"
#include "audit/segmentfiles.h"
#include "auditchaincheck.h"
#include "core/clock.h"
#include "core/workerthread.h"

#include <QFile>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Shivx;

namespace {

AuditEvent auditEvent(const QString &stream, int i)
{
    return AuditEvent { stream, QStringLiteral("engine"), QStringLiteral("test.event"),
        QJsonObject { { QStringLiteral("i"), i } }, 0 };
}

QList<Checkpoint> checkpoints(const QString &streamDir)
{
    QList<Checkpoint> out;
    QFile f(AuditFiles::checkpointsPath(streamDir));
    if (!f.open(QIODevice::ReadOnly))
        return out;
    for (const auto &l : AuditFiles::splitLines(f.readAll()))
        out.append(*Checkpoint::parse(l.text));
    return out;
}

QString dirOf(const QTemporaryDir &d, const char *stream)
{
    return AuditFiles::streamDir(d.path(), QLatin1String(stream));
}

} // namespace

class TstAuditWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void opensTheThreeStreamsAndTheKey()
    {
        QTemporaryDir dir;
        AuditWriter w(dir.path(), AuditConfig {});
        QVERIFY(w.open().ok());
        QCOMPARE(AuditFiles::listStreams(dir.path()),
            (QStringList { QStringLiteral("operator"), QStringLiteral("resilience"),
                QStringLiteral("security") }));
        const QFileInfo key(CheckpointKey::privateKeyPath(AuditFiles::keysDir(dir.path())));
        QVERIFY(key.exists());
        QCOMPARE(key.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther),
            QFileDevice::Permissions());
        w.finish();
    }

    void concurrentRecordsBecomeOneBatch()
    {
        QTemporaryDir dir;
        AuditWriter w(dir.path(), AuditConfig {});
        QVERIFY(w.open().ok());
        QSignalSpy batches(&w, &AuditWriter::batchWritten);
        QList<QThread *> threads;
        for (int t = 0; t < 4; ++t)
            threads.append(QThread::create([&w, t] {
                for (int i = 0; i < 50; ++i)
                    w.record(auditEvent(
                        t % 2 ? QStringLiteral("security") : QStringLiteral("resilience"),
                        t * 1000 + i));
            }));
        for (QThread *t : threads)
            t->start();
        for (QThread *t : threads) {
            t->wait();
            delete t;
        }
        QCOMPARE(w.queuedCount(), 200);
        w.flush();
        QCOMPARE(batches.size(), 1);
        QCOMPARE(batches.first().first().toInt(), 200);
        QCOMPARE(w.entriesWritten(), 200);
        for (const char *s : { "resilience", "security" }) {
            const ChainCheck c = checkChain(dirOf(dir, s));
            QVERIFY2(c.ok(), qPrintable(c.error));
            QCOMPARE(c.entries.size(), 100);
            // Each producer's events keep their order within the stream.
            QHash<int, int> last;
            for (const AuditEntry &e : c.entries) {
                const int i = e.data.value(QStringLiteral("i")).toInt();
                QVERIFY(i % 1000 > last.value(i / 1000, -1));
                last[i / 1000] = i % 1000;
            }
        }
        w.finish();
    }

    void eventsBeforeOpenAreKept()
    {
        QTemporaryDir dir;
        AuditWriter w(dir.path(), AuditConfig {});
        w.record(auditEvent(QStringLiteral("operator"), 1));
        w.flush(); // not open yet: stays queued
        QCOMPARE(w.queuedCount(), 1);
        QVERIFY(w.open().ok());
        w.flush();
        QCOMPARE(checkChain(dirOf(dir, "operator")).entries.size(), 1);
        w.finish();
    }

    void customAndInvalidStreams()
    {
        QTemporaryDir dir;
        AuditWriter w(dir.path(), AuditConfig {});
        QVERIFY(w.open().ok());
        w.record(auditEvent(QStringLiteral("backup"), 1));
        w.record(auditEvent(QStringLiteral("../escape"), 2));
        w.flush();
        QCOMPARE(checkChain(dirOf(dir, "backup")).entries.size(), 1);
        QVERIFY(!QFile::exists(dir.path() + QStringLiteral("/escape")));
        QCOMPARE(w.queuedCount(), 0);
        w.finish();
    }

    void checkpointEveryNEntriesAndAtFinish()
    {
        QTemporaryDir dir;
        AuditConfig config;
        config.checkpointEveryEntries = 10;
        AuditWriter w(dir.path(), config);
        QVERIFY(w.open().ok());
        for (int i = 0; i < 25; ++i) {
            w.record(auditEvent(QStringLiteral("resilience"), i));
            if (i % 4 == 3)
                w.flush();
        }
        w.flush();
        const auto before = checkpoints(dirOf(dir, "resilience"));
        QCOMPARE(before.size(), 2); // after 12 and 24 entries
        QCOMPARE(before.at(0).seq, 12);
        w.finish();
        const auto after = checkpoints(dirOf(dir, "resilience"));
        QCOMPARE(after.size(), 3);
        QCOMPARE(after.last().seq, 25);
        for (const Checkpoint &cp : after)
            QVERIFY(w.key().verify(cp));
        QCOMPARE(checkpoints(dirOf(dir, "security")).size(), 0); // never advanced
    }

    void checkpointTimerOnItsThread()
    {
        QTemporaryDir dir;
        AuditConfig config;
        config.checkpointEveryMs = 1000;
        auto *w = new AuditWriter(dir.path(), config);
        WorkerThread thread("shivx-audit", w); // as the engine runs it
        thread.start();
        Result<void> opened;
        QMetaObject::invokeMethod(
            w, [w, &opened] { opened = w->open(); }, Qt::BlockingQueuedConnection);
        QVERIFY(opened.ok());
        for (int i = 0; i < 30; ++i)
            w->record(auditEvent(QStringLiteral("operator"), i)); // from the test thread
        QTRY_COMPARE(w->entriesWritten(), 30);
        QTRY_COMPARE_WITH_TIMEOUT(checkpoints(dirOf(dir, "operator")).size(), 1, 5000);
        QCOMPARE(checkpoints(dirOf(dir, "operator")).first().seq, 30);
        QMetaObject::invokeMethod(
            w, [w] { w->finish(); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
        QCOMPARE(checkpoints(dirOf(dir, "operator")).size(), 1); // nothing new since
    }

    void recoveryIsRecordedAtOpen()
    {
        QTemporaryDir dir;
        {
            AuditWriter w(dir.path(), AuditConfig {});
            QVERIFY(w.open().ok());
            w.record(auditEvent(QStringLiteral("security"), 1));
            w.finish();
        }
        QFile seg(dirOf(dir, "security") + QStringLiteral("/seg-000001.ndjson"));
        QVERIFY(seg.open(QIODevice::Append));
        seg.write("{\"action\":\"half");
        seg.close();
        AuditWriter w(dir.path(), AuditConfig {});
        QVERIFY(w.open().ok());
        const ChainCheck c = checkChain(dirOf(dir, "security"));
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.size(), 2);
        QCOMPARE(c.entries.last().action, QStringLiteral("audit.torn_tail_recovered"));
        QCOMPARE(c.entries.last().actor, QStringLiteral("engine"));
        w.finish();
    }

    void timestampsComeFromTheClock()
    {
        QTemporaryDir dir;
        ManualClock clock(1'800'000'000'000);
        AuditWriter w(dir.path(), AuditConfig {}, &clock);
        QVERIFY(w.open().ok());
        w.record(auditEvent(QStringLiteral("resilience"), 1));
        clock.advanceMs(5000);
        w.flush();
        QCOMPARE(checkChain(dirOf(dir, "resilience")).entries.first().tsMs, 1'800'000'000'000);
        w.finish();
    }
};

QTEST_GUILESS_MAIN(TstAuditWriter)
#include "tst_auditwriter.moc"
