#include "storage/database.h"

#include "storage/migrations.h"

#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

namespace Shivx {

Q_LOGGING_CATEGORY(lcStorage, "shivx.storage")

namespace {

QString describe(const QSqlError &e)
{
    const QString text = e.databaseText().isEmpty() ? e.text() : e.databaseText();
    return text.isEmpty() ? QStringLiteral("unknown SQLite error") : text;
}

// A path that is a directory gets a message naming it; SQLite's own says only "unable to open".
// Deliberately no open() of the file here: closing any descriptor of a file drops every POSIX
// lock this process holds on it, including the SHARED lock of the engine's other SQLite
// connections; another process closing its connection then takes the file as unused and
// deletes the -wal file under the engine's feet, losing what it writes afterwards.
Result<void> checkPath(const QString &path)
{
    const QFileInfo info(path);
    if (info.exists() && info.isDir())
        return makeError("database.not_a_file",
            QStringLiteral("%1: is a directory, not an SQLite database").arg(path));
    return {};
}

// SQLITE_NOTADB: SQLite never overwrites a file that is not a database, but its error ("file
// is not a database") names no file; this one says which file and what to do.
bool isNotADatabase(const QSqlError &e)
{
    return e.nativeErrorCode() == QLatin1String("26");
}

Error notSqlite(const QString &path)
{
    return makeError("database.not_sqlite",
        QStringLiteral("%1: is not an SQLite database (the file header is wrong); "
                       "the file was left untouched. Move it away or restore it "
                       "from a backup.")
            .arg(path));
}

Result<void> migrate(QSqlDatabase &db, const QString &path)
{
    if (auto steps = Internal::checkMigrations(Internal::migrations()); !steps)
        return makeError("database.bad_migrations",
            QStringLiteral("%1: not opened: %2").arg(path, steps.error().message));
    const int latest = Internal::latestSchemaVersion();
    // The common case, checked without the write lock, so that a reader (shivx history)
    // opening the database never waits for the engine's writer or makes it wait.
    const auto before = Database::schemaVersion(db);
    if (!before)
        return before.error();
    if (*before == latest)
        return {};
    for (const Internal::Migration &m : Internal::migrations()) {
        Transaction tx(db);
        if (!tx.begin().ok())
            return tx.begin().error();
        // Read inside the write transaction: another process may have migrated meanwhile.
        const auto current = Database::schemaVersion(db);
        if (!current)
            return current.error();
        if (*current > latest) {
            return makeError("database.too_new",
                QStringLiteral("%1: schema version %2 is newer than the newest this "
                               "program knows (%3); use a newer ShivX")
                    .arg(path)
                    .arg(*current)
                    .arg(latest));
        }
        if (*current >= m.version)
            continue;
        for (const QString &sql : m.statements) {
            const auto r = Database::exec(db, sql);
            if (!r)
                return makeError("database.migration",
                    QStringLiteral("migration to schema version %1 (%2) failed: %3")
                        .arg(m.version)
                        .arg(m.name, r.error().message));
        }
        const auto v
            = Database::exec(db, QStringLiteral("PRAGMA user_version = %1").arg(m.version));
        if (!v)
            return v.error();
        const auto c = tx.commit();
        if (!c)
            return c.error();
        qCInfo(lcStorage, "%s: migrated to schema version %d (%s)", qPrintable(path), m.version,
            qPrintable(m.name));
    }
    return {};
}

} // namespace

Result<void> Database::exec(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql))
        return makeError("database.sql",
            QStringLiteral("%1: %2 (in \"%3\")")
                .arg(db.databaseName(), describe(q.lastError()), sql));
    return {};
}

Result<int> Database::schemaVersion(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("PRAGMA user_version")) || !q.next())
        return makeError("database.read",
            QStringLiteral("%1: cannot read the database: %2")
                .arg(db.databaseName(), describe(q.lastError())));
    return q.value(0).toInt();
}

