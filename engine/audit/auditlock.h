#pragma once

#include "core/result.h"

#include <QString>

namespace Shivx {

// DATA/audit/lock: the exclusive flock(2) every writer (the engine's writer thread, each
// `shivx audit append` process) holds while it appends a batch and replaces head files, so
// that two writers never fork a chain. The kernel drops it when a holder dies (kill -9).
// Not thread-safe: one instance per thread; lock()/unlock() pair per batch.
class AuditLock
{
public:
    explicit AuditLock(QString path);
    ~AuditLock();
    AuditLock(const AuditLock &) = delete;
    AuditLock &operator=(const AuditLock &) = delete;

    // Opens (creating) the lock file on first use and blocks until the lock is held.
    Result<void> lock();
    void unlock();
    bool isLocked() const { return m_locked; }

private:
    QString m_path;
    int m_fd = -1;
    bool m_locked = false;
};

// RAII for one batch.
class AuditLockGuard
{
public:
    explicit AuditLockGuard(AuditLock &lock)
        : m_lock(lock)
        , m_result(lock.lock())
    {
    }
    ~AuditLockGuard()
    {
        if (m_result)
            m_lock.unlock();
    }
    AuditLockGuard(const AuditLockGuard &) = delete;
    AuditLockGuard &operator=(const AuditLockGuard &) = delete;
    const Result<void> &result() const { return m_result; }

private:
    AuditLock &m_lock;
    Result<void> m_result;
};

} // namespace Shivx
