// One engine per data directory, through the real `shivx serve`: a second engine on the same
// directory exits 2 naming the holder's pid and writes nothing; the CLI commands that read
// or append to the audit chain keep working beside the running engine; and an engine killed
// with -9 leaves a lock file that does not block the next start.
#include "servefixture.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

class tst_DataDirServe : public QObject
{
    Q_OBJECT
private:
    std::unique_ptr<ServeProcess> m_serve;

    static QByteArray readFile(const QString &path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    CliRun cli(const QStringList &args)
    {
        return runCli(args + QStringList { QStringLiteral("--data-dir"), m_serve->dataDir() });
    }
    qint64 servePid() { return m_serve->process().processId(); }
    int auditCount(const QByteArray &action)
    {
        const CliRun r
            = cli({ QStringLiteral("audit"), QStringLiteral("tail"), QStringLiteral("-n"),
                QStringLiteral("1000"), QStringLiteral("--stream"), QStringLiteral("resilience") });
        return r.exitCode == 0 ? int(r.out.count("  " + action + "  ")) : -1;
    }

private Q_SLOTS:
    void init()
    {
        m_serve = std::make_unique<ServeProcess>(QStringLiteral("sampler: {interval: 200ms}\n"));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
    }
    void cleanup() { m_serve.reset(); }

    void secondEngineExitsTwoNamingTheHolder()
    {
        const QByteArray address = readFile(m_serve->dataDir() + QStringLiteral("/api-address"));
        QVERIFY(!address.isEmpty());
        QTRY_COMPARE(auditCount("engine.started"), 1);

        // The same command line: same data directory, configuration and a free port.
        const CliRun second = runCli(m_serve->arguments(), 20000);
        QCOMPARE(second.exitCode, 2);
        // Its last line (the engine's own warning comes before it): the directory, the holder's
        // pid and start time, and what to do.
        const QRegularExpression expected(
            QStringLiteral("\\nshivx serve: data directory %1 is in use by the engine with pid %2 "
                           "\\(started at \\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\\); stop it or use "
                           "another --data-dir\\n$")
                .arg(QRegularExpression::escape(m_serve->dataDir()))
                .arg(servePid()));
        QVERIFY2(expected.match(QString::fromUtf8('\n' + second.err)).hasMatch(),
            second.err.constData());
        QVERIFY2(!second.out.contains("listening on"), second.out.constData());

        // It wrote nothing: the running engine's address and chain are as they were, and it
        // still serves.
        QCOMPARE(readFile(m_serve->dataDir() + QStringLiteral("/api-address")), address);
        QCOMPARE(auditCount("engine.started"), 1);
        QCOMPARE(auditCount("config.loaded"), 1);
        QCOMPARE(
            httpRequest(m_serve->url().resolved(QUrl(QStringLiteral("/api/health/live")))).status,
            200);
        QCOMPARE(m_serve->terminate(), 0);
    }

    // The CLI reads the store and appends to the audit chain under the chain's own lock, not
    // the engine's: all of it works while the engine runs.
    void cliWorksBesideTheEngine()
    {
        CliRun r = cli({ QStringLiteral("audit"), QStringLiteral("append"),
            QStringLiteral("--action"), QStringLiteral("maintenance.started"),
            QStringLiteral("--data"), QStringLiteral("{\"ticket\":\"OPS-9\"}") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = cli({ QStringLiteral("audit"), QStringLiteral("tail"), QStringLiteral("-n"),
            QStringLiteral("50") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("maintenance.started") && r.out.contains("engine.started"),
            r.out.constData());
        r = cli({ QStringLiteral("audit"), QStringLiteral("verify") });
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QTRY_VERIFY_WITH_TIMEOUT(
            cli({ QStringLiteral("history"), QStringLiteral("list") }).out.contains("health.score"),
            15000);
        r = cli(
            { QStringLiteral("history"), QStringLiteral("query"), QStringLiteral("health.score"),
                QStringLiteral("--from"), QStringLiteral("-1h"), QStringLiteral("--to"),
                QStringLiteral("now"), QStringLiteral("--step"), QStringLiteral("1s") });
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_serve->terminate(), 0);
        // And the engine's own entries went on beside the CLI's: the chain is whole.
        r = cli({ QStringLiteral("audit"), QStringLiteral("verify") });
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
    }

    // The kernel drops a dead holder's lock; the pid it left in the file does not count.
    void killedEngineDoesNotBlockTheNext()
    {
        const qint64 oldPid = servePid();
        QCOMPARE(m_serve->terminate(SIGKILL), -2);
        QVERIFY(readFile(m_serve->dataDir() + QStringLiteral("/engine.lock"))
                    .startsWith(QByteArray::number(oldPid) + '\n'));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        QVERIFY(readFile(m_serve->dataDir() + QStringLiteral("/engine.lock"))
                    .startsWith(QByteArray::number(servePid()) + '\n'));
        QCOMPARE(m_serve->terminate(), 0);
        // A clean stop releases it too: the next engine starts.
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        QCOMPARE(m_serve->terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(tst_DataDirServe)
#include "tst_datadir_serve.moc"
