#pragma once

#include "integrity/baselinestore.h"
#include "integrity/filehasher.h"
#include "integrity/integrityconfig.h"
#include "integrity/integritysnapshot.h"
#include "integrity/ownfiles.h"

#include <atomic>
#include <functional>

namespace Shivx {

// The work of a check or an init, without threads of its own beyond the hashing pool and
// without audit or storage: walk the sets, hash what the mode requires, compare with the
// baseline. Runs on the caller's thread (the integrity thread in the engine, the test's
// thread in tests).
class IntegrityChecker
{
public:
    struct Options
    {
        IntegrityMode mode = IntegrityMode::Full;
        int threads = 2;
        HashBudget *budget = nullptr; // null: unthrottled
        const std::atomic_bool *cancel = nullptr;
        HashProgress *progress = nullptr;
        // Called on the caller's thread as each phase begins ("walking", "hashing",
        // "comparing"), with the files and bytes the hashing phase will read.
        std::function<void(const QString &phase, qint64 files, qint64 bytes)> phase;
        std::function<void()> tick; // about every 100 ms while hashing
        // Files never opened nor recorded (the engine's databases); listed in `skipped`.
        const OwnFiles *own = nullptr;
    };

    // Walks and hashes everything: the records of a new baseline. Sets `result` (counts,
    // walk errors, cancelled) when given.
    static QList<FileState> scan(
        const QList<IntegrityPathSet> &sets, const Options &options, IntegrityResult *result);

    // A check against `baseline`; fills `result`'s counts and differences (sorted by path).
    // In fast mode a file whose size, inode and ctime match its record is not read and takes
    // the recorded hash. Returns false when cancelled.
    static bool check(const QList<IntegrityPathSet> &sets, const Baseline &baseline,
        const Options &options, IntegrityResult *result);

    // The differences between the records and `current` (hashed states of the tree).
    static QList<IntegrityDifference> compare(
        const QHash<QString, FileState> &baseline, const QList<FileState> &current);

    // Whether fast mode may trust the record of a file instead of reading it.
    static bool unchangedForFastMode(const FileState &recorded, const FileState &now);
};

} // namespace Shivx
