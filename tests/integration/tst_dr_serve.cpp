// The three shipped DR plans (resources/dr/plans) end to end on the shipped demo configuration
// (resources/dr/demo-config.yaml, moved into a temporary directory) against the real
// `shivx serve`, its supervised demo application (a real python3 HTTP server over a real SQLite
// database), a real repository and the real `shivx dr` CLI: list/show, --yes required, a dry
// run that changes nothing, database failure (a damaged database), data corruption (isolate,
// restore, verify, resume), host rebuild (everything under a new root), a rollback when a
// restore fails, every step in the on-disk audit chain with the measured recovery time.
#include "servefixture.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QTcpServer>

namespace {

const QString DemoRoot = QStringLiteral("/var/tmp/shivx-demo");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool run(const QString &program, const QStringList &args, QByteArray *output = nullptr)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    p.waitForFinished(30'000);
    if (output)
        *output = p.readAll();
    return p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

quint16 freePort()
{
    QTcpServer s;
    s.listen(QHostAddress::LocalHost, 0);
    return s.serverPort();
}

} // namespace

class TstDrServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_root;
    std::unique_ptr<ServeProcess> m_serve;

    QString root(const QString &rel = QString()) const
    {
        return rel.isEmpty() ? m_root.path() : m_root.filePath(rel);
    }
    QUrl url(const QString &path) const { return m_serve->url().resolved(QUrl(path)); }
    QStringList dr(const QStringList &args) const
    {
        return QStringList { QStringLiteral("dr") } + args
            + QStringList { QStringLiteral("--data-dir"), m_serve->dataDir() };
    }
    bool appHealthy(const QString &base = QString())
    {
        const QString prefix = base.isEmpty() ? QString() : base;
        return run(QStringLiteral("/usr/bin/python3"),
            { root(QStringLiteral("demo-app.py")), QStringLiteral("--check"),
                QStringLiteral("--db"), prefix + root(QStringLiteral("app/demo.db")),
                QStringLiteral("--data"), prefix + root(QStringLiteral("app/files")) });
    }
    QString targetState()
    {
        const QJsonArray targets = httpRequest(url(QStringLiteral("/api/health/status?verbose=1")))
                                       .json.value(QStringLiteral("targets"))
                                       .toArray();
        return targets.isEmpty()
            ? QString()
            : targets.at(0).toObject().value(QStringLiteral("state")).toString();
    }
    QJsonObject finishedOperation(const QByteArray &path, const QByteArray &body)
    {
        const HttpAnswer a
            = httpRequest(url(QString::fromLatin1(path)), "POST", body, m_serve->apiToken());
        const qint64 id = a.json.value(QStringLiteral("id")).toInteger();
        QJsonObject op;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30'000) {
            op = httpRequest(url(QStringLiteral("/api/backup/operations/%1").arg(id))).json;
            if (!op.value(QStringLiteral("finished_at")).isNull())
                break;
            QTest::qWait(20);
        }
        return op;
    }
    // Activates `plan` through the API and waits for the run to end.
    QJsonObject activate(const QString &plan)
    {
        const HttpAnswer a = httpRequest(url(QStringLiteral("/api/backup/dr/activate")), "POST",
            QJsonDocument(
                QJsonObject { { QStringLiteral("plan"), plan }, { QStringLiteral("confirm"), plan },
                    { QStringLiteral("actor"), QStringLiteral("cli:drtest") } })
                .toJson(),
            m_serve->apiToken());
        if (a.status != 202)
            qWarning("activate %s: %d %s", qPrintable(plan), a.status, a.body.constData());
        const qint64 id = a.json.value(QStringLiteral("id")).toInteger();
        QJsonObject r;
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 120'000) {
            r = httpRequest(url(QStringLiteral("/api/backup/dr/runs/%1").arg(id))).json;
            if (r.value(QStringLiteral("state")).toString() != QLatin1String("running"))
                break;
            QTest::qWait(50);
        }
        if (r.value(QStringLiteral("state")).toString() != QLatin1String("succeeded"))
            qWarning("%s\n%s\n%s", QJsonDocument(r).toJson().constData(),
                httpRequest(url(QStringLiteral("/api/health/status?verbose=1"))).body.constData(),
                httpRequest(url(QStringLiteral("/api/breakers"))).body.constData());
        return r;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QFile::copy(QStringLiteral(SHIVX_SOURCE_DIR "/resources/dr/demo-app.py"),
            root(QStringLiteral("demo-app.py"))));
        QVERIFY(QDir().mkpath(root(QStringLiteral("app/files"))));
        QByteArray out;
        QVERIFY2(run(QStringLiteral("/usr/bin/python3"),
                     { QStringLiteral("-c"),
                         QStringLiteral(
                             "import sqlite3,json,os,sys\n"
                             "r=sys.argv[1]\n"
                             "c=sqlite3.connect(r+'/app/demo.db')\n"
                             "c.execute('CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)')\n"
                             "c.executemany('INSERT INTO items(name) VALUES(?)',[('item %d'%i,) "
                             "for i in range(2000)])\n"
                             "c.commit()\n"
                             "cat={}\n"
                             "for i in range(5):\n"
                             "  n='doc-%d.txt'%i; d=('document %d\\n'%i)*(1000*(i+1))\n"
                             "  open(r+'/app/files/'+n,'w').write(d); cat[n]=len(d)\n"
                             "json.dump(cat,open(r+'/app/files/catalog.json','w'))\n"),
                         root() },
                     &out),
            out.constData());
        QFile pw(root(QStringLiteral("pw")));
        QVERIFY(pw.open(QIODevice::WriteOnly));
        pw.write("dr demo passphrase\n");
        pw.close();
        QString config = QString::fromUtf8(
            readFile(QStringLiteral(SHIVX_SOURCE_DIR "/resources/dr/demo-config.yaml")));
        QVERIFY(!config.isEmpty());
        config.replace(DemoRoot + QStringLiteral("/plans"),
            QStringLiteral(SHIVX_SOURCE_DIR "/resources/dr/plans"));
        config.replace(DemoRoot, root());
        config.replace(QStringLiteral("18650"), QString::number(freePort()));
        m_serve = std::make_unique<ServeProcess>(config);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DEMO_ROOT"), root());
        m_serve->process().setProcessEnvironment(env);
        const CliRun init = runCli({ QStringLiteral("backup"), QStringLiteral("init"),
            QStringLiteral("--config"), m_serve->configPath() });
        QVERIFY2(init.exitCode == 0, init.err.constData());
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(targetState(), QStringLiteral("UP"), 20'000);
        for (const char *set : { "demo-db", "demo-files" }) {
            const QJsonObject op = finishedOperation("/api/backup/run",
                QStringLiteral(R"({"set":"%1","type":"full"})").arg(QLatin1String(set)).toUtf8());
            QCOMPARE(op.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        }
    }

    void cleanupTestCase()
    {
        if (m_serve)
            QCOMPARE(m_serve->terminate(), 0);
    }

    void listShowAndConfirmation()
    {
        const CliRun list = runCli(dr({ QStringLiteral("list") }));
        QVERIFY2(list.exitCode == 0, list.err.constData());
        for (const char *plan : { "database-failure", "data-corruption", "host-rebuild" })
            QVERIFY2(list.out.contains(plan), list.out.constData());
        const CliRun show
            = runCli(dr({ QStringLiteral("show"), QStringLiteral("database-failure") }));
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(show.out.contains("7. notify (notify"), show.out.constData());
        const CliRun noYes
            = runCli(dr({ QStringLiteral("activate"), QStringLiteral("database-failure") }));
        QCOMPARE(noYes.exitCode, 2);
        QVERIFY(noYes.err.contains("--yes"));
        const HttpAnswer typo = httpRequest(url(QStringLiteral("/api/backup/dr/activate")), "POST",
            R"({"plan":"database-failure","confirm":"database-failur"})", m_serve->apiToken());
        QCOMPARE(typo.status, 400);
        QVERIFY(typo.json.value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QLatin1String("confirm:")));
        QCOMPARE(httpRequest(url(QStringLiteral("/api/backup/dr/activate")), "POST",
                     R"({"plan":"nope","confirm":"nope"})", m_serve->apiToken())
                     .status,
            404);
    }

    void dryRunChangesNothing()
    {
        const QByteArray before = readFile(root(QStringLiteral("app/demo.db")));
        const CliRun r = runCli(dr({ QStringLiteral("activate"), QStringLiteral("database-failure"),
                                    QStringLiteral("--dry-run") }),
            60'000);
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("(dry run): succeeded"), r.out.constData());
        QVERIFY(r.out.contains("dry run: would stop_target"));
        QCOMPARE(readFile(root(QStringLiteral("app/demo.db"))), before);
        QVERIFY(!QFile::exists(root(QStringLiteral("app/demo.db.damaged"))));
        QCOMPARE(targetState(), QStringLiteral("UP"));
    }

    void databaseFailure()
    {
        // Damage the database: its header overwritten, so SQLite no longer opens it.
        QFile db(root(QStringLiteral("app/demo.db")));
        QVERIFY(db.open(QIODevice::ReadWrite));
        db.write(QByteArray(4096, '\0'));
        db.close();
        QVERIFY(!appHealthy());
        QTRY_VERIFY_WITH_TIMEOUT(targetState() != QLatin1String("UP"), 20'000);
        const CliRun r = runCli(dr({ QStringLiteral("activate"), QStringLiteral("database-failure"),
                                    QStringLiteral("--yes") }),
            120'000);
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("succeeded, recovery time"), r.out.constData());
        QVERIFY(appHealthy());
        QCOMPARE(targetState(), QStringLiteral("UP"));
        QVERIFY(QFile::exists(root(QStringLiteral("app/demo.db.damaged"))));
        // Every step and the recovery time are in the chain on disk.
        QTRY_VERIFY_WITH_TIMEOUT(
            readFile(m_serve->dataDir() + QStringLiteral("/audit/operator/seg-000001.ndjson"))
                .contains("\"dr.finished\""),
            10'000);
        QByteArray chain;
        QDirIterator it(m_serve->dataDir() + QStringLiteral("/audit/operator"),
            { QStringLiteral("seg-*.ndjson") });
        while (it.hasNext())
            chain += readFile(it.next());
        QCOMPARE(chain.count("\"dr.step_succeeded\""), 7 + 7); // the dry run's seven too
        QVERIFY(chain.contains("\"recovery_ms\""));
    }

    void dataCorruption()
    {
        QFile f(root(QStringLiteral("app/files/doc-3.txt")));
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
        f.write("garbage");
        f.close();
        QVERIFY(!appHealthy());
        const QJsonObject r = activate(QStringLiteral("data-corruption"));
        QCOMPARE(r.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(r.value(QStringLiteral("recovery_ms")).toInteger() > 0);
        QVERIFY(appHealthy());
        QCOMPARE(httpRequest(url(QStringLiteral("/api/guardian")))
                     .json.value(QStringLiteral("mode"))
                     .toString(),
            QStringLiteral("NORMAL"));
        QVERIFY(httpRequest(url(QStringLiteral("/api/degradation")))
                    .json.value(QStringLiteral("override"))
                    .isNull());
    }

    void failedRestoreRollsBack()
    {
        // A wrong passphrase makes the restore fail: what the plan changed is undone.
        const QByteArray good = readFile(root(QStringLiteral("pw")));
        QFile pw(root(QStringLiteral("pw")));
        QVERIFY(pw.open(QIODevice::WriteOnly | QIODevice::Truncate));
        pw.write("wrong\n");
        pw.close();
        const QJsonObject r = activate(QStringLiteral("data-corruption"));
        QVERIFY(pw.open(QIODevice::WriteOnly | QIODevice::Truncate));
        pw.write(good);
        pw.close();
        QCOMPARE(r.value(QStringLiteral("state")).toString(), QStringLiteral("rolled_back"));
        const QJsonArray steps = r.value(QStringLiteral("steps")).toArray();
        QCOMPARE(steps.at(0).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("rolled_back"));
        QCOMPARE(steps.at(4).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("failed"));
        QVERIFY(steps.at(4)
                    .toObject()
                    .value(QStringLiteral("message"))
                    .toString()
                    .contains(QLatin1String("passphrase")));
        QCOMPARE(steps.at(5).toObject().value(QStringLiteral("state")).toString(),
            QStringLiteral("skipped"));
        QCOMPARE(httpRequest(url(QStringLiteral("/api/guardian")))
                     .json.value(QStringLiteral("mode"))
                     .toString(),
            QStringLiteral("NORMAL"));
        QVERIFY(httpRequest(url(QStringLiteral("/api/degradation")))
                    .json.value(QStringLiteral("override"))
                    .isNull());
        // The stopped application was started again.
        QTRY_COMPARE_WITH_TIMEOUT(httpRequest(url(QStringLiteral("/api/processes")))
                                      .json.value(QStringLiteral("processes"))
                                      .toArray()
                                      .at(0)
                                      .toObject()
                                      .value(QStringLiteral("state"))
                                      .toString(),
            QStringLiteral("running"), 20'000);
    }

    void hostRebuild()
    {
        const QJsonObject r = activate(QStringLiteral("host-rebuild"));
        QCOMPARE(r.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QVERIFY(appHealthy(root(QStringLiteral("rebuilt"))));
        const QJsonArray steps = r.value(QStringLiteral("steps")).toArray();
        QVERIFY(steps.at(4)
                    .toObject()
                    .value(QStringLiteral("log"))
                    .toArray()
                    .contains(QJsonValue(QStringLiteral("healthy"))));
        const HttpAnswer again = httpRequest(url(QStringLiteral("/api/backup/dr/abort")), "POST",
            QStringLiteral(R"({"run":%1})").arg(r.value(QStringLiteral("id")).toInteger()).toUtf8(),
            m_serve->apiToken());
        QCOMPARE(again.status, 409);
    }
};

QTEST_GUILESS_MAIN(TstDrServe)
#include "tst_dr_serve.moc"
