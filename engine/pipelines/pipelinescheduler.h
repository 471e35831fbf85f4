#pragma once

#include "pipelines/pipelinedefinition.h"
#include "schedule/cronexpression.h"

#include <QMap>
#include <QObject>
#include <QTimeZone>

#include <functional>

class QTimer;

namespace Shivx {

class Clock;
class JobStore;

// Starts runs of the pipelines that have a `schedule:` at their cron fire times, in local time
// (CronExpression: Debian cron's rules, DST included). The last fire time of each pipeline is
// kept in the job store, so that fire times missed while no engine ran are found at the next
// start and handled by the pipeline's `missed:` policy: skip them, or run once now. A schedule
// seen for the first time starts at its next fire time. Runs it starts wait for the
// pipeline's max_active_runs like any other.
//
// Lives on the pipeline runner's thread; every method must be called there. The timer wakes
// at the next fire time, at most a minute ahead, so that a changed system clock is noticed.
class PipelineScheduler : public QObject
{
    Q_OBJECT
public:
    // `fire(pipeline, fireMs, missed)`: start a run; `missed` counts the fire times it stands
    // for beyond the one at `fireMs` (catch-up) or 0.
    using Fire = std::function<void(const QString &pipeline, qint64 fireMs, int missed)>;
    // `skipped(pipeline, count)`: fire times a skip policy dropped.
    using Skipped = std::function<void(const QString &pipeline, int count)>;

    PipelineScheduler(Clock *clock, JobStore *store, Fire fire, Skipped skipped,
        QTimeZone zone = QTimeZone::systemTimeZone(), QObject *parent = nullptr);

    // The pipelines as loaded now: schedules added, changed or removed take effect; a pipeline
    // seen for the first time since the engine started has its missed fire times handled.
    void setPipelines(const QList<PipelineDefinition> &pipelines);
    // Fires every schedule that is due at the clock's now and arms the timer.
    void tick();
    // Epoch ms of the next fire time, 0 when the pipeline has no schedule.
    qint64 nextFireMs(const QString &pipeline) const;

private:
    struct Entry
    {
        QString text;
        CronExpression cron;
        MissedRunPolicy missed = MissedRunPolicy::Skip;
        qint64 nextMs = 0;
    };
    void arm();

    Clock *m_clock;
    JobStore *m_store;
    Fire m_fire;
    Skipped m_skipped;
    QTimeZone m_zone;
    QMap<QString, Entry> m_entries;
    QTimer *m_timer = nullptr;
};

} // namespace Shivx
