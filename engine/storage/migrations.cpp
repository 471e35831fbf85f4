#include "storage/migrations.h"

#include "core/enginemodule.h"

#include <algorithm>

namespace Shivx::Internal {

namespace {

// The core's own steps. Never edit a step that has shipped: databases in the field are
// already past it. Add a new step instead. See docs/storage.md for what each table holds.
QList<Migration> coreSteps()
{
    return {
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
            },
            QStringLiteral("core") },
    };
}

} // namespace

const QList<Migration> &migrations()
{
    static const QList<Migration> steps = [] {
        QList<Migration> all = coreSteps();
        for (const EngineModule *m : engineModules())
            for (Migration step : m->migrations()) {
                step.module = m->name();
                all.append(step);
            }
        std::stable_sort(all.begin(), all.end(),
            [](const Migration &a, const Migration &b) { return a.version < b.version; });
        return all;
    }();
    return steps;
}

Result<void> checkMigrations(const QList<Migration> &steps)
{
    for (int i = 0; i < steps.size(); ++i) {
        const Migration &m = steps.at(i);
        if (m.version == i + 1)
            continue;
        if (i > 0 && m.version == steps.at(i - 1).version)
            return makeError("database.bad_migrations",
                QStringLiteral("schema version %1 is claimed twice: \"%2\" (%3) and \"%4\" (%5)")
                    .arg(m.version)
                    .arg(steps.at(i - 1).name, steps.at(i - 1).module, m.name, m.module));
        return makeError("database.bad_migrations",
            QStringLiteral("schema versions must run 1, 2, 3 ... without gaps: version %1 is "
                           "missing before \"%2\" (%3, version %4)")
                .arg(i + 1)
                .arg(m.name, m.module)
                .arg(m.version));
    }
    return {};
}

int latestSchemaVersion()
{
    return migrations().isEmpty() ? 0 : migrations().constLast().version;
}

} // namespace Shivx::Internal
