#include "core/clock.h"
#include "core/enginestatus.h"
#include "telemetry/historystore.h"
#include "telemetry/historywriter.h"

#include <QTemporaryDir>
#include <QTest>

#include <limits>

using namespace Shivx;

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
            writer.record({{QStringLiteral("a"), t, std::numeric_limits<double>::quiet_NaN()},
                           {QStringLiteral("a"), t + 1000, 1.5},
                           {QStringLiteral("a"), t + 2000, std::numeric_limits<double>::infinity()},
                           {QStringLiteral("a"), t + 3000, 2.5}});
            writer.finish();
            const auto s = status.storage();
            QVERIFY(s.ok);
            QCOMPARE(s.pointsWritten, quint64(2));
            QCOMPARE(s.pointsDropped, quint64(2));
            QCOMPARE(s.writeErrors, quint64(0));
        }
        auto store = HistoryStore::open(db, QStringLiteral("reader"));
        QVERIFY(store.ok());
        const auto r = store.value()->query(QStringLiteral("a"), 1'700'000'000'000, 1'700'000'010'000, Resolution::Raw);
        QVERIFY(r.ok());
        QCOMPARE(r->points.size(), 2);
        QCOMPARE(r->points.at(0).avg, 1.5);
        QCOMPARE(r->points.at(1).avg, 2.5);
    }

    // Storage that cannot be opened is reported (readiness reads it) instead of crashing.
    void unopenableStorageIsReported()
    {
        QTemporaryDir dir;
        ManualClock clock;
        EngineStatus status;
        HistoryWriter writer(dir.filePath(QStringLiteral("missing/dir/shivx.db")), {}, &status, &clock);
        writer.start();
        QVERIFY(!status.storage().ok);
        QVERIFY(!status.storage().detail.isEmpty());
        writer.finish();
    }
};

QTEST_GUILESS_MAIN(TstHistoryWriter)
#include "tst_historywriter.moc"
