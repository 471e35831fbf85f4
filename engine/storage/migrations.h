#pragma once

#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Shivx::Internal {

// One step of the schema. Steps are applied in order, each in its own transaction together
// with the new PRAGMA user_version, so a crash leaves the database at one version or the next.
struct Migration
{
    int version = 0; // the schema version after this step: 1, 2, 3 ... without gaps
    QString name; // for error messages
    QStringList statements; // one SQL statement each (QSQLITE runs one statement per exec)
    QString module; // the module that owns the step ("core" for the core's own)
};

// PRAGMA application_id of a ShivX database ("SHVX"), so that `file` and the engine can tell
// it from other SQLite files.
constexpr qint64 ApplicationId = 0x53485658;

// Every step of the one schema, oldest first: the core's (metric history) and every module's
// (EngineModule::migrations()), merged by version. See docs/storage.md, "Migrations".
const QList<Migration> &migrations();
int latestSchemaVersion();
// The versions of `steps`, in order, must be 1, 2, 3 ... exactly once each; an error names the
// version and the modules involved. The database refuses to open on such a list.
Result<void> checkMigrations(const QList<Migration> &steps);

} // namespace Shivx::Internal
