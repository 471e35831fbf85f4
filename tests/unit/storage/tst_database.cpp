#include "storage/database.h"
#include "storage/migrations.h"

#include <QFile>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

Q_DECLARE_METATYPE(Shivx::Internal::Migration)

using namespace Shivx;

class tst_Database : public QObject
{
    Q_OBJECT

private slots:
    void freshDatabaseIsMigrated();
    void pragmasAreApplied();
    void reopenKeepsData();
    void secondConnectionKeepsTheFirstOnesWal();
    void newerSchemaIsRefused();
    void garbageFileIsRefusedAndUntouched_data();
    void garbageFileIsRefusedAndUntouched();
    void foreignSqliteDatabaseIsRefused();
    void connectionNameInUse();
    void transactionRollsBackUnlessCommitted();
    void everyModulesStepsFormOneSchema();
    void migrationListsAreChecked_data();
    void migrationListsAreChecked();

private:
    static QStringList tables(QSqlDatabase &db)
    {
        QStringList out;
        QSqlQuery q(db);
        q.exec(QStringLiteral("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"));
        while (q.next())
            out << q.value(0).toString();
        return out;
    }
    static QVariant scalar(QSqlDatabase &db, const QString &sql)
    {
        QSqlQuery q(db);
        if (!q.exec(sql) || !q.next())
            return {};
        return q.value(0);
    }
};

void tst_Database::freshDatabaseIsMigrated()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shivx.db"));
    {
        auto db = Database::open(path, QStringLiteral("fresh"));
        QVERIFY2(db.ok(), qPrintable(db.ok() ? QString() : db.error().toString()));
        const auto version = Database::schemaVersion(*db);
        QVERIFY(version.ok());
        QCOMPARE(*version, Internal::latestSchemaVersion());
        QVERIFY(Internal::latestSchemaVersion() >= 1);
        const QStringList t = tables(*db);
        for (const char *name :
            { "series", "history_raw", "history_block", "history_1m", "history_1h" })
            QVERIFY2(t.contains(QLatin1String(name)), name);
    }
    Database::close(QStringLiteral("fresh"));
    QVERIFY(QFile::exists(path));
}

void tst_Database::pragmasAreApplied()
{
    QTemporaryDir dir;
    {
        auto db = Database::open(dir.filePath(QStringLiteral("p.db")), QStringLiteral("p"));
        QVERIFY(db.ok());
        QCOMPARE(
            scalar(*db, QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA synchronous")).toInt(), 1); // NORMAL
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA busy_timeout")).toInt(), 5000);
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA auto_vacuum")).toInt(), 2); // INCREMENTAL
        QCOMPARE(scalar(*db, QStringLiteral("PRAGMA application_id")).toLongLong(),
            Internal::ApplicationId);
    }
    Database::close(QStringLiteral("p"));
}

void tst_Database::reopenKeepsData()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("r.db"));
    {
        auto db = Database::open(path, QStringLiteral("r1"));
        QVERIFY(db.ok());
        QVERIFY(Database::exec(*db, QStringLiteral("INSERT INTO series (name) VALUES ('a')")).ok());
    }
    Database::close(QStringLiteral("r1"));
    {
        auto db = Database::open(path, QStringLiteral("r2"));
        QVERIFY(db.ok());
        QCOMPARE(
            scalar(*db, QStringLiteral("SELECT name FROM series")).toString(), QStringLiteral("a"));
        QCOMPARE(*Database::schemaVersion(*db), Internal::latestSchemaVersion());
    }
    Database::close(QStringLiteral("r2"));
}

