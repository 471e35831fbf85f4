// The backup runtime's controller with the real executor, a real repository and the real
// engine database in temporary directories: operations run as executor tasks and land in the
// catalogue and its history; scheduled work pauses while background_tasks is off and can be
// cancelled while it waits; the same work twice is refused; a drill measures RTO and RPO and
// finds a damaged restore; the catalogue is rebuilt from the repository for a new database.
#include "backupfixture.h"

#include "backup/backupcatalogue.h"
#include "backup/backupcontroller.h"
#include "core/modulehost.h"
#include "executor/boundedexecutor.h"

#include <QSignalSpy>
#include <QTemporaryDir>

using namespace Shivx;
using namespace BackupFixture;

class TstBackupController : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<BoundedExecutor> m_executor;
    std::unique_ptr<BackupController> m_controller;

    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }

    BackupConfig config() const
    {
        BackupConfig c;
        c.repository = path("repo");
        c.passwordFile = path("pw");
        BackupSetSpec s;
        s.name = QStringLiteral("app");
        s.paths = { path("src") };
        c.sets = { s };
        return c;
    }

    void startController(const QString &database)
    {
        m_executor = std::make_unique<BoundedExecutor>();
        QVERIFY(m_executor->registerKind({ BackupController::ScheduledKind, TaskPriority::Low,
            { ModuleHost::backgroundTasksOff() }, std::nullopt }));
        QVERIFY(m_executor->registerKind(
            { BackupController::ManualKind, TaskPriority::Normal, {}, std::nullopt }));
        BackupController::Setup setup;
        setup.config = config();
        setup.repository = path("repo");
        setup.databasePath = database;
        setup.scratch = path("scratch");
        setup.executor = m_executor.get();
        m_controller = std::make_unique<BackupController>(setup);
        m_controller->start();
        QTRY_VERIFY(settled());
    }

    void stopController()
    {
        if (!m_controller)
            return;
        m_controller->stop();
        m_executor->shutdown(BoundedExecutor::ShutdownMode::Cancel);
        QCoreApplication::processEvents(); // the tasks' last queued calls
        m_controller.reset();
        m_executor.reset();
    }

    bool settled() const
    {
        for (const BackupOperation &op : m_controller->statePtr()->operations)
            if (!op.finished())
                return false;
        return true;
    }

    // Runs `request` and waits for it to finish; returns the finished operation.
    BackupOperation run(
        const Backup::OperationRequest &request, const QString &trigger = QStringLiteral("manual"))
    {
        const auto op = m_controller->submit(request, trigger, QStringLiteral("cli:test"));
        if (!op)
            qFatal("submit: %s", qPrintable(op.error().message));
        return waitFor(op->id);
    }

    BackupOperation waitFor(qint64 id)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30'000) {
            for (const BackupOperation &o : m_controller->statePtr()->operations)
                if (o.id == id && o.finished())
                    return o;
            QTest::qWait(10);
        }
        qFatal("operation %lld did not finish", id);
    }

    Backup::OperationRequest backupRequest() const
    {
        Backup::OperationRequest r;
        r.kind = QStringLiteral("backup");
        r.set = config().sets.first();
        return r;
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        writeFile(path("pw"), "correct horse\n");
        QDir(path("src")).removeRecursively();
        makeTree(path("src"));
        QDir(path("repo")).removeRecursively();
        createRepo(path("repo"));
        QFile::remove(path("shivx.db"));
        startController(path("shivx.db"));
    }

    void cleanup() { stopController(); }

    void backupLandsInCatalogueAndHistory()
    {
        const BackupOperation op = run(backupRequest());
        QCOMPARE(op.state, QStringLiteral("succeeded"));
        QCOMPARE(op.result.value(QStringLiteral("type")).toString(), QStringLiteral("full"));
        QVERIFY(op.startedMs > 0 && op.finishedMs >= op.startedMs);
        const auto snaps = m_controller->snapshots(QStringLiteral("app"));
        QVERIFY(snaps);
        QCOMPARE(snaps->size(), 1);
        QCOMPARE(snaps->first().id, op.result.value(QStringLiteral("snapshot")).toString());
        const BackupSetState s = m_controller->statePtr()->sets.first();
        QCOMPARE(s.snapshots, 1);
        QVERIFY(s.lastSuccessMs > 0);
        QVERIFY(s.lastBytes > 300'000);
        QCOMPARE(s.lastDedupRatio, 0.0); // everything was new

        // An unchanged second backup reads nothing and adds only the trees of the directories
        // above the source, whose times the database beside it changed.
        const BackupOperation again = run(backupRequest());
        QCOMPARE(again.result.value(QStringLiteral("read_bytes")).toInteger(), 0);
        QVERIFY(m_controller->statePtr()->sets.first().lastDedupRatio > 0.99);
        const auto runs = m_controller->history(10, QStringLiteral("backup"));
        QVERIFY(runs);
        QCOMPARE(runs->size(), 2);
        QCOMPARE(runs->first().id, again.id);
    }

    void scheduledWorkPausesAndCancelsWhileQueued()
    {
        m_executor->setCondition(ModuleHost::backgroundTasksOff(), true);
        const auto op = m_controller->submit(
            backupRequest(), QStringLiteral("schedule"), QStringLiteral("engine"));
        QVERIFY(op);
        QTest::qWait(300);
        QCOMPARE(m_controller->statePtr()->operations.first().state, QStringLiteral("queued"));
        // The same work again is refused while the first waits.
        const auto twice = m_controller->submit(
            backupRequest(), QStringLiteral("manual"), QStringLiteral("api"));
        QVERIFY(!twice);
        QCOMPARE(twice.error().code, QStringLiteral("backup.busy"));
        QVERIFY(m_controller->cancel(op->id, QStringLiteral("api")));
        const BackupOperation done = waitFor(op->id);
        QCOMPARE(done.state, QStringLiteral("cancelled"));
        QCOMPARE(done.startedMs, 0); // it never ran
        m_executor->setCondition(ModuleHost::backgroundTasksOff(), false);
        QTest::qWait(100);
        QCOMPARE(m_controller->snapshots(QString())->size(), 0);
        // Manual work runs while background tasks are off.
        m_executor->setCondition(ModuleHost::backgroundTasksOff(), true);
        QCOMPARE(run(backupRequest()).state, QStringLiteral("succeeded"));
    }

    void drillMeasuresRtoAndRpo()
    {
        run(backupRequest());
        QTest::qWait(50);
        Backup::OperationRequest d;
        d.kind = QStringLiteral("drill");
        d.set = config().sets.first();
        const BackupOperation op = run(d);
        QCOMPARE(op.state, QStringLiteral("succeeded"));
        QCOMPARE(op.result.value(QStringLiteral("mismatch_count")).toInteger(), 0);
        QVERIFY(op.result.value(QStringLiteral("entries")).toInteger() >= 8);
        QVERIFY(op.result.value(QStringLiteral("rto_ms")).toInteger() >= 0);
        QVERIFY(op.result.value(QStringLiteral("rpo_ms")).toInteger() >= 50);
        const BackupSetState s = m_controller->statePtr()->sets.first();
        QVERIFY(s.lastDrillOk);
        QVERIFY(s.lastDrillRpoMs >= 50);
        QVERIFY(QDir(path("scratch")).entryList(QDir::Dirs | QDir::NoDotAndDotDot).isEmpty());
    }

    void restoredTreeIsComparedWithTheManifest()
    {
        const BackupOperation b = run(backupRequest());
        Backup::OperationRequest r;
        r.kind = QStringLiteral("restore");
        r.snapshot = b.result.value(QStringLiteral("snapshot")).toString();
        r.target = path("out");
        QCOMPARE(run(r).state, QStringLiteral("succeeded"));
        QString why;
        QVERIFY2(sameTree(path("src"), path("out") + path("src"), &why), qPrintable(why));
        // A dry run onto the restored tree lists nothing to change; after damage, the file.
        r.dryRun = true;
        QCOMPARE(run(r).result.value(QStringLiteral("changed")).toInt(), 0);
        writeFile(path("out") + path("src") + QStringLiteral("/docs/text.txt"), "damaged");
        const BackupOperation dry = run(r);
        QCOMPARE(dry.result.value(QStringLiteral("changed")).toInt(), 1);
        QVERIFY(dry.result.value(QStringLiteral("changes"))
                    .toArray()
                    .first()
                    .toObject()
                    .value(QStringLiteral("path"))
                    .toString()
                    .endsWith(QLatin1String("/docs/text.txt")));
    }

    void catalogueIsRebuiltForANewDatabase()
    {
        run(backupRequest());
        run(backupRequest());
        stopController();
        // A rebuilt host: the repository is there, the engine database is new.
        startController(path("fresh.db"));
        const auto snaps = m_controller->snapshots(QStringLiteral("app"));
        QVERIFY(snaps);
        QCOMPARE(snaps->size(), 2);
        QVERIFY(m_controller->statePtr()->sets.first().lastSuccessMs > 0);
    }

    void wrongPassphraseFailsClearly()
    {
        writeFile(path("pw"), "wrong\n");
        const BackupOperation op = run(backupRequest());
        QCOMPARE(op.state, QStringLiteral("failed"));
        QCOMPARE(op.errorCode, QStringLiteral("backup.wrong_key"));
        QCOMPARE(m_controller->statePtr()->sets.first().lastError, op.errorMessage);
    }
};

QTEST_GUILESS_MAIN(TstBackupController)
#include "tst_backupcontroller.moc"
