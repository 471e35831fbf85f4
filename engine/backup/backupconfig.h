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

// One backup set of the `backup:` section (docs/backup.md).
struct BackupSetSpec
{
    QString name;
    QStringList paths; // absolute directories or files
    QStringList include; // file-name globs; empty = every file
    QStringList exclude; // globs against the name or the absolute path
    QStringList sqlite; // SQLite databases, copied with the online backup API
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
};

namespace Internal {
// Reads `backup:` (an undefined node leaves the defaults). Paths must be absolute.
void readBackupConfig(ConfigReader &reader, const YAML::Node &node, BackupConfig *out);
} // namespace Internal

} // namespace Shivx