Result<QSqlDatabase> Database::open(const QString &path, const QString &connectionName)
{
    if (QSqlDatabase::contains(connectionName))
        return makeError("database.connection_in_use",
            QStringLiteral("%1: connection \"%2\" is already open").arg(path, connectionName));
    const auto checked = checkPath(path);
    if (!checked)
        return checked.error();

    Result<QSqlDatabase> result = [&]() -> Result<QSqlDatabase> {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connectionName);
        if (!db.isValid())
            return makeError("database.driver",
                QStringLiteral("the Qt SQLite driver (QSQLITE) is not available"));
        db.setDatabaseName(path);
        db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=5000"));
        if (!db.open())
            return makeError("database.open",
                QStringLiteral("%1: cannot open the database: %2")
                    .arg(path, describe(db.lastError())));

        // The first read: a damaged file fails here, before anything is written.
        {
            QSqlQuery probe(db);
            if (!probe.exec(QStringLiteral("PRAGMA schema_version"))
                && isNotADatabase(probe.lastError()))
                return notSqlite(path);
        }
        const auto version = schemaVersion(db);
        if (!version)
            return version.error();
        const int latest = Internal::latestSchemaVersion();
        if (*version > latest)
            return makeError("database.too_new",
                QStringLiteral("%1: schema version %2 is newer than the newest this "
                               "program knows (%3); use a newer ShivX")
                    .arg(path)
                    .arg(*version)
                    .arg(latest));

        // A database another program made (user_version 0 but tables present, or someone
        // else's application_id) is refused rather than having our tables added to it.
        QSqlQuery owner(db);
        if (!owner.exec(QStringLiteral("SELECT (SELECT application_id FROM pragma_application_id),"
                                       " (SELECT COUNT(*) FROM sqlite_schema)"))
            || !owner.next())
            return makeError("database.read",
                QStringLiteral("%1: cannot read the database: %2")
                    .arg(path, describe(owner.lastError())));
        const qint64 appId = owner.value(0).toLongLong();
        const bool foreign = (appId != 0 && appId != Internal::ApplicationId)
            || (*version == 0 && owner.value(1).toLongLong() > 0);
        owner.finish();
        if (foreign)
            return makeError("database.foreign",
                QStringLiteral("%1: is an SQLite database of another program, not "
                               "ShivX's; the file was left untouched")
                    .arg(path));

        QStringList pragmas = { QStringLiteral("PRAGMA busy_timeout = 5000"),
            QStringLiteral("PRAGMA foreign_keys = ON"),
            QStringLiteral("PRAGMA synchronous = NORMAL"),
            // Bounds the -wal file after a large maintain or backup.
            QStringLiteral("PRAGMA journal_size_limit = 16777216") };
        // auto_vacuum can only be chosen before the first table exists. INCREMENTAL lets
        // retention hand freed pages back to the file system in small steps
        // (PRAGMA incremental_vacuum) instead of a full VACUUM that rewrites the file.
        if (*version == 0)
            pragmas.prepend(QStringLiteral("PRAGMA auto_vacuum = INCREMENTAL"));
        for (const QString &p : pragmas) {
            const auto r = exec(db, p);
            if (!r)
                return r.error();
        }
        QSqlQuery wal(db);
        if (!wal.exec(QStringLiteral("PRAGMA journal_mode = WAL")) || !wal.next())
            return makeError("database.open",
                QStringLiteral("%1: cannot switch to WAL mode: %2")
                    .arg(path, describe(wal.lastError())));
        if (wal.value(0).toString().compare(QLatin1String("wal"), Qt::CaseInsensitive) != 0)
            qCWarning(lcStorage, "%s: journal mode is %s, not WAL; readers will block the writer",
                qPrintable(path), qPrintable(wal.value(0).toString()));
        wal.finish();

        const auto m = migrate(db, path);
        if (!m)
            return m.error();
        return db;
    }();
    if (!result.ok())
        close(connectionName);
    return result;
}

void Database::close(const QString &connectionName)
{
    {
        QSqlDatabase db = QSqlDatabase::database(connectionName, false);
        if (db.isValid())
            db.close();
    }
    QSqlDatabase::removeDatabase(connectionName);
}

Transaction::Transaction(QSqlDatabase &db)
    : m_db(db)
{
    m_begin = Database::exec(m_db, QStringLiteral("BEGIN IMMEDIATE"));
    m_open = m_begin.ok();
}

Transaction::~Transaction()
{
    if (m_open)
        Database::exec(m_db, QStringLiteral("ROLLBACK"));
}

Result<void> Transaction::commit()
{
    if (!m_open)
        return m_begin.ok() ? Result<void>(
                   makeError("database.transaction", QStringLiteral("transaction already ended")))
                            : m_begin;
    auto r = Database::exec(m_db, QStringLiteral("COMMIT"));
    if (r.ok())
        m_open = false;
    return r;
}

} // namespace Shivx
