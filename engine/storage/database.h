#pragma once

#include "core/result.h"

#include <QSqlDatabase>
#include <QString>

namespace Shivx {

// The engine's one SQLite database. Each thread opens its own named connection; WAL mode lets
// one writer and many readers work at once. Opening applies the pragmas and the schema
// migrations (see migrations.h), so every caller sees the current schema.
class Database
{
public:
    // Opens (creating when missing) the database at `path` on a QSQLITE connection named
    // `connectionName`, which must not be open already. Errors name the path: a file that is
    // not an SQLite database, a damaged one, or one whose schema is newer than this program.
    // A file that is not a database is never written to.
    static Result<QSqlDatabase> open(const QString &path, const QString &connectionName);

    // Closes and removes the connection. Every QSqlDatabase/QSqlQuery copy of it must be
    // destroyed first (Qt warns otherwise).
    static void close(const QString &connectionName);

    // Runs one statement; the error names the database file and the failing statement.
    static Result<void> exec(QSqlDatabase &db, const QString &sql);

    // The schema version stored in the file (PRAGMA user_version).
    static Result<int> schemaVersion(QSqlDatabase &db);
};

// A write transaction begun with BEGIN IMMEDIATE: taking the write lock up front means that
// busy_timeout applies, instead of failing with SQLITE_BUSY when a reader later upgrades.
// Rolls back on destruction unless commit() succeeded.
class Transaction
{
public:
    explicit Transaction(QSqlDatabase &db);
    ~Transaction();
    Transaction(const Transaction &) = delete;
    Transaction &operator=(const Transaction &) = delete;

    // The result of BEGIN; nothing inside the transaction should run when it failed.
    const Result<void> &begin() const { return m_begin; }
    Result<void> commit();

private:
    QSqlDatabase &m_db;
    Result<void> m_begin;
    bool m_open = false;
};

} // namespace Shivx
