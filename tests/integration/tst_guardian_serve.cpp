// The guardian end to end against the real `shivx serve`, with real HTTP requests from
// several loopback addresses (the whole 127.0.0.0/8 is loopback, so a client bound to
// 127.0.0.2 is a source of its own) and, where the host has one, from a non-loopback address:
// 429 with Retry-After above the rate limit, failed token checks isolating the source through
// a policy that runs a real command, 403 while isolated, the real `shivx guardian` CLI,
// LOCKDOWN (probes only from beyond loopback, the token on loopback), and the mode and the
// isolations surviving a restart.
#include "servefixture.h"
#include "sourceclient.h"

#include <QFile>
#include <QJsonArray>
#include <QNetworkInterface>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

namespace {

// `shivx serve` listening on every address (0.0.0.0), so that a client on the host's own
// non-loopback address reaches it from beyond loopback.
class AnyAddressServe
{
public:
    explicit AnyAddressServe(const QString &configYaml)
    {
        QFile f(m_dir.filePath(QStringLiteral("shivx.yaml")));
        if (f.open(QIODevice::WriteOnly))
            f.write(configYaml.toUtf8());
    }
    ~AnyAddressServe() { stop(); }
    bool start()
    {
        m_out.clear();
        m_process.setProgram(QStringLiteral(SHIVX_CLI));
        m_process.setArguments({ QStringLiteral("serve"), QStringLiteral("--data-dir"), dataDir(),
            QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0"), QStringLiteral("--config"),
            m_dir.filePath(QStringLiteral("shivx.yaml")) });
        m_process.start();
        if (!m_process.waitForStarted(10000))
            return false;
        static const QRegularExpression re(QStringLiteral("listening on http://[^:]+:(\\d+)"));
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30000 && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(200);
            m_out += m_process.readAllStandardOutput();
            const auto m = re.match(QString::fromUtf8(m_out));
            if (m.hasMatch()) {
                port = quint16(m.captured(1).toUInt());
                return true;
            }
        }
        return false;
    }
    int stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitCode();
        m_process.terminate();
        if (!m_process.waitForFinished(15000)) {
            m_process.kill();
            m_process.waitForFinished(5000);
            return -1;
        }
        return m_process.exitCode();
    }
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    QString path(const char *name) const { return m_dir.filePath(QLatin1String(name)); }
    QByteArray token() const
    {
        QFile f(dataDir() + QStringLiteral("/api-token"));
        return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
    }
    QByteArray output() { return m_out + m_process.readAll(); }

    quint16 port = 0;

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QByteArray m_out;
};

// The host's own non-loopback IPv4 address, or empty when it has none.
QByteArray outsideAddress()
{
    for (const QHostAddress &a : QNetworkInterface::allAddresses())
        if (a.protocol() == QAbstractSocket::IPv4Protocol && !a.isLoopback())
            return a.toString().toLatin1();
    return {};
}

QJsonObject cliJson(AnyAddressServe &serve, const QStringList &args)
{
    const CliRun r = runCli(QStringList { QStringLiteral("guardian") } + args
        + QStringList { QStringLiteral("--data-dir"), serve.dataDir(), QStringLiteral("--url"),
            QStringLiteral("http://127.0.0.1:%1").arg(serve.port), QStringLiteral("--format"),
            QStringLiteral("json") });
    if (r.exitCode != 0)
        qWarning("shivx guardian %s: exit %d: %s", qPrintable(args.join(QLatin1Char(' '))),
            r.exitCode, r.err.constData());
    return QJsonDocument::fromJson(r.out).object();
}

// The state of the supervised process `name`, as GET /api/processes reports it.
QString processState(quint16 port, const char *name, const QByteArray &token)
{
    SourceClient c("127.0.0.1", "127.0.0.1", port);
    const Answer a = c.request("GET", "/api/processes", token);
    for (const QJsonValue &v : a.json.value(QStringLiteral("processes")).toArray())
        if (v.toObject().value(QStringLiteral("name")).toString() == QLatin1String(name))
            return v.toObject().value(QStringLiteral("state")).toString();
    return QStringLiteral("absent (%1 %2)").arg(a.status).arg(QString::fromUtf8(a.body));
}

} // namespace

class TstGuardianServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void endToEnd()
    {
        QTemporaryDir scripts;
        const QString script = scripts.filePath(QStringLiteral("ban.sh"));
        const QString argvFile = scripts.filePath(QStringLiteral("argv.txt"));
        {
            QFile f(script);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + argvFile.toUtf8() + "'\n");
        }
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QString pidFile = scripts.filePath(QStringLiteral("outside.pid"));
        const QString config = QStringLiteral(
            "targets:\n"
            "  - name: outside\n"
            "    type: process\n"
            "    pid_file: %2\n"
            "    interval: 500ms\n"
            "    external: true\n"
            "    supervise:\n"
            "      command: %3\n"
            "      args: [--pidfile, %2, --hang]\n"
            "      stop_timeout: 3s\n"
            "guardian:\n"
            "  api: {ignore: []}\n"
            "  mode: {lockdown_on_critical: false, elevate_warnings: 1000, quiet: 1h}\n"
            "  policies:\n"
            "    - {type: api.token_failures, severity: critical, isolate: 10m,\n"
            "       command: ['%1', --set, banned]}\n")
                                   .arg(script, pidFile, QStringLiteral(SHIVX_TEST_HELPER));
        AnyAddressServe serve(config);
        QVERIFY2(serve.start(), serve.output().constData());
        const QByteArray token = serve.token();
        QVERIFY(!token.isEmpty());
        const quint16 port = serve.port;

        QTRY_COMPARE_WITH_TIMEOUT(
            processState(port, "outside", token), QStringLiteral("running"), 10000);

        // Rate limit: 500 requests in a minute pass, the 501st gets 429 with Retry-After.
        {
            SourceClient two("127.0.0.2", "127.0.0.1", port);
            for (int i = 0; i < 500; ++i) {
                const Answer a = two.request("GET", "/api/health/live");
                QVERIFY2(a.status == 200,
                    qPrintable(QStringLiteral("request %1: %2 %3")
                                   .arg(i)
                                   .arg(a.status)
                                   .arg(QString::fromUtf8(a.body))));
            }
            const Answer limited = two.request("GET", "/api/health/live");
            QCOMPARE(limited.status, 429);
            QCOMPARE(limited.json.value(QStringLiteral("error")).toString(),
                QStringLiteral("guardian.rate_limited"));
            const int retry = limited.header("Retry-After").toInt();
            QVERIFY2(retry >= 1 && retry <= 60, limited.head.constData());
            // Another source is not affected.
            SourceClient three("127.0.0.3", "127.0.0.1", port);
            QCOMPARE(three.request("GET", "/api/health/live").status, 200);
        }
        // Both events are in the threat table, from 127.0.0.2.
        QJsonArray rows;
        QTRY_VERIFY_WITH_TIMEOUT((rows = cliJson(serve,
                                      { QStringLiteral("threats"), QStringLiteral("--source"),
                                          QStringLiteral("127.0.0.2") })
                                             .value(QStringLiteral("threats"))
                                             .toArray())
                                     .size()
                == 2,
            10000);
        QStringList types;
        for (const QJsonValue &v : rows)
            types << v.toObject().value(QStringLiteral("type")).toString();
        types.sort();
        QCOMPARE(types,
            (QStringList {
                QStringLiteral("api.rate_limited"), QStringLiteral("api.request_rate") }));

        // Failed token checks from a loopback source: the 10th is critical, the policy
        // isolates the source and runs the command with its address and the duration.
        {
            SourceClient four("127.0.0.4", "127.0.0.1", port);
            for (int i = 0; i < 10; ++i)
                QCOMPARE(four.request("POST", "/api/guardian/mode", "wrong-token",
                                 R"({"mode":"NORMAL","reason":"x"})")
                             .status,
                    401);
            QTRY_COMPARE_WITH_TIMEOUT(four.request("GET", "/api/guardian").status, 403, 10000);
            const Answer refused = four.request("GET", "/api/health/live");
            QCOMPARE(refused.json.value(QStringLiteral("error")).toString(),
                QStringLiteral("guardian.isolated"));
            const auto written = [&argvFile] {
                QFile f(argvFile);
                return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
            };
            QTRY_VERIFY_WITH_TIMEOUT(written().endsWith(QLatin1Char('\n')), 10000);
            QCOMPARE(written().trimmed().split(QLatin1Char('\n')),
                (QStringList { QStringLiteral("--set"), QStringLiteral("banned"),
                    QStringLiteral("127.0.0.4"), QStringLiteral("600") }));
            // The CLI releases it; the source is served again.
            const QJsonObject released
                = cliJson(serve, { QStringLiteral("release"), QStringLiteral("127.0.0.4") });
            QCOMPARE(released.value(QStringLiteral("isolations")).toArray().size(), 0);
            QCOMPARE(four.request("GET", "/api/guardian").status, 200);
        }

        // An operator isolates a source through the CLI: 403 even with the token.
        const QJsonObject isolated = cliJson(serve,
            { QStringLiteral("isolate"), QStringLiteral("127.0.0.6"), QStringLiteral("--for"),
                QStringLiteral("1h"), QStringLiteral("--reason"), QStringLiteral("drill") });
        QCOMPARE(isolated.value(QStringLiteral("source")).toString(), QStringLiteral("127.0.0.6"));
        SourceClient six("127.0.0.6", "127.0.0.1", port);
        QCOMPARE(six.request("GET", "/api/guardian", token).status, 403);

        // LOCKDOWN set through the CLI.
        const QJsonObject locked = cliJson(serve,
            { QStringLiteral("mode"), QStringLiteral("LOCKDOWN"), QStringLiteral("--reason"),
                QStringLiteral("attack drill") });
        QCOMPARE(locked.value(QStringLiteral("mode")).toString(), QStringLiteral("LOCKDOWN"));
        // The supervised target marked external is stopped.
        QTRY_COMPARE_WITH_TIMEOUT(
            processState(port, "outside", token), QStringLiteral("stopped"), 10000);
        SourceClient seven("127.0.0.7", "127.0.0.1", port);
        // Loopback: the probes without a token, everything else with it.
        QCOMPARE(seven.request("GET", "/api/health/live").status, 200);
        // A local poller without the token is refused, but is not counted as failing token
        // checks: it stays served with the token, not isolated.
        for (int i = 0; i < 12; ++i)
            QCOMPARE(seven.request("GET", "/api/guardian").status, 401);
        QCOMPARE(seven.request("GET", "/api/guardian", token).status, 200);
        QCOMPARE(seven.request("GET", "/metrics", token).status, 200);
        checkOutsideInLockdown(port, token, true);

        // A restart: the mode and the isolation are still in effect.
        QCOMPARE(serve.stop(), 0);
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port2 = serve.port;
        const QJsonObject status = cliJson(serve, { QStringLiteral("status") });
        QCOMPARE(status.value(QStringLiteral("mode")).toString(), QStringLiteral("LOCKDOWN"));
        QCOMPARE(status.value(QStringLiteral("isolations")).toArray().size(), 1);
        SourceClient sixAgain("127.0.0.6", "127.0.0.1", port2);
        QCOMPARE(sixAgain.request("GET", "/api/health/live").status, 403);
        checkOutsideInLockdown(port2, token, true);
        // Still LOCKDOWN after the restart: the external target stays stopped.
        QTest::qWait(1000);
        QCOMPARE(processState(port2, "outside", token), QStringLiteral("stopped"));

        // Back to NORMAL: beyond loopback is served again; /metrics shows the guardian.
        const QJsonObject normal = cliJson(serve,
            { QStringLiteral("mode"), QStringLiteral("NORMAL"), QStringLiteral("--reason"),
                QStringLiteral("drill over") });
        QCOMPARE(normal.value(QStringLiteral("mode")).toString(), QStringLiteral("NORMAL"));
        checkOutsideInLockdown(port2, token, false);
        QTRY_COMPARE_WITH_TIMEOUT(
            processState(port2, "outside", token), QStringLiteral("running"), 10000);
        SourceClient one("127.0.0.1", "127.0.0.1", port2);
        const Answer metrics = one.request("GET", "/metrics");
        QCOMPARE(metrics.status, 200);
        QVERIFY(metrics.body.contains("shivx_guardian_mode 0\n"));
        QVERIFY(metrics.body.contains("shivx_guardian_isolated_sources 1\n"));
        QCOMPARE(serve.stop(), 0);
    }

private:
    // From the host's non-loopback address: in LOCKDOWN only the probes answer.
    void checkOutsideInLockdown(quint16 port, const QByteArray &token, bool lockdown)
    {
        const QByteArray outside = outsideAddress();
        if (outside.isEmpty()) {
            qWarning("no non-loopback IPv4 address on this host: LOCKDOWN from outside not tested");
            return;
        }
        SourceClient c(outside, outside, port);
        QCOMPARE(c.request("GET", "/api/health/live").status, 200);
        QVERIFY(c.request("GET", "/api/health/ready").status != 403);
        const Answer status = c.request("GET", "/api/guardian", token);
        QCOMPARE(status.status, lockdown ? 403 : 200);
        if (lockdown) {
            QCOMPARE(status.json.value(QStringLiteral("error")).toString(),
                QStringLiteral("guardian.lockdown"));
            QCOMPARE(c.request("GET", "/metrics", token).status, 403);
        }
    }
};

QTEST_GUILESS_MAIN(TstGuardianServe)
#include "tst_guardian_serve.moc"
