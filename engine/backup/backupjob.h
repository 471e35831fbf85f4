#pragma once

#include "backup/backupconfig.h"
#include "backup/backupprogress.h"
#include "backup/repository.h"

#include <QSet>

#include <optional>

namespace Shivx::Backup {

enum class BackupType { Full, Incremental, Differential };
QString backupTypeName(BackupType type);
bool parseBackupType(const QString &text, BackupType *out);

struct BackupOptions
{
    BackupType type = BackupType::Incremental;
    int workers = 2; // compress + encrypt threads beside the reading thread
    // zstd level 2: on this corpus nearly level 3's ratio (text 2.51 vs 2.54, binaries
    // better) at level 1's speed (bench/backup).
    int zstdLevel = 2;
    std::size_t queueBytes = 64u << 20; // bound on chunks waiting for a worker
    // Continuous mode: when set (and a parent exists), only these absolute paths changed
    // (inotify said so); a directory that is neither one of them nor above one is taken from
    // the parent without being listed, so the backup costs what changed, not the set's size.
    std::optional<QSet<QString>> touched;
    Control control;
};

struct BackupStats
{
    Id snapshot;
    Id parent;
    QString type; // what ran: a FULL when no parent of the asked kind exists
    std::uint64_t files = 0;
    std::uint64_t dirs = 0;
    std::uint64_t bytes = 0; // size of every file in the snapshot
    std::uint64_t readBytes = 0; // bytes read (files new or changed since the parent)
    std::uint64_t newBytes = 0; // raw bytes of objects the repository did not have
    std::uint64_t storedBytes = 0; // bytes written to packs
    std::uint64_t skipped = 0; // sockets, devices, fifos, unreadable entries
    qint64 durationMs = 0;
};

// One backup of `set` into `repo` under a shared repository lock: reads what `type` says has
// to be read (by size, mtime, ctime and inode against the parent: the latest snapshot of the
// set for INCREMENTAL, the latest FULL for DIFFERENTIAL, none for FULL), chunks, deduplicates,
// compresses and encrypts on `workers` threads through a bounded queue, writes packs, then the
// index, then the snapshot: a process killed at any moment leaves no snapshot naming missing
// data. Runs on the calling thread (plus its workers); (re)loads the index under its lock.
Result<BackupStats> runBackup(
    Repository &repo, const BackupSetSpec &set, const BackupOptions &options);

} // namespace Shivx::Backup
