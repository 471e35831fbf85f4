#include "audit/auditwriter.h"

#include "audit/auditentry.h"
#include "audit/auditstream.h"
#include "audit/segmentfiles.h"
#include "core/clock.h"

#include <QDir>
#include <QLoggingCategory>
#include <QMutexLocker>
#include <QTimer>

Q_LOGGING_CATEGORY(lcAudit, "shivx.audit")

namespace Shivx {

AuditWriter::AuditWriter(QString dataDir, AuditConfig config, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
    , m_config(config)
    , m_clock(clock ? clock : Clock::system())
    , m_lock(AuditFiles::lockPath(m_dataDir))
{
    qRegisterMetaType<AuditEvent>();
}

AuditWriter::~AuditWriter() = default;

void AuditWriter::record(AuditEvent event)
{
    if (event.tsMs <= 0)
        event.tsMs = m_clock->nowMs();
    bool schedule = false;
    {
        QMutexLocker locker(&m_mutex);
        m_queue.append(std::move(event));
        schedule = !m_flushScheduled;
        m_flushScheduled = true;
    }
    if (schedule)
        scheduleFlush();
}

void AuditWriter::scheduleFlush()
{
    // Queued even on the writer's own thread: events recorded during one turn of the event
    // loop become one batch (one lock, one fdatasync per stream).
    QMetaObject::invokeMethod(this, &AuditWriter::flush, Qt::QueuedConnection);
}

qint64 AuditWriter::queuedCount() const
{
    QMutexLocker locker(&m_mutex);
    return m_queue.size();
}

void AuditWriter::requeue(QList<AuditEvent> events)
{
    {
        QMutexLocker locker(&m_mutex);
        events += m_queue;
        m_queue = std::move(events);
    }
    if (m_retryTimer && !m_retryTimer->isActive())
        m_retryTimer->start();
}

AuditStream *AuditWriter::stream(const QString &name)
{
    auto it = m_streams.find(name);
    if (it != m_streams.end())
        return it->second.get();
    if (!AuditEntryCodec::isValidStreamName(name))
        return nullptr;
    auto s = std::make_unique<AuditStream>(m_dataDir, name, m_config, m_clock, &m_key);
    AuditStream *raw = s.get();
    m_streams.emplace(name, std::move(s));
    return raw;
}

Result<void> AuditWriter::open()
{
    if (m_open)
        return {};
    const QString dir = AuditFiles::auditDir(m_dataDir);
    if (!QDir().mkpath(dir))
        return makeError(
            "audit.io", QStringLiteral("%1: cannot create the audit directory").arg(dir));
    QFile::setPermissions(
        dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    auto key = CheckpointKey::loadOrCreate(AuditFiles::keysDir(m_dataDir));
    if (!key)
        return key.error();
    m_key = std::move(*key);

    QStringList names { AuditStreams::resilience(), AuditStreams::security(),
        AuditStreams::operatorActions() };
    for (const QString &s : AuditFiles::listStreams(m_dataDir))
        if (!names.contains(s))
            names.append(s);
    {
        AuditLockGuard guard(m_lock);
        if (!guard.result())
            return guard.result().error();
        for (const QString &name : std::as_const(names)) {
            AuditStream *s = stream(name);
            auto repairs = s->sync();
            if (!repairs) {
                qCCritical(lcAudit).noquote()
                    << "audit stream" << name << "cannot be continued:" << repairs.error().message;
                continue;
            }
            int written = 0;
            if (!repairs->isEmpty())
                if (auto r = s->append(*repairs, &written); !r)
                    qCCritical(lcAudit).noquote() << r.error().message;
            m_written += written;
        }
    }

    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    m_retryTimer->setInterval(1000);
    connect(m_retryTimer, &QTimer::timeout, this, &AuditWriter::flush);
    m_checkpointTimer = new QTimer(this);
    m_checkpointTimer->setInterval(
        int(qMin<qint64>(m_config.checkpointEveryMs, 24LL * 3600 * 1000)));
    connect(m_checkpointTimer, &QTimer::timeout, this, [this] {
        if (auto r = checkpointAll(false); !r)
            qCWarning(lcAudit).noquote() << "checkpoint failed:" << r.error().message;
    });
    m_checkpointTimer->start();
    m_open = true;
    return {};
}

void AuditWriter::flush()
{
    QList<AuditEvent> batch;
    {
        QMutexLocker locker(&m_mutex);
        m_flushScheduled = false;
        if (!m_open)
            return; // open() has not run yet: keep everything queued
        batch.swap(m_queue);
    }
    if (batch.isEmpty())
        return;

    AuditLockGuard guard(m_lock);
    if (!guard.result()) {
        requeue(batch);
        countBatch({}, 0, true);
        Q_EMIT writeFailed(guard.result().error().message);
        return;
    }
    // Per stream, in the order recorded; streams in the order first seen.
    QStringList order;
    QHash<QString, QList<AuditEvent>> byStream;
    for (AuditEvent &e : batch) {
        if (!byStream.contains(e.stream))
            order.append(e.stream);
        byStream[e.stream].append(std::move(e));
    }
    int total = 0;
    int repaired = 0;
    QHash<QString, qint64> byName;
    QList<AuditEvent> failed;
    QList<AuditEvent> appended;
    QString failure;
    for (const QString &name : std::as_const(order)) {
        QList<AuditEvent> events = byStream.take(name);
        AuditStream *s = stream(name);
        if (!s) {
            qCCritical(lcAudit).noquote()
                << "dropping" << events.size() << "audit events for invalid stream name" << name;
            continue;
        }
        auto repairs = s->sync();
        if (!repairs) {
            failure = repairs.error().message;
            failed += events;
            continue;
        }
        QList<AuditEvent> all = *repairs + events;
        int written = 0;
        if (auto r = s->append(all, &written); !r) {
            failure = r.error().message;
            failed += all.mid(written);
        }
        total += written;
        appended += all.mid(0, written);
        repaired += qMin(written, int(repairs->size()));
        byName[name] += written;
    }
    countBatch(byName, repaired, !failed.isEmpty());
    m_written += total;
    m_sinceCheckpoint += total;
    if (m_sinceCheckpoint >= m_config.checkpointEveryEntries)
        if (auto r = checkpointLocked(false); !r)
            qCWarning(lcAudit).noquote() << "checkpoint failed:" << r.error().message;
    if (!failed.isEmpty()) {
        qCWarning(lcAudit).noquote() << "audit batch failed, retrying:" << failure;
        requeue(failed);
        Q_EMIT writeFailed(failure);
    }
    if (total > 0) {
        Q_EMIT entriesAppended(appended);
        Q_EMIT batchWritten(total);
    }
}

void AuditWriter::countBatch(const QHash<QString, qint64> &byStream, int repairs, bool failed)
{
    QMutexLocker locker(&m_mutex);
    for (auto it = byStream.cbegin(); it != byStream.cend(); ++it)
        m_stats.entriesByStream[it.key()] += it.value();
    m_stats.repairs += repairs;
    if (failed)
        ++m_stats.failedBatches;
    m_stats.lastBatchFailed = failed;
}

AuditWriter::Stats AuditWriter::stats() const
{
    QMutexLocker locker(&m_mutex);
    Stats s = m_stats;
    s.queued = m_queue.size();
    return s;
}

Result<QList<Checkpoint>> AuditWriter::checkpointAll(bool force)
{
    AuditLockGuard guard(m_lock);
    if (!guard.result())
        return guard.result().error();
    return checkpointLocked(force);
}

Result<QList<Checkpoint>> AuditWriter::checkpointLocked(bool force)
{
    QList<Checkpoint> out;
    m_sinceCheckpoint = 0;
    for (auto &[name, s] : m_streams) {
        // Another writer may have appended since our last batch: sign what is on disk.
        auto repairs = s->sync();
        if (!repairs)
            return repairs.error();
        if (!repairs->isEmpty()) {
            int written = 0;
            if (auto r = s->append(*repairs, &written); !r)
                return r.error();
            m_written += written;
        }
        auto cp = s->checkpoint(m_key, force);
        if (!cp)
            return cp.error();
        if (cp->seq > 0)
            out.append(*cp);
    }
    return out;
}

void AuditWriter::finish(bool checkpoint)
{
    if (!m_open)
        return;
    flush();
    if (checkpoint)
        if (auto r = checkpointAll(false); !r)
            qCWarning(lcAudit).noquote() << "final checkpoint failed:" << r.error().message;
    if (const qint64 left = queuedCount())
        qCCritical(lcAudit).noquote() << left << "audit events could not be written";
    m_checkpointTimer->stop();
    m_retryTimer->stop();
    for (auto &[name, s] : m_streams)
        s->close();
    m_open = false;
}

} // namespace Shivx
