// The facade from another thread, as the API and the console use it: the runner on its own
// WorkerThread, commands and queries waiting on it, signals arriving on the caller's thread,
// and "not running" before and after.
#include "core/workerthread.h"
#include "pipelines/pipelineservice.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

class TstPipelineService : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void acrossThreads()
    {
        qRegisterMetaType<RunRecord>();
        qRegisterMetaType<StageRecord>();
        qRegisterMetaType<AttemptRecord>();
        QTemporaryDir dir;
        QDir().mkpath(dir.filePath(QStringLiteral("defs")));
        QDir().mkpath(dir.filePath(QStringLiteral("data")));
        QFile f(dir.filePath(QStringLiteral("defs/p.yaml")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("stages:\n"
                "  - {name: a, command: /bin/sh, args: ['-c', 'echo a']}\n"
                "  - {name: b, command: /bin/sh, args: ['-c', 'exit 1'], needs: [a]}\n");
        f.close();

        PipelineService service;
        QCOMPARE(service.run(QStringLiteral("p"), {}, QStringLiteral("api")).error().code,
            QStringLiteral("engine.not_running"));

        PipelineRunner::Options o;
        o.pipelinesDirectory = dir.filePath(QStringLiteral("defs"));
        o.dataDir = dir.filePath(QStringLiteral("data"));
        o.databasePath = dir.filePath(QStringLiteral("data/shivx.db"));
        auto *runner = new PipelineRunner(o);
        connect(runner, &PipelineRunner::runChanged, &service, &PipelineService::runChanged);
        connect(runner, &PipelineRunner::stageChanged, &service, &PipelineService::stageChanged);
        WorkerThread thread("shivx-pipelines", runner);
        thread.start();
        QMetaObject::invokeMethod(
            runner, [runner] { QVERIFY(runner->start().ok()); }, Qt::BlockingQueuedConnection);
        service.setRunner(runner);

        QSignalSpy stages(&service, &PipelineService::stageChanged);
        const auto id = service.run(QStringLiteral("p"), {}, QStringLiteral("api"));
        QVERIFY(id.ok());
        QTRY_COMPARE_WITH_TIMEOUT(
            toString(service.runDetail(*id)->run.state), toString(RunState::DeadLetter), 10000);
        QVERIFY(stages.count() >= 3);
        for (const QList<QVariant> &args : std::as_const(stages))
            QCOMPARE(args.at(0).value<StageRecord>().runId, *id);
        QCOMPARE(service.pipelines()->size(), 1);
        QCOMPARE(service.pipelines()->first().lastRunId, *id);
        RunFilter dead;
        dead.states = { RunState::DeadLetter };
        QCOMPARE(service.runs(dead)->size(), 1);
        QVERIFY(service.discardDeadLetter(*id, QStringLiteral("api")).ok());
        QCOMPARE(service.discardDeadLetter(*id, QStringLiteral("api")).error().code,
            QStringLiteral("pipeline.not_dead_letter"));
        QVERIFY(service.setExternalPaused(true).ok());
        QVERIFY(service.counters().runsCreated == 1);

        service.setRunner(nullptr);
        QMetaObject::invokeMethod(
            runner, [runner] { runner->shutdown(); }, Qt::BlockingQueuedConnection);
        thread.quit();
        thread.wait();
        QCOMPARE(service.pipelines().error().code, QStringLiteral("engine.not_running"));
    }
};

QTEST_GUILESS_MAIN(TstPipelineService)
#include "tst_pipelineservice.moc"
