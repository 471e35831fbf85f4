// SQLite sources: a database another connection keeps writing to (WAL mode) is copied with
// the online backup API as one consistent state, and a backup set with it restores a database
// that opens and passes integrity_check.
#include "backup/backupjob.h"
#include "backup/restorejob.h"
#include "backup/sqlitecopy.h"
#include "backupfixture.h"

#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <atomic>
#include <thread>

using namespace Shivx;
using namespace Shivx::Backup;
using namespace BackupFixture;

namespace {

int scalar(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    int v = -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

QString text(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = nullptr;
    sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
    QString v;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    return v;
}

} // namespace

class TstSqliteCopy : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void liveDatabaseCopiesConsistently()
    {
        QTemporaryDir dir;
        const QByteArray path = QFile::encodeName(dir.filePath("live.db"));
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.constData(), &db), SQLITE_OK);
        sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE TABLE t(a INTEGER, b INTEGER);", nullptr,
            nullptr, nullptr);
        std::atomic<bool> stop { false };
        std::atomic<int> written { 0 };
        // Each transaction inserts a pair whose sums must match: a torn copy would show it.
        std::thread writer([&] {
            sqlite3 *w = nullptr;
            sqlite3_open(path.constData(), &w);
            sqlite3_busy_timeout(w, 5000);
            for (int i = 0; !stop.load(); ++i) {
                const QByteArray sql = QStringLiteral("BEGIN; INSERT INTO t VALUES(%1, 0); "
                                                      "INSERT INTO t VALUES(0, %1); COMMIT;")
                                           .arg(i)
                                           .toUtf8();
                sqlite3_exec(w, sql.constData(), nullptr, nullptr, nullptr);
                ++written;
            }
            sqlite3_close(w);
        });
        QTRY_VERIFY(written.load() > 200);
        const auto r = copySqliteDatabase(dir.filePath("live.db"), dir.filePath("copy.db"));
        stop = true;
        writer.join();
        sqlite3_close(db);
        QVERIFY2(r, r ? "" : qPrintable(r.error().message));
        sqlite3 *copy = nullptr;
        QCOMPARE(
            sqlite3_open(QFile::encodeName(dir.filePath("copy.db")).constData(), &copy), SQLITE_OK);
        QCOMPARE(text(copy, "PRAGMA integrity_check"), QStringLiteral("ok"));
        QVERIFY(scalar(copy, "SELECT count(*) FROM t") > 0);
        QCOMPARE(scalar(copy, "SELECT count(*) % 2 FROM t"), 0);
        QCOMPARE(scalar(copy, "SELECT sum(a) - sum(b) FROM t"), 0);
        sqlite3_close(copy);
    }

    void missingDatabaseIsAClearError()
    {
        QTemporaryDir dir;
        const auto r = copySqliteDatabase(dir.filePath("none.db"), dir.filePath("c.db"));
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.sqlite"));
        QVERIFY(r.error().message.contains(dir.filePath("none.db")));
    }

    void setWithADatabaseRestoresIt()
    {
        QTemporaryDir dir;
        const QString dbPath = dir.filePath("app/state.db");
        QDir().mkpath(dir.filePath("app"));
        sqlite3 *db = nullptr;
        sqlite3_open(QFile::encodeName(dbPath).constData(), &db);
        sqlite3_exec(db,
            "PRAGMA journal_mode=WAL; CREATE TABLE kv(k TEXT, v TEXT);"
            "INSERT INTO kv VALUES('answer', '42');",
            nullptr, nullptr, nullptr);
        auto repo = createRepo(dir.filePath("repo"));
        BackupSetSpec s;
        s.name = QStringLiteral("db");
        s.sqlite = { dbPath };
        const auto st = runBackup(*repo, s, BackupOptions());
        sqlite3_close(db); // still open during the backup: the WAL holds the row
        QVERIFY2(st, st ? "" : qPrintable(st.error().message));
        RestoreOptions o;
        o.target = dir.filePath("out");
        QVERIFY(runRestore(*repo, *repo->readSnapshot(st->snapshot), o));
        sqlite3 *back = nullptr;
        QCOMPARE(sqlite3_open_v2(QFile::encodeName(dir.filePath("out") + dbPath).constData(), &back,
                     SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
        QCOMPARE(text(back, "SELECT v FROM kv WHERE k='answer'"), QStringLiteral("42"));
        sqlite3_close(back);
    }
};

QTEST_GUILESS_MAIN(TstSqliteCopy)
#include "tst_sqlitecopy.moc"
