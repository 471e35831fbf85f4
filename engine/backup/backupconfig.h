#pragma once

#include "backup/offsitecopy.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

// How many snapshots of a set retention keeps (restic's forget policy): the newest `last`,
// and the newest of each of the last N hours, days, weeks (ISO) and months that have one.
// All zero keeps everything.
struct BackupRetention
{
    int last = 0;
    int hourly = 0;
    int daily = 0;
    int weekly = 0;
    int monthly = 0;
    bool keepsAll() const { return !last && !hourly && !daily && !weekly && !monthly; }
};

// One entry of a set's `schedule:` list: a cron expression (engine/schedule, local time)
// and the type of backup it starts.
struct BackupScheduleSpec
{
    QString cron; // five fields, checked when read
    QString type = QStringLiteral("incremental"); // full | incremental | differential
};

// One PostgreSQL database of a set: `pg_dump -Fc` of it is streamed into the repository as the
// file /postgresql/NAME.dump of the snapshot (docs/backup.md, "PostgreSQL"). Never a password:
// libpq takes it from `passfile`, PGPASSFILE or ~/.pgpass, or the server authenticates the OS
// user (peer).
struct PostgresSourceSpec
{
    QString database;
    QString host; // a socket directory (absolute) or a host name; empty: libpq's default
    int port = 0; // 0: libpq's default (PGPORT, else 5432)
    QString user; // empty: libpq's default (PGUSER, else the OS user)
    QString passfile; // absolute path of a libpq password file; empty: libpq's default
    QString name; // the dump's name in the snapshot (NAME.dump); the database's when empty
    QString pgDump = QStringLiteral("pg_dump"); // PATH is searched; the server's major or newer
    // lock_wait_timeout: how long pg_dump waits for a table another session holds locked
    // before the backup fails; a scheduled backup never hangs behind a migration for hours.
    qint64 lockWaitTimeoutMs = 10 * 60'000;

    QString dumpName() const { return name.isEmpty() ? database : name; }
    // Where the dump is in a snapshot: /postgresql/NAME.dump.
    QString entryPath() const { return QStringLiteral("/postgresql/%1.dump").arg(dumpName()); }
    // pg_restore beside the configured pg_dump (same folder), else from PATH.
    QString pgRestore() const;
    // A libpq connection string for `db` with this entry's host, port, user and passfile, each
    // value quoted, for pg_dump's and pg_restore's --dbname.
    QString connectionString(const QString &db) const;
    // "database app on /run/postgresql:5432" for messages.
    QString describe() const;
};

// One backup set of the `backup:` section (docs/backup.md).
struct BackupSetSpec
{
    QString name;
    QStringList paths; // absolute directories or files
    QStringList include; // file-name globs; empty = every file
    QStringList exclude; // globs against the name or the absolute path
    QStringList sqlite; // SQLite databases, copied with the online backup API
    QList<PostgresSourceSpec> postgresql; // dumped with pg_dump -Fc, streamed (no temporary file)
    BackupRetention retention;
    QList<BackupScheduleSpec> schedules; // when the engine backs the set up by itself
    bool continuous = false; // `schedule: continuous`: inotify, debounce, incremental
    QString drill; // cron of the restore drill; empty: on demand only
};

// `backup.continuous`: how continuous sets wait for changes to settle and how often they run.
struct BackupContinuousSpec
{
    qint64 debounceMs = 2000; // quiet time after the last change before a backup starts
    qint64 minIntervalMs = 30'000; // at most one continuous backup of a set per interval
};

// The `backup:` section: where the repository is and the sets.
struct BackupConfig
{
    QString repository; // empty: DATA_DIR/backup-repo
    QString passwordFile; // where the passphrase is read from (else SHIVX_BACKUP_PASSWORD)
    QString keyFile; // the engine unlocks with this key file instead of a passphrase
    bool keyring = false; // first try the keyring slots through the desktop keyring
    BackupContinuousSpec continuous;
    QString verifySchedule; // cron of the engine's scheduled verify; empty: none
    bool verifyQuick = true; // the scheduled verify's mode
    QString drPlans; // directory of DR plans (*.yaml); empty: none
    QList<BackupSetSpec> sets;
    QList<Backup::OffsiteRemote> offsite; // copied to after each backup and prune
    const BackupSetSpec *set(const QString &name) const;
    // The repository's absolute path: `repository`, or DATA_DIR/backup-repo.
    QString repositoryPath(const QString &dataDir) const;
};

namespace Internal {
// Reads `backup:` (an undefined node leaves the defaults). Paths must be absolute.
void readBackupConfig(ConfigReader &reader, const YAML::Node &node, BackupConfig *out);
} // namespace Internal

} // namespace Shivx
