#pragma once

#include "backup/backupprogress.h"
#include "backup/repository.h"

#include <QStringList>

namespace Shivx::Backup {

// How a restored tree compares with a snapshot's manifest.
struct CompareReport
{
    std::uint64_t entries = 0; // files, dirs and links of the manifest looked at
    std::uint64_t bytes = 0; // file bytes read back and hashed
    QStringList mismatches; // "PATH: missing" / "PATH: differs" (at most 100 listed)
    std::uint64_t mismatchCount = 0;
    bool ok() const { return mismatchCount == 0; }
};

// Reads back everything of `snapshot` (or the part under `path`) below `target`, where a
// restore put it (each entry at its full original path under target, "/" = in place), and
// compares each entry with the manifest: type, size and the SHA-256 of every file's bytes,
// symlink targets. Used by restore drills and by DR plans' verify step.
Result<CompareReport> compareRestored(const Repository &repo, const SnapshotInfo &snapshot,
    const QString &path, const QString &target);

struct DrillReport
{
    QString snapshot; // hex id
    QString set;
    qint64 snapshotMs = 0;
    qint64 restoreMs = 0;
    qint64 compareMs = 0;
    qint64 rtoMs = 0; // restore + compare: how long getting the data back took
    qint64 rpoMs = 0; // age of the newest snapshot when the drill started: data at risk
    std::uint64_t files = 0;
    std::uint64_t bytes = 0;
    CompareReport compare;
};

// A restore drill: the newest snapshot of `set` restored into a new temporary directory
// under `scratch`, compared with its manifest, the directory removed. Fails with
// backup.no_snapshot when the set has none; differences found are in report.compare.
Result<DrillReport> runDrill(
    const Repository &repo, const QString &set, const QString &scratch, const Control &control);

} // namespace Shivx::Backup
