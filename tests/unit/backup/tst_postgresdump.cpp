// PostgreSQL sources against a real server (PostgresServer: initdb into a temporary directory):
// pg_dump -Fc streamed into the repository and deduplicated across backups, restored as a file
// (also by the Python reference restorer) that pg_restore loads into a fresh database with the
// same rows, and streamed straight into pg_restore (`--pg-restore-into`); a wrong database is a
// clear error that leaves no snapshot, cancel leaves no pg_dump behind, and the configuration
// refuses what it must (passwords above all) at FILE:LINE.
#include "backup/backupjob.h"
#include "backup/postgresdump.h"
#include "backup/restorejob.h"
#include "backup/verifier.h"
#include "backupfixture.h"
#include "core/config.h"
#include "postgresserver.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/stat.h>
#include <unistd.h>

using namespace Shivx;
using namespace Shivx::Backup;
using namespace BackupFixture;
using ShivxTest::PostgresServer;

namespace {

// The children of this process whose command is `comm` (from /proc/PID/stat).
QList<pid_t> childrenNamed(const QByteArray &comm)
{
    QList<pid_t> found;
    const QStringList pids = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &p : pids) {
        bool ok = false;
        const pid_t pid = pid_t(p.toInt(&ok));
        if (!ok)
            continue;
        QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray stat = f.readAll();
        const int open = stat.indexOf('(');
        const int close = stat.lastIndexOf(')');
        if (open < 0 || close < open)
            continue;
        const QList<QByteArray> rest = stat.mid(close + 2).split(' ');
        if (stat.mid(open + 1, close - open - 1) == comm && rest.size() > 1
            && rest[1].toInt() == ::getpid())
            found << pid;
    }
    return found;
}

} // namespace

