#pragma once

#include <atomic>
#include <cstdint>
#include <functional>

namespace Shivx::Backup {

// What a long operation (backup, restore, verify) has done so far, for a progress line with
// an ETA. `totalBytes` is 0 while unknown.
struct Progress
{
    std::uint64_t doneBytes = 0;
    std::uint64_t totalBytes = 0;
    std::uint64_t doneItems = 0; // files or packs
    std::uint64_t totalItems = 0;
};

// Shared by every operation: a cancel flag polled between units of work (a chunk, a file, a
// pack) and a progress callback called from the operation's own thread at most every ~200 ms.
struct Control
{
    const std::atomic<bool> *cancel = nullptr;
    std::function<void(const Progress &)> progress;
    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
};

} // namespace Shivx::Backup