// Another process (`shivx history`) opening and closing the database must not take it as
// unused while the engine has it open: a second connection in the engine (a module's store)
// once opened the file to check its header, and closing that descriptor dropped every POSIX
// lock of the process, so the other process deleted the -wal file and the engine's later
// writes went into a deleted file.
void tst_Database::secondConnectionKeepsTheFirstOnesWal()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.db"));
    auto writer = Database::open(path, QStringLiteral("w1"));
    QVERIFY(writer.ok());
    QVERIFY(Database::exec(*writer, QStringLiteral("INSERT INTO series (name) VALUES ('a')")).ok());
    QVERIFY(Database::open(path, QStringLiteral("w2")).ok());

    const auto countElsewhere = [&path]() {
        QProcess py;
        py.start(QStringLiteral("python3"),
            { QStringLiteral("-c"),
                QStringLiteral("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                               "print(c.execute('SELECT COUNT(*) FROM series').fetchone()[0]); "
                               "c.close()"),
                path });
        if (!py.waitForFinished(30'000) || py.exitCode() != 0)
            return -1;
        return py.readAllStandardOutput().trimmed().toInt();
    };
    QCOMPARE(countElsewhere(), 1);
    QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    QVERIFY(Database::exec(*writer, QStringLiteral("INSERT INTO series (name) VALUES ('b')")).ok());
    QCOMPARE(countElsewhere(), 2);
    Database::close(QStringLiteral("w2"));
    Database::close(QStringLiteral("w1"));
}

void tst_Database::newerSchemaIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("new.db"));
    const int future = Internal::latestSchemaVersion() + 7;
    {
        auto db = Database::open(path, QStringLiteral("n1"));
        QVERIFY(db.ok());
        QVERIFY(Database::exec(*db, QStringLiteral("PRAGMA user_version = %1").arg(future)).ok());
    }
    Database::close(QStringLiteral("n1"));

    const auto again = Database::open(path, QStringLiteral("n2"));
    QVERIFY(!again.ok());
    QCOMPARE(again.error().code, QStringLiteral("database.too_new"));
    QVERIFY(again.error().message.contains(path));
    QVERIFY(again.error().message.contains(QString::number(future)));
    QVERIFY(again.error().message.contains(QString::number(Internal::latestSchemaVersion())));
    // The failed open leaves no connection behind, so the name can be used again.
    QVERIFY(!QSqlDatabase::contains(QStringLiteral("n2")));
}

void tst_Database::garbageFileIsRefusedAndUntouched_data()
{
    QTest::addColumn<QByteArray>("content");
    QTest::addColumn<QString>("code");
    QTest::newRow("text file") << QByteArray("this is not a database\n").repeated(300)
                               << QStringLiteral("database.not_sqlite");
    QTest::newRow("short garbage") << QByteArray("xyz") << QStringLiteral("database.not_sqlite");
    QByteArray damaged("SQLite format 3\0", 16);
    damaged += QByteArray(8192 - 16, '\xAB'); // right magic, nonsense header and pages
    QTest::newRow("valid magic, damaged header") << damaged << QString();
}

void tst_Database::garbageFileIsRefusedAndUntouched()
{
    QFETCH(QByteArray, content);
    QFETCH(QString, code);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("shivx.db"));
    {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
    }
    const auto db = Database::open(path, QStringLiteral("garbage"));
    QVERIFY(!db.ok());
    if (!code.isEmpty())
        QCOMPARE(db.error().code, code);
    QVERIFY2(db.error().message.contains(path), qPrintable(db.error().message));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), content);
    QVERIFY(!QFile::exists(path + QStringLiteral("-wal"))
        || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
    QVERIFY(!QSqlDatabase::contains(QStringLiteral("garbage")));
}

void tst_Database::foreignSqliteDatabaseIsRefused()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("other.db"));
    {
        QSqlDatabase db
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("other"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QVERIFY(QSqlQuery(db).exec(QStringLiteral("CREATE TABLE contacts (name TEXT)")));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("other"));
    const auto db = Database::open(path, QStringLiteral("foreign"));
    QVERIFY(!db.ok());
    QCOMPARE(db.error().code, QStringLiteral("database.foreign"));
    QVERIFY(db.error().message.contains(path));
    {
        QSqlDatabase check
            = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("check"));
        check.setDatabaseName(path);
        QVERIFY(check.open());
        QCOMPARE(scalar(check, QStringLiteral("SELECT COUNT(*) FROM sqlite_schema")).toInt(), 1);
    }
    QSqlDatabase::removeDatabase(QStringLiteral("check"));
}

