#pragma once

#include "core/config.h"
#include "core/enginestatus.h"
#include "executor/boundedexecutor.h"
#include "telemetry/historystore.h"

#include <QObject>

#include <memory>

class QTimer;

namespace Shivx {

class Clock;

// Owns the storage thread's HistoryStore: buffers points that arrive from the aggregator and
// the metric feed, writes them once per write interval in one transaction (`history.
// write_interval`, 5 s: each page a flush touches is written once per interval, not once per
// second), and runs maintenance (block sealing, rollups, retention) every minute. Reports
// storage health into EngineStatus for readiness.
class HistoryWriter : public QObject
{
    Q_OBJECT
public:
    HistoryWriter(QString dbPath, HistoryRetention retention, EngineStatus *status, Clock *clock,
        QObject *parent = nullptr);
    ~HistoryWriter() override;

    // Runs maintenance as the kind maintenanceKind() on `executor` (the engine's pool) instead
    // of on the writer's thread: sealing and retention then never hold up the next flush. The
    // kind (registered by the engine) pauses while `background_tasks` is off; its work stays
    // queued and runs on resume. Call before start(); the executor outlives the writer's use.
    void setExecutor(BoundedExecutor *executor);
    // How often buffered points are written (ms, default DefaultWriteIntervalMs). A kill -9
    // loses at most this much history. Call before start().
    void setWriteInterval(int ms) { m_writeIntervalMs = ms; }
    static constexpr int DefaultWriteIntervalMs = 5000;
    static QString maintenanceKind() { return QStringLiteral("history.maintenance"); }

public Q_SLOTS:
    // Opens the store on the current (storage) thread and starts the timers.
    void start();
    void record(const QList<Shivx::SamplePoint> &points);
    // Writes what is buffered and closes the store; called before the thread quits.
    void finish();
    // Seals blocks, rolls up and applies retention; runs every minute on the writer's timer.
    // With an executor it queues the run there (once: not while one waits or runs); without,
    // it runs here, skipped while paused (see setMaintenancePaused).
    void maintain();
    // Pauses or resumes maintenance that runs on the writer's thread (no executor set; with
    // one, the executor's kind pauses instead). For while the `background_tasks` feature is
    // off, so that a struggling host is not also asked to compress and delete history. Writes
    // go on; a run skipped while paused happens on resume.
    void setMaintenancePaused(bool paused);

public:
    bool maintenancePaused() const { return m_maintenancePaused; }

Q_SIGNALS:
    // Storage thread: the valid points of each record() as they arrive, before they are
    // written (the live stream must not wait for the write interval).
    void pointsRecorded(const QList<Shivx::SamplePoint> &points);

private:
    int m_writeIntervalMs = DefaultWriteIntervalMs;
    void flush();
    void report(bool ok, const QString &detail);

    QString m_dbPath;
    HistoryRetention m_retention;
    EngineStatus *m_status;
    Clock *m_clock;
    std::unique_ptr<HistoryStore> m_store;
    QList<SamplePoint> m_buffer;
    QTimer *m_flushTimer = nullptr;
    QTimer *m_maintainTimer = nullptr;
    EngineStatus::Storage m_storage;
    bool m_maintenancePaused = false;
    bool m_maintenanceSkipped = false;
    BoundedExecutor *m_executor = nullptr;
    TaskHandle m_maintenanceTask; // the one queued or running; never two at once
};

} // namespace Shivx
