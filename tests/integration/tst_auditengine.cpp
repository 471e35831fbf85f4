// The engine audits itself: configuration load (with the file's SHA-256), start and stop,
// target transitions and readiness changes, operator actions; its writer runs on the
// "shivx-audit" thread; and while it runs, many `shivx audit append` processes add entries
// to the same stream without forking the chain.
#include "audit/auditsink.h"
#include "audit/checkpointkey.h"
#include "audit/segmentfiles.h"
#include "auditchaincheck.h"
#include "core/config.h"
#include "core/engine.h"
#include "health/healthservice.h"
#include "testengine.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace Shivx;

namespace {

Engine::Options options(const QString &dataDir, const QByteArray &yaml)
{
    return ShivxTest::engineOptions(dataDir, yaml, ShivxTest::Api::Off);
}

QStringList threadNames()
{
    QStringList out;
    for (const QString &t :
        QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile f(QStringLiteral("/proc/self/task/%1/comm").arg(t));
        if (f.open(QIODevice::ReadOnly))
            out.append(QString::fromUtf8(f.readAll().trimmed()));
    }
    return out;
}

const AuditEntry *find(const ChainCheck &c, const QString &action)
{
    for (const AuditEntry &e : c.entries)
        if (e.action == action)
            return &e;
    return nullptr;
}

} // namespace

