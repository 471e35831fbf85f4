// Scale-out end to end: a real PostgreSQL (PostgresServer) as the shared job store of two real
// `shivx serve` engines (own data directories and ports), one pipeline whose stages both run,
// kill -9 of one engine mid-run, and the other finishing the run: every stage's side effect
// (a line "STAGE ENGINE" in a shared file) appears exactly once and the run succeeds.
#include "postgresserver.h"
#include "servefixture.h"

#include <QDir>
#include <QFileInfo>
#include <QProcessEnvironment>
#include <QSqlDatabase>

#include <algorithm>

using ShivxTest::PostgresServer;

class TstPipelinesScaleOut : public QObject
{
    Q_OBJECT

    static QByteArrayList lines(const QString &path)
    {
        QFile f(path);
        QByteArrayList list
            = f.open(QIODevice::ReadOnly) ? f.readAll().split('\n') : QByteArrayList();
        list.removeAll(QByteArray());
        return list;
    }

    static QString runState(ServeProcess &serve, qint64 id)
    {
        return httpRequest(
            serve.url().resolved(QUrl(QStringLiteral("/api/pipelines/runs/%1").arg(id))))
            .json.value(QStringLiteral("state"))
            .toString();
    }

    // QTRY_* counts its 50 ms steps, not time: with a check that takes a moment itself (psql,
    // HTTP) its timeout would stretch severalfold.
    template <class Pred> static bool waitFor(Pred pred, int timeoutMs)
    {
        QElapsedTimer t;
        t.start();
        while (!pred()) {
            if (t.elapsed() > timeoutMs)
                return false;
            QTest::qWait(100);
        }
        return true;
    }

private Q_SLOTS:
    void killNineOfOneEngineTheOtherFinishes()
    {
        if (PostgresServer::binDir().isEmpty())
            QSKIP(qPrintable(PostgresServer::skipMessage()));
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            QSKIP("Qt's QPSQL driver is not installed: installer/install-deps.sh --test "
                  "installs libqt6sql6-psql");
        PostgresServer pg;
        QVERIFY2(pg.start(QStringLiteral("jobs")), qPrintable(pg.errorString()));

        QTemporaryDir shared;
        const QString side = shared.filePath(QStringLiteral("side-effects"));
        const QString defs = shared.filePath(QStringLiteral("defs"));
        QDir().mkpath(defs);
        // 30 stages in 6 layers of 5 (stage i needs stage i-5): both engines find ready work
        // at every moment. Each stage takes a moment, then leaves its line.
        constexpr int Stages = 30;
        QByteArray yaml = "stages:\n";
        for (int i = 0; i < Stages; ++i) {
            yaml += QStringLiteral("  - {name: s%1, command: /bin/sh, args: ['-c', 'sleep 0.4; "
                                   "echo \"$SHIVX_STAGE $SCALEOUT_ENGINE\" >> %2']%3}\n")
                        .arg(i, 2, 10, QLatin1Char('0'))
                        .arg(side)
                        .arg(i >= 5 ? QStringLiteral(", needs: [s%1]")
                                          .arg(i - 5, 2, 10, QLatin1Char('0'))
                                    : QString())
                        .toUtf8();
        }
        QFile def(defs + QStringLiteral("/wide.yaml"));
        QVERIFY(def.open(QIODevice::WriteOnly));
        def.write(yaml);
        def.close();

        // The shortest lease (3 s), so that the take-over comes soon after the kill.
        const QString config = QStringLiteral("pipelines: {directory: %1, store: '%2', lease: 3s, "
                                              "max_parallel_stages: 3}\n")
                                   .arg(defs, pg.url());
        ServeProcess a(config);
        ServeProcess b(config);
        for (auto [serve, name] : { std::pair { &a, "A" }, std::pair { &b, "B" } }) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("SCALEOUT_ENGINE"), QString::fromLatin1(name));
            serve->process().setProcessEnvironment(env);
            QVERIFY2(serve->start(), serve->output().constData());
        }
        const HttpAnswer created
            = httpRequest(a.url().resolved(QUrl(QStringLiteral("/api/pipelines/run"))), "POST",
                R"({"pipeline":"wide","actor":"cli:test"})", a.apiToken());
        QCOMPARE(created.status, 201);
        const qint64 id = qint64(created.json.value(QStringLiteral("run")).toDouble());

        // Both engines at work, A with stage processes in flight: then A dies.
        const auto runningIn = [&pg](const ServeProcess &serve) {
            return pg
                .psql(QStringLiteral("SELECT count(*) FROM pipeline_attempt WHERE state = "
                                     "'running' AND pid > 0 AND stdout_path LIKE '%1/%'")
                          .arg(serve.dataDir()))
                .trimmed()
                .toInt();
        };
        QVERIFY(waitFor([&] { return lines(side).size() >= 6 && runningIn(a) > 0; }, 30000));
        const QByteArrayList before = lines(side);
        const auto by = [](const QByteArrayList &l, const char *engine) {
            return std::count_if(l.begin(), l.end(),
                [engine](const QByteArray &x) { return x.endsWith(QByteArray(" ") + engine); });
        };
        QVERIFY2(by(before, "A") > 0, before.join('\n').constData());
        QCOMPARE(a.terminate(SIGKILL), -2);

        QVERIFY2(waitFor([&] { return runState(b, id) == QLatin1String("succeeded"); }, 60000),
            qPrintable(runState(b, id) + QLatin1Char('\n')
                + pg.psql(QStringLiteral("SELECT stage, attempt, state, lease_owner, error FROM "
                                         "pipeline_attempt ORDER BY id"))));
        const QByteArrayList after = lines(side);
        QStringList stages;
        for (const QByteArray &l : after)
            stages.append(QString::fromUtf8(l.split(' ').value(0)));
        std::sort(stages.begin(), stages.end());
        QStringList expected;
        for (int i = 0; i < Stages; ++i)
            expected.append(QStringLiteral("s%1").arg(i, 2, 10, QLatin1Char('0')));
        QCOMPARE(stages, expected); // each exactly once
        QVERIFY(by(after, "B") > by(before, "B")); // B went on after A's death
        // Taken over: A's leased attempts ended as interrupted or resolved from their status.
        const QString running = pg.psql(
            QStringLiteral("SELECT count(*) FROM pipeline_attempt WHERE state = 'running'"));
        QCOMPARE(running.trimmed(), QStringLiteral("0"));
        // A's attempts that were in flight became B's (lease taken over), and were resolved.
        const QString takenOver = pg.psql(
            QStringLiteral("SELECT count(*) FROM pipeline_attempt WHERE stdout_path LIKE '%1/%' "
                           "AND lease_owner IN (SELECT lease_owner FROM pipeline_attempt WHERE "
                           "stdout_path LIKE '%2/%')")
                .arg(a.dataDir(), b.dataDir()));
        QVERIFY2(takenOver.trimmed().toInt() > 0,
            qPrintable(pg.psql(QStringLiteral("SELECT stage, attempt, state, error, stdout_path "
                                              "FROM pipeline_attempt ORDER BY id"))));
        QCOMPARE(b.terminate(), 0);
    }

    // The database restarts while a run is in progress: the engine connects again, replays
    // what its open batch held, and the run succeeds with every stage exactly once.
    void aRestartOfThePostgresServerMidRunLosesNothing()
    {
        if (PostgresServer::binDir().isEmpty())
            QSKIP(qPrintable(PostgresServer::skipMessage()));
        if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
            QSKIP("Qt's QPSQL driver is not installed");
        PostgresServer pg;
        QVERIFY2(pg.start(QStringLiteral("jobs")), qPrintable(pg.errorString()));
        QTemporaryDir shared;
        const QString side = shared.filePath(QStringLiteral("side-effects"));
        const QString defs = shared.filePath(QStringLiteral("defs"));
        QDir().mkpath(defs);
        constexpr int Stages = 16; // 8 layers of 2
        QByteArray yaml = "stages:\n";
        for (int i = 0; i < Stages; ++i)
            yaml += QStringLiteral("  - {name: s%1, command: /bin/sh, args: ['-c', 'sleep 0.2; "
                                   "echo $SHIVX_STAGE >> %2']%3}\n")
                        .arg(i, 2, 10, QLatin1Char('0'))
                        .arg(side)
                        .arg(i >= 2 ? QStringLiteral(", needs: [s%1]")
                                          .arg(i - 2, 2, 10, QLatin1Char('0'))
                                    : QString())
                        .toUtf8();
        QFile def(defs + QStringLiteral("/chain.yaml"));
        QVERIFY(def.open(QIODevice::WriteOnly));
        def.write(yaml);
        def.close();
        ServeProcess serve(QStringLiteral("pipelines: {directory: %1, store: '%2', lease: 3s}\n")
                               .arg(defs, pg.url()));
        QVERIFY2(serve.start(), serve.output().constData());
        const HttpAnswer created
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/pipelines/run"))), "POST",
                R"({"pipeline":"chain","actor":"cli:test"})", serve.apiToken());
        QCOMPARE(created.status, 201);
        const qint64 id = qint64(created.json.value(QStringLiteral("run")).toDouble());
        QVERIFY(waitFor([&] { return lines(side).size() >= 4; }, 30000));
        QVERIFY2(pg.restart(), qPrintable(pg.errorString()));
        QVERIFY2(waitFor([&] { return runState(serve, id) == QLatin1String("succeeded"); }, 60000),
            qPrintable(runState(serve, id) + QLatin1Char('\n')
                + pg.psql(QStringLiteral("SELECT stage, attempt, state, error FROM "
                                         "pipeline_attempt ORDER BY id"))
                + QString::fromUtf8(serve.output())));
        QStringList stages;
        for (const QByteArray &l : lines(side))
            stages.append(QString::fromUtf8(l));
        std::sort(stages.begin(), stages.end());
        QStringList expected;
        for (int i = 0; i < Stages; ++i)
            expected.append(QStringLiteral("s%1").arg(i, 2, 10, QLatin1Char('0')));
        QCOMPARE(stages, expected); // each exactly once
        // Every stage's end reached the database, once.
        QCOMPARE(pg.psql(QStringLiteral("SELECT count(*) FROM pipeline_attempt WHERE run_id = %1 "
                                        "AND state = 'succeeded'")
                             .arg(id))
                     .trimmed(),
            QString::number(Stages));
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstPipelinesScaleOut)
#include "tst_pipelines_scaleout.moc"
