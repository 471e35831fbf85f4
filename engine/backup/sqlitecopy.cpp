#include "backup/sqlitecopy.h"

#include <QFile>

#include <sqlite3.h>

namespace Shivx::Backup {

Result<void> copySqliteDatabase(
    const QString &source, const QString &destination, int busyTimeoutMs)
{
    auto fail = [&](sqlite3 *db, const QString &what) {
        return makeError("backup.sqlite",
            QStringLiteral("cannot copy the SQLite database %1: %2: %3")
                .arg(source, what, QString::fromUtf8(db ? sqlite3_errmsg(db) : "out of memory")),
            { source });
    };
    if (!QFile::exists(source))
        return makeError("backup.sqlite",
            QStringLiteral("the SQLite database %1 does not exist").arg(source), { source });
    sqlite3 *src = nullptr;
    sqlite3 *dst = nullptr;
    Result<void> result;
    if (sqlite3_open_v2(QFile::encodeName(source).constData(), &src, SQLITE_OPEN_READONLY, nullptr)
        != SQLITE_OK) {
        result = fail(src, QStringLiteral("open"));
    } else if (sqlite3_open_v2(QFile::encodeName(destination).constData(), &dst,
                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr)
        != SQLITE_OK) {
        result = fail(dst, QStringLiteral("create the copy"));
    } else {
        sqlite3_busy_timeout(src, busyTimeoutMs);
        sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
        if (!b) {
            result = fail(dst, QStringLiteral("start the online backup"));
        } else {
            int rc;
            int waitedMs = 0;
            // All pages in one step: a step that sees a change restarts, so small steps could
            // chase a busy writer for ever; one step reads under one read transaction.
            while ((rc = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || rc == SQLITE_LOCKED) {
                if (waitedMs >= busyTimeoutMs)
                    break;
                sqlite3_sleep(50);
                waitedMs += 50;
            }
            sqlite3_backup_finish(b);
            if (rc != SQLITE_DONE)
                result = fail(dst, QStringLiteral("online backup step"));
        }
    }
    sqlite3_close(src);
    sqlite3_close(dst);
    return result;
}

} // namespace Shivx::Backup
