// Pipelines end to end against the real `shivx serve`: kill -9 of the engine in the middle of
// a run, a restart, and every stage executed exactly once (checked from the stages' own side
// effects); the API's runs, logs and dead-letter queue through the real `shivx pipeline`
// binary; the bearer token on the POST routes; /metrics.
#include "servefixture.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool isAlive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const char state = line.at(line.lastIndexOf(')') + 2);
    return state != 'Z' && state != 'X';
}

QJsonObject stageOf(const QJsonObject &run, const QString &name)
{
    for (const QJsonValue &v : run.value(QStringLiteral("stages")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == name)
            return v.toObject();
    return {};
}

} // namespace

class TstPipelinesServe : public QObject
{
    Q_OBJECT

    static void writeFile(const QString &path, const QByteArray &bytes)
    {
        QDir().mkpath(QFileInfo(path).path());
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }

    static QJsonObject runOf(ServeProcess &serve, qint64 id)
    {
        return httpRequest(
            serve.url().resolved(QUrl(QStringLiteral("/api/pipelines/runs/%1").arg(id))))
            .json;
    }

private Q_SLOTS:
    void killNineMidRunThenEveryStageOnce()
    {
        ServeProcess serve(
            QStringLiteral("pipelines: {directory: defs, max_parallel_stages: 4}\n"));
        const QString dir = QFileInfo(serve.configPath()).path();
        const QString side = dir + QStringLiteral("/side-effects");
        // b outlives the engine's death and the restart (stopped, then run again); c ends
        // while no engine runs (its wrapper records success: not run again).
        writeFile(dir + QStringLiteral("/defs/crash.yaml"),
            QStringLiteral("stages:\n"
                           "  - {name: a, command: /bin/sh, args: ['-c', 'echo a >> %1']}\n"
                           "  - {name: b, command: /bin/sh, args: ['-c', 'sleep 8; echo b >> %1'],"
                           " needs: [a]}\n"
                           "  - {name: c, command: /bin/sh, args: ['-c', 'sleep 1; echo c >> %1'],"
                           " needs: [a]}\n"
                           "  - {name: d, command: /bin/sh, args: ['-c', 'echo d >> %1'],"
                           " needs: [b, c]}\n")
                .arg(side)
                .toUtf8());
        QVERIFY2(serve.start(), serve.output().constData());
        const HttpAnswer created
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/pipelines/run"))), "POST",
                R"({"pipeline":"crash","actor":"cli:test"})", serve.apiToken());
        QCOMPARE(created.status, 201);
        const qint64 id = qint64(created.json.value(QStringLiteral("run")).toDouble());

        // Both b and c running, with their processes recorded.
        auto pidOf = [&](const QJsonObject &run, const QString &stage) {
            const QJsonArray attempts
                = stageOf(run, stage).value(QStringLiteral("attempt_list")).toArray();
            return attempts.isEmpty()
                ? qint64(0)
                : qint64(attempts.first().toObject().value(QStringLiteral("pid")).toDouble());
        };
        QJsonObject run;
        QTRY_VERIFY_WITH_TIMEOUT(
            (run = runOf(serve, id),
                pidOf(run, QStringLiteral("b")) > 0 && pidOf(run, QStringLiteral("c")) > 0),
            15000);
        const qint64 bPid = pidOf(run, QStringLiteral("b"));
        QCOMPARE(serve.terminate(SIGKILL), -2);
        QVERIFY(isAlive(bPid)); // its own session: the engine's death did not reach it
        QTest::qWait(2500); // c finishes meanwhile

