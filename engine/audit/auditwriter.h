#pragma once

#include "audit/auditconfig.h"
#include "audit/auditlock.h"
#include "audit/auditsink.h"
#include "audit/checkpointkey.h"
#include "core/result.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <map>
#include <memory>

class QTimer;

namespace Shivx {

class AuditStream;
class Clock;

// The engine's audit chain writer (docs/audit-format.md). record() may be called from any
// thread: it queues and returns at once, never touching the disk. Everything else runs on the
// thread the writer lives on (the engine's "shivx-audit" thread; a CLI process uses it on its
// main thread): each turn of that thread's event loop takes the whole queue as one batch,
// holds DATA/audit/lock for it, appends per stream, syncs per the durability mode (group
// commit for `batch`) and replaces the head files. Signs checkpoints every N entries and
// every T milliseconds, and at finish().
class AuditWriter : public QObject, public AuditSink
{
    Q_OBJECT
public:
    AuditWriter(
        QString dataDir, AuditConfig config, Clock *clock = nullptr, QObject *parent = nullptr);
    ~AuditWriter() override;

    // Any thread. Stamps tsMs (when 0) with the clock now.
    void record(AuditEvent event) override;

    // Writer thread. Loads (or creates) the checkpoint key, opens the resilience, security and
    // operator streams and every other stream on disk, and repairs torn tails / stale heads
    // (recording the repairs). Fails when the audit directory, key or lock cannot be used.
    Result<void> open();
    // Writer thread. Appends everything queued so far (normally scheduled by record()).
    void flush();
    // Writer thread. Writes a checkpoint of every stream that advanced since its last one
    // (`force`: of every non-empty stream). Takes the lock; returns what was written.
    Result<QList<Checkpoint>> checkpointAll(bool force);
    // Writer thread. Flushes, signs the final checkpoints (when `checkpoint`) and closes.
    void finish(bool checkpoint = true);

    QString dataDir() const { return m_dataDir; }
    const CheckpointKey &key() const { return m_key; }
    qint64 entriesWritten() const { return m_written.load(); } // any thread
    qint64 queuedCount() const; // any thread

    // What the writer has done since it was created (for the metric registry). Any thread.
    struct Stats
    {
        QHash<QString, qint64> entriesByStream; // appended, repair entries included
        qint64 repairs = 0; // repair entries appended for torn tails and stale heads
        qint64 failedBatches = 0; // batches (or parts) that could not be appended
        qint64 queued = 0;
        bool lastBatchFailed = false; // until a later batch succeeds
    };
    Stats stats() const;

Q_SIGNALS:
    // Writer thread, after each batch: the entries it appended (all streams).
    void batchWritten(int entries);
    // Writer thread: a batch could not be written; the events stay queued and are retried.
    void writeFailed(const QString &message);
    // Writer thread, after each batch: the events it appended, repair entries included, in
    // each stream's order (the live stream).
    void entriesAppended(const QList<Shivx::AuditEvent> &events);

private:
    AuditStream *stream(const QString &name);
    void scheduleFlush();
    void requeue(QList<AuditEvent> events);
    void countBatch(const QHash<QString, qint64> &byStream, int repairs, bool failed);
    Result<QList<Checkpoint>> checkpointLocked(bool force);

    QString m_dataDir;
    AuditConfig m_config;
    Clock *m_clock;
    AuditLock m_lock;
    CheckpointKey m_key;
    std::map<QString, std::unique_ptr<AuditStream>> m_streams;
    QTimer *m_checkpointTimer = nullptr;
    QTimer *m_retryTimer = nullptr;
    bool m_open = false;
    int m_sinceCheckpoint = 0;

    mutable QMutex m_mutex; // guards the members below
    QList<AuditEvent> m_queue;
    bool m_flushScheduled = false;
    Stats m_stats;
    std::atomic<qint64> m_written { 0 };
};

} // namespace Shivx