class TstAuditEngine : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void engineEventsAreRecorded()
    {
        QTemporaryDir dir;
        QTcpServer up;
        QVERIFY(up.listen(QHostAddress::LocalHost, 0));
        const QByteArray yaml
            = "sampler: {interval: 200ms}\naudit: {checkpoint: {every_entries: 100000}}\ntargets:\n"
              "  - {name: tcp-up, type: tcp, host: 127.0.0.1, port: "
            + QByteArray::number(up.serverPort())
            + ", interval: 300ms, timeout: 200ms, critical: true}\n";
        const QString resilience = AuditFiles::streamDir(dir.path(), QStringLiteral("resilience"));
        {
            Engine engine(options(dir.path(), yaml));
            QVERIFY(engine.auditSink() == nullptr);
            QSignalSpy readinessSpy(&engine, &Engine::readinessChanged);
            QVERIFY(engine.start().ok());
            QVERIFY(engine.auditSink() != nullptr);
            QVERIFY(threadNames().contains(QStringLiteral("shivx-audit")));
            // The signal (which the engine audits), not the getter: the getter can turn ready
            // between two of the aggregator's change checks.
            const auto sawReady = [&] {
                for (const auto &args : readinessSpy)
                    if (args.first().value<Readiness>().ready)
                        return true;
                return false;
            };
            QTRY_VERIFY_WITH_TIMEOUT(sawReady(), 20000);
            // The first readiness comes before the first probe when the machine is busy (no
            // target state yet, so no target check): the target must have been UP before it
            // goes away.
            QTRY_VERIFY_WITH_TIMEOUT(
                engine.service<HealthService>()->targets().value(0).state == TargetState::Up,
                20000);
            up.close();
            QTRY_VERIFY_WITH_TIMEOUT(
                engine.service<HealthService>()->targets().constFirst().state == TargetState::Down,
                10000);
            QTRY_VERIFY_WITH_TIMEOUT(!readinessSpy.last().first().value<Readiness>().ready, 10000);
            engine.recordOperatorAction(QStringLiteral("maintenance.started"),
                { { QStringLiteral("ticket"), QStringLiteral("OPS-1") } },
                QStringLiteral("console:alice"));
            engine.stop();
            QVERIFY(engine.auditSink() == nullptr);
        }
        QTRY_VERIFY(!threadNames().contains(
            QStringLiteral("shivx-audit"))); // the OS thread may take a moment to go

        const ChainCheck c = checkChain(resilience);
        QVERIFY2(c.ok(), qPrintable(c.error));
        QCOMPARE(c.entries.first().action, QStringLiteral("config.loaded"));
        const AuditEntry *config = find(c, QStringLiteral("config.loaded"));
        QCOMPARE(config->data.value(QStringLiteral("sha256")).toString().toLatin1(),
            QCryptographicHash::hash(yaml, QCryptographicHash::Sha256).toHex());
        QCOMPARE(
            config->data.value(QStringLiteral("file")).toString(), QStringLiteral("test.yaml"));
        QVERIFY(find(c, QStringLiteral("engine.started")));
        QCOMPARE(c.entries.last().action, QStringLiteral("engine.stopped"));

        bool wentUp = false, wentDown = false;
        for (const AuditEntry &e : c.entries) {
            if (e.action != QLatin1String("target.transition"))
                continue;
            QCOMPARE(e.data.value(QStringLiteral("target")).toString(), QStringLiteral("tcp-up"));
            wentUp |= e.data.value(QStringLiteral("to")).toString() == QLatin1String("UP");
            wentDown |= e.data.value(QStringLiteral("to")).toString() == QLatin1String("DOWN");
        }
        QVERIFY(wentUp && wentDown);
        QStringList readiness;
        for (const AuditEntry &e : c.entries)
            if (e.action == QLatin1String("readiness.changed"))
                readiness.append(e.data.value(QStringLiteral("state")).toString());
        QVERIFY(readiness.contains(QStringLiteral("ready")));
        QCOMPARE(readiness.last(), QStringLiteral("not_ready"));

        const ChainCheck ops
            = checkChain(AuditFiles::streamDir(dir.path(), QStringLiteral("operator")));
        QCOMPARE(ops.entries.size(), 1);
        QCOMPARE(ops.entries.first().actor, QStringLiteral("console:alice"));
        QCOMPARE(ops.entries.first().action, QStringLiteral("maintenance.started"));

        // The final checkpoint at stop covers the last entry of each stream that advanced.
        QFile cp(AuditFiles::checkpointsPath(resilience));
        QVERIFY(cp.open(QIODevice::ReadOnly));
        const auto lines = AuditFiles::splitLines(cp.readAll());
        QCOMPARE(Checkpoint::parse(lines.last().text)->seq, c.entries.last().seq);
    }

    void cliAppendsWhileTheEngineWrites()
    {
        QTemporaryDir dir;
        Engine engine(options(
            dir.path(), "sampler: {interval: 200ms}\naudit: {checkpoint: {every_entries: 50}}\n"));
        QVERIFY(engine.start().ok());

        // The engine keeps appending to the operator stream while CLI processes do too.
        int engineEntries = 0;
        QTimer pump;
        connect(&pump, &QTimer::timeout, this, [&] {
            for (int i = 0; i < 5; ++i)
                engine.recordOperatorAction(QStringLiteral("test.engine"),
                    { { QStringLiteral("n"), engineEntries++ } }, QStringLiteral("engine"));
        });
        pump.start(2);

        constexpr int workers = 6, perWorker = 8;
        std::vector<std::unique_ptr<QProcess>> procs;
        QList<int> done(workers, 0);
        std::function<void(int)> launch = [&](int w) {
            auto *p = procs.at(size_t(w)).get();
            p->start(QStringLiteral(SHIVX_CLI),
                { QStringLiteral("audit"), QStringLiteral("append"), QStringLiteral("--data-dir"),
                    dir.path(), QStringLiteral("--action"), QStringLiteral("test.cli"),
                    QStringLiteral("--actor"), QStringLiteral("cli:test"), QStringLiteral("--data"),
                    QStringLiteral("{\"w\":%1,\"i\":%2}").arg(w).arg(done.at(w)) });
        };
        int failures = 0;
        for (int w = 0; w < workers; ++w) {
            procs.push_back(std::make_unique<QProcess>());
            connect(procs.back().get(), &QProcess::finished, this,
                [&, w](int code, QProcess::ExitStatus status) {
                    if (code != 0 || status != QProcess::NormalExit) {
                        ++failures;
                        qWarning("%s", procs.at(size_t(w))->readAllStandardError().constData());
                    }
                    if (++done[w] < perWorker)
                        launch(w);
                });
            launch(w);
        }
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(done.begin(), done.end(), [](int d) { return d == perWorker; }), 120000);
        pump.stop();
        engine.stop();
        QCOMPARE(failures, 0);

        const ChainCheck c
            = checkChain(AuditFiles::streamDir(dir.path(), QStringLiteral("operator")));
        QVERIFY2(c.ok(), qPrintable(c.error));
        QSet<QString> cli;
        int fromEngine = 0;
        for (const AuditEntry &e : c.entries) {
            if (e.action == QLatin1String("test.cli"))
                cli.insert(QStringLiteral("%1/%2")
                               .arg(e.data.value(QStringLiteral("w")).toInt())
                               .arg(e.data.value(QStringLiteral("i")).toInt()));
            else if (e.action == QLatin1String("test.engine"))
                QCOMPARE(e.data.value(QStringLiteral("n")).toInt(), fromEngine++);
        }
        QCOMPARE(cli.size(), workers * perWorker);
        QCOMPARE(fromEngine, engineEntries);
        QVERIFY(engineEntries > 100);
        qInfo("operator chain: %lld entries (%d from the engine, %d from CLI processes)",
            qint64(c.entries.size()), fromEngine, int(cli.size()));

        // The product's verifier accepts what two kinds of writers produced together, and
        // pinpoints a one-byte change in it.
        const auto verify = [&dir] {
            QProcess p;
            p.start(QStringLiteral(SHIVX_CLI),
                { QStringLiteral("audit"), QStringLiteral("verify"), QStringLiteral("--data-dir"),
                    dir.path() });
            p.waitForFinished(120000);
            return qMakePair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput()));
        };
        const auto intact = verify();
        QVERIFY2(intact.first == 0, qPrintable(intact.second));
        QFile segment(QDir(AuditFiles::streamDir(dir.path(), QStringLiteral("operator")))
                          .filePath(QStringLiteral("seg-000001.ndjson")));
        QVERIFY(segment.open(QIODevice::ReadWrite));
        QByteArray bytes = segment.readAll();
        const qsizetype at = bytes.indexOf("\"action\":\"test.cli\"");
        QVERIFY(at > 0);
        const qint64 line = bytes.left(at).count('\n') + 1;
        bytes[at + 15] = 'C'; // "test.cli" -> "test.Cli": same length, different hash
        QVERIFY(segment.seek(0));
        QCOMPARE(segment.write(bytes), bytes.size());
        segment.close();
        const auto tampered = verify();
        QCOMPARE(tampered.first, 1);
        QVERIFY2(
            tampered.second.contains(
                QStringLiteral("operator: hash_mismatch in seg-000001.ndjson line %1 ").arg(line)),
            qPrintable(tampered.second));
    }
};

QTEST_GUILESS_MAIN(TstAuditEngine)
#include "tst_auditengine.moc"
