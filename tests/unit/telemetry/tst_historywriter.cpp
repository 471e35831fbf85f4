#include "core/clock.h"
#include "core/enginestatus.h"
#include "executor/boundedexecutor.h"
#include "telemetry/historystore.h"
#include "telemetry/historywriter.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Shivx;

namespace {

qint64 countRows(const QString &db, const char *table)
{
    QSqlDatabase c
        = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("counter"));
    c.setDatabaseName(db);
    qint64 n = -1;
    if (c.open()) {
        QSqlQuery q(c);
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))) && q.next())
            n = q.value(0).toLongLong();
    }
    c = QSqlDatabase();
    QSqlDatabase::removeDatabase(QStringLiteral("counter"));
    return n;
}

} // namespace

class TstHistoryWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A non-finite reading must not block the batch it arrives in, nor any later one.
    void nonFinitePointsAreDroppedNotBlocking()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        ManualClock clock(1'700'000'000'000);
        EngineStatus status;
        {
            HistoryWriter writer(db, {}, &status, &clock);
            writer.start();
            QVERIFY(status.storage().ok);
            const qint64 t = clock.nowMs();
            writer.record({ { QStringLiteral("a"), t, std::numeric_limits<double>::quiet_NaN() },
                { QStringLiteral("a"), t + 1000, 1.5 },
                { QStringLiteral("a"), t + 2000, std::numeric_limits<double>::infinity() },
                { QStringLiteral("a"), t + 3000, 2.5 } });
            writer.finish();
            const auto s = status.storage();
            QVERIFY(s.ok);
            QCOMPARE(s.pointsWritten, quint64(2));
            QCOMPARE(s.pointsDropped, quint64(2));
            QCOMPARE(s.writeErrors, quint64(0));
        }
        auto store = HistoryStore::open(db, QStringLiteral("reader"));
        QVERIFY(store.ok());
        const auto r = store.value()->query(
            QStringLiteral("a"), 1'700'000'000'000, 1'700'000'010'000, Resolution::Raw);
        QVERIFY(r.ok());
        QCOMPARE(r->points.size(), 2);
        QCOMPARE(r->points.at(0).avg, 1.5);
        QCOMPARE(r->points.at(1).avg, 2.5);
    }

    // The degradation controller pauses maintenance while background_tasks is off: a run
    // while paused does nothing (no rollups appear), and resuming catches up at once.
    void maintenancePausesAndCatchesUpOnResume()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        ManualClock clock(1'700'000'000'000);
        EngineStatus status;
        HistoryWriter writer(db, {}, &status, &clock);
        writer.setWriteInterval(100);
        writer.start();
        const qint64 t0 = clock.nowMs() - 2 * 3'600'000; // in a closed block: due for rollup
        writer.record(
            { { QStringLiteral("a"), t0, 1.0 }, { QStringLiteral("a"), t0 + 1000, 3.0 } });
        QTRY_COMPARE(status.storage().pointsWritten, quint64(2));

        // Maintenance moves raw rows into sealed blocks and rollups; counting the tables
        // shows whether it ran (queries answer the same either way).
        auto count = [&](const char *table) { return countRows(db, table); };
        QCOMPARE(count("history_raw"), 2);
        QCOMPARE(count("history_1m"), 0);

        writer.setMaintenancePaused(true);
        QVERIFY(writer.maintenancePaused());
        writer.maintain(); // what the minute timer does
        QCOMPARE(count("history_raw"), 2);
        QCOMPARE(count("history_1m"), 0);

        writer.setMaintenancePaused(false);
        QCOMPARE(count("history_raw"), 0);
        QCOMPARE(count("history_1m"), 1);
        QCOMPARE(count("history_block"), 1);
        writer.finish();
    }

    // In the engine, maintenance runs on the executor as the kind "history.maintenance",
    // paused with background_tasks: the timer's run waits in the queue (one at a time, not
    // one per minute) and happens on resume, off the writer's thread.
    void maintenanceRunsOnTheExecutorAndPausesWithIt()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        ManualClock clock(1'700'000'000'000);
        EngineStatus status;
        ExecutorConfig config;
        config.workers = 1;
        config.queueSize = 4;
        BoundedExecutor executor(config);
        QVERIFY(executor
                    .registerKind({ HistoryWriter::maintenanceKind(), TaskPriority::Background,
                        { QStringLiteral("background_tasks_off") }, RejectionPolicy::Drop })
                    .ok());
        executor.setCondition(QStringLiteral("background_tasks_off"), true);
        HistoryWriter writer(db, {}, &status, &clock);
        writer.setExecutor(&executor);
        writer.setWriteInterval(100);
        writer.start();
        const qint64 t0 = clock.nowMs() - 2 * 3'600'000;
        writer.record(
            { { QStringLiteral("a"), t0, 1.0 }, { QStringLiteral("a"), t0 + 1000, 3.0 } });
        QTRY_COMPARE(status.storage().pointsWritten, quint64(2));

        writer.maintain();
        writer.maintain(); // the next minute: the first run is still waiting
        ExecutorMetrics m = executor.metrics();
        QCOMPARE(m.submitted, 1u);
        QCOMPARE(m.pausedDepth, 1);
        QCOMPARE(countRows(db, "history_raw"), 2);
        QCOMPARE(countRows(db, "history_1m"), 0);

        executor.setCondition(QStringLiteral("background_tasks_off"), false);
        QTRY_COMPARE(countRows(db, "history_1m"), 1);
        QTRY_COMPARE(executor.metrics().completed, 1u);
        QCOMPARE(countRows(db, "history_raw"), 0);
        QCOMPARE(countRows(db, "history_block"), 1);
        writer.finish();
    }

    // Storage that cannot be opened is reported (readiness reads it) instead of crashing.
    void unopenableStorageIsReported()
    {
        QTemporaryDir dir;
        ManualClock clock;
        EngineStatus status;
        HistoryWriter writer(
            dir.filePath(QStringLiteral("missing/dir/shivx.db")), {}, &status, &clock);
        writer.start();
        QVERIFY(!status.storage().ok);
        QVERIFY(!status.storage().detail.isEmpty());
        writer.finish();
    }
};

QTEST_GUILESS_MAIN(TstHistoryWriter)
#include "tst_historywriter.moc"
