#pragma once

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

// One `integrity.sets[]` entry: the files one baseline section covers.
struct IntegrityPathSet
{
    QString name; // [A-Za-z0-9_.-]{1,64}, unique
    // Absolute paths or glob(7) patterns; a directory stands for everything below it.
    QStringList paths;
    // fnmatch(3) patterns matched against the absolute path (and against the name alone for a
    // pattern without '/'); a matching directory is not entered.
    QStringList excludes;
    bool followSymlinks = false; // false: a symlink is recorded as a link, never entered
    bool critical = false; // watched with inotify and re-checked within a second
    // `protect: restore`: regular files get a copy in the integrity snapshot store at each
    // baseline update, from which they can be restored (docs/integrity.md, "Safe snapshots").
    bool protectRestore = false;
    // Restore a tampered or deleted file of this set without asking (needs protectRestore).
    bool autoRestore = false;
};

// The `integrity:` section (docs/configuration.md, docs/integrity.md).
struct IntegrityConfig
{
    QList<IntegrityPathSet> sets;
    qint64 fastIntervalMs = 15 * 60'000; // 0 = no scheduled fast checks
    qint64 fullIntervalMs = 24 * 3'600'000; // 0 = no scheduled full checks
    // What a scheduled check may use at NORMAL (on-demand checks run unthrottled): the share
    // of its two hashing threads' time (1-100) and the read rate in MiB/s (0 = unlimited).
    // Worse degradation levels scale both down (IntegrityBudget); EMERGENCY stops them.
    int cpuPercent = 50;
    int readMiBPerSecond = 0;
    int threads = 2; // hashing threads of a check (1-16)
    // Protected files larger than this get no snapshot (a warning of the baseline update
    // names them): the store is meant for configuration, not for data. MiB, 1-4096.
    int snapshotMaxMiB = 64;
    // Where the copies live (docs/integrity.md, "The store"): the backup repository once one
    // is initialised (`auto`), always the module's own store (`own`), or always the backup
    // repository (`backup`, an error while there is none).
    enum class SnapshotStore { Auto, Own, Backup };
    SnapshotStore snapshotStore = SnapshotStore::Auto;

    bool hasCritical() const;
    const IntegrityPathSet *set(const QString &name) const; // null when unknown
};

namespace Internal {
// Reads `integrity:` (undefined or null = defaults, no sets). Errors go to `r` as
// "file:line: key: message".
void readIntegrityConfig(ConfigReader &r, const YAML::Node &node, IntegrityConfig *out);
} // namespace Internal

} // namespace Shivx
