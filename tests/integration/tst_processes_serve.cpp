// The supervisor end to end through the real `shivx serve`: /api/processes, the token on
// start/stop/restart, `shivx process` on the command line, /metrics, and a clean engine exit
// that leaves no supervised process behind.
#include "servefixture.h"
#include "supervisorfixture.h"

#include "core/operatoridentity.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QStandardPaths>
#include <QTimer>

using namespace ShivxTest;

namespace {

CliRun cli(const QStringList &args)
{
    return runCli(QStringList { QStringLiteral("process") } + args, 20000);
}

} // namespace

class tst_ProcessesServe : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<ServeProcess> m_serve;
    QByteArray m_token;

    QJsonObject worker()
    {
        const QJsonArray list
            = httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/api/processes"))), "GET")
                  .json.value(QStringLiteral("processes"))
                  .toArray();
        for (const QJsonValue &v : list) {
            if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String("worker"))
                return v.toObject();
        }
        return {};
    }
    qint64 workerPid() { return worker().value(QStringLiteral("pid")).toInteger(); }
    QString workerState() { return worker().value(QStringLiteral("state")).toString(); }
    QUrl url(const QString &path) const { return m_serve->url().resolved(QUrl(path)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        const QString pidFile = m_dir.filePath(QStringLiteral("worker.pid"));
        const QString yaml = QStringLiteral(R"(targets:
  - name: worker
    type: process
    pid_file: %1
    interval: 500ms
    timeout: 400ms
    supervise:
      command: %2
      args: [--pidfile, %1, --print-every, "100", tick]
      stop_timeout: 3s
      backoff: {initial: 100ms, max: 1s}
    startup_grace: 1s
)")
                                 .arg(pidFile, ChildProgram);
        m_serve = std::make_unique<ServeProcess>(yaml);
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        m_token = m_serve->apiToken();
        QVERIFY(!m_token.isEmpty());
        QTRY_COMPARE(workerState(), QStringLiteral("running"));
    }

    void listShowsTheProcess()
    {
        const QJsonObject w = worker();
        QVERIFY(isAlive(w.value(QStringLiteral("pid")).toInteger()));
        QCOMPARE(w.value(QStringLiteral("restarts")).toInt(), 0);
        QCOMPARE(w.value(QStringLiteral("crash_loop")).toBool(), false);
        QVERIFY(w.value(QStringLiteral("last_exit")).isNull());
        QVERIFY(w.value(QStringLiteral("uptime_ms")).toInteger() >= 0);
        QVERIFY(w.value(QStringLiteral("log"))
                    .toString()
                    .endsWith(QLatin1String("/processes/worker.log")));
    }

    void controlNeedsTheToken_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("withToken");
        QTest::addColumn<int>("status");
        QTest::newRow("restart without token -> 401")
            << "/api/processes/worker/restart" << false << 401;
        QTest::newRow("stop with a wrong token -> 401")
            << "/api/processes/worker/stop" << false << 401;
        QTest::newRow("unknown process -> 404") << "/api/processes/nope/restart" << true << 404;
        QTest::newRow("unknown action -> 404") << "/api/processes/worker/explode" << true << 404;
        QTest::newRow("missing action -> 404") << "/api/processes/worker" << true << 404;
    }

    void controlNeedsTheToken()
    {
        QFETCH(QString, path);
        QFETCH(bool, withToken);
        QFETCH(int, status);
        const qint64 pid = workerPid();
        const HttpAnswer a
            = httpRequest(url(path), "POST", {}, withToken ? m_token : QByteArray("0000"));
        QCOMPARE(a.status, status);
        QVERIFY(a.json.contains(QStringLiteral("message")));
        QTest::qWait(200);
        QCOMPARE(workerPid(), pid);
    }

    void restartThroughTheApi()
    {
        const qint64 pid = workerPid();
        const HttpAnswer a = httpRequest(
            url(QStringLiteral("/api/processes/worker/restart")), "POST", {}, m_token);
        QCOMPARE(a.status, 202);
        QCOMPARE(a.json.value(QStringLiteral("accepted")).toBool(), true);
        QTRY_VERIFY(workerPid() != pid && workerPid() > 0);
        QVERIFY(!isAlive(pid));
        QCOMPARE(worker().value(QStringLiteral("restarts")).toInt(), 1);
        QCOMPARE(worker()
                     .value(QStringLiteral("last_exit"))
                     .toObject()
                     .value(QStringLiteral("signal"))
                     .toInt(),
            15);
    }

    void unexpectedExitIsRestarted()
    {
        const qint64 pid = workerPid();
        ::kill(pid_t(pid), SIGKILL);
        QTRY_VERIFY(workerPid() != pid && workerState() == QLatin1String("running"));
        QCOMPARE(worker()
                     .value(QStringLiteral("last_exit"))
                     .toObject()
                     .value(QStringLiteral("signal"))
                     .toInt(),
            9);
    }

    void cliListStopStartRestart()
    {
        const QString dir = m_serve->dataDir();
        CliRun r = cli({ QStringLiteral("list"), QStringLiteral("--data-dir"), dir });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("worker") && r.out.contains("running"), r.out.constData());
        QVERIFY(r.out.contains(QByteArray::number(workerPid())));

        r = cli({ QStringLiteral("stop"), QStringLiteral("worker"), QStringLiteral("--data-dir"),
            dir, QStringLiteral("--url"), m_serve->url().toString() });
        QCOMPARE(r.exitCode, 0);
        QTRY_COMPARE(workerState(), QStringLiteral("stopped"));
        r = cli({ QStringLiteral("list"), QStringLiteral("--data-dir"), dir,
            QStringLiteral("--format"), QStringLiteral("json") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out.count('\n'), 1); // one compact document on one line
        const QJsonArray listed
            = QJsonDocument::fromJson(r.out).object().value(QStringLiteral("processes")).toArray();
        QCOMPARE(listed.size(), 1);
        QCOMPARE(listed.at(0).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("stopped"));

        r = cli({ QStringLiteral("start"), QStringLiteral("worker"), QStringLiteral("--data-dir"),
            dir, QStringLiteral("--format"), QStringLiteral("json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject accepted = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(accepted.value(QStringLiteral("action")).toString(), QStringLiteral("start"));
        QCOMPARE(accepted.value(QStringLiteral("accepted")).toBool(), true);
        QTRY_COMPARE(workerState(), QStringLiteral("running"));

        const qint64 pid = workerPid();
        r = cli({ QStringLiteral("restart"), QStringLiteral("worker"), QStringLiteral("--data-dir"),
            dir });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, QByteArray("restart worker: accepted\n"));
        QTRY_VERIFY(workerPid() != pid && workerState() == QLatin1String("running"));

        // Each was audited as the person who ran the CLI, read back through the CLI.
        const QString actor = OperatorIdentity::actor(QStringLiteral("cli"));
        const auto auditedAsCli = [&] {
            const CliRun tail = runCli({ QStringLiteral("audit"), QStringLiteral("tail"),
                QStringLiteral("--stream"), QStringLiteral("operator"), QStringLiteral("-n"),
                QStringLiteral("100"), QStringLiteral("--format"), QStringLiteral("json"),
                QStringLiteral("--data-dir"), dir });
            QStringList actions;
            for (const QByteArray &line : tail.out.split('\n')) {
                const QJsonObject e = QJsonDocument::fromJson(line).object();
                if (e.value(QStringLiteral("actor")).toString() == actor)
                    actions << e.value(QStringLiteral("action")).toString();
            }
            return actions;
        };
        QTRY_VERIFY_WITH_TIMEOUT(auditedAsCli().size() >= 3, 10000);
        const QStringList audited = auditedAsCli();
        QCOMPARE(audited,
            (QStringList { QStringLiteral("process.stop"), QStringLiteral("process.start"),
                QStringLiteral("process.restart") }));
    }

    void cliErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("message");
        QTest::newRow("no command -> usage") << QStringList {} << 2 << "missing subcommand";
        QTest::newRow("unknown command -> usage")
            << QStringList { QStringLiteral("reboot") } << 2 << "unknown subcommand \"reboot\"";
        QTest::newRow("restart without name -> usage")
            << QStringList { QStringLiteral("restart") } << 2 << "needs exactly one process NAME";
        QTest::newRow("unknown process -> 1") << QStringList { QStringLiteral("restart"),
            QStringLiteral("nope") } << 1 << "no supervised process named \"nope\"";
    }

    void cliErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, message);
        const CliRun r
            = cli(args + QStringList { QStringLiteral("--data-dir"), m_serve->dataDir() });
        QCOMPARE(r.exitCode, code);
        QVERIFY2(QString::fromUtf8(r.err).contains(message), r.err.constData());
    }

    void cliWithoutEngine()
    {
        const CliRun r = cli({ QStringLiteral("list"), QStringLiteral("--data-dir"),
            m_dir.filePath(QStringLiteral("empty")) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("no running engine"), r.err.constData());
    }

    void metrics()
    {
        const HttpAnswer a = httpRequest(url(QStringLiteral("/metrics")), "GET");
        QCOMPARE(a.status, 200);
        QVERIFY(a.body.contains("shivx_supervised_process_up{process=\"worker\"} 1\n"));
        QVERIFY(a.body.contains("shivx_supervised_process_restarts_total{process=\"worker\"} "));
        QVERIFY(
            a.body.contains("shivx_supervised_process_start_time_seconds{process=\"worker\"} "));
        const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
        if (promtool.isEmpty())
            QSKIP("promtool not installed");
        QProcess p;
        p.start(promtool, { QStringLiteral("check"), QStringLiteral("metrics") });
        p.write(a.body);
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(10000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
    }

    void logCaptured()
    {
        QFile log(m_serve->dataDir() + QStringLiteral("/processes/worker.log"));
        QTRY_VERIFY(log.size() > 0);
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray text = log.readAll();
        QVERIFY(text.contains("tick 1\n"));
        QVERIFY(text.contains("--- "));
    }

    // SIGTERM to the engine: it stops the supervised group and exits; nothing is left.
    void engineExitLeavesNoProcess()
    {
        const qint64 pid = workerPid();
        QVERIFY(isAlive(pid));
        QCOMPARE(m_serve->terminate(), 0);
        QTRY_VERIFY(!isAlive(pid));
        QCOMPARE(liveGroupMembers(pid), QList<qint64>());
    }
};

QTEST_GUILESS_MAIN(tst_ProcessesServe)
#include "tst_processes_serve.moc"
