#pragma once

#include "core/result.h"

#include <QString>

#include <memory>

namespace Shivx::Backup {

// A lock on a repository: a file REPO/locks/<random>.json naming the kind, process, host and
// time (docs/backup.md, "Locking"). Backups, restores and verifies take shared locks and run
// side by side; prune takes the exclusive lock only for its short final phase (rewriting the
// index, deleting packs), after marking under a shared lock, so it never locks backups out for
// longer than that. A lock of a process on this host that no longer runs (kill -9) is stale
// and removed by whoever finds it; a lock of another host counts for an hour.
class RepoLock
{
public:
    enum class Kind { Shared, Exclusive };

    // Waits up to `timeoutMs` for the locks it conflicts with to go. The error names the holder.
    static Result<std::unique_ptr<RepoLock>> acquire(
        const QString &repo, Kind kind, int timeoutMs = 60'000);
    ~RepoLock(); // removes the file

    RepoLock(const RepoLock &) = delete;
    RepoLock &operator=(const RepoLock &) = delete;

private:
    explicit RepoLock(QString file)
        : m_file(std::move(file))
    {
    }
    QString m_file;
};

} // namespace Shivx::Backup
