// `shivx backup` as real child processes: the whole cycle from the command line, kill -9 of a
// backup, a restore and a prune at arbitrary moments leaving a repository that verifies and
// takes the next run, the independent Python reference restorer (docs/backup_restore.py)
// restoring byte for byte, and the errors an operator sees.
#include "backupfixture.h"

#include <QDirIterator>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace BackupFixture;

namespace {

struct Run
{
    int code = -1;
    QString out;
    QString err;
};

bool hasFinishedPack(const QString &repo)
{
    QDirIterator it(repo + "/data", QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        if (!it.next().contains(QLatin1String("tmp-")))
            return true;
    }
    return false;
}

} // namespace

class TstBackupCommand : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_config;

    QString src() const { return m_dir.filePath("src"); }
    QString repo() const { return m_dir.filePath("repo"); }

    QProcessEnvironment env() const
    {
        QProcessEnvironment e = QProcessEnvironment::systemEnvironment();
        e.insert("SHIVX_BACKUP_PASSWORD", "s3cret phrase");
        return e;
    }

    void start(QProcess &p, const QStringList &args) const
    {
        p.setProcessEnvironment(env());
        p.start(QStringLiteral(SHIVX_CLI),
            QStringList { "backup" } + args
                + QStringList { "--config", m_config, "--data-dir", m_dir.filePath("data") });
        if (!p.waitForStarted())
            qFatal("shivx did not start");
    }

    Run shivx(const QStringList &args, int timeoutMs = 120000) const
    {
        QProcess p;
        start(p, args);
        p.waitForFinished(timeoutMs);
        return Run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1,
            QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError()) };
    }

    // Starts `args`, waits until `ready` holds (or the process ends), then kill -9.
    bool killWhen(const QStringList &args, const std::function<bool()> &ready, int extraMs = 0)
    {
        QProcess p;
        start(p, args);
        QElapsedTimer t;
        t.start();
        while (!ready() && p.state() == QProcess::Running && t.elapsed() < 60000)
            QTest::qWait(5);
        if (extraMs)
            QTest::qWait(extraMs);
        const bool killedRunning = p.state() == QProcess::Running;
        if (killedRunning)
            ::kill(pid_t(p.processId()), SIGKILL);
        p.waitForFinished(10000);
        return killedRunning;
    }

    void verifyOk(const char *when)
    {
        const Run v = shivx({ "verify" });
        QVERIFY2(v.code == 0,
            qPrintable(QStringLiteral("%1: %2 %3").arg(QLatin1String(when), v.out, v.err)));
        QVERIFY(v.out.contains(QLatin1String("ok: ")));
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_config = m_dir.filePath("shivx.yaml");
        writeFile(m_config,
            QStringLiteral("backup:\n  repository: %1\n  sets:\n    main:\n      paths: [%2]\n"
                           "      exclude: [\"*.skip\"]\n")
                .arg(repo(), src())
                .toUtf8());
        makeTree(src());
        writeFile(src() + "/ignored.skip", "not backed up");
        // Big enough that the first backup runs for a while: 48 MiB in 24 incompressible files.
        for (int i = 0; i < 24; ++i)
            writeFile(
                src() + QStringLiteral("/bulk/file%1.bin").arg(i), randomBytes(2 << 20, 50 + i));
        const Run init = shivx({ "init" });
        QVERIFY2(init.code == 0, qPrintable(init.err));
        QVERIFY(init.out.contains(QLatin1String("created repository")));
    }

    void errorsAreClear()
    {
        QProcess p;
        QProcessEnvironment e = env();
        e.insert("SHIVX_BACKUP_PASSWORD", "wrong");
        p.setProcessEnvironment(e);
        p.start(QStringLiteral(SHIVX_CLI), { "backup", "list", "--repo", repo() });
        p.waitForFinished();
        QCOMPARE(p.exitCode(), 1);
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QVERIFY2(err.contains(QLatin1String("wrong passphrase")), qPrintable(err));

        e.remove("SHIVX_BACKUP_PASSWORD");
        p.setProcessEnvironment(e);
        p.start(QStringLiteral(SHIVX_CLI), { "backup", "list", "--repo", repo() });
        p.waitForFinished();
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(QString::fromUtf8(p.readAllStandardError())
                    .contains(QLatin1String("SHIVX_BACKUP_PASSWORD")));

        const Run noSet = shivx({ "run", "nope" });
        QCOMPARE(noSet.code, 2);
        QVERIFY(noSet.err.contains(QLatin1String("no backup set nope")));
        const Run badType = shivx({ "run", "main", "--type", "weekly" });
        QCOMPARE(badType.code, 2);
        const Run password = shivx({ "list", "--password", "x" });
        QCOMPARE(password.code, 2); // there is no such option: never on the command line
    }

    void killedBackupLeavesAConsistentRepository()
    {
        const bool killed = killWhen({ "run", "main" }, [&] { return hasFinishedPack(repo()); });
        QVERIFY2(killed, "the backup finished before it could be killed");
        const Run list = shivx({ "list" });
        QCOMPARE(list.code, 0);
        QVERIFY(list.out.contains(QLatin1String("no snapshots")));
        verifyOk("after kill -9 of a backup");
        const Run run = shivx({ "run", "main" });
        QVERIFY2(run.code == 0, qPrintable(run.err));
        verifyOk("after the next backup");
        const Run restore = shivx({ "restore", "latest", "--target", m_dir.filePath("r1") });
        QVERIFY2(restore.code == 0, qPrintable(restore.err));
        QFile::remove(src() + "/ignored.skip");
        QString why;
        QVERIFY2(sameTree(src(), m_dir.filePath("r1") + src(), &why), qPrintable(why));
        writeFile(src() + "/ignored.skip", "not backed up");
    }

    void ctrlCCancelsABackupCleanly()
    {
        const int before
            = shivx({ "list", "--format", "json" }).out.count(QLatin1String("\"tree\""));
        QProcess p;
        start(p, { "run", "main", "--type", "full" });
        QElapsedTimer t;
        t.start();
        // Wait for the lock file: the backup is under way.
        while (QDir(repo() + "/locks").isEmpty() && p.state() == QProcess::Running
            && t.elapsed() < 30000)
            QTest::qWait(2);
        QVERIFY(p.state() == QProcess::Running);
        ::kill(pid_t(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QLatin1String("cancelled")));
        QCOMPARE(
            shivx({ "list", "--format", "json" }).out.count(QLatin1String("\"tree\"")), before);
        QVERIFY(QDir(repo() + "/locks").isEmpty());
    }

    void killedRestoreIsRedone()
    {
        const QString target = m_dir.filePath("r2");
        killWhen(
            { "restore", "latest", "--target", target },
            [&] { return QFileInfo::exists(target + src() + "/bulk"); }, 30);
        const Run restore = shivx({ "restore", "latest", "--target", target });
        QVERIFY2(restore.code == 0, qPrintable(restore.err));
        QFile::remove(src() + "/ignored.skip");
        QString why;
        QVERIFY2(sameTree(src(), target + src(), &why), qPrintable(why));
        writeFile(src() + "/ignored.skip", "not backed up");
    }

    void killedPruneLeavesAConsistentRepository()
    {
        // A second snapshot without half the bulk, so that prune has data to delete.
        for (int i = 0; i < 12; ++i)
            QFile::remove(src() + QStringLiteral("/bulk/file%1.bin").arg(i));
        QVERIFY(shivx({ "run", "main" }).code == 0);
        for (int delay : { 0, 40, 120 }) {
            killWhen(
                { "prune", "--keep-last", "1" }, [] { return true; }, delay);
            verifyOk("after kill -9 of a prune");
        }
        const Run prune = shivx({ "prune", "--keep-last", "1" });
        QVERIFY2(prune.code == 0, qPrintable(prune.err));
        const Run verify = shivx({ "verify" });
        QCOMPARE(verify.code, 0);
        QVERIFY2(!verify.out.contains(QLatin1String("note:")), qPrintable(verify.out));
        const Run list = shivx({ "list", "--format", "json" });
        QCOMPARE(list.out.count(QLatin1String("\"tree\"")), 1);
    }

    void pythonReferenceRestorerMatches()
    {
        QVERIFY(shivx({ "run", "main", "--type", "full" }).code == 0);
        QProcess py;
        py.setProcessEnvironment(env());
        py.start("python3",
            { QStringLiteral(SHIVX_SOURCE_DIR "/docs/backup_restore.py"), repo(), "latest",
                m_dir.filePath("py") });
        QVERIFY(py.waitForFinished(120000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        QFile::remove(src() + "/ignored.skip");
        QString why;
        QVERIFY2(sameTree(src(), m_dir.filePath("py") + src(), &why), qPrintable(why));
        writeFile(src() + "/ignored.skip", "not backed up");
    }

    void dryRunAndPointInTime()
    {
        writeFile(src() + "/docs/text.txt", "rewritten\n");
        const Run dry = shivx({ "restore", "--at", "now", "--path", src() + "/docs", "--dry-run" });
        QVERIFY2(dry.code == 0, qPrintable(dry.err));
        QVERIFY2(dry.out.contains(QStringLiteral("update file    ") + src() + "/docs/text.txt"),
            qPrintable(dry.out));
        QVERIFY(dry.out.contains(QLatin1String("nothing was written")));
        const Run old = shivx({ "restore", "--at", "2000-01-01T00:00:00Z", "--dry-run" });
        QCOMPARE(old.code, 1);
        QVERIFY(old.err.contains(QLatin1String("no snapshot")));
    }

    void keyRotationFromTheCommandLine()
    {
        writeFile(m_dir.filePath("newpw"), "another phrase\n");
        const Run add = shivx(
            { "key", "add", "--new-password-file", m_dir.filePath("newpw"), "--label", "second" });
        QVERIFY2(add.code == 0, qPrintable(add.err));
        const Run list = shivx({ "key", "list" });
        QCOMPARE(list.out.count(QLatin1String("passphrase")), 2);
        const Run withNew = shivx({ "list", "--password-file", m_dir.filePath("newpw") });
        QCOMPARE(withNew.code, 0);
    }
};

QTEST_GUILESS_MAIN(TstBackupCommand)
#include "tst_backupcommand.moc"
