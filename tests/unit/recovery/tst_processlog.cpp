// A supervised process's log on real files when rotation or writing fails: a directory in
// the way of NAME.log.N, NAME.log itself a directory, a full disk (/dev/full). append()
// returns at once, the file stays within max_size, the newest output survives where it can,
// and each failure is warned about once.
#include "recovery/processlog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>
#include <future>
#include <thread>

using namespace Shivx;

namespace {

constexpr qint64 MaxBytes = 1000;

// append() on a thread of its own, so that a loop inside it fails the test with a message
// instead of hanging it until the ctest timeout.
QStringList appendWithin(ProcessLog &log, const QByteArray &data, int seconds)
{
    std::packaged_task<QStringList()> task([&log, &data] { return log.append(data); });
    std::future<QStringList> done = task.get_future();
    std::thread worker(std::move(task));
    if (done.wait_for(std::chrono::seconds(seconds * SHIVX_TIME_SCALE))
        != std::future_status::ready)
        qFatal("ProcessLog::append() did not return within %d s: it loops on the failure", seconds);
    worker.join();
    return done.get();
}

QByteArray lines(int from, int count)
{
    QByteArray out;
    for (int i = from; i < from + count; ++i)
        out += "line-" + QByteArray::number(i).rightJustified(5, '0') + '\n';
    return out;
}

QByteArray contents(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class tst_ProcessLog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void failureDoesNotLoop_data()
    {
        QTest::addColumn<int>("keptFiles");
        QTest::addColumn<QStringList>("directories"); // made before the first write
        QTest::addColumn<QString>("symlinkToDevFull"); // a file name, or empty
        QTest::addColumn<QString>("warning"); // the one warning, a regular expression
        QTest::addColumn<bool>("keepsNewest"); // NAME.log ends with the last line written
        QTest::addColumn<bool>("emptiedNote"); // NAME.log starts with "cannot rotate"

        QTest::newRow("NAME.log.1 is a directory, one file kept -> NAME.log emptied when full")
            << 1 << QStringList { QStringLiteral("w.log.1") } << QString()
            << "cannot rotate the log of w: .*/w\\.log\\.1: Is a directory; .*/w\\.log is emptied "
               "instead when it is full"
            << true << true;
        QTest::newRow("every rotated name a non-empty directory -> NAME.log emptied when full")
            << 2
            << QStringList { QStringLiteral("w.log.1"), QStringLiteral("w.log.2"),
                   QStringLiteral("w.log.2/keep") }
            << QString()
            << "cannot rotate the log of w: .*/w\\.log\\.1: Is a directory; .*/w\\.log is emptied "
               "instead when it is full"
            << true << true;
        QTest::newRow("the oldest name is a directory -> rotated anyway")
            << 2 << QStringList { QStringLiteral("w.log.2"), QStringLiteral("w.log.2/keep") }
            << QString() << "cannot rotate the log of w: .*/w\\.log\\.2: Is a directory$" << true
            << false;
        QTest::newRow("NAME.log is a directory -> output dropped")
            << 2 << QStringList { QStringLiteral("w.log") } << QString()
            << ".*/w\\.log: .*; output dropped$" << false << false;
        QTest::newRow("disk full -> output dropped")
            << 2 << QStringList {} << QStringLiteral("w.log")
            << ".*/w\\.log: No space left on device; output dropped$" << false << false;
    }

    void failureDoesNotLoop()
    {
        QFETCH(int, keptFiles);
        QFETCH(QStringList, directories);
        QFETCH(QString, symlinkToDevFull);
        QFETCH(QString, warning);
        QFETCH(bool, keepsNewest);
        QFETCH(bool, emptiedNote);
        QTemporaryDir dir;
        for (const QString &d : directories)
            QVERIFY(QDir(dir.path()).mkpath(d));
        if (!symlinkToDevFull.isEmpty()) {
            QVERIFY(QFile::link(QStringLiteral("/dev/full"), dir.filePath(symlinkToDevFull)));
            // Opening a character device for appending: Qt's note, not the failure under test.
            QTest::ignoreMessage(QtWarningMsg,
                QRegularExpression(QStringLiteral("Cannot call seek on a sequential device")));
        }

        ProcessLog log(dir.path(), QStringLiteral("w"), MaxBytes, keptFiles);
        const QRegularExpression once(warning);
        QVERIFY(once.isValid());
        QTest::ignoreMessage(QtWarningMsg, once);
        QTest::failOnWarning(once); // a second warning of the same failure fails the test

        // 40 times the file's size, in writes of 11 lines, as a chatty process delivers it.
        constexpr int Chunks = 400;
        for (int c = 0; c < Chunks; ++c) {
            const QStringList tail = appendWithin(log, lines(c * 11, 11), 10);
            QCOMPARE(tail.size(), 11); // the live tail sees every line, whatever the file did
        }
        QVERIFY2(QRegularExpression(warning).match(log.lastError()).hasMatch(),
            qPrintable(log.lastError()));

        const QString file = dir.filePath(QStringLiteral("w.log"));
        if (QFileInfo(file).isFile() && !QFileInfo(file).isSymLink()) {
            QVERIFY2(QFileInfo(file).size() <= MaxBytes,
                qPrintable(QString::number(QFileInfo(file).size())));
            const QByteArray text = contents(file);
            QCOMPARE(text.endsWith(lines(Chunks * 11 - 1, 1)), keepsNewest);
            QCOMPARE(text.startsWith("--- ") && text.contains("cannot rotate ("), emptiedNote);
        } else {
            QVERIFY(!keepsNewest);
        }
        for (int i = 1; i <= keptFiles; ++i) {
            const QFileInfo rotated(dir.filePath(QStringLiteral("w.log.%1").arg(i)));
            if (rotated.isFile())
                QVERIFY2(rotated.size() <= MaxBytes, qPrintable(rotated.fileName()));
        }
    }

    // Once the obstacle is gone, rotation works again and a later failure is reported anew.
    void recoversAndReportsTheNextFailure()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("w.log.1")));
        ProcessLog log(dir.path(), QStringLiteral("w"), MaxBytes, 1);
        const QRegularExpression blocked(QStringLiteral("w\\.log\\.1: Is a directory"));
        QTest::ignoreMessage(QtWarningMsg, blocked);
        for (int c = 0; c < 40; ++c)
            appendWithin(log, lines(c * 11, 11), 10);
        QVERIFY(!log.lastError().isEmpty());

        QVERIFY(QDir(dir.filePath(QStringLiteral("w.log.1"))).removeRecursively());
        for (int c = 40; c < 80; ++c)
            appendWithin(log, lines(c * 11, 11), 10);
        QCOMPARE(log.lastError(), QString());
        QVERIFY(QFileInfo(dir.filePath(QStringLiteral("w.log.1"))).isFile());

        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("w.log.1"))));
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("w.log.1")));
        QTest::ignoreMessage(QtWarningMsg, blocked);
        for (int c = 80; c < 120; ++c)
            appendWithin(log, lines(c * 11, 11), 10);
        QVERIFY(log.lastError().contains(QStringLiteral("Is a directory")));
    }
};

QTEST_GUILESS_MAIN(tst_ProcessLog)
#include "tst_processlog.moc"
