// The scheduler on a manual clock and a real job store: fire times start runs, the last fire
// time survives a restart, and fire times missed while no engine ran are skipped or run once.
#include "core/clock.h"
#include "pipelines/pipelinescheduler.h"
#include "pipelines/sqlitejobstore.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

PipelineDefinition scheduled(const QString &name, const QString &cron, MissedRunPolicy missed)
{
    PipelineDefinition d;
    d.name = name;
    d.schedule = cron;
    d.missed = missed;
    return d;
}

qint64 utc(const char *text)
{
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toMSecsSinceEpoch();
}

struct Fired
{
    QString pipeline;
    qint64 fireMs = 0;
    int missed = 0;
};

} // namespace

class TstPipelineScheduler : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    const QTimeZone m_utc = QTimeZone::utc();

    std::unique_ptr<SqliteJobStore> store()
    {
        auto s = SqliteJobStore::open(
            m_dir.filePath(QStringLiteral("shivx.db")), QStringLiteral("sched"));
        return s ? std::move(*s) : nullptr;
    }

private Q_SLOTS:
    void firesAtTheCronTimes()
    {
        ManualClock clock(utc("2026-03-01T10:02:00Z"));
        auto s = store();
        QList<Fired> fired;
        PipelineScheduler scheduler(
            &clock, s.get(),
            [&](const QString &p, qint64 ms, int missed) {
                fired.append({ p, ms, missed });
            },
            {}, m_utc);
        scheduler.setPipelines({ scheduled(QStringLiteral("every5"), QStringLiteral("*/5 * * * *"),
                                     MissedRunPolicy::Skip),
            scheduled(QStringLiteral("manual"), QString(), MissedRunPolicy::Skip) });
        QCOMPARE(scheduler.nextFireMs(QStringLiteral("every5")), utc("2026-03-01T10:05:00Z"));
        QCOMPARE(scheduler.nextFireMs(QStringLiteral("manual")), 0);
        scheduler.tick();
        QVERIFY(fired.isEmpty());
        clock.setMs(utc("2026-03-01T10:05:00Z"));
        scheduler.tick();
        QCOMPARE(fired.size(), 1);
        QCOMPARE(fired.first().fireMs, utc("2026-03-01T10:05:00Z"));
        QCOMPARE(scheduler.nextFireMs(QStringLiteral("every5")), utc("2026-03-01T10:10:00Z"));
        QCOMPARE(*s->lastFired(QStringLiteral("every5")), utc("2026-03-01T10:05:00Z"));
        scheduler.tick(); // not twice for the same time
        QCOMPARE(fired.size(), 1);
        // A changed schedule applies at once.
        scheduler.setPipelines({ scheduled(
            QStringLiteral("every5"), QStringLiteral("0 12 * * *"), MissedRunPolicy::Skip) });
        QCOMPARE(scheduler.nextFireMs(QStringLiteral("every5")), utc("2026-03-01T12:00:00Z"));
    }

    void missedFireTimes_data()
    {
        QTest::addColumn<int>("policy");
        QTest::addColumn<int>("runs");
        QTest::addColumn<int>("skipped");
        QTest::newRow("skip -> nothing runs, 3 skipped") << int(MissedRunPolicy::Skip) << 0 << 3;
        QTest::newRow("catch up once -> one run for 3")
            << int(MissedRunPolicy::CatchUpOnce) << 1 << 0;
    }

    void missedFireTimes()
    {
        QFETCH(int, policy);
        QFETCH(int, runs);
        QFETCH(int, skipped);
        const QString name = QStringLiteral("hourly-%1").arg(policy);
        auto s = store();
        // The last engine fired at 07:00 and died; this one starts at 10:30.
        QVERIFY(s->setLastFired(name, utc("2026-03-01T07:00:00Z")).ok());
        ManualClock clock(utc("2026-03-01T10:30:00Z"));
        QList<Fired> fired;
        int skippedCount = 0;
        PipelineScheduler scheduler(
            &clock, s.get(),
            [&](const QString &p, qint64 ms, int missed) {
                fired.append({ p, ms, missed });
            },
            [&](const QString &, int count) { skippedCount += count; }, m_utc);
        scheduler.setPipelines(
            { scheduled(name, QStringLiteral("0 * * * *"), MissedRunPolicy(policy)) });
        QCOMPARE(fired.size(), runs);
        QCOMPARE(skippedCount, skipped);
        if (runs) {
            QCOMPARE(fired.first().fireMs, utc("2026-03-01T10:00:00Z"));
            QCOMPARE(fired.first().missed, 2); // 08:00 and 09:00 folded into it
        }
        QCOMPARE(*s->lastFired(name), utc("2026-03-01T10:00:00Z"));
        QCOMPARE(scheduler.nextFireMs(name), utc("2026-03-01T11:00:00Z"));
    }

    void aNewScheduleStartsAtItsNextFireTime()
    {
        auto s = store();
        ManualClock clock(utc("2026-03-01T10:30:00Z"));
        QList<Fired> fired;
        PipelineScheduler scheduler(
            &clock, s.get(),
            [&](const QString &p, qint64 ms, int missed) {
                fired.append({ p, ms, missed });
            },
            {}, m_utc);
        scheduler.setPipelines({ scheduled(
            QStringLiteral("fresh"), QStringLiteral("0 * * * *"), MissedRunPolicy::CatchUpOnce) });
        QVERIFY(fired.isEmpty());
        // Remembered, so that a later engine finds what it missed.
        QCOMPARE(*s->lastFired(QStringLiteral("fresh")), utc("2026-03-01T10:30:00Z"));
    }
};

QTEST_GUILESS_MAIN(TstPipelineScheduler)
#include "tst_pipelinescheduler.moc"
