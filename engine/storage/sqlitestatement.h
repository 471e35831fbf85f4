#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QString>

struct sqlite3;
struct sqlite3_stmt;

namespace Shivx {

// A statement prepared with SQLite's own API on the connection of a QSQLITE QSqlDatabase, for
// hot paths where QSqlQuery's QVariant binding costs more than SQLite's work (the history's
// appends: binding three values through QSqlQuery took over half of each append). It runs
// inside whatever transaction the connection has open. Finalize it (destroy it) before the
// connection closes. Not thread-safe, like the connection.
class SqliteStatement
{
public:
    // Errors name `where` (the database file) and SQLite's message; `sql` must be one
    // statement. Fails when `db` is not a QSQLITE connection.
    static Result<SqliteStatement> prepare(
        const QSqlDatabase &db, const char *sql, const QString &where);

    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement();

    // Parameters count from 1, as in SQLite.
    void bind(int index, qint64 value);
    void bind(int index, double value);
    // Steps to the end (a statement without result rows), then resets it for the next
    // bindings. The error names what was being done.
    Result<void> run(const char *what);
    // The next result row: true with a row to read, false after the last one (the statement
    // is then reset for the next bindings).
    Result<bool> next(const char *what);
    qint64 int64At(int column) const; // columns count from 0
    double realAt(int column) const;

private:
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt, QString where);

    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
    QString m_where;
};

} // namespace Shivx
