#pragma once

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
};

// PRAGMA application_id of a ShivX database ("SHVX"), so that `file` and the engine can tell
// it from other SQLite files.
constexpr qint64 ApplicationId = 0x53485658;

// All steps, oldest first. Adding a capability's tables is one more entry in migrations.cpp.
const QList<Migration> &migrations();
int latestSchemaVersion();

} // namespace Shivx::Internal
