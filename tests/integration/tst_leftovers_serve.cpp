// Supervised processes outlive an engine killed with -9 (they have their own session). The
// next `shivx serve` on the same data directory finds them by their records and stops them
// before starting anything, so exactly one copy of each runs; a leftover of a process no
// longer configured is stopped too; and a record whose pid now belongs to another process
// (its start time differs) leaves that process alone.
#include "recovery/childrecord.h"
#include "servefixture.h"
#include "supervisorfixture.h"

#include <QDir>
#include <QJsonArray>
#include <QTest>

#include <csignal>
#include <unistd.h>

using namespace ShivxTest;

namespace {

// Live processes whose command line contains `marker` (zombies are not alive).
QList<qint64> processesWithArgument(const QString &marker)
{
    QList<qint64> pids;
    const QByteArray needle = marker.toLocal8Bit();
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid || pid == ::getpid())
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().split('\0').contains(needle)
            && isAlive(pid))
            pids.append(pid);
    }
    return pids;
}

// The pid of the run recorded in DATA_DIR/processes/NAME.run, or 0 when there is none.
qint64 recordedPid(ServeProcess &serve, const QString &name)
{
    const auto record
        = Shivx::ChildRecord::load(serve.dataDir() + QStringLiteral("/processes"), name);
    return record ? record->pid : 0;
}

QString targetYaml(const QString &name, const QString &pidFile, const QString &extraArgs,
    const QString &stopTimeout)
{
    return QStringLiteral(R"(  - name: %1
    type: process
    pid_file: %2
    interval: 500ms
    supervise:
      command: %3
      args: [--pidfile, %2%4, --hang]
      stop_timeout: %5
      backoff: {initial: 100ms, max: 1s}
    startup_grace: 1s
)")
        .arg(name, pidFile, ChildProgram, extraArgs, stopTimeout);
}

} // namespace

