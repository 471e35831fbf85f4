// DR runs outlive the engine run: a real `shivx serve` is killed with -9 while a DR plan waits
// on a target that never comes up; the restarted engine lists that run as interrupted (with the
// step it was on), audits it, and numbers its next run after it instead of starting at 1 again.
#include "servefixture.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QTcpServer>

namespace {

quint16 closedPort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort(); // closed again when `s` goes
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

} // namespace

class TstDrRunsServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_root;

    QString root(const QString &rel) const { return m_root.filePath(rel); }

    static QJsonArray runs(ServeProcess &serve)
    {
        return httpRequest(serve.url().resolved(QUrl(QStringLiteral("/api/backup/dr/runs"))))
            .json.value(QStringLiteral("runs"))
            .toArray();
    }

    static qint64 activate(ServeProcess &serve, const QString &plan)
    {
        const HttpAnswer a = httpRequest(
            serve.url().resolved(QUrl(QStringLiteral("/api/backup/dr/activate"))), "POST",
            QJsonDocument(
                QJsonObject { { QStringLiteral("plan"), plan }, { QStringLiteral("confirm"), plan },
                    { QStringLiteral("actor"), QStringLiteral("cli:drruns") } })
                .toJson(),
            serve.apiToken());
        if (a.status != 202)
            qWarning("activate %s: %d %s", qPrintable(plan), a.status, a.body.constData());
        return a.status == 202 ? a.json.value(QStringLiteral("id")).toInteger() : -1;
    }

private Q_SLOTS:
    void interruptedRunIsKeptAndIdsContinue()
    {
        QVERIFY(m_root.isValid());
        writeFile(root(QStringLiteral("pw")), "dr runs passphrase\n");
        writeFile(root(QStringLiteral("src/a.txt")), "a\n");
        writeFile(root(QStringLiteral("plans/wait.yaml")),
            "steps:\n"
            "  - {name: wait-for-db, action: wait_healthy, target: db, timeout: 10m}\n");
        writeFile(root(QStringLiteral("plans/quick.yaml")),
            "steps:\n"
            "  - {name: say-done, action: run_command, command: [/bin/true], timeout: 30s}\n");
        const QString config = QStringLiteral("sampler: {interval: 1s}\n"
                                              "targets:\n"
                                              "  - {name: db, type: tcp, host: 127.0.0.1, "
                                              "port: %2, interval: 1s}\n"
                                              "backup:\n"
                                              "  repository: %1/repo\n"
                                              "  password_file: %1/pw\n"
                                              "  dr_plans: %1/plans\n"
                                              "  sets:\n"
                                              "    app: {paths: [%1/src]}\n")
                                   .arg(m_root.path())
                                   .arg(closedPort());
        ServeProcess serve(config);
        const CliRun init = runCli({ QStringLiteral("backup"), QStringLiteral("init"),
            QStringLiteral("--config"), serve.configPath() });
        QVERIFY2(init.exitCode == 0, init.err.constData());
        QVERIFY2(serve.start(), serve.output().constData());

        const qint64 first = activate(serve, QStringLiteral("wait"));
        QCOMPARE(first, 1);
        QTRY_VERIFY_WITH_TIMEOUT(!runs(serve).isEmpty()
                && runs(serve)
                        .at(0)
                        .toObject()
                        .value(QStringLiteral("steps"))
                        .toArray()
                        .at(0)
                        .toObject()
                        .value(QStringLiteral("state"))
                        .toString()
                    == QLatin1String("running"),
            10'000);
        QCOMPARE(serve.terminate(SIGKILL), -2);

        QVERIFY2(serve.start(), serve.output().constData());
        QJsonArray list = runs(serve);
        QCOMPARE(list.size(), 1);
        QJsonObject run = list.at(0).toObject();
        QCOMPARE(run.value(QStringLiteral("id")).toInteger(), first);
        QCOMPARE(run.value(QStringLiteral("plan")).toString(), QStringLiteral("wait"));
        QCOMPARE(run.value(QStringLiteral("state")).toString(), QStringLiteral("interrupted"));
        QCOMPARE(run.value(QStringLiteral("actor")).toString(), QStringLiteral("cli:drruns"));
        const QJsonObject step = run.value(QStringLiteral("steps")).toArray().at(0).toObject();
        QCOMPARE(step.value(QStringLiteral("name")).toString(), QStringLiteral("wait-for-db"));
        QCOMPARE(step.value(QStringLiteral("state")).toString(), QStringLiteral("interrupted"));
        QVERIFY(!run.value(QStringLiteral("started_at")).isNull());

        // Ids continue: run 1 of the first engine is not shadowed by a new run 1.
        const qint64 second = activate(serve, QStringLiteral("quick"));
        QCOMPARE(second, first + 1);
        QTRY_COMPARE_WITH_TIMEOUT(
            runs(serve).at(0).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"), 20'000);
        list = runs(serve);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(1).toObject().value(QStringLiteral("id")).toInteger(), first);
        const HttpAnswer one = httpRequest(
            serve.url().resolved(QUrl(QStringLiteral("/api/backup/dr/runs/%1").arg(first))));
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json.value(QStringLiteral("state")).toString(), QStringLiteral("interrupted"));
        const int exit = serve.terminate();
        QVERIFY2(exit == 0, serve.errors().constData()); // a sanitizer's report, say

        // The interruption is in the on-disk audit chain, and a clean stop left nothing running.
        const CliRun log = runCli({ QStringLiteral("audit"), QStringLiteral("verify"),
            QStringLiteral("--data-dir"), serve.dataDir() });
        QVERIFY2(log.exitCode == 0, log.err.constData());
        bool audited = false;
        QDirIterator it(serve.dataDir(), { QStringLiteral("*.ndjson") }, QDir::Files,
            QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            if (f.open(QIODevice::ReadOnly) && f.readAll().contains("\"dr.interrupted\""))
                audited = true;
        }
        QVERIFY(audited);

        QVERIFY2(serve.start(), serve.output().constData());
        list = runs(serve);
        QCOMPARE(list.size(), 2);
        QCOMPARE(list.at(0).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("succeeded"));
        QCOMPARE(list.at(1).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("interrupted"));
        // A stored step keeps its outcome as a code with its values, for the console to word.
        const QJsonObject done
            = list.at(0).toObject().value(QStringLiteral("steps")).toArray().at(0).toObject();
        QCOMPARE(done.value(QStringLiteral("message")).toString(), QStringLiteral("exit code 0"));
        const QJsonObject outcome = done.value(QStringLiteral("outcome")).toObject();
        QCOMPARE(outcome.value(QStringLiteral("code")).toString(), QStringLiteral("dr.exit_code"));
        QCOMPARE(outcome.value(QStringLiteral("args")).toArray(), QJsonArray { 0 });
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstDrRunsServe)
#include "tst_drruns_serve.moc"