class TstPostgresDump : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<PostgresServer> m_server;

    PostgresSourceSpec source(const QString &database) const
    {
        PostgresSourceSpec pg;
        pg.database = database;
        pg.host = m_server->socketDir();
        pg.user = m_server->user();
        return pg;
    }

    QString psql(const QString &sql, const QString &database = QString())
    {
        const QString out = m_server->psql(sql, database);
        if (out.isNull())
            qWarning("psql: %s", qPrintable(m_server->errorString()));
        return out.trimmed();
    }

    bool exec(const QString &sql, const QString &database = QString())
    {
        const bool ok = !m_server->psql(sql, database).isNull();
        if (!ok)
            qWarning("psql: %s", qPrintable(m_server->errorString()));
        return ok;
    }

    // Every row of `items` in one digest, so that two databases compare in one value.
    QString rowsDigest(const QString &database)
    {
        return psql(QStringLiteral("SELECT count(*) || ' ' || md5(string_agg(id || ':' || name || "
                                   "':' || payload, ',' ORDER BY id)) FROM items"),
            database);
    }

    int snapshotCount(const Repository &repo)
    {
        const auto all = repo.snapshots();
        return all ? int(all->size()) : -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (PostgresServer::binDir().isEmpty())
            QSKIP(qPrintable(PostgresServer::skipMessage()));
        QVERIFY(m_dir.isValid());
        m_server = std::make_unique<PostgresServer>();
        QVERIFY2(m_server->start(QStringLiteral("app")), qPrintable(m_server->errorString()));
        // About 6 MB of rows: enough chunks that deduplication shows.
        QVERIFY(
            exec(QStringLiteral("CREATE TABLE items(id int PRIMARY KEY, name text, payload text); "
                                "INSERT INTO items SELECT i, 'item ' || i, repeat(md5(i::text), 3) "
                                "FROM generate_series(1, 50000) i")));
    }

    void configuration_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected"); // empty: loads
        const QByteArray head = "backup:\n  sets:\n    db:\n";
        QTest::newRow("a name, libpq's defaults") << head + "      postgresql: [app]\n"
                                                  << QString();
        QTest::newRow("every key") << head
                + "      postgresql:\n        - {database: app, host: /run/postgresql, port: "
                  "5433, user: backup, passfile: /etc/shivx/pgpass, name: main, pg_dump: "
                  "/usr/lib/postgresql/15/bin/pg_dump, lock_wait_timeout: 30s}\n"
                                   << QString();
        QTest::newRow("lock wait under a second")
            << head + "      postgresql:\n        - {database: app, lock_wait_timeout: 10ms}\n"
            << "bad.yaml:5: backup.sets.db.postgresql[0].lock_wait_timeout: must be at least 1s";
        QTest::newRow("lock wait beyond PostgreSQL's")
            << head + "      postgresql:\n        - {database: app, lock_wait_timeout: 30d}\n"
            << "bad.yaml:5: backup.sets.db.postgresql[0].lock_wait_timeout: 30d is longer than";
        QTest::newRow("a password is refused")
            << head + "      postgresql:\n        - database: app\n          password: hunter2\n"
            << "bad.yaml:6: backup.sets.db.postgresql[0].password: a password never goes in the "
               "configuration";
        QTest::newRow("port out of range")
            << head + "      postgresql:\n        - {database: app, port: 70000}\n"
            << "bad.yaml:5: backup.sets.db.postgresql[0].port: 70000 is out of range";
        QTest::newRow("no database") << head + "      postgresql:\n        - {host: db1}\n"
                                     << "bad.yaml:5: backup.sets.db.postgresql[0].database: name "
                                        "the database";
        QTest::newRow("relative socket directory")
            << head + "      postgresql:\n        - {database: app, host: run/pg}\n"
            << "postgresql[0].host: run/pg: a socket directory must be an absolute path";
        QTest::newRow("relative passfile")
            << head + "      postgresql:\n        - {database: app, passfile: pgpass}\n"
            << "postgresql[0].passfile: pgpass is not an absolute path";
        QTest::newRow("unknown key")
            << head + "      postgresql:\n        - {database: app, sslmode: require}\n"
            << "bad.yaml:5: backup.sets.db.postgresql[0].sslmode: unknown "
               "key";
        QTest::newRow("a database name that is no file name")
            << head + "      postgresql: [\"a/b\"]\n"
            << "bad.yaml:4: backup.sets.db.postgresql[0].database: a/b cannot be a file name";
        QTest::newRow("two dumps of one name")
            << head
                + "      postgresql:\n        - {database: app, host: db1}\n"
                  "        - {database: app, host: db2}\n"
            << "bad.yaml:6: backup.sets.db.postgresql[1]: a second dump named app";
        QTest::newRow("continuous")
            << head + "      postgresql: [app]\n      schedule: continuous\n"
            << "bad.yaml:5: backup.sets.db.schedule: continuous mode "
               "watches files";
        QTest::newRow("a path where the dumps go")
            << head + "      paths: [/postgresql/x]\n      postgresql: [app]\n"
            << "bad.yaml:4: backup.sets.db: /postgresql/x: /postgresql is where";
        QTest::newRow("not a list") << head + "      postgresql: app\n"
                                    << "bad.yaml:4: backup.sets.db.postgresql: expected a list";
    }
    void configuration()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const auto c = ConfigLoader::parse(yaml, QStringLiteral("bad.yaml"));
        if (expected.isEmpty()) {
            QVERIFY2(c.ok(), qPrintable(c.ok() ? QString() : c.error().message));
            const BackupSetSpec *set = c->section<BackupConfig>().set(QStringLiteral("db"));
            QVERIFY(set);
            QCOMPARE(set->postgresql.size(), 1);
            QVERIFY(set->postgresql.first().entryPath().startsWith(QLatin1String("/postgresql/")));
            return;
        }
        QVERIFY(!c.ok());
        QVERIFY2(c.error().message.contains(expected), qPrintable(c.error().message));
    }

    void connectionStringQuotesEveryValue()
    {
        PostgresSourceSpec pg;
        pg.database = QStringLiteral("ignored");
        pg.host = QStringLiteral("/run/post gresql");
        pg.port = 5433;
        pg.user = QStringLiteral("o'brien");
        const QString conn = pg.connectionString(QStringLiteral("x' host='evil"));
        QCOMPARE(conn,
            QStringLiteral("dbname='x\\' host=\\'evil' host='/run/post gresql' port='5433' "
                           "user='o\\'brien'"));
        pg.pgDump = QStringLiteral("/usr/lib/postgresql/15/bin/pg_dump");
        QCOMPARE(pg.pgRestore(), QStringLiteral("/usr/lib/postgresql/15/bin/pg_restore"));
        QCOMPARE(PostgresSourceSpec().pgRestore(), QStringLiteral("pg_restore"));
    }

    // Back up, change rows, back up again (the second stores little), restore each snapshot's
    // dump as a file and load it with pg_restore into a fresh database: the same rows.
    void backupDeduplicatesAndRestores()
    {
        auto repo = createRepo(m_dir.filePath("repo"));
        BackupSetSpec set;
        set.name = QStringLiteral("pg");
        set.postgresql = { source(QStringLiteral("app")) };
        const QString before = rowsDigest(QStringLiteral("app"));
        const auto first = runBackup(*repo, set, BackupOptions());
        QVERIFY2(first, first ? "" : qPrintable(first.error().message));
        QCOMPARE(first->files, 1u);
        QVERIFY2(first->bytes > 4'000'000, qPrintable(QString::number(first->bytes)));
        QCOMPARE(first->readBytes, first->bytes);

        QVERIFY(exec(QStringLiteral("UPDATE items SET name = 'changed ' || id WHERE id % 5000 = 0; "
                                    "DELETE FROM items WHERE id BETWEEN 20000 AND 20010; "
                                    "INSERT INTO items VALUES (60000, 'new', 'row')")));
        const QString after = rowsDigest(QStringLiteral("app"));
        QVERIFY(after != before);
        const auto second = runBackup(*repo, set, BackupOptions());
        QVERIFY2(second, second ? "" : qPrintable(second.error().message));
        QCOMPARE(second->readBytes, second->bytes); // a dump is always read whole
        qInfo("dump %llu bytes; second backup: %llu new", qulonglong(second->bytes),
            qulonglong(second->newBytes));
        // Deduplication: the unchanged rows' chunks are in the repository already.
        QVERIFY2(second->newBytes * 5 < second->bytes,
            qPrintable(QStringLiteral("new %1 of %2").arg(second->newBytes).arg(second->bytes)));

        const auto snap = repo->readSnapshot(second->snapshot);
        QVERIFY(snap);
        QCOMPARE(snap->paths, QStringList { QStringLiteral("/postgresql/app.dump") });
        const auto dumps = postgresDumps(*repo, *snap);
        QVERIFY(dumps);
        QCOMPARE(*dumps, QStringList { QStringLiteral("/postgresql/app.dump") });

        // The first snapshot as a file, loaded by pg_restore.
        RestoreOptions o;
        o.target = m_dir.filePath("r1");
        const auto firstSnap = repo->readSnapshot(first->snapshot);
        QVERIFY(firstSnap);
        const auto restored = runRestore(*repo, *firstSnap, o);
        QVERIFY2(restored, restored ? "" : qPrintable(restored.error().message));
        const QString file = m_dir.filePath("r1/postgresql/app.dump");
        QCOMPARE(QFileInfo(file).size(), qint64(first->bytes));
        struct stat st;
        QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
        QCOMPARE(st.st_mode & 07777, 0600u);
        QVERIFY(exec(QStringLiteral("CREATE DATABASE fresh1")));
        QProcess pgRestore;
        pgRestore.start(PostgresServer::binDir() + QStringLiteral("/pg_restore"),
            { QStringLiteral("-h"), m_server->socketDir(), QStringLiteral("-U"), m_server->user(),
                QStringLiteral("-d"), QStringLiteral("fresh1"), QStringLiteral("--exit-on-error"),
                file });
        QVERIFY(pgRestore.waitForFinished(120'000));
        QVERIFY2(pgRestore.exitCode() == 0, pgRestore.readAllStandardError().constData());
        QCOMPARE(rowsDigest(QStringLiteral("fresh1")), before);

        // The second straight from the repository into pg_restore.
        QVERIFY(exec(QStringLiteral("CREATE DATABASE fresh2")));
        const auto streamed
            = restoreIntoPostgres(*repo, *snap, QStringLiteral("/postgresql/app.dump"),
                source(QStringLiteral("app")), QStringLiteral("fresh2"), Control());
        QVERIFY2(streamed, streamed ? "" : qPrintable(streamed.error().message));
        QCOMPARE(streamed->bytes, second->bytes);
        QCOMPARE(rowsDigest(QStringLiteral("fresh2")), after);

        // Into a database that has the rows already: pg_restore fails on its first statement
        // and its one transaction leaves the database as it was.
        const auto again = restoreIntoPostgres(*repo, *snap, QStringLiteral("/postgresql/app.dump"),
            source(QStringLiteral("app")), QStringLiteral("fresh2"), Control());
        QVERIFY(!again);
        QCOMPARE(again.error().code, QStringLiteral("backup.postgresql"));
        QVERIFY2(again.error().message.contains(QLatin1String("already exists")),
            qPrintable(again.error().message));
        QCOMPARE(rowsDigest(QStringLiteral("fresh2")), after);
    }

    void wrongDatabaseIsAClearErrorAndNoSnapshot()
    {
        auto repo = createRepo(m_dir.filePath("repo-wrong"));
        BackupSetSpec set;
        set.name = QStringLiteral("pg");
        set.postgresql = { source(QStringLiteral("app")) };
        QVERIFY(runBackup(*repo, set, BackupOptions()));
        set.postgresql = { source(QStringLiteral("nosuchdb")) };
        const auto r = runBackup(*repo, set, BackupOptions());
        QVERIFY(!r);
        qInfo("%s", qPrintable(r.error().message));
        QCOMPARE(r.error().code, QStringLiteral("backup.postgresql"));
        QVERIFY2(r.error().message.contains(QLatin1String("pg_dump of PostgreSQL database "
                                                          "nosuchdb"))
                && r.error().message.contains(
                    QLatin1String("database \"nosuchdb\" does not exist")),
            qPrintable(r.error().message));
        QCOMPARE(snapshotCount(*repo), 1);
        VerifyOptions v;
        const auto report = runVerify(*repo, v);
        QVERIFY(report && report->ok());

        set.postgresql = { source(QStringLiteral("app")) };
        set.postgresql.first().pgDump = m_dir.filePath("no/pg_dump");
        const auto missing = runBackup(*repo, set, BackupOptions());
        QVERIFY(!missing);
        QVERIFY2(missing.error().message.contains(QLatin1String("postgresql-client")),
            qPrintable(missing.error().message));
        QCOMPARE(snapshotCount(*repo), 1);
    }

    // A table another session keeps locked: pg_dump gives up after lock_wait_timeout, and the
    // backup fails saying so instead of hanging as long as the lock is held.
    void lockedTableFailsAfterTheLockWait()
    {
        QVERIFY(exec(QStringLiteral("CREATE DATABASE locked")));
        QVERIFY(exec(QStringLiteral("CREATE TABLE t(id int)"), QStringLiteral("locked")));
        const auto holder = m_server->psqlSession(
            QStringLiteral("BEGIN; LOCK TABLE t IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(120)"),
            QStringLiteral("locked"));
        QVERIFY(holder);
        const auto end = qScopeGuard([&holder] {
            holder->kill();
            holder->waitForFinished();
        });
        QTRY_COMPARE_WITH_TIMEOUT(psql(QStringLiteral("SELECT count(*) FROM pg_locks WHERE mode = "
                                                      "'AccessExclusiveLock' AND relation = "
                                                      "'t'::regclass"),
                                      QStringLiteral("locked")),
            QStringLiteral("1"), 10'000);
        auto repo = createRepo(m_dir.filePath("repo-locked"));
        BackupSetSpec set;
        set.name = QStringLiteral("locked");
        set.postgresql = { source(QStringLiteral("locked")) };
        set.postgresql.first().lockWaitTimeoutMs = 1000;
        QElapsedTimer took;
        took.start();
        const auto r = runBackup(*repo, set, BackupOptions());
        QVERIFY(!r);
        QVERIFY2(took.elapsed() < 60'000, qPrintable(QString::number(took.elapsed())));
        qInfo("%s", qPrintable(r.error().message));
        QCOMPARE(r.error().code, QStringLiteral("backup.postgresql"));
        QVERIFY2(r.error().message.contains(
                     QLatin1String("another session held a table locked for longer than "
                                   "lock_wait_timeout (1s)")),
            qPrintable(r.error().message));
        QCOMPARE(snapshotCount(*repo), 0);
        QVERIFY(childrenNamed("pg_dump").isEmpty());
    }

    // Cancel while pg_dump streams a larger database: the backup stops, pg_dump is killed and
    // reaped, and no snapshot appears.
    void cancelKillsPgDump()
    {
        QVERIFY(exec(QStringLiteral("CREATE DATABASE big")));
        QVERIFY(exec(QStringLiteral("CREATE TABLE t(id int, payload text); INSERT INTO t SELECT "
                                    "i, repeat(md5(i::text), 8) FROM generate_series(1, 100000) "
                                    "i"),
            QStringLiteral("big")));
        auto repo = createRepo(m_dir.filePath("repo-cancel"));
        BackupSetSpec set;
        set.name = QStringLiteral("big");
        set.postgresql = { source(QStringLiteral("big")) };
        std::atomic<bool> cancel { false };
        QList<pid_t> seen;
        BackupOptions options;
        // One slow worker behind a short queue: pg_dump is still writing when cancel comes.
        options.workers = 1;
        options.zstdLevel = 19;
        options.queueBytes = 1 << 20;
        options.control.cancel = &cancel;
        options.control.progress = [&](const Progress &p) {
            if (p.doneBytes == 0 || cancel.load())
                return;
            seen = childrenNamed("pg_dump");
            cancel = true;
        };
        const auto r = runBackup(*repo, set, options);
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.cancelled"));
        QCOMPARE(seen.size(), 1);
        QCOMPARE(::kill(seen.first(), 0), -1); // killed and reaped: not even a zombie
        QCOMPARE(errno, ESRCH);
        QVERIFY(childrenNamed("pg_dump").isEmpty());
        QCOMPARE(snapshotCount(*repo), 0);
    }

    // The command line: backup run, restore --pg-restore-into, and the Python reference
    // restorer giving the same dump file as ours.
    void commandLineAndPythonRestorer()
    {
        const QString repoPath = m_dir.filePath("repo-cli");
        const QString config = m_dir.filePath("shivx.yaml");
        writeFile(config,
            QStringLiteral("backup:\n  repository: %1\n  sets:\n    pg:\n      postgresql:\n"
                           "        - {database: app, host: %2, user: %3}\n"
                           "    wrong:\n      postgresql:\n"
                           "        - {database: nosuchdb, host: %2, user: %3}\n")
                .arg(repoPath, m_server->socketDir(), m_server->user())
                .toUtf8());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("SHIVX_BACKUP_PASSWORD"), QStringLiteral("pg phrase"));
        auto shivx = [&](const QStringList &args, QString *out = nullptr) {
            QProcess p;
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(SHIVX_CLI),
                QStringList { QStringLiteral("backup") } + args
                    + QStringList { QStringLiteral("--config"), config,
                        QStringLiteral("--data-dir"), m_dir.filePath("data") });
            p.waitForFinished(180'000);
            const QString all = QString::fromUtf8(p.readAllStandardOutput())
                + QString::fromUtf8(p.readAllStandardError());
            if (out)
                *out = all;
            if (p.exitStatus() != QProcess::NormalExit)
                return -1;
            if (p.exitCode() != 0 && !out)
                qWarning("shivx %s: %s", qPrintable(args.join(' ')), qPrintable(all));
            return p.exitCode();
        };
        QCOMPARE(shivx({ QStringLiteral("init") }), 0);
        QCOMPARE(shivx({ QStringLiteral("run"), QStringLiteral("pg") }), 0);

        QString out;
        QCOMPARE(shivx({ QStringLiteral("run"), QStringLiteral("wrong") }, &out), 1);
        QVERIFY2(
            out.contains(QLatin1String("database \"nosuchdb\" does not exist")), qPrintable(out));

        QVERIFY(exec(QStringLiteral("CREATE DATABASE fromcli")));
        QCOMPARE(shivx({ QStringLiteral("restore"), QStringLiteral("latest"),
                           QStringLiteral("--pg-restore-into"), QStringLiteral("fromcli") },
                     &out),
            0);
        QVERIFY2(out.contains(QLatin1String("into PostgreSQL database fromcli")), qPrintable(out));
        QCOMPARE(rowsDigest(QStringLiteral("fromcli")), rowsDigest(QStringLiteral("app")));
        QCOMPARE(shivx({ QStringLiteral("restore"), QStringLiteral("latest"),
                           QStringLiteral("--pg-restore-into"), QStringLiteral("absent") },
                     &out),
            1);
        QVERIFY2(
            out.contains(QLatin1String("database \"absent\" does not exist")), qPrintable(out));

        QCOMPARE(shivx({ QStringLiteral("restore"), QStringLiteral("latest"),
                     QStringLiteral("--target"), m_dir.filePath("cli-out") }),
            0);
        QProcess py;
        py.setProcessEnvironment(env);
        py.start(QStringLiteral("python3"),
            { QStringLiteral(SHIVX_SOURCE_DIR "/docs/backup_restore.py"), repoPath,
                QStringLiteral("latest"), m_dir.filePath("py-out") });
        QVERIFY(py.waitForFinished(120'000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        QFile ours(m_dir.filePath("cli-out/postgresql/app.dump"));
        QFile theirs(m_dir.filePath("py-out/postgresql/app.dump"));
        QVERIFY(ours.open(QIODevice::ReadOnly) && theirs.open(QIODevice::ReadOnly));
        const QByteArray dump = ours.readAll();
        QVERIFY(dump.startsWith("PGDMP")); // pg_dump's custom format
        QVERIFY(dump == theirs.readAll());
    }
};

QTEST_GUILESS_MAIN(TstPostgresDump)
#include "tst_postgresdump.moc"