class tst_LeftoversServe : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString pidFile(const QString &name) const
    {
        return m_dir.filePath(name + QStringLiteral(".pid"));
    }
    static QJsonObject process(ServeProcess &serve, const QString &name)
    {
        const QJsonArray list
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/processes"))))
                  .json.value(QStringLiteral("processes"))
                  .toArray();
        for (const QJsonValue &v : list) {
            if (v.toObject().value(QStringLiteral("name")).toString() == name)
                return v.toObject();
        }
        return {};
    }
    static qint64 runningPid(ServeProcess &serve, const QString &name)
    {
        const QJsonObject p = process(serve, name);
        return p.value(QStringLiteral("state")).toString() == QLatin1String("running")
            ? p.value(QStringLiteral("pid")).toInteger()
            : 0;
    }
    static QByteArray auditTail(ServeProcess &serve)
    {
        return runCli(
            { QStringLiteral("audit"), QStringLiteral("tail"), QStringLiteral("-n"),
                QStringLiteral("1000"), QStringLiteral("--stream"), QStringLiteral("resilience"),
                QStringLiteral("--data-dir"), serve.dataDir() })
            .out;
    }
    static void writeConfig(ServeProcess &serve, const QString &yaml)
    {
        QFile f(serve.configPath());
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write(yaml.toUtf8());
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Whatever a failed test left: every helper started with one of our pid files.
    void cleanup()
    {
        for (const QString &name : { QStringLiteral("worker"), QStringLiteral("extra") }) {
            for (qint64 pid : processesWithArgument(pidFile(name)))
                ::kill(pid_t(pid), SIGKILL);
        }
    }

    void killDashNineThenStartRunsOneCopy()
    {
        const QString worker = pidFile(QStringLiteral("worker"));
        const QString extra = pidFile(QStringLiteral("extra"));
        ServeProcess serve(QStringLiteral("targets:\n")
            + targetYaml(QStringLiteral("worker"), worker, QString(), QStringLiteral("3s"))
            // One that ignores SIGTERM: stopping it as a leftover takes SIGKILL.
            + targetYaml(QStringLiteral("extra"), extra, QStringLiteral(", --ignore-term"),
                QStringLiteral("1s")));
        QVERIFY2(serve.start(), serve.output().constData());
        QTRY_VERIFY(runningPid(serve, QStringLiteral("worker")) > 0);
        QTRY_VERIFY(runningPid(serve, QStringLiteral("extra")) > 0);
        const qint64 oldWorker = runningPid(serve, QStringLiteral("worker"));
        const qint64 oldExtra = runningPid(serve, QStringLiteral("extra"));
        const QString records = serve.dataDir() + QStringLiteral("/processes/");
        QCOMPARE(recordedPid(serve, QStringLiteral("worker")), oldWorker);
        QCOMPARE(recordedPid(serve, QStringLiteral("extra")), oldExtra);

        QCOMPARE(serve.terminate(SIGKILL), -2);
        // They outlive the engine: own session, and nobody stopped them.
        QTest::qWait(300);
        QCOMPARE(processesWithArgument(worker), QList<qint64> { oldWorker });
        QCOMPARE(processesWithArgument(extra), QList<qint64> { oldExtra });

        // The next start supervises only the worker; the extra is no longer configured.
        writeConfig(serve,
            QStringLiteral("targets:\n")
                + targetYaml(QStringLiteral("worker"), worker, QString(), QStringLiteral("3s")));
        QVERIFY2(serve.start(), serve.output().constData());
        QTRY_VERIFY(runningPid(serve, QStringLiteral("worker")) > 0);
        const qint64 newWorker = runningPid(serve, QStringLiteral("worker"));
        QVERIFY(newWorker != oldWorker);
        QVERIFY(!isAlive(oldWorker));
        QCOMPARE(processesWithArgument(worker), QList<qint64> { newWorker });
        QCOMPARE(recordedPid(serve, QStringLiteral("worker")), newWorker);
        // The extra took SIGKILL after its 1 s stop timeout and has no copy any more.
        QTRY_VERIFY(!isAlive(oldExtra));
        QTRY_COMPARE(processesWithArgument(extra), QList<qint64>());
        QTRY_VERIFY(!QFile::exists(records + QStringLiteral("extra.run")));

        QByteArray audit;
        QTRY_VERIFY((audit = auditTail(serve)).count("process.leftover_stopped") == 2);
        QVERIFY2(audit.contains(QStringLiteral("\"killed\":false,\"pid\":%1,\"process\":\"worker\"")
                                    .arg(oldWorker)
                                    .toUtf8()),
            audit.constData());
        QVERIFY2(audit.contains(QStringLiteral("\"killed\":true,\"pid\":%1,\"process\":\"extra\"")
                                    .arg(oldExtra)
                                    .toUtf8()),
            audit.constData());
        // The leftover was stopped before the new run started.
        QVERIFY(audit.indexOf("process.leftover_stopped")
            < audit.lastIndexOf(QStringLiteral("\"pid\":%1,\"process\":\"worker\",\"restarts\":0")
                                    .arg(newWorker)
                                    .toUtf8()));
        QVERIFY(QFile(serve.dataDir() + QStringLiteral("/processes/worker.log"))
                    .open(QIODevice::ReadOnly));

        // A clean stop leaves neither a process nor a record.
        QCOMPARE(serve.terminate(), 0);
        QTRY_COMPARE(processesWithArgument(worker), QList<qint64>());
        QVERIFY(!QFile::exists(records + QStringLiteral("worker.run")));
    }

    // The pid in a record belongs to another process now (same pid, different start time):
    // not ours, so it is not touched, and the record goes.
    void pidReusedByAnotherProcessIsLeftAlone()
    {
        const QString worker = pidFile(QStringLiteral("worker"));
        ServeProcess serve(QStringLiteral("targets:\n")
            + targetYaml(QStringLiteral("worker"), worker, QString(), QStringLiteral("3s")));

        // An unrelated process, in its own group like our runs, with the pid of the record.
        QProcess stranger;
        stranger.setChildProcessModifier([] { ::setsid(); });
        stranger.start(QStringLiteral("sleep"), { QStringLiteral("60") });
        QVERIFY(stranger.waitForStarted());
        const qint64 pid = stranger.processId();
        const QList<QByteArray> stat = procStatFields(pid);
        QVERIFY(stat.size() > 19);
        QFile bootId(QStringLiteral("/proc/sys/kernel/random/boot_id"));
        QVERIFY(bootId.open(QIODevice::ReadOnly));
        const QString records = serve.dataDir() + QStringLiteral("/processes");
        QVERIFY(QDir().mkpath(records));
        {
            QFile record(records + QStringLiteral("/worker.run"));
            QVERIFY(record.open(QIODevice::WriteOnly));
            record.write("pid " + QByteArray::number(pid) + "\npgid " + QByteArray::number(pid)
                + "\nstart_ticks " + QByteArray::number(stat.at(19).toULongLong() - 1)
                + "\nboot_id " + bootId.readAll().trimmed()
                + "\nstop_timeout_ms 1000\nstarted_at_ms 0\ncommand " + ChildProgram.toUtf8()
                + "\n");
        }

        QVERIFY2(serve.start(), serve.output().constData());
        QTRY_VERIFY(runningPid(serve, QStringLiteral("worker")) > 0);
        const qint64 workerPid = runningPid(serve, QStringLiteral("worker"));
        QTest::qWait(500);
        QVERIFY(isAlive(pid));
        QCOMPARE(stranger.state(), QProcess::Running);
        QCOMPARE(recordedPid(serve, QStringLiteral("worker")), workerPid);
        QVERIFY(!auditTail(serve).contains("process.leftover_stopped"));
        QCOMPARE(serve.terminate(), 0);
        stranger.kill();
        stranger.waitForFinished();
    }
};

QTEST_GUILESS_MAIN(tst_LeftoversServe)
#include "tst_leftovers_serve.moc"
