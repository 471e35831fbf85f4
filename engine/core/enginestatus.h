#pragma once

#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"

#include <QReadWriteLock>

#include <atomic>

namespace Shivx {

// The engine's latest state, shared between its threads: the aggregator writes it, the
// HTTP API and the public getters read it. Every access copies under a read-write lock, so
// readers never see a half-updated value and never block the writer for long.
class EngineStatus
{
public:
    struct Storage
    {
        bool ok = false;
        QString detail;
        qint64 lastWriteMs = 0;
        quint64 pointsWritten = 0;
        quint64 writeErrors = 0;
        quint64 pointsDropped = 0; // non-finite values that history cannot store
    };

    void setHost(const HostSample &s)
    {
        QWriteLocker l(&m_lock);
        m_host = s;
    }
    void setTargets(const QList<TargetStatus> &t)
    {
        QWriteLocker l(&m_lock);
        m_targets = t;
    }
    void setHealth(const HealthReport &h)
    {
        QWriteLocker l(&m_lock);
        m_health = h;
    }
    void setStorage(const Storage &s)
    {
        QWriteLocker l(&m_lock);
        m_storage = s;
    }

    HostSample host() const
    {
        QReadLocker l(&m_lock);
        return m_host;
    }
    QList<TargetStatus> targets() const
    {
        QReadLocker l(&m_lock);
        return m_targets;
    }
    HealthReport health() const
    {
        QReadLocker l(&m_lock);
        return m_health;
    }
    Storage storage() const
    {
        QReadLocker l(&m_lock);
        return m_storage;
    }

    // Heartbeats (epoch ms) of the threads the watchdog and the liveness check watch.
    std::atomic<qint64> coreHeartbeatMs { 0 };
    std::atomic<qint64> startedAtMs { 0 };

private:
    mutable QReadWriteLock m_lock;
    HostSample m_host;
    QList<TargetStatus> m_targets;
    HealthReport m_health;
    Storage m_storage;
};

} // namespace Shivx
