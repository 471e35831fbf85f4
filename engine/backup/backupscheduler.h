#pragma once

#include "backup/backupconfig.h"
#include "schedule/cronexpression.h"

#include <QList>
#include <QObject>
#include <QTimeZone>

#include <functional>

class QTimer;

namespace Shivx {

class Clock;

// One thing the backup runtime does by the clock: a set's backup of a type, a set's restore
// drill, or the repository's verify.
struct BackupScheduledJob
{
    QString kind; // backup | drill | verify
    QString set; // backup, drill
    QString type; // backup: full | incremental | differential; verify: quick | full
};

// Fires the `backup:` section's cron schedules (per set `schedule:` entries and `drill:`, and
// `verify.schedule`) in local time. A fire time missed while no engine ran is not caught up:
// the next one comes, and the BackupOverdue alert says when that is too late. Lives on the
// backup controller's thread; the timer wakes at most a minute ahead, so a changed system
// clock is noticed.
class BackupScheduler : public QObject
{
    Q_OBJECT
public:
    using Fire = std::function<void(const BackupScheduledJob &job)>;

    BackupScheduler(Clock *clock, Fire fire, QTimeZone zone = QTimeZone::systemTimeZone(),
        QObject *parent = nullptr);

    // Replaces the schedules; each starts at its next fire time after now.
    void setConfig(const BackupConfig &config);
    void stop();
    // Fires what is due at the clock's now and arms the timer.
    void tick();
    // Epoch ms of the set's next scheduled backup, 0 when none.
    qint64 nextBackupMs(const QString &set) const;

private:
    struct Entry
    {
        BackupScheduledJob job;
        CronExpression cron;
        qint64 nextMs = 0;
    };
    void add(const BackupScheduledJob &job, const QString &cron, qint64 nowMs);
    void arm();

    Clock *m_clock;
    Fire m_fire;
    QTimeZone m_zone;
    QList<Entry> m_entries;
    QTimer *m_timer = nullptr;
};

} // namespace Shivx
