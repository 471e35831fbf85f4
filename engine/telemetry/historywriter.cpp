#include "telemetry/historywriter.h"

#include "core/clock.h"

#include <QLoggingCategory>
#include <QThread>
#include <QTimer>

#include <cmath>

Q_LOGGING_CATEGORY(lcHistoryWriter, "shivx.telemetry.history")

namespace Shivx {

namespace {
// A buffer this large means storage has been failing for minutes; older points are dropped
// first so memory stays bounded and the newest data survives.
constexpr int maxBufferedPoints = 200'000;
} // namespace

HistoryWriter::HistoryWriter(
    QString dbPath, HistoryRetention retention, EngineStatus *status, Clock *clock, QObject *parent)
    : QObject(parent)
    , m_dbPath(std::move(dbPath))
    , m_retention(retention)
    , m_status(status)
    , m_clock(clock ? clock : Clock::system())
{
}

HistoryWriter::~HistoryWriter() = default;

void HistoryWriter::start()
{
    auto store
        = HistoryStore::open(m_dbPath, QStringLiteral("shivx.telemetry.history"), m_retention);
    if (!store) {
        report(false, store.error().message);
    } else {
        m_store = std::move(store.value());
        report(true, QStringLiteral("writable"));
    }
    m_flushTimer = new QTimer(this);
    connect(m_flushTimer, &QTimer::timeout, this, &HistoryWriter::flush);
    m_flushTimer->start(m_writeIntervalMs);
    m_maintainTimer = new QTimer(this);
    connect(m_maintainTimer, &QTimer::timeout, this, &HistoryWriter::maintain);
    m_maintainTimer->start(60'000);
}

void HistoryWriter::record(const QList<SamplePoint> &points)
{
    // The store rejects a whole batch with a non-finite value (SQLite cannot hold NaN), so
    // one failed reading must not hold back every later write: it is dropped here.
    const qsizetype before = m_buffer.size();
    for (const SamplePoint &p : points) {
        if (std::isfinite(p.value) && !p.series.isEmpty() && p.tsMs >= 0)
            m_buffer.append(p);
        else
            ++m_storage.pointsDropped;
    }
    if (m_buffer.size() > before)
        Q_EMIT pointsRecorded(
            before == 0 && m_buffer.size() == points.size() ? points : m_buffer.mid(before));
    if (m_buffer.size() > maxBufferedPoints)
        m_buffer.remove(0, m_buffer.size() - maxBufferedPoints);
}

void HistoryWriter::finish()
{
    if (m_flushTimer)
        m_flushTimer->stop();
    if (m_maintainTimer)
        m_maintainTimer->stop();
    flush();
    m_store.reset();
}

void HistoryWriter::flush()
{
    if (!m_store) {
        // Storage failed to open (disk full, permissions, corrupt file): keep trying, so the
        // engine recovers by itself once the operator has fixed the cause.
        auto store
            = HistoryStore::open(m_dbPath, QStringLiteral("shivx.telemetry.history"), m_retention);
        if (!store) {
            report(false, store.error().message);
            return;
        }
        m_store = std::move(store.value());
    }
    if (m_buffer.isEmpty()) {
        report(true, QStringLiteral("writable"));
        return;
    }
    const auto r = m_store->append(m_buffer);
    if (!r) {
        ++m_storage.writeErrors;
        qCWarning(lcHistoryWriter) << "history append failed:" << r.error().message;
        report(false, r.error().message);
        return;
    }
    m_storage.pointsWritten += quint64(m_buffer.size());
    m_storage.lastWriteMs = m_clock->nowMs();
    m_buffer.clear();
    report(true, QStringLiteral("writable"));
}

void HistoryWriter::setMaintenancePaused(bool paused)
{
    if (paused == m_maintenancePaused)
        return;
    m_maintenancePaused = paused;
    qCInfo(lcHistoryWriter) << (paused ? "history maintenance paused (background_tasks off)"
                                       : "history maintenance resumed");
    if (!paused && m_maintenanceSkipped)
        maintain();
}

void HistoryWriter::setExecutor(BoundedExecutor *executor)
{
    m_executor = executor;
}

void HistoryWriter::maintain()
{
    if (m_executor) {
        const TaskStatus last = m_maintenanceTask.status();
        if (m_maintenanceTask.isValid()
            && (last == TaskStatus::Queued || last == TaskStatus::Running))
            return; // still waiting (paused, busy pool) or running: one at a time
        const QString path = m_dbPath;
        const HistoryRetention retention = m_retention;
        Clock *clock = m_clock;
        auto submitted = m_executor->submit(maintenanceKind(), [path, retention, clock] {
            // SQLite connections belong to the thread that opened them: a worker opens its
            // own for the run and closes it after (once a minute, the open is cheap next to
            // the sealing).
            const QString connection = QStringLiteral("shivx.telemetry.history.maintenance-%1")
                                           .arg(quintptr(QThread::currentThreadId()));
            auto store = HistoryStore::open(path, connection, retention);
            const Result<void> r
                = store ? (*store)->maintain(clock->nowMs()) : Result<void>(store.error());
            if (!r)
                qCWarning(lcHistoryWriter) << "history maintenance failed:" << r.error().message;
        });
        if (submitted)
            m_maintenanceTask = submitted.value();
        else
            qCWarning(lcHistoryWriter)
                << "history maintenance not queued:" << submitted.error().message;
        return;
    }
    if (m_maintenancePaused) {
        m_maintenanceSkipped = true;
        return;
    }
    m_maintenanceSkipped = false;
    if (!m_store)
        return;
    const auto r = m_store->maintain(m_clock->nowMs());
    if (!r)
        qCWarning(lcHistoryWriter) << "history maintenance failed:" << r.error().message;
}

void HistoryWriter::report(bool ok, const QString &detail)
{
    m_storage.ok = ok;
    m_storage.detail = detail;
    m_status->setStorage(m_storage);
}

} // namespace Shivx
