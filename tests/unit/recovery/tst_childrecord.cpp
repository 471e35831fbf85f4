// The record a supervised run leaves in DATA_DIR/processes/NAME.run: written and read back,
// and proving a process ours only while pid, start time, boot and process group all match,
// against real processes.
#include "recovery/childrecord.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace Shivx;

namespace {

// A child in its own session and process group, as the supervisor starts them.
void startInOwnGroup(QProcess &p)
{
    p.setChildProcessModifier([] { ::setsid(); });
    p.start(QStringLiteral("sleep"), { QStringLiteral("30") });
}

} // namespace

class tst_ChildRecord : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripAndPidFileLine()
    {
        QProcess child;
        startInOwnGroup(child);
        QVERIFY(child.waitForStarted());
        const qint64 pid = child.processId();
        const auto record = ChildRecord::ofChild(QStringLiteral("worker"), pid, 2500,
            QStringLiteral("/usr/bin/sleep"), 1'700'000'000'000);
        QVERIFY2(record, qPrintable(record ? QString() : record.error().message));
        QCOMPARE(record->pgid, pid);
        QVERIFY(record->startTicks > 0);
        QVERIFY(!record->bootId.isEmpty());
        QVERIFY(record->isRunning());

        const QString dir = m_dir.filePath(QStringLiteral("roundtrip"));
        QVERIFY(record->save(dir));
        QCOMPARE(
            ChildRecord::path(dir, QStringLiteral("worker")), dir + QStringLiteral("/worker.run"));
        QFile file(ChildRecord::path(dir, QStringLiteral("worker")));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readLine(), "pid " + QByteArray::number(pid) + '\n');
        QCOMPARE(ChildRecord::namesIn(dir), QStringList { QStringLiteral("worker") });

        const auto loaded = ChildRecord::load(dir, QStringLiteral("worker"));
        QVERIFY(loaded);
        QCOMPARE(loaded->name, QStringLiteral("worker"));
        QCOMPARE(loaded->pid, pid);
        QCOMPARE(loaded->pgid, record->pgid);
        QCOMPARE(loaded->startTicks, record->startTicks);
        QCOMPARE(loaded->bootId, record->bootId);
        QCOMPARE(loaded->stopTimeoutMs, qint64(2500));
        QCOMPARE(loaded->startedAtMs, qint64(1'700'000'000'000));
        QCOMPARE(loaded->command, QStringLiteral("/usr/bin/sleep"));
        QVERIFY(loaded->isRunning());

        child.kill();
        QVERIFY(child.waitForFinished());
        QCOMPARE(loaded->whyNotRunning(), QStringLiteral("pid %1 is gone").arg(pid));
        ChildRecord::remove(dir, QStringLiteral("worker"));
        QCOMPARE(ChildRecord::namesIn(dir), QStringList());
    }

    void provesOnlyAnExactMatch_data()
    {
        QTest::addColumn<QString>("change");
        QTest::addColumn<QString>("reason");
        QTest::newRow("same process -> ours") << QString() << QString();
        QTest::newRow("pid reused (other start time) -> not ours")
            << "startTicks"
            << "started at a different time (another process has the pid now)";
        QTest::newRow("recorded in an earlier boot -> not ours")
            << "bootId"
            << "was recorded before the machine restarted";
        QTest::newRow("other process group -> not ours") << "pgid"
                                                         << "is in process group";
    }

    void provesOnlyAnExactMatch()
    {
        QFETCH(QString, change);
        QFETCH(QString, reason);
        QProcess child;
        startInOwnGroup(child);
        QVERIFY(child.waitForStarted());
        auto record = ChildRecord::ofChild(QStringLiteral("x"), child.processId(), 1000, {}, 0);
        QVERIFY(record);
        if (change == QLatin1String("startTicks"))
            record->startTicks += 1;
        else if (change == QLatin1String("bootId"))
            record->bootId = QStringLiteral("00000000-0000-0000-0000-000000000000");
        else if (change == QLatin1String("pgid"))
            record->pgid += 1;
        const QString why = record->whyNotRunning();
        if (reason.isEmpty())
            QVERIFY2(why.isEmpty(), qPrintable(why));
        else
            QVERIFY2(why.contains(reason), qPrintable(why));
        child.kill();
        child.waitForFinished();
    }

    void zombieIsNotRunning()
    {
        QProcess child;
        startInOwnGroup(child);
        QVERIFY(child.waitForStarted());
        const auto record
            = ChildRecord::ofChild(QStringLiteral("z"), child.processId(), 1000, {}, 0);
        QVERIFY(record);
        // SIGKILL without reaping: the process stays a zombie until Qt collects it.
        ::kill(pid_t(child.processId()), SIGKILL);
        QTRY_VERIFY(!record->isRunning());
        child.waitForFinished();
    }

    void badRecordsAreRefused_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("a plain pid file") << QByteArray("4242\n");
        QTest::newRow("no pid") << QByteArray("pgid 4242\nstart_ticks 10\nboot_id b\n");
        QTest::newRow("no start time") << QByteArray("pid 4242\npgid 4242\nboot_id b\n");
        QTest::newRow("no boot id") << QByteArray("pid 4242\npgid 4242\nstart_ticks 10\n");
        QTest::newRow("garbage") << QByteArray("\x01\x02 pgid\n\n nonsense");
    }

    void badRecordsAreRefused()
    {
        QFETCH(QByteArray, text);
        const QString dir = m_dir.filePath(QStringLiteral("bad"));
        QVERIFY(QDir().mkpath(dir));
        QFile f(ChildRecord::path(dir, QStringLiteral("bad")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(text);
        f.close();
        const auto r = ChildRecord::load(dir, QStringLiteral("bad"));
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("recovery.child_record"));
        QVERIFY2(r.error().message.contains(QStringLiteral("bad.run: not a supervisor record")),
            qPrintable(r.error().message));
    }

    void goneProcessHasNoRecord()
    {
        const auto r = ChildRecord::ofChild(QStringLiteral("gone"), 999'999'999, 1000, {}, 0);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("recovery.child_record"));
    }
};

QTEST_GUILESS_MAIN(tst_ChildRecord)
#include "tst_childrecord.moc"
