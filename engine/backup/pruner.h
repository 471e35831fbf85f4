#pragma once

#include "backup/backupconfig.h"
#include "backup/backupprogress.h"
#include "backup/repository.h"

namespace Shivx::Backup {

// Which snapshots a retention policy keeps: per set, the newest `last`, then the newest
// snapshot in each of the last N hours / days / ISO weeks / months that have one (restic's
// forget). A snapshot kept by any rule is kept. `policyOf` gives each set's policy; a set
// whose policy keeps all (all zero) loses nothing.
QList<Id> snapshotsToForget(const QList<SnapshotInfo> &snapshots,
    const std::function<BackupRetention(const QString &set)> &policyOf);

struct PruneOptions
{
    // Packs with at most this fraction of their bytes still needed are rewritten (their live
    // objects copied, still sealed, into new packs); packs needed by nothing are deleted.
    double repackBelow = 0.5;
    bool dryRun = false;
    int exclusiveTimeoutMs = 600'000;
    Control control;
};

struct PruneStats
{
    int forgotten = 0; // snapshots removed by retention
    int packsDeleted = 0;
    int packsRewritten = 0;
    int orphansDeleted = 0; // packs and temporaries no index named
    std::uint64_t bytesFreed = 0;
    std::uint64_t objectsKept = 0;
    std::uint64_t objectsDropped = 0;
    qint64 exclusiveMs = 0; // how long backups had to wait
    qint64 durationMs = 0;
};

// Forgets `forget`, then deletes what no snapshot needs. Marks and rewrites under a shared lock
// (backups run meanwhile); then takes the exclusive lock, which waits for running backups to
// finish and holds new ones back only while it re-reads the snapshots (adding what backups
// written since the mark need), writes one new index, deletes the old index files and finally
// the packs. The order makes every crash safe: a pack is deleted only after no index names it.
Result<PruneStats> runPrune(Repository &repo, const QList<Id> &forget, const PruneOptions &options);

} // namespace Shivx::Backup
