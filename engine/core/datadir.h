#pragma once

#include "core/result.h"

#include <QString>

namespace Shivx::DataDir {

// $XDG_DATA_HOME/shivx, else ~/.local/share/shivx.
QString defaultPath();
// Picks the directory: explicit (--data-dir) first, then the configuration's, then the default.
QString resolve(const QString &explicitDir, const QString &configDir);
// Creates the directory (0700) if needed and checks that it is writable.
Result<void> ensure(const QString &dir);
// The one SQLite database in the data directory.
QString databasePath(const QString &dir);
// The file where a running engine records its API address, for the CLI to find it.
QString apiAddressPath(const QString &dir);

} // namespace Shivx::DataDir
