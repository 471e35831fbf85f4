#pragma once

#include "core/result.h"

#include <QString>

namespace Shivx::Backup {

// Copies the SQLite database `source` to `destination` with SQLite's online backup API
// (sqlite3_backup_*), so that a database other connections are writing to is copied as one
// consistent state, WAL included. QSQLITE does not expose the API, hence libsqlite3 directly.
// Busy or locked steps are retried for up to `busyTimeoutMs`.
Result<void> copySqliteDatabase(
    const QString &source, const QString &destination, int busyTimeoutMs = 30'000);

} // namespace Shivx::Backup
