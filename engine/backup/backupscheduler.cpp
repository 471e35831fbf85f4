#include "backup/backupscheduler.h"

#include "core/clock.h"

#include <QTimer>

namespace Shivx {

namespace {

constexpr qint64 MaxSleepMs = 60'000;

qint64 nextAfter(const CronExpression &cron, qint64 ms, const QTimeZone &zone)
{
    const QDateTime next = cron.nextFireTime(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC), zone);
    return next.isValid() ? next.toMSecsSinceEpoch() : 0;
}

} // namespace

BackupScheduler::BackupScheduler(Clock *clock, Fire fire, QTimeZone zone, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : Clock::system())
    , m_fire(std::move(fire))
    , m_zone(std::move(zone))
{
    m_timer = new QTimer(this);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &BackupScheduler::tick);
}

void BackupScheduler::add(const BackupScheduledJob &job, const QString &text, qint64 nowMs)
{
    const auto cron = CronExpression::parse(text);
    if (!cron)
        return; // refused when the configuration was read
    m_entries.append(Entry { job, *cron, nextAfter(*cron, nowMs, m_zone) });
}

void BackupScheduler::setConfig(const BackupConfig &config)
{
    const qint64 now = m_clock->nowMs();
    m_entries.clear();
    for (const BackupSetSpec &set : config.sets) {
        for (const BackupScheduleSpec &s : set.schedules)
            add({ QStringLiteral("backup"), set.name, s.type }, s.cron, now);
        if (!set.drill.isEmpty())
            add({ QStringLiteral("drill"), set.name, QString() }, set.drill, now);
    }
    if (!config.verifySchedule.isEmpty())
        add({ QStringLiteral("verify"), QString(),
                config.verifyQuick ? QStringLiteral("quick") : QStringLiteral("full") },
            config.verifySchedule, now);
    arm();
}

void BackupScheduler::stop()
{
    m_entries.clear();
    m_timer->stop();
}

void BackupScheduler::tick()
{
    const qint64 now = m_clock->nowMs();
    for (Entry &e : m_entries) {
        if (e.nextMs <= 0 || e.nextMs > now)
            continue;
        e.nextMs = nextAfter(e.cron, now, m_zone);
        m_fire(e.job);
    }
    arm();
}

qint64 BackupScheduler::nextBackupMs(const QString &set) const
{
    qint64 soonest = 0;
    for (const Entry &e : m_entries) {
        if (e.job.kind == QLatin1String("backup") && e.job.set == set && e.nextMs > 0
            && (soonest == 0 || e.nextMs < soonest))
            soonest = e.nextMs;
    }
    return soonest;
}

void BackupScheduler::arm()
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