        QVERIFY2(serve.start(), serve.output().constData());
        QTRY_VERIFY_WITH_TIMEOUT(!isAlive(bPid), 10000); // stopped before its retry
        QTRY_COMPARE_WITH_TIMEOUT(runOf(serve, id).value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"), 30000);
        QByteArrayList lines = readAll(side).split('\n');
        lines.removeAll(QByteArray());
        std::sort(lines.begin(), lines.end());
        QCOMPARE(lines, (QByteArrayList { "a", "b", "c", "d" }));

        run = runOf(serve, id);
        const QJsonArray b
            = stageOf(run, QStringLiteral("b")).value(QStringLiteral("attempt_list")).toArray();
        QCOMPARE(b.size(), 2);
        QCOMPARE(b.at(0).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("interrupted"));
        const QJsonArray c
            = stageOf(run, QStringLiteral("c")).value(QStringLiteral("attempt_list")).toArray();
        QCOMPARE(c.size(), 1);
        QCOMPARE(c.at(0).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"));
        QCOMPARE(serve.terminate(), 0);
    }

    void cliRunsLogsAndDeadLetterQueue()
    {
        ServeProcess serve(QStringLiteral("pipelines: {directory: defs}\n"));
        const QString dir = QFileInfo(serve.configPath()).path();
        writeFile(dir + QStringLiteral("/defs/hello.yaml"),
            QStringLiteral("params: {who: world}\n"
                           "stages:\n"
                           "  - {name: greet, command: /bin/sh, args: ['-c', 'echo hello "
                           "$SHIVX_PARAM_WHO; test -f %1/ok']}\n")
                .arg(dir)
                .toUtf8());
        writeFile(dir + QStringLiteral("/defs/broken.yaml"), "stages: [{name: a}]\n");
        QVERIFY2(serve.start(), serve.output().constData());
        const QStringList common { QStringLiteral("--data-dir"), serve.dataDir() };

        const CliRun list
            = runCli(QStringList { QStringLiteral("pipeline"), QStringLiteral("list") } + common);
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.contains("hello"), list.out.constData());
        QVERIFY2(list.out.contains("broken.yaml:1: stages[0] (a).command"), list.out.constData());

        // Without the token, no run.
        QCOMPARE(httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/pipelines/run"))),
                     "POST", R"({"pipeline":"hello"})")
                     .status,
            401);
        const CliRun bad = runCli(
            QStringList { QStringLiteral("pipeline"), QStringLiteral("run"),
                QStringLiteral("hello"), QStringLiteral("--param"), QStringLiteral("nope=1") }
            + common);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("no parameter \"nope\""), bad.err.constData());

        const CliRun started = runCli(
            QStringList { QStringLiteral("pipeline"), QStringLiteral("run"),
                QStringLiteral("hello"), QStringLiteral("--param"), QStringLiteral("who=shivx") }
            + common);
        QCOMPARE(started.exitCode, 0);
        const qint64 id = started.out.split(' ').value(1).toLongLong();
        QVERIFY2(id > 0, started.out.constData());
        QTRY_COMPARE_WITH_TIMEOUT(runOf(serve, id).value(QStringLiteral("state")).toString(),
            QStringLiteral("dead_letter"), 15000);

        const CliRun logs
            = runCli(QStringList { QStringLiteral("pipeline"), QStringLiteral("logs"),
                         QString::number(id), QStringLiteral("--stage"), QStringLiteral("greet") }
                + common);
        QCOMPARE(logs.exitCode, 0);
        QCOMPARE(logs.out, QByteArray("hello shivx\n"));
        const CliRun dlq
            = runCli(QStringList { QStringLiteral("pipeline"), QStringLiteral("dlq") } + common);
        QCOMPARE(dlq.exitCode, 0);
        QVERIFY2(dlq.out.contains("dead_letter"), dlq.out.constData());

        writeFile(dir + QStringLiteral("/ok"), "");
        const CliRun retry = runCli(QStringList { QStringLiteral("pipeline"), QStringLiteral("dlq"),
                                        QStringLiteral("retry"), QString::number(id) }
            + common);
        QCOMPARE(retry.exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(runOf(serve, id).value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"), 15000);
        const CliRun again = runCli(QStringList { QStringLiteral("pipeline"), QStringLiteral("dlq"),
                                        QStringLiteral("discard"), QString::number(id) }
            + common);
        QCOMPARE(again.exitCode, 1); // not in the queue any more
        const CliRun status = runCli(QStringList { QStringLiteral("pipeline"),
                                         QStringLiteral("status"), QString::number(id) }
            + common);
        QCOMPARE(status.exitCode, 0);
        QVERIFY2(status.out.contains("#2 succeeded"), status.out.constData());

        const HttpAnswer metrics
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/metrics"))));
        QVERIFY(metrics.body.contains("shivx_pipeline_runs_created_total 1"));
        QVERIFY(metrics.body.contains("shivx_pipeline_definition_errors 1"));
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstPipelinesServe)
#include "tst_pipelines_serve.moc"
