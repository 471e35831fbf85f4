#pragma once

#include "audit/auditsink.h"

#include <QList>
#include <QMutex>
#include <QStringList>

// An AuditSink that keeps every event in memory, thread-safe like the real writer, for unit
// tests of services that record audit events. Tests of the chain itself use AuditWriter.
class RecordingAuditSink final : public Shivx::AuditSink
{
public:
    void record(Shivx::AuditEvent event) override
    {
        QMutexLocker lock(&m_mutex);
        m_events.append(std::move(event));
    }
    QList<Shivx::AuditEvent> events() const
    {
        QMutexLocker lock(&m_mutex);
        return m_events;
    }
    // Actions in recording order, optionally of one stream only.
    QStringList actions(const QString &stream = {}) const
    {
        QStringList out;
        for (const Shivx::AuditEvent &e : events())
            if (stream.isEmpty() || e.stream == stream)
                out.append(e.action);
        return out;
    }
    QList<Shivx::AuditEvent> withAction(const QString &action) const
    {
        QList<Shivx::AuditEvent> out;
        for (const Shivx::AuditEvent &e : events())
            if (e.action == action)
                out.append(e);
        return out;
    }
    int count(const QString &action) const { return int(actions().count(action)); }

private:
    mutable QMutex m_mutex;
    QList<Shivx::AuditEvent> m_events;
};
