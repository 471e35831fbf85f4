#include "storage/sqlitestatement.h"

#include <QSqlDriver>
#include <QVariant>

#include <sqlite3.h>

#include <utility>

namespace Shivx {

namespace {

Error sqliteError(sqlite3 *db, const QString &where, const char *what)
{
    return makeError("storage.sqlite",
        QStringLiteral("%1: %2: %3")
            .arg(where, QLatin1String(what), QString::fromUtf8(sqlite3_errmsg(db))),
        { where });
}

} // namespace

Result<SqliteStatement> SqliteStatement::prepare(
    const QSqlDatabase &db, const char *sql, const QString &where)
{
    // QSQLITE hands out its connection as a QVariant holding a sqlite3*; Debian's driver links
    // the same libsqlite3 as the engine, so the handle is usable here.
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return makeError(
            "storage.sqlite", QStringLiteral("%1: not an SQLite connection").arg(where), { where });
    sqlite3 *h = *static_cast<sqlite3 *const *>(handle.constData());
    if (!h)
        return makeError(
            "storage.sqlite", QStringLiteral("%1: the connection is closed").arg(where), { where });
    sqlite3_stmt *stmt = nullptr;
    if (sqlite3_prepare_v3(h, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK)
        return sqliteError(h, where, "preparing a statement");
    return SqliteStatement(h, stmt, where);
}

SqliteStatement::SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt, QString where)
    : m_db(db)
    , m_stmt(stmt)
    , m_where(std::move(where))
{
}

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr))
    , m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_where(std::move(other.m_where))
{
}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_where = std::move(other.m_where);
    }
    return *this;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqliteStatement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bind(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

Result<void> SqliteStatement::run(const char *what)
{
    int rc;
    while ((rc = sqlite3_step(m_stmt)) == SQLITE_ROW) { }
    sqlite3_reset(m_stmt);
    if (rc != SQLITE_DONE)
        return sqliteError(m_db, m_where, what);
    return {};
}

Result<bool> SqliteStatement::next(const char *what)
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    sqlite3_reset(m_stmt);
    if (rc != SQLITE_DONE)
        return sqliteError(m_db, m_where, what);
    return false;
}

qint64 SqliteStatement::int64At(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteStatement::realAt(int column) const
{
    return sqlite3_column_double(m_stmt, column);
}

} // namespace Shivx
