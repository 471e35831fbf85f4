#pragma once

#include "audit/auditconfig.h"
#include "audit/auditentry.h"
#include "audit/auditsink.h"
#include "audit/checkpointkey.h"
#include "core/result.h"

#include <QList>
#include <QString>

#include <optional>

namespace Shivx {

class Clock;

// The files of one stream (DATA/audit/STREAM, docs/audit-format.md): appends entries to the
// active segment, rotates, seals and compresses segments, keeps head.json, appends signed
// checkpoints and applies retention. Used by exactly one thread (the engine's writer thread,
// or a CLI process); every call except the getters must be made while holding the AuditLock.
class AuditStream
{
public:
    // `key` may be null (no retention then: deletion needs a verified checkpoint); not owned.
    AuditStream(
        QString dataDir, QString name, AuditConfig config, Clock *clock, const CheckpointKey *key);
    ~AuditStream();
    AuditStream(const AuditStream &) = delete;
    AuditStream &operator=(const AuditStream &) = delete;

    QString name() const { return m_name; }
    QString directory() const { return m_dir; }
    qint64 lastSeq() const { return m_seq; }
    QByteArray lastHash() const { return m_hash; }
    qint64 lastCheckpointSeq() const { return m_lastCheckpointSeq; }
    int activeSegment() const { return m_activeNumber; }

    // Brings the in-memory state in line with the disk: on first use, and whenever another
    // writer has appended since our last batch (head.json replaced, segment grew or rotated).
    // Repairs a torn tail (moved to torn/) and a stale head, and returns the events that
    // record those repairs; the caller appends them before anything else.
    Result<QList<AuditEvent>> sync();

    // Appends the events in order (after sync()). An event whose data cannot be written
    // canonically (a decimal, NaN) is kept: its data becomes {"invalid_data": why, "json": text}.
    // *written counts the entries that reached the file, also on failure.
    Result<void> append(const QList<AuditEvent> &events, int *written = nullptr);

    // Signs {stream, seq, hash, ts} and appends it to checkpoints.ndjson (fdatasync). Without
    // `force`, does nothing (returns seq 0) when no entry was added since the last checkpoint.
    Result<Checkpoint> checkpoint(const CheckpointKey &key, bool force);

    // The hash of entry `seq` as read and hash-checked from the segments; empty if absent.
    QByteArray hashAtSeq(qint64 seq) const;

    void close();

private:
    Result<QList<AuditEvent>> load();
    bool changedOnDisk() const;
    Result<void> openActive();
    Result<void> rotate();
    Result<void> writeHead();
    Result<void> writeBuffer(QByteArray &buffer);
    void applyRetention();
    Result<AuditEvent> moveTornTail(const QString &path, qint64 offset, const QString &fileLabel);
    // Moves a torn last line of checkpoints.ndjson to torn/ (at load and before each checkpoint
    // append); returns the event that records it, for the caller to append.
    Result<std::optional<AuditEvent>> repairCheckpointsTail();

    QString m_dataDir, m_name, m_dir;
    AuditConfig m_config;
    Clock *m_clock;
    const CheckpointKey *m_key;

    bool m_loaded = false;
    int m_fd = -1;
    int m_activeNumber = 1;
    qint64 m_activeSize = 0;
    qint64 m_activeFirstTsMs = 0; // ts of the active segment's first entry; 0 when empty
    QString m_lastSegment; // the segment holding the last entry
    qint64 m_seq = 0;
    QByteArray m_hash;
    qint64 m_lastTsMs = 0;
    qint64 m_lastCheckpointSeq = 0;
    quint64 m_headInode = 0;
    QList<AuditEvent>
        m_pending; // events the stream itself produced (retention) for the next append
};

} // namespace Shivx