void tst_Database::connectionNameInUse()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.db"));
    {
        auto db = Database::open(path, QStringLiteral("c"));
        QVERIFY(db.ok());
        const auto second = Database::open(path, QStringLiteral("c"));
        QVERIFY(!second.ok());
        QCOMPARE(second.error().code, QStringLiteral("database.connection_in_use"));
        QVERIFY(db->isOpen()); // the first connection is not disturbed
    }
    Database::close(QStringLiteral("c"));
}

void tst_Database::transactionRollsBackUnlessCommitted()
{
    QTemporaryDir dir;
    {
        auto db = Database::open(dir.filePath(QStringLiteral("t.db")), QStringLiteral("t"));
        QVERIFY(db.ok());
        {
            Transaction tx(*db);
            QVERIFY(tx.begin().ok());
            QVERIFY(Database::exec(*db, QStringLiteral("INSERT INTO series (name) VALUES ('gone')"))
                        .ok());
        }
        QCOMPARE(scalar(*db, QStringLiteral("SELECT COUNT(*) FROM series")).toInt(), 0);
        {
            Transaction tx(*db);
            QVERIFY(Database::exec(*db, QStringLiteral("INSERT INTO series (name) VALUES ('kept')"))
                        .ok());
            QVERIFY(tx.commit().ok());
        }
        QCOMPARE(scalar(*db, QStringLiteral("SELECT COUNT(*) FROM series")).toInt(), 1);
    }
    Database::close(QStringLiteral("t"));
}

// The core's steps and every module's, merged, are one gapless sequence: what landed on main
// can be opened.
void tst_Database::everyModulesStepsFormOneSchema()
{
    const QList<Internal::Migration> &steps = Internal::migrations();
    const auto checked = Internal::checkMigrations(steps);
    QVERIFY2(checked.ok(), qPrintable(checked.ok() ? QString() : checked.error().message));
    QCOMPARE(steps.constLast().version, Internal::latestSchemaVersion());
    for (const Internal::Migration &m : steps)
        QVERIFY2(!m.module.isEmpty(), qPrintable(m.name));
}

void tst_Database::migrationListsAreChecked_data()
{
    using M = Internal::Migration;
    QTest::addColumn<QList<M>>("steps");
    QTest::addColumn<QString>("error"); // empty = accepted
    const M a { 1, QStringLiteral("history"), {}, QStringLiteral("core") };
    const M b { 2, QStringLiteral("baseline"), {}, QStringLiteral("guardian") };
    const M b2 { 2, QStringLiteral("jobs"), {}, QStringLiteral("pipelines") };
    const M c { 3, QStringLiteral("jobs"), {}, QStringLiteral("pipelines") };
    QTest::newRow("1, 2, 3") << QList<M> { a, b, c } << QString();
    QTest::newRow("two modules claim 2")
        << QList<M> { a, b, b2 }
        << QStringLiteral("schema version 2 is claimed twice: \"baseline\" (guardian) and "
                          "\"jobs\" (pipelines)");
    QTest::newRow("2 missing") << QList<M> { a, c }
                               << QStringLiteral("version 2 is missing before \"jobs\" "
                                                 "(pipelines, version 3)");
    QTest::newRow("not from 1") << QList<M> { b } << QStringLiteral("version 1 is missing");
}

void tst_Database::migrationListsAreChecked()
{
    QFETCH(QList<Internal::Migration>, steps);
    QFETCH(QString, error);
    const auto r = Internal::checkMigrations(steps);
    if (error.isEmpty()) {
        QVERIFY(r.ok());
        return;
    }
    QVERIFY(!r.ok());
    QCOMPARE(r.error().code, QStringLiteral("database.bad_migrations"));
    QVERIFY2(r.error().message.contains(error), qPrintable(r.error().message));
}

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_database.moc"
