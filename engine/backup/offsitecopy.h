#pragma once

#include "backup/backupprogress.h"
#include "core/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Shivx::Backup {

// One off-site copy target of `backup.offsite` (docs/backup.md, "Off-site copies"): an rclone
// remote (any backend rclone supports: S3, SFTP, ...) that receives a copy of the repository.
struct OffsiteRemote
{
    QString name; // for logs, the audit chain and metrics
    QString remote; // rclone's REMOTE:PATH; credentials live in rcloneConfig, never here
    QString rcloneConfig; // rclone.conf to use; empty: rclone's own default
    enum class Verify { Checksum, Download, Size };
    Verify verify = Verify::Checksum; // how the copy is checked after it is made
    int timeoutSeconds = 3600; // a whole copy; rclone is killed after it
    QString bandwidthLimit; // rclone --bwlimit value ("10M"); empty: none
};

// What a copy did, from rclone's own accounting.
struct OffsiteReport
{
    std::uint64_t bytesCopied = 0;
    std::uint64_t filesCopied = 0;
    std::uint64_t filesDeleted = 0; // removed from the remote because prune removed them here
    std::uint64_t filesVerified = 0;
    qint64 durationMs = 0;
};

// Copies a repository to one remote with rclone, incrementally, and verifies the copy.
//
// The repository's files never change once written (names are content hashes, config and key
// slots are replaced by rename), so rclone copies with --immutable and only new files move.
// The order keeps the remote restorable at every moment, even when the copy is interrupted:
// packs, indexes, key slots and config first, snapshots after them (a snapshot is never on
// the remote before the data it needs); deletions after that, snapshots first, so that a
// snapshot is never on the remote without its data. Locks and unfinished writes
// (`.tmp-`) stay home. Verification compares every remote file with the local one (hashes
// where the backend has them in common with local files, else a download with --download,
// or sizes only).
//
// Blocking; runs rclone as a child process in its own process group, polls `control.cancel`
// every 100 ms (then kills the group) and reports progress from rclone's JSON statistics.
// Errors name the remote and carry rclone's last error lines.
class OffsiteCopy
{
public:
    static Result<OffsiteReport> run(const QString &repository, const OffsiteRemote &remote,
        const Control &control = {}, const QString &rcloneProgram = QString());

    // The rclone arguments of one step, for tests and the docs' examples.
    static QStringList commonArguments(const OffsiteRemote &remote);
};

} // namespace Shivx::Backup
