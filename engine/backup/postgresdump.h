#pragma once

#include "backup/backupconfig.h"
#include "backup/pipedchild.h"
#include "backup/repository.h"

namespace Shivx::Backup {

// pg_dump of one configured database, in the custom format (-Fc) and uncompressed (-Z0): the
// repository compresses every chunk with zstd, and a compressed dump would change all of its
// bytes after the first changed row, where an uncompressed one lets content-defined chunking
// find the unchanged rest (docs/backup.md, "PostgreSQL"). --no-password: libpq takes the
// password from a password file or the server uses peer authentication, never a prompt.
// Its stdout is the pipe to read.
Result<std::unique_ptr<PipedChild>> startPgDump(const PostgresSourceSpec &pg);

// "backup.postgresql": pg_dump of `pg` ended with `exit`; the message names the database and
// carries pg_dump's own words.
Error pgDumpFailed(
    const PostgresSourceSpec &pg, const PipedChild::Exit &exit, const QString &output);

// The PostgreSQL dumps of a snapshot, as absolute entry paths (/postgresql/NAME.dump).
Result<QStringList> postgresDumps(const Repository &repo, const SnapshotInfo &snapshot);

struct PgRestoreStats
{
    QString dump; // the entry restored from
    std::uint64_t bytes = 0;
    qint64 durationMs = 0;
};

// Streams the dump `dumpPath` of `snapshot` from the repository into `pg_restore
// --single-transaction --exit-on-error` connected to `database` with `connection`'s host, port,
// user and passfile (its pg_restore is the one beside its pg_dump). No temporary file: each chunk
// is authenticated before pg_restore reads it, and its last chunk only once the whole dump has
// matched the manifest's size and SHA-256, so pg_restore never commits a dump that fails. Cancel,
// a damaged dump or a pg_restore error leave the database as it was (one transaction; pg_restore
// is killed). The database must exist. Runs on the calling thread, under a shared lock.
Result<PgRestoreStats> restoreIntoPostgres(const Repository &repo, const SnapshotInfo &snapshot,
    const QString &dumpPath, const PostgresSourceSpec &connection, const QString &database,
    const Control &control);

} // namespace Shivx::Backup
