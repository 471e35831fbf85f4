// kill -9 at random moments: a child appending through the engine's AuditWriter (and
// `shivx audit append` processes) is SIGKILLed many times, or crashes inside a write; afterwards
// every stream must be a valid chain (our reader and the Python reference verifier), and every torn
// tail must have been moved aside to torn/ and recorded as an entry whose sha256 matches the moved
// bytes.
#include "audit/auditwriter.h"
#include "audit/segmentfiles.h"
#include "auditchaincheck.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <csignal>
#include <sys/resource.h>

using namespace Shivx;

namespace {

qint64 largestActiveSegment(const QString &data)
{
    qint64 size = 0;
    for (const QString &stream : AuditFiles::listStreams(data)) {
        const auto segments = AuditFiles::listSegments(AuditFiles::streamDir(data, stream));
        if (!segments.isEmpty() && !segments.last().compressed && !segments.last().retired())
            size = qMax(size, QFileInfo(segments.last().path).size());
    }
    return size;
}

} // namespace

class TstAuditCrash : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void killNineLoop()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        QRandomGenerator rng(20261129);
        const QStringList modes { QStringLiteral("batch"), QStringLiteral("entry"),
            QStringLiteral("os") };
        int kills = 0, sizeCrashes = 0;
        for (int round = 0; round < 45; ++round) {
            QProcess child;
            if (round % 5 == 4) {
                child.start(QStringLiteral(SHIVX_CLI),
                    { QStringLiteral("audit"), QStringLiteral("append"),
                        QStringLiteral("--data-dir"), data, QStringLiteral("--action"),
                        QStringLiteral("test.cli"), QStringLiteral("--data"),
                        QStringLiteral("{\"round\":%1}").arg(round) });
                QVERIFY(child.waitForStarted(10000));
                QThread::msleep(rng.bounded(5, 60));
            } else if (round % 5 == 2) {
                // A crash that lands inside a write for certain: the child's file size limit
                // (RLIMIT_FSIZE) lies just past the active segments, so the kernel cuts a
                // write short and SIGXFSZ kills the writer with half a line on disk.
                const rlim_t limit
                    = rlim_t(largestActiveSegment(data) + rng.bounded(20'000, 300'000));
                child.setChildProcessModifier([limit] {
                    const struct rlimit rl
                    {
                        limit, limit
                    };
                    ::setrlimit(RLIMIT_FSIZE, &rl);
                    // Ignored or blocked dispositions survive exec (Python parents ignore it).
                    ::signal(SIGXFSZ, SIG_DFL);
                    sigset_t set;
                    sigemptyset(&set);
                    sigaddset(&set, SIGXFSZ);
                    ::sigprocmask(SIG_UNBLOCK, &set, nullptr);
                });
                child.start(QStringLiteral(SHIVX_AUDIT_CHILD),
                    { data, modes.at(round % 3), QString::number(rng.bounded(50, 400)),
                        QStringLiteral("67108864") }); // no rotation before the limit
                QVERIFY(child.waitForStarted(10000));
                QVERIFY(child.waitForFinished(60000));
                QCOMPARE(child.exitStatus(), QProcess::CrashExit);
                ++sizeCrashes;
                continue;
            } else {
                // Small segments so that kills also land in rotation, sealing and compression.
                child.start(QStringLiteral(SHIVX_AUDIT_CHILD),
                    { data, modes.at(round % 3), QString::number(rng.bounded(1, 400)),
                        QStringLiteral("1048576") });
                QVERIFY(child.waitForStarted(10000));
                QVERIFY(child.waitForReadyRead(20000)); // "ready": recovery done, appending now
                QThread::msleep(rng.bounded(1, 150));
            }
            if (child.state() == QProcess::Running) {
                ::kill(pid_t(child.processId()), SIGKILL);
                ++kills;
            }
            QVERIFY(child.waitForFinished(10000));
        }
        QVERIFY(kills >= 25);

        // One more writer start recovers whatever the last kill left behind.
        {
            AuditWriter w(data, AuditConfig {});
            QVERIFY(w.open().ok());
            w.finish();
        }

        int tornFiles = 0, tornEntries = 0, headRebuilt = 0;
        qint64 entries = 0;
        for (const QString &stream : AuditFiles::listStreams(data)) {
            const QString sdir = AuditFiles::streamDir(data, stream);
            const ChainCheck c = checkChain(sdir);
            QVERIFY2(c.ok(), qPrintable(stream + QStringLiteral(": ") + c.error));
            entries += c.entries.size();
            const QStringList torn = QDir(AuditFiles::tornDir(sdir)).entryList(QDir::Files);
            tornFiles += torn.size();
            for (const AuditEntry &e : c.entries) {
                if (e.action == QLatin1String("audit.head_rebuilt"))
                    ++headRebuilt;
                if (e.action != QLatin1String("audit.torn_tail_recovered"))
                    continue;
                ++tornEntries;
                QFile moved(
                    sdir + QLatin1Char('/') + e.data.value(QStringLiteral("moved_to")).toString());
                QVERIFY2(moved.open(QIODevice::ReadOnly), qPrintable(moved.fileName()));
                const QByteArray bytes = moved.readAll();
                QCOMPARE(bytes.size(), e.data.value(QStringLiteral("bytes")).toInteger());
                QCOMPARE(AuditFiles::sha256Hex(bytes),
                    e.data.value(QStringLiteral("sha256")).toString().toLatin1());
            }
        }
        QCOMPARE(tornEntries, tornFiles);
        QVERIFY2(
            tornEntries >= sizeCrashes, "every crash inside a write leaves a torn tail to recover");
        qInfo("%d kills, %d crashes inside a write, %lld entries, %d torn tails recovered, %d "
              "heads rebuilt",
            kills, sizeCrashes, entries, tornEntries, headRebuilt);
        QVERIFY(entries > 1000);

        if (!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty()) {
            QProcess py;
            py.start(QStringLiteral("python3"),
                { QStringLiteral(SHIVX_SOURCE_DIR "/docs/audit_verify.py"), data });
            QVERIFY(py.waitForFinished(120000));
            QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        }
    }
};

QTEST_GUILESS_MAIN(TstAuditCrash)
#include "tst_auditcrash.moc"
