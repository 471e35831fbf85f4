// The Engine in-process, as the console embeds it: real threads, a real data directory,
// a real SQLite file, real HTTP.
#include "core/config.h"
#include "core/engine.h"
#include "degradation/degradationservice.h"
#include "health/healthservice.h"
#include "recovery/recoveryservice.h"
#include "testengine.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

int threadCount()
{
    return int(QDir(QStringLiteral("/proc/self/task"))
                   .entryList(QDir::Dirs | QDir::NoDotAndDotDot)
                   .size());
}

} // namespace

class TstEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void startPublishesLiveStateAndStopsClean()
    {
        QTemporaryDir dir;
        QTcpServer up;
        QVERIFY(up.listen(QHostAddress::LocalHost, 0));
        const QByteArray yaml = "sampler: {interval: 200ms}\ntargets:\n"
                                "  - {name: tcp-up, type: tcp, host: 127.0.0.1, port: "
            + QByteArray::number(up.serverPort())
            + ", interval: 300ms, timeout: 200ms, critical: true}\n";
        const int before = threadCount();
        {
            Engine engine(ShivxTest::engineOptions(dir.path(), yaml));
            // Every capability's facade exists with the engine, before start().
            auto *healthService = engine.service<HealthService>();
            auto *recovery = engine.service<RecoveryService>();
            QVERIFY(healthService && recovery && engine.service<DegradationService>());
            QSignalSpy health(healthService, &HealthService::healthChanged);
            QSignalSpy targets(healthService, &HealthService::targetsChanged);
            QSignalSpy samples(healthService, &HealthService::hostSampled);
            QSignalSpy ready(&engine, &Engine::readinessChanged);
            const auto started = engine.start();
            QVERIFY2(started.ok(), qPrintable(started.ok() ? QString() : started.error().message));
            QVERIFY(engine.state() == EngineState::Running);
            QVERIFY(engine.apiUrl().port() > 0);
            // No waiting: a client that connects as soon as start() returns must find every
            // breaker.
            QCOMPARE(recovery->breakers().size(), 1);
            QCOMPARE(recovery->breakers().constFirst().name, QStringLiteral("tcp-up"));
            QVERIFY(QFile::exists(dir.filePath(QStringLiteral("shivx.db"))));
            QVERIFY(QFile::exists(dir.filePath(QStringLiteral("api-address"))));

            QTRY_VERIFY_WITH_TIMEOUT(samples.count() >= 3, 10000);
            QTRY_VERIFY_WITH_TIMEOUT(!healthService->targets().isEmpty()
                    && healthService->targets().constFirst().state == TargetState::Up,
                10000);
            QTRY_VERIFY_WITH_TIMEOUT(engine.readiness().ready, 10000);
            QVERIFY(health.count() >= 1);
            const HealthReport h = healthService->health();
            QVERIFY(h.score > 0 && h.score <= 100);
            const HostSample s = healthService->lastHostSample();
            QVERIFY(s.memTotalBytes > 0);
            QVERIFY(s.processThreads >= 5);
            QVERIFY(!s.mounts.isEmpty());

            // The critical target goes away: DOWN after its failure threshold, and not ready.
            up.close();
            QTRY_VERIFY_WITH_TIMEOUT(
                healthService->targets().constFirst().state == TargetState::Down, 10000);
            QTRY_VERIFY_WITH_TIMEOUT(!engine.readiness().ready, 5000);
            QTRY_VERIFY_WITH_TIMEOUT(healthService->health().score <= 49, 5000);
            QVERIFY(!ready.isEmpty());
            engine.stop();
            QVERIFY(engine.state() == EngineState::Stopped);
            QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("api-address"))));
        }
        QTRY_COMPARE_WITH_TIMEOUT(threadCount(), before, 5000);
    }

    void unusableDataDirectoryFailsStart()
    {
        QTemporaryDir dir;
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        Engine engine(ShivxTest::engineOptions(dir.filePath(QStringLiteral("file/sub")), ""));
        const auto r = engine.start();
        QVERIFY(!r.ok());
        QVERIFY2(
            r.error().message.contains(QLatin1String("file/sub")), qPrintable(r.error().message));
        QVERIFY(engine.state() == EngineState::Failed);
    }

    void corruptDatabaseFailsStartAndIsLeftAlone()
    {
        QTemporaryDir dir;
        const QString db = dir.filePath(QStringLiteral("shivx.db"));
        QFile f(db);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray junk(64 * 1024, 'x');
        junk.prepend("this is not a database");
        f.write(junk);
        f.close();
        const QByteArray before = QCryptographicHash::hash(junk, QCryptographicHash::Sha256);

        Engine engine(ShivxTest::engineOptions(dir.path(), ""));
        const auto r = engine.start();
        QVERIFY(!r.ok());
        QVERIFY2(r.error().message.contains(db), qPrintable(r.error().message));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256), before);
    }

    void historyIsWrittenWhileRunning()
    {
        QTemporaryDir dir;
        Engine engine(ShivxTest::engineOptions(dir.path(), "sampler: {interval: 200ms}\n"));
        QVERIFY(engine.start().ok());
        QTest::qWait(2500);
        engine.stop();
        QFile db(engine.databasePath());
        QVERIFY(db.size() > 0);
    }
};

QTEST_GUILESS_MAIN(TstEngine)
#include "tst_engine.moc"
