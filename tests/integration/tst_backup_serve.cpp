// Backups in the engine end to end against the real `shivx serve`, a real repository made by
// the real `shivx backup init` in a temporary directory, and real files: the token on the
// POSTs and 400s naming the field; a backup, a point-in-time restore, its dry run, a drill
// whose RTO and RPO reach the on-disk audit chain, a full verify, /metrics for the
// BackupOverdue rule, the engine subcommands of `shivx backup`; the catalogue rebuilt from
// the repository for a new engine database; and kill -9 during a scheduled backup leaving a
// repository that verifies, with the next backup completing.
#include "servefixture.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QRandomGenerator>

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

QByteArray randomBytes(qsizetype size)
{
    QByteArray b(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32 *>(b.data()), size / 4);
    return b;
}

// Every line of one audit stream's segments as written to disk.
QByteArray auditStream(const QString &dataDir, const char *stream)
{
    QByteArray all;
    QDirIterator it(dataDir + QStringLiteral("/audit/") + QLatin1String(stream),
        { QStringLiteral("seg-*.ndjson") }, QDir::Files);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class TstBackupServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tree;
    std::unique_ptr<ServeProcess> m_serve;

    QString tree(const QString &rel = QString()) const
    {
        return rel.isEmpty() ? m_tree.path() : m_tree.filePath(rel);
    }
    QUrl url(const QString &path) const { return m_serve->url().resolved(QUrl(path)); }
    QByteArray token() const { return m_serve->apiToken(); }
    QString config(const QString &schedule) const
    {
        return QStringLiteral("backup:\n"
                              "  repository: %1/repo\n"
                              "  password_file: %1/pw\n"
                              "  sets:\n"
                              "    app:\n"
                              "      paths: [%1/src]\n"
                              "      exclude: ['*.tmp']\n"
                              "      retention: {last: 2}\n"
                              "    big:\n"
                              "      paths: [%1/big]\n"
                              "      schedule: %2\n")
            .arg(tree(), schedule);
    }
    QStringList cli(const QStringList &args) const
    {
        return QStringList { QStringLiteral("backup") } + args
            + QStringList { QStringLiteral("--data-dir"), m_serve->dataDir() };
    }

    HttpAnswer post(const QString &path, const QByteArray &body)
    {
        return httpRequest(url(path), "POST", body, token());
    }

    // Waits until operation `id` has ended; returns it.
    QJsonObject finished(qint64 id)
    {
        QElapsedTimer t;
        t.start();
        QJsonObject op;
        while (t.elapsed() < 60'000) {
            op = httpRequest(url(QStringLiteral("/api/backup/operations/%1").arg(id))).json;
            const QString s = op.value(QStringLiteral("state")).toString();
            if (s == QLatin1String("succeeded") || s == QLatin1String("failed")
                || s == QLatin1String("cancelled"))
                return op;
            QTest::qWait(20);
        }
        return op;
    }

    QJsonObject runOk(const QString &path, const QByteArray &body)
    {
        const HttpAnswer a = post(path, body);
        if (a.status != 202)
            qWarning("%s -> %d %s", qPrintable(path), a.status, a.body.constData());
        const QJsonObject op = finished(a.json.value(QStringLiteral("id")).toInteger());
        if (op.value(QStringLiteral("state")).toString() != QLatin1String("succeeded"))
            qWarning("%s", QJsonDocument(op).toJson().constData());
        return op;
    }

private Q_SLOTS:
    void initTestCase()
    {
        writeFile(tree(QStringLiteral("pw")), "integration passphrase\n");
        writeFile(tree(QStringLiteral("src/etc/app.conf")), "version = 1\n");
        writeFile(tree(QStringLiteral("src/data/blob.bin")), randomBytes(2'000'000));
        writeFile(tree(QStringLiteral("src/cache.tmp")), "excluded\n");
        // Large enough that a backup of it runs for a while (kill -9 lands mid-backup).
        for (int i = 0; i < 6; ++i)
            writeFile(tree(QStringLiteral("big/part-%1.bin").arg(i)), randomBytes(40'000'000));
        const CliRun init = runCli({ QStringLiteral("backup"), QStringLiteral("init"),
            QStringLiteral("--repo"), tree(QStringLiteral("repo")),
            QStringLiteral("--password-file"), tree(QStringLiteral("pw")) });
        QVERIFY2(init.exitCode == 0, init.err.constData());
        // A schedule that does not fire during the first tests.
        m_serve = std::make_unique<ServeProcess>(config(QStringLiteral("\"0 0 1 1 *\"")));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
    }

    void cleanupTestCase()
    {
        if (m_serve)
            QCOMPARE(m_serve->terminate(), 0);
    }

    void postsNeedTheTokenAndGoodBodies()
    {
        QCOMPARE(
            httpRequest(url(QStringLiteral("/api/backup/run")), "POST", R"({"set":"app"})").status,
            401);
        const HttpAnswer type
            = post(QStringLiteral("/api/backup/run"), R"({"set":"app","type":"weekly"})");
        QCOMPARE(type.status, 400);
        QVERIFY2(
            type.json.value(QStringLiteral("message")).toString().contains(QLatin1String("weekly")),
            type.body.constData());
        QCOMPARE(post(QStringLiteral("/api/backup/run"), R"({"set":"nope"})").status, 404);
        const HttpAnswer unknown
            = post(QStringLiteral("/api/backup/run"), R"({"set":"app","full":true})");
        QCOMPARE(unknown.status, 400);
        QVERIFY(unknown.json.value(QStringLiteral("message"))
                    .toString()
                    .contains(QLatin1String("full")));
        const HttpAnswer target
            = post(QStringLiteral("/api/backup/restore"), R"({"target":"relative/dir"})");
        QCOMPARE(target.status, 400);
        QVERIFY(target.json.value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QLatin1String("target:")));
        const HttpAnswer at = post(
            QStringLiteral("/api/backup/restore"), R"({"target":"/x","at":"yesterday-ish"})");
        QCOMPARE(at.status, 400);
        QVERIFY(
            at.json.value(QStringLiteral("message")).toString().startsWith(QLatin1String("at:")));
    }

    void backupRestoreAtAPointInTimeAndDryRun()
    {
        const QJsonObject first
            = runOk(QStringLiteral("/api/backup/run"), R"({"set":"app","type":"full"})");
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(
            first.value(QStringLiteral("result")).toObject().value(QStringLiteral("files")).toInt(),
            2);
        const QString between = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
        QTest::qWait(20);
        writeFile(tree(QStringLiteral("src/etc/app.conf")), "version = 2\n");
        const QJsonObject second = runOk(QStringLiteral("/api/backup/run"), R"({"set":"app"})");
        QCOMPARE(second.value(QStringLiteral("result"))
                     .toObject()
                     .value(QStringLiteral("type"))
                     .toString(),
            QStringLiteral("incremental"));

        // The state the console and the alert rule read.
        const QJsonObject state = httpRequest(url(QStringLiteral("/api/backup"))).json;
        const QJsonObject app = state.value(QStringLiteral("sets")).toArray().at(0).toObject();
        QCOMPARE(app.value(QStringLiteral("name")).toString(), QStringLiteral("app"));
        QCOMPARE(app.value(QStringLiteral("snapshots")).toInt(), 2);
        QVERIFY(app.value(QStringLiteral("dedup_ratio")).toDouble() > 0.9);
        const QByteArray metrics = httpRequest(url(QStringLiteral("/metrics"))).body;
        QVERIFY2(metrics.contains("shivx_backup_last_success_age_seconds{set=\"app\"}"),
            metrics.constData());
        // `big` is scheduled but has no snapshot: its age counts from when the engine's
        // database first knew it (BackupOverdue fires when its first backup never comes).
        const QRegularExpression bigAge(
            QStringLiteral("shivx_backup_last_success_age_seconds\\{set=\"big\"\\} ([0-9.e+]+)"));
        const QRegularExpressionMatch big = bigAge.match(QString::fromUtf8(metrics));
        QVERIFY2(big.hasMatch(), metrics.constData());
        QVERIFY2(big.captured(1).toDouble() < 3600, qPrintable(big.captured(1)));

        // Back to the first snapshot by time: the old content, in a new place.
        const QString target = tree(QStringLiteral("restored"));
        const QJsonObject restored = runOk(QStringLiteral("/api/backup/restore"),
            QJsonDocument(
                QJsonObject { { QStringLiteral("set"), QStringLiteral("app") },
                    { QStringLiteral("at"), between }, { QStringLiteral("target"), target } })
                .toJson());
        QCOMPARE(restored.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(readFile(target + tree(QStringLiteral("src/etc/app.conf"))),
            QByteArray("version = 1\n"));
        QCOMPARE(readFile(target + tree(QStringLiteral("src/data/blob.bin"))),
            readFile(tree(QStringLiteral("src/data/blob.bin"))));
        QVERIFY(!QFile::exists(target + tree(QStringLiteral("src/cache.tmp"))));

        // A dry run of the newest snapshot onto that tree names exactly the changed file.
        const QJsonObject dry = runOk(QStringLiteral("/api/backup/restore"),
            QJsonDocument(
                QJsonObject { { QStringLiteral("snapshot"), QStringLiteral("latest") },
                    { QStringLiteral("target"), target }, { QStringLiteral("dry_run"), true } })
                .toJson());
        const QJsonObject r = dry.value(QStringLiteral("result")).toObject();
        QCOMPARE(r.value(QStringLiteral("changed")).toInt(), 1);
        QVERIFY(r.value(QStringLiteral("changes"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("path"))
                    .toString()
                    .endsWith(QLatin1String("/src/etc/app.conf")));
        QCOMPARE(readFile(target + tree(QStringLiteral("src/etc/app.conf"))),
            QByteArray("version = 1\n"));
    }

    void drillAndVerifyAreAudited()
    {
        const QJsonObject drill
            = runOk(QStringLiteral("/api/backup/drill"), R"({"set":"app","actor":"cli:tester"})");
        QCOMPARE(drill.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        const QJsonObject r = drill.value(QStringLiteral("result")).toObject();
        QCOMPARE(r.value(QStringLiteral("mismatch_count")).toInt(), 0);
        QVERIFY(r.value(QStringLiteral("rpo_ms")).toInteger() > 0);
        const QJsonObject verify
            = runOk(QStringLiteral("/api/backup/verify"), R"({"mode":"full"})");
        QCOMPARE(verify.value(QStringLiteral("result"))
                     .toObject()
                     .value(QStringLiteral("problem_count"))
                     .toInt(),
            0);
        QCOMPARE(httpRequest(url(QStringLiteral("/api/backup")))
                     .json.value(QStringLiteral("last_verify_ok"))
                     .toBool(),
            true);
        const QByteArray metrics = httpRequest(url(QStringLiteral("/metrics"))).body;
        QVERIFY(metrics.contains("shivx_backup_drill_rpo_seconds{set=\"app\"}"));
        QVERIFY(metrics.contains("shivx_backup_verify_success 1"));
        // The audit writer syncs in batches: wait for the drill's line on disk.
        QTRY_VERIFY_WITH_TIMEOUT(
            auditStream(m_serve->dataDir(), "operator").contains("\"backup.drill_succeeded\""),
            10'000);
        const QByteArray operatorStream = auditStream(m_serve->dataDir(), "operator");
        const qsizetype at = operatorStream.indexOf("\"backup.drill_succeeded\"");
        const QByteArray line = operatorStream.mid(operatorStream.lastIndexOf('\n', at) + 1,
            operatorStream.indexOf('\n', at) - operatorStream.lastIndexOf('\n', at) - 1);
        const QJsonObject event = QJsonDocument::fromJson(line).object();
        QCOMPARE(event.value(QStringLiteral("actor")).toString(), QStringLiteral("cli:tester"));
        const QJsonObject data = event.value(QStringLiteral("data")).toObject();
        QCOMPARE(data.value(QStringLiteral("rto_ms")).toInteger(),
            r.value(QStringLiteral("rto_ms")).toInteger());
        QCOMPARE(data.value(QStringLiteral("rpo_ms")).toInteger(),
            r.value(QStringLiteral("rpo_ms")).toInteger());
    }

    void cliGoesThroughTheEngine()
    {
        const CliRun now = runCli(
            cli({ QStringLiteral("now"), QStringLiteral("app"), QStringLiteral("--wait") }));
        QVERIFY2(now.exitCode == 0, now.err.constData());
        QVERIFY2(now.out.contains("succeeded"), now.out.constData());
        const CliRun status = runCli(
            cli({ QStringLiteral("status"), QStringLiteral("--format"), QStringLiteral("json") }));
        QCOMPARE(status.exitCode, 0);
        const QJsonObject s = QJsonDocument::fromJson(status.out).object();
        QCOMPARE(s.value(QStringLiteral("sets"))
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(QStringLiteral("snapshots"))
                     .toInt(),
            3);
        const CliRun cancel = runCli(cli({ QStringLiteral("cancel"), QStringLiteral("9999") }));
        QCOMPARE(cancel.exitCode, 1);
        QVERIFY2(cancel.err.contains("no operation 9999"), cancel.err.constData());
        const CliRun noSet = runCli(cli({ QStringLiteral("drill"), QStringLiteral("nope") }));
        QCOMPARE(noSet.exitCode, 1);
        QVERIFY2(noSet.err.contains("no backup set nope"), noSet.err.constData());
    }

    void catalogueIsRebuiltForANewDatabase()
    {
        const int before = httpRequest(url(QStringLiteral("/api/backup/snapshots")))
                               .json.value(QStringLiteral("snapshots"))
                               .toArray()
                               .size();
        QVERIFY(before >= 3);
        QCOMPARE(m_serve->terminate(), 0);
        for (const QString &name :
            QDir(m_serve->dataDir()).entryList({ QStringLiteral("shivx.db*") }))
            QVERIFY(QFile::remove(m_serve->dataDir() + QLatin1Char('/') + name));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        QTRY_COMPARE_WITH_TIMEOUT(httpRequest(url(QStringLiteral("/api/backup/snapshots")))
                                      .json.value(QStringLiteral("snapshots"))
                                      .toArray()
                                      .size(),
            before, 10'000);
    }

    void killDuringAScheduledBackupLeavesAConsistentRepository()
    {
        QCOMPARE(m_serve->terminate(), 0);
        // Every minute: the next minute boundary starts a backup of the 240 MB set.
        m_serve = std::make_unique<ServeProcess>(config(QStringLiteral("\"* * * * *\"")));
        QDir(m_serve->dataDir()).mkpath(QStringLiteral("."));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        QElapsedTimer t;
        t.start();
        bool killed = false;
        while (t.elapsed() < 75'000 && !killed) {
            const QJsonArray ops = httpRequest(url(QStringLiteral("/api/backup")))
                                       .json.value(QStringLiteral("operations"))
                                       .toArray();
            for (const QJsonValue &v : ops) {
                const QJsonObject op = v.toObject();
                if (op.value(QStringLiteral("set")).toString() == QLatin1String("big")
                    && op.value(QStringLiteral("trigger")).toString() == QLatin1String("schedule")
                    && op.value(QStringLiteral("state")).toString() == QLatin1String("running")
                    && op.value(QStringLiteral("done_bytes")).toInteger() > 0) {
                    QCOMPARE(m_serve->terminate(SIGKILL), -2);
                    killed = true;
                    break;
                }
            }
            QTest::qWait(10);
        }
        QVERIFY2(killed, "no scheduled backup was seen running");
        // The repository verifies (a killed backup leaves at most unindexed packs: notes).
        const QStringList repo { QStringLiteral("--repo"), tree(QStringLiteral("repo")),
            QStringLiteral("--password-file"), tree(QStringLiteral("pw")) };
        const CliRun verify = runCli(
            QStringList { QStringLiteral("backup"), QStringLiteral("verify") } + repo, 120'000);
        QVERIFY2(verify.exitCode == 0, (verify.out + verify.err).constData());
        const CliRun list = runCli(QStringList { QStringLiteral("backup"), QStringLiteral("list"),
                                       QStringLiteral("--set"), QStringLiteral("big") }
            + repo);
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(!list.out.contains("big"), list.out.constData()); // no half snapshot
        // The next run completes (the stale lock of the killed engine is removed).
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        const QJsonObject next = runOk(QStringLiteral("/api/backup/run"), R"({"set":"big"})");
        QCOMPARE(next.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        QCOMPARE(
            next.value(QStringLiteral("result")).toObject().value(QStringLiteral("files")).toInt(),
            6);
    }
};

QTEST_GUILESS_MAIN(TstBackupServe)
#include "tst_backup_serve.moc"
