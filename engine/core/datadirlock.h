#pragma once

#include "core/result.h"

#include <QString>

namespace Shivx {

// DATA_DIR/engine.lock: the one engine that serves a data directory holds an exclusive
// flock(2) on it from Engine::start() to Engine::stop(), so that a second `shivx serve` or
// console on the same directory fails at once instead of sampling, supervising and writing
// into the same store. The kernel drops the lock when the holder dies (kill -9), so a lock
// file left behind never blocks a start; the pid and start time written into it only name
// the holder in the error.
//
// Only the engine takes it: CLI commands that read (history, audit tail/verify) or append to
// the audit chain (which has its own lock, audit/auditlock.h) work beside a running engine.
// The descriptor is close-on-exec, so supervised children never inherit the lock (they may
// outlive an engine crash). Not thread-safe; owned by the Engine.
class DataDirLock
{
public:
    DataDirLock() = default;
    ~DataDirLock();
    DataDirLock(const DataDirLock &) = delete;
    DataDirLock &operator=(const DataDirLock &) = delete;

    // Takes the lock on `dir` (which must exist) without waiting and records this process's
    // pid and `startedAtMs` (epoch ms) in the file. Errors: engine.data_dir_locked (args:
    // the directory, the holder's pid or 0 when unknown, its start time as RFC 3339 or
    // empty), datadir.lock (the file cannot be opened or locked).
    Result<void> acquire(const QString &dir, qint64 startedAtMs);
    // Releases the lock (the file stays; the next holder overwrites it). Safe to call twice.
    void release();
    bool isHeld() const { return m_fd >= 0; }

    static QString path(const QString &dir);

private:
    int m_fd = -1;
};

} // namespace Shivx
