#include "pipelines/pipelinescheduler.h"

#include "core/clock.h"
#include "pipelines/jobstore.h"

#include <QLoggingCategory>
#include <QTimer>

Q_LOGGING_CATEGORY(lcScheduler, "shivx.pipelines.scheduler")

namespace Shivx {

namespace {

constexpr qint64 MaxSleepMs = 60'000;

QDateTime at(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
}

} // namespace

PipelineScheduler::PipelineScheduler(
    Clock *clock, JobStore *store, Fire fire, Skipped skipped, QTimeZone zone, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_store(store)
    , m_fire(std::move(fire))
    , m_skipped(std::move(skipped))
    , m_zone(std::move(zone))
{
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &PipelineScheduler::tick);
}

void PipelineScheduler::setPipelines(const QList<PipelineDefinition> &pipelines)
{
    const qint64 now = m_clock->nowMs();
    QMap<QString, Entry> entries;
    for (const PipelineDefinition &def : pipelines) {
        if (def.schedule.isEmpty())
            continue;
        const auto known = m_entries.constFind(def.name);
        if (known != m_entries.cend() && known->text == def.schedule) {
            Entry e = *known;
            e.missed = def.missed;
            entries.insert(def.name, e);
            continue;
        }
        const auto cron = CronExpression::parse(def.schedule);
        if (!cron)
            continue; // refused at load already
        Entry e { def.schedule, *cron, def.missed, 0 };
        const auto last = m_store->lastFired(def.name);
        const qint64 lastMs = last ? *last : 0;
        if (known == m_entries.cend() && lastMs > 0) {
            const MissedRuns m = missedRuns(e.cron, at(lastMs), at(now), e.missed, m_zone);
            if (m.missed > 0) {
                qCInfo(lcScheduler).noquote()
                    << def.name << m.missed << "fire time(s) missed while no engine ran:"
                    << (m.runNow ? "running once now" : "skipped");
                // Another engine sharing the store may have caught up already.
                const auto claimed
                    = m_store->claimFire(def.name, m.latestMissed.toMSecsSinceEpoch());
                if (!claimed || *claimed) {
                    if (m.runNow)
                        m_fire(def.name, m.latestMissed.toMSecsSinceEpoch(), m.missed - 1);
                    else if (m_skipped)
                        m_skipped(def.name, m.missed);
                }
            }
        } else if (lastMs == 0) {
            // Remembered from now on, so that a fire time missed later is found.
            m_store->setLastFired(def.name, now);
        }
        const QDateTime next = e.cron.nextFireTime(at(now), m_zone);
        e.nextMs = next.isValid() ? next.toMSecsSinceEpoch() : 0;
        entries.insert(def.name, e);
    }
    m_entries = std::move(entries);
    arm();
}

void PipelineScheduler::tick()
{
    const qint64 now = m_clock->nowMs();
    for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
        Entry &e = it.value();
        if (e.nextMs <= 0 || e.nextMs > now)
            continue;
        const qint64 fired = e.nextMs;
        // Of several engines sharing the store, the one that records the fire time runs it.
        const auto claimed = m_store->claimFire(it.key(), fired);
        const QDateTime next = e.cron.nextFireTime(at(now), m_zone);
        e.nextMs = next.isValid() ? next.toMSecsSinceEpoch() : 0;
        if (!claimed)
            qCWarning(lcScheduler).noquote() << claimed.error().message;
        if (!claimed || *claimed)
            m_fire(it.key(), fired, 0);
    }
    arm();
}

qint64 PipelineScheduler::nextFireMs(const QString &pipeline) const
{
    return m_entries.value(pipeline).nextMs;
}

void PipelineScheduler::arm()
{
    qint64 soonest = 0;
    for (const Entry &e : std::as_const(m_entries))
        if (e.nextMs > 0 && (soonest == 0 || e.nextMs < soonest))
            soonest = e.nextMs;
    if (soonest == 0) {
        m_timer->stop();
        return;
    }
    m_timer->start(int(qBound<qint64>(0, soonest - m_clock->nowMs(), MaxSleepMs)));
}

} // namespace Shivx
