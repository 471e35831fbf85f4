// The controller around the policy: snapshots, signals, history points, audit events, pins
// from other threads and expiry on its own timer.
#include "audit/auditsink.h"
#include "core/clock.h"
#include "degradation/degradationcontroller.h"
#include "recordingauditsink.h"

#include <QMutex>
#include <QSignalSpy>
#include <QTest>

#include <atomic>
#include <thread>
#include <vector>

using namespace Shivx;
using L = DegradationLevel;

namespace {

HealthReport report(double score, qint64 ts)
{
    HealthReport r;
    r.score = score;
    r.timestampMs = ts;
    return r;
}

} // namespace

class TstDegradationController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<DegradationSnapshot>();
        qRegisterMetaType<DegradationTransition>();
        qRegisterMetaType<QList<SamplePoint>>();
    }

    void scoresDriveLevelSignalsHistoryAndAudit()
    {
        ManualClock clock;
        RecordingAuditSink audit;
        DegradationController c({}, &clock, &audit);
        QCOMPARE(toString(c.snapshot().level), toString(L::Normal));
        QCOMPARE(c.snapshot().reason.text, QStringLiteral("no score yet"));
        QVERIFY(!c.snapshot().hasScore);
        QSignalSpy levels(&c, &DegradationController::levelChanged);
        QSignalSpy snapshots(&c, &DegradationController::snapshotChanged);
        QSignalSpy history(&c, &DegradationController::historyPoints);

        c.onHealth(report(45.04, clock.nowMs()));
        QCOMPARE(levels.size(), 1);
        const auto t = levels.at(0).at(0).value<DegradationTransition>();
        QCOMPARE(toString(t.to), toString(L::Level3));
        QCOMPARE(snapshots.size(), 1);
        const auto s = c.snapshot();
        QCOMPARE(toString(s.level), toString(L::Level3));
        QCOMPARE(s.score, 45.04);
        QCOMPARE(s.transitions, quint64(1));
        QVERIFY(!s.feature(QStringLiteral("uploads")).enabled);
        QVERIFY(s.feature(QStringLiteral("chat")).enabled);
        QCOMPARE(s.feature(QStringLiteral("sampling")).quality, 0.1);

        // One point for the transition, one for the report.
        QCOMPARE(history.size(), 2);
        for (const auto &args : std::as_const(history)) {
            const auto points = args.at(0).value<QList<SamplePoint>>();
            QCOMPARE(points.size(), 1);
            QCOMPARE(points.at(0).series, QStringLiteral("degradation.level"));
            QCOMPARE(points.at(0).value, 3.0);
            QCOMPARE(points.at(0).tsMs, clock.nowMs());
        }

        // Same band: a history point, but no transition and no snapshot signal.
        clock.advanceMs(1000);
        c.onHealth(report(44, clock.nowMs()));
        QCOMPARE(levels.size(), 1);
        QCOMPARE(snapshots.size(), 1);
        QCOMPARE(history.size(), 3);

        // A better score starts a recovery hold: the snapshot says so.
        clock.advanceMs(1000);
        c.onHealth(report(95, clock.nowMs()));
        QCOMPARE(snapshots.size(), 2);
        QCOMPARE(c.snapshot().recoverySinceMs, clock.nowMs());
        QCOMPARE(toString(c.snapshot().recoveryTarget), toString(L::Normal));

        const auto changes = audit.withAction(QStringLiteral("degradation.level_changed"));
        QCOMPARE(changes.size(), 1);
        QCOMPARE(changes.at(0).stream, AuditStreams::resilience());
        QCOMPARE(changes.at(0).actor, QStringLiteral("engine"));
        QCOMPARE(
            changes.at(0).data.value(QStringLiteral("from")).toString(), QStringLiteral("NORMAL"));
        QCOMPARE(
            changes.at(0).data.value(QStringLiteral("to")).toString(), QStringLiteral("LEVEL_3"));
        QCOMPARE(
            changes.at(0).data.value(QStringLiteral("score")).toString(), QStringLiteral("45.0"));
        QCOMPARE(
            changes.at(0).data.value(QStringLiteral("cause")).toString(), QStringLiteral("score"));
    }

    void pinAndReleaseAreAudited()
    {
        ManualClock clock;
        RecordingAuditSink audit;
        DegradationController c({}, &clock, &audit);
        c.onHealth(report(91, clock.nowMs()));
        const auto pinned = c.pin(L::Level2, QStringLiteral(" planned failover "), 1'800'000,
            QStringLiteral("cli:alice"));
        QVERIFY(pinned.ok());
        QCOMPARE(toString(pinned->level), toString(L::Level2));
        QVERIFY(pinned->pin.active);
        QCOMPARE(pinned->pin.reason, QStringLiteral("planned failover"));
        QCOMPARE(pinned->pin.untilMs, clock.nowMs() + 1'800'000);

        auto events = audit.withAction(QStringLiteral("degradation.pinned"));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).stream, AuditStreams::operatorActions());
        QCOMPARE(events.at(0).actor, QStringLiteral("cli:alice"));
        QCOMPARE(
            events.at(0).data.value(QStringLiteral("level")).toString(), QStringLiteral("LEVEL_2"));
        QCOMPARE(
            events.at(0).data.value(QStringLiteral("score")).toString(), QStringLiteral("91.0"));
        QCOMPARE(events.at(0).data.value(QStringLiteral("duration_ms")).toInteger(), 1'800'000);
        QCOMPARE(audit.withAction(QStringLiteral("degradation.level_changed")).size(), 1);

        bool released = false;
        const DegradationSnapshot after = c.release(QStringLiteral("cli:alice"), &released);
        QVERIFY(released);
        QCOMPARE(toString(after.level), toString(L::Normal));
        QVERIFY(!after.pin.active);
        events = audit.withAction(QStringLiteral("degradation.released"));
        QCOMPARE(events.size(), 1);
        QCOMPARE(events.at(0).data.value(QStringLiteral("level_after")).toString(),
            QStringLiteral("NORMAL"));
        QCOMPARE(audit.withAction(QStringLiteral("degradation.level_changed")).size(), 2);

        c.release(QStringLiteral("cli:alice"), &released);
        QVERIFY(!released);
        QCOMPARE(audit.withAction(QStringLiteral("degradation.released")).size(), 1);
    }

    void badPinsAreRefused_data()
    {
        QTest::addColumn<QString>("reason");
        QTest::addColumn<qint64>("durationMs");
        QTest::addColumn<QString>("code");
        QTest::newRow("empty reason")
            << QString() << qint64(60'000) << QStringLiteral("degradation.bad_reason");
        QTest::newRow("blank reason")
            << QStringLiteral("  ") << qint64(60'000) << QStringLiteral("degradation.bad_reason");
        QTest::newRow("reason too long") << QString(501, QLatin1Char('x')) << qint64(60'000)
                                         << QStringLiteral("degradation.bad_reason");
        QTest::newRow("zero duration")
            << QStringLiteral("x") << qint64(0) << QStringLiteral("degradation.bad_duration");
        QTest::newRow("longer than max_pin") << QStringLiteral("x") << qint64(8LL * 86'400'000)
                                             << QStringLiteral("degradation.bad_duration");
    }

    void badPinsAreRefused()
    {
        QFETCH(QString, reason);
        QFETCH(qint64, durationMs);
        QFETCH(QString, code);
        ManualClock clock;
        RecordingAuditSink audit;
        DegradationController c({}, &clock, &audit);
        const auto r = c.pin(L::Emergency, reason, durationMs, QStringLiteral("api"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, code);
        QCOMPARE(toString(c.snapshot().level), toString(L::Normal));
        QVERIFY(audit.events().isEmpty());
    }

    // The console and the API pin from their own threads; signals still come from the
    // controller's thread, and the snapshot is up to date as soon as pin() returns.
    void pinFromAnotherThreadSignalsOnTheControllerThread()
    {
        ManualClock clock;
        DegradationController c({}, &clock, nullptr);
        c.onHealth(report(90, clock.nowMs()));
        QSignalSpy levels(&c, &DegradationController::levelChanged);
        QThread *emitter = nullptr;
        connect(
            &c, &DegradationController::levelChanged, this,
            [&emitter] { emitter = QThread::currentThread(); }, Qt::DirectConnection);
        L seen = L::Normal;
        std::thread t([&] {
            seen = c.pin(L::Level3, QStringLiteral("drill"), 60'000, QStringLiteral("api"))->level;
        });
        t.join();
        QCOMPARE(toString(seen), toString(L::Level3));
        QCOMPARE(toString(c.snapshot().level), toString(L::Level3));
        QTRY_COMPARE(levels.size(), 1);
        QCOMPARE(emitter, QThread::currentThread());
    }

    void pinExpiresOnTheTimer()
    {
        ManualClock clock;
        RecordingAuditSink audit;
        DegradationController c({}, &clock, &audit);
        c.onHealth(report(90, clock.nowMs()));
        c.start();
        QVERIFY(c.pin(L::Emergency, QStringLiteral("drill"), 60'000, QStringLiteral("console:op"))
                    .ok());
        QSignalSpy levels(&c, &DegradationController::levelChanged);
        clock.advanceMs(60'000);
        // No health report arrives: the timer alone ends the pin.
        QTRY_VERIFY(c.snapshot().level == L::Normal);
        QCOMPARE(levels.size(), 1);
        QCOMPARE(toString(levels.at(0).at(0).value<DegradationTransition>().cause),
            toString(DegradationTransition::Cause::Expiry));
        const auto expired = audit.withAction(QStringLiteral("degradation.pin_expired"));
        QCOMPARE(expired.size(), 1);
        QCOMPARE(expired.at(0).data.value(QStringLiteral("pinned_by")).toString(),
            QStringLiteral("console:op"));
        c.stop();
    }

    // Readers on other threads while the core thread scores and an API thread pins: run
    // under TSan, this is the check that snapshots are handed out safely.
    void concurrentReadersAndWriters()
    {
        ManualClock clock;
        DegradationController c({}, &clock, nullptr);
        std::atomic<bool> stop { false };
        std::atomic<int> reads { 0 };
        std::vector<std::thread> readers;
        for (int i = 0; i < 3; ++i)
            readers.emplace_back([&] {
                while (!stop.load()) {
                    const auto s = c.snapshotPtr();
                    QVERIFY(s->features.size() == c.config().features.rules().size());
                    reads.fetch_add(1);
                }
            });
        std::thread pinner([&] {
            for (int i = 0; i < 200; ++i) {
                c.pin(L::Level1, QStringLiteral("x"), 60'000, QStringLiteral("api"));
                c.release(QStringLiteral("api"));
            }
        });
        for (int i = 0; i < 500; ++i)
            c.onHealth(report(i % 100, clock.nowMs()));
        pinner.join();
        stop.store(true);
        for (auto &t : readers)
            t.join();
        QVERIFY(reads.load() > 0);
        QCoreApplication::processEvents(); // deliver the queued announcements
    }
};

QTEST_GUILESS_MAIN(TstDegradationController)
#include "tst_degradationcontroller.moc"
