#pragma once

#include "backup/backupprogress.h"
#include "backup/repository.h"

#include <QStringList>

#include <functional>

namespace Shivx::Backup {

struct RestoreOptions
{
    QString path; // absolute path inside the snapshot to restore; empty = everything
    QString target = QStringLiteral("/"); // "/" = the original location
    bool dryRun = false;
    bool owners = false; // chown to the recorded uid/gid (needs root)
    int threads = 2;
    Control control;
};

// One line of a dry run (or of what a restore did).
struct RestoreChange
{
    enum class Kind { Create, Update, Unchanged };
    Kind kind = Kind::Create;
    QString path; // where it goes
    QString type; // file | dir | symlink
};

struct RestoreStats
{
    std::uint64_t files = 0;
    std::uint64_t dirs = 0;
    std::uint64_t links = 0;
    std::uint64_t bytes = 0;
    qint64 durationMs = 0;
    QList<RestoreChange> changes; // dry run: every entry and what would happen to it
};

// Restores `snapshot` (or the part under options.path) below options.target, each entry at
// its full original path (target "/" puts it back where it was). Every object passes its GCM
// tag before a byte of it is written, and each file is checked against the manifest's size
// and SHA-256; a file that fails is removed. A new file is written under its own name; an
// existing one is replaced by rename only once the new content is complete and checked.
// Modes and times always come back, owners when options.owners. Runs on the calling thread
// plus options.threads - 1 workers.
Result<RestoreStats> runRestore(
    const Repository &repo, const SnapshotInfo &snapshot, const RestoreOptions &options);

// Receives a file's content chunk by chunk (streamFile); an error stops the stream.
using ChunkSink = std::function<Result<void>(const std::uint8_t *data, std::size_t size)>;

// Streams the file at `path` (absolute, as backed up) of `snapshot` to `sink`, without writing it
// anywhere. Every chunk passes its GCM tag before `sink` sees it, and the last chunk is handed
// over only once the whole content has matched the manifest's size and SHA-256 (else
// "backup.tampered"). Returns the size. Runs on the calling thread, under a shared lock; progress
// and cancel as for runRestore.
Result<std::uint64_t> streamFile(const Repository &repo, const SnapshotInfo &snapshot,
    const QString &path, const ChunkSink &sink, const Control &control);

// The newest snapshot (of `set`, any when empty) taken at or before `at`.
Result<SnapshotInfo> snapshotAt(const Repository &repo, const QDateTime &at, const QString &set);

} // namespace Shivx::Backup
