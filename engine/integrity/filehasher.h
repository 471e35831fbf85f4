#pragma once

#include "integrity/filestate.h"

#include <QList>

#include <atomic>
#include <functional>

namespace Shivx {

// What a scan may use: the share of each hashing thread's time and a read rate shared by all
// threads. Read again before every 1 MiB, so that a tighter budget (a worse degradation
// level) applies within milliseconds. Thread-safe; the scanner owns it.
struct HashBudget
{
    std::atomic<int> cpuPercent { 100 }; // 1-100
    std::atomic<qint64> readBytesPerSecond { 0 }; // 0 = unlimited
};

// Live counters of one hashing run, written by the pool, read by anyone.
struct HashProgress
{
    std::atomic<qint64> filesDone { 0 };
    std::atomic<qint64> bytesDone { 0 };
};

// Hashes files with SHA-256 on a bounded pool of threads: OpenSSL's EVP digest (SHA-NI where
// the CPU has it) over 1 MiB reads with sequential read-ahead advice. One thread per core was
// measured as the point where a warm page cache stops scaling. The caller's thread waits.
class FileHasher
{
public:
    // Hashes each regular file's content (a symlink's target text) into files[i].sha256,
    // refreshing its attributes from the open descriptor (fstat), so that what is recorded is
    // what was read. A file that cannot be opened keeps an empty hash and gets `error`.
    // Returns false when `cancel` stopped it (some files are then not hashed).
    // `threads` >= 1; `budget` and `progress` may be null. `tick` (may be null) is called on
    // the calling thread about every 100 ms while the pool works.
    static bool hash(QList<FileState *> files, int threads, const std::atomic_bool *cancel,
        HashBudget *budget, HashProgress *progress, const std::function<void()> &tick = {});

    // One file, on the calling thread, without budget: the real-time path.
    static void hashOne(FileState *file);
};

} // namespace Shivx
