#include "storage/migrations.h"

namespace Shivx::Internal {

const QList<Migration> &migrations()
{
    // Never edit a step that has shipped: databases in the field are already past it. Add a
    // new step instead. See docs/storage.md for what each table holds.
    static const QList<Migration> steps = {
        { 1, QStringLiteral("metric history"),
            {
                QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId),
                QStringLiteral("CREATE TABLE series ("
                               " id INTEGER PRIMARY KEY,"
                               " name TEXT NOT NULL UNIQUE)"),
                // Points not yet sealed into a block: the open hour and late arrivals. Keyed by
                // (series, ts) so a second value for the same millisecond replaces the first.
                QStringLiteral("CREATE TABLE history_raw ("
                               " series_id INTEGER NOT NULL REFERENCES series(id),"
                               " ts INTEGER NOT NULL,"
                               " value REAL NOT NULL,"
                               " PRIMARY KEY (series_id, ts)) WITHOUT ROWID"),
                // A rowid table rather than WITHOUT ROWID: payloads are a few KiB, and SQLite
                // advises against WITHOUT ROWID for rows larger than ~1/20 of a page.
                QStringLiteral("CREATE TABLE history_block ("
                               " series_id INTEGER NOT NULL REFERENCES series(id),"
                               " start_ts INTEGER NOT NULL,"
                               " end_ts INTEGER NOT NULL,"
                               " count INTEGER NOT NULL,"
                               " codec INTEGER NOT NULL," // value encoding; the payload repeats it
                               " payload BLOB NOT NULL,"
                               " UNIQUE (series_id, start_ts))"),
                // Rollup timestamps are in seconds: smaller varints on disk than milliseconds.
                QStringLiteral("CREATE TABLE history_1m ("
                               " series_id INTEGER NOT NULL REFERENCES series(id),"
                               " ts INTEGER NOT NULL,"
                               " min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL,"
                               " count INTEGER NOT NULL,"
                               " PRIMARY KEY (series_id, ts)) WITHOUT ROWID"),
                QStringLiteral("CREATE TABLE history_1h ("
                               " series_id INTEGER NOT NULL REFERENCES series(id),"
                               " ts INTEGER NOT NULL,"
                               " min REAL NOT NULL, max REAL NOT NULL, sum REAL NOT NULL,"
                               " count INTEGER NOT NULL,"
                               " PRIMARY KEY (series_id, ts)) WITHOUT ROWID"),
            } },
    };
    return steps;
}

int latestSchemaVersion()
{
    return migrations().isEmpty() ? 0 : migrations().constLast().version;
}

} // namespace Shivx::Internal
