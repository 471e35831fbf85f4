// File integrity end to end against the real `shivx serve` and the real `shivx integrity`:
// the token on the POSTs, 400s naming the field, init/check/accept through HTTP and the CLI
// with real file changes, the baseline's digest in the on-disk security stream, trust kept
// across a restart and refused after the baseline file was edited behind the engine's back,
// a critical file re-checked in real time, and /metrics.
#include "servefixture.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>

#include <unistd.h>

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

QByteArray fileSha256Hex(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
        ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()
        : QByteArray();
}

// Every line of the security stream's segments as written to disk.
QByteArray securityStream(const QString &dataDir)
{
    QByteArray all;
    QDirIterator it(dataDir + QStringLiteral("/audit/security"), { QStringLiteral("seg-*.ndjson") },
        QDir::Files);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class TstIntegrityServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tree;
    std::unique_ptr<ServeProcess> m_serve;

    QString tree() const { return m_tree.path(); }
    QUrl url(const char *path) const { return m_serve->url().resolved(QUrl(QLatin1String(path))); }
    QByteArray token() const { return m_serve->apiToken(); }
    QStringList cli(const QStringList &args) const
    {
        return QStringList { QStringLiteral("integrity") } + args
            + QStringList { QStringLiteral("--data-dir"), m_serve->dataDir() };
    }
    QString config() const
    {
        return QStringLiteral("integrity:\n"
                              "  sets:\n"
                              "    - name: etc\n"
                              "      paths: [%1/etc]\n"
                              "      critical: true\n"
                              "    - name: srv\n"
                              "      paths: [%1/srv]\n"
                              "      exclude: ['*.tmp']\n"
                              "  schedule: {fast: 0s, full: 0s}\n")
            .arg(tree());
    }

    // Waits until the engine's integrity operation has ended; returns /api/integrity.
    QJsonObject settled()
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 30'000) {
            const HttpAnswer p = httpRequest(url("/api/integrity/progress"));
            if (p.status == 200 && !p.json.value(QStringLiteral("busy")).toBool())
                break;
            QTest::qWait(20);
        }
        return httpRequest(url("/api/integrity")).json;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QDir().mkpath(tree() + QStringLiteral("/etc/ssh")));
        QVERIFY(QDir().mkpath(tree() + QStringLiteral("/srv/www")));
        writeFile(tree() + QStringLiteral("/etc/passwd"), "root:x:0:0\n");
        writeFile(tree() + QStringLiteral("/etc/ssh/sshd_config"), "PermitRootLogin no\n");
        for (int i = 0; i < 30; ++i)
            writeFile(
                tree() + QStringLiteral("/srv/www/page-%1.html").arg(i), QByteArray(4096 * i, 'p'));
        writeFile(tree() + QStringLiteral("/srv/www/upload.tmp"), "ignored\n");
        m_serve = std::make_unique<ServeProcess>(config());
        QVERIFY2(m_serve->start(), m_serve->output().constData());
    }

    void cleanupTestCase()
    {
        if (m_serve)
            QCOMPARE(m_serve->terminate(), 0);
    }

    void beforeInit()
    {
        const HttpAnswer s = httpRequest(url("/api/integrity"));
        QCOMPARE(s.status, 200);
        const QJsonObject b = s.json.value(QStringLiteral("baseline")).toObject();
        QVERIFY(!b.value(QStringLiteral("exists")).toBool());
        QVERIFY(s.json.value(QStringLiteral("last_check")).isNull());
        const CliRun r = runCli(cli({ QStringLiteral("check") }));
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("integrity init"), r.err.constData());
    }

    void postsNeedTheTokenAndGoodBodies()
    {
        QCOMPARE(httpRequest(url("/api/integrity/init"), "POST", "{}").status, 401);
        const HttpAnswer mode
            = httpRequest(url("/api/integrity/check"), "POST", R"({"mode":"medium"})", token());
        QCOMPARE(mode.status, 400);
        QVERIFY2(mode.json.value(QStringLiteral("message"))
                     .toString()
                     .startsWith(QLatin1String("mode:")),
            mode.body.constData());
        const HttpAnswer unknown
            = httpRequest(url("/api/integrity/check"), "POST", R"({"fast":true})", token());
        QCOMPARE(unknown.status, 400);
        const HttpAnswer noReason
            = httpRequest(url("/api/integrity/accept"), "POST", "{}", token());
        QCOMPARE(noReason.status, 400);
        QVERIFY2(noReason.json.value(QStringLiteral("message"))
                     .toString()
                     .startsWith(QLatin1String("reason")),
            noReason.body.constData());
        const HttpAnswer relative = httpRequest(url("/api/integrity/accept"), "POST",
            R"({"paths":["etc/passwd"],"reason":"x"})", token());
        QCOMPARE(relative.status, 400);
        QVERIFY(relative.json.value(QStringLiteral("message"))
                    .toString()
                    .startsWith(QLatin1String("paths[0]")));
        QCOMPARE(httpRequest(url("/api/integrity/cancel"), "POST", "{}", token()).status, 409);
    }

    void initThroughTheCliIsAudited()
    {
        const CliRun r = runCli(cli({ QStringLiteral("init"), QStringLiteral("--reason"),
            QStringLiteral("after provisioning") }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("32 files"), r.out.constData()); // the .tmp file is excluded
        const QJsonObject s = settled();
        const QJsonObject b = s.value(QStringLiteral("baseline")).toObject();
        QVERIFY(b.value(QStringLiteral("verified")).toBool());
        QCOMPARE(b.value(QStringLiteral("files")).toInt(), 32);
        const QByteArray digest
            = fileSha256Hex(m_serve->dataDir() + QStringLiteral("/integrity/baseline.db"));
        QCOMPARE(b.value(QStringLiteral("digest")).toString().toLatin1(), digest);
        // The digest reaches the security stream on disk, with the reason and who acted.
        QTRY_VERIFY_WITH_TIMEOUT(securityStream(m_serve->dataDir()).contains(digest), 10'000);
        const QByteArray stream = securityStream(m_serve->dataDir());
        QVERIFY(stream.contains("\"action\":\"integrity.baseline_updated\""));
        QVERIFY(stream.contains("after provisioning"));
        QVERIFY(stream.contains("\"actor\":\"cli:"));
    }

    void checkFindsRealChanges()
    {
        ::usleep(20'000); // past the file system's timestamp tick
        writeFile(tree() + QStringLiteral("/srv/www/page-3.html"), QByteArray(4096 * 3, 'X'));
        QVERIFY(QFile::setPermissions(tree() + QStringLiteral("/srv/www/page-4.html"),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther | QFile::WriteOther));
        QVERIFY(QFile::remove(tree() + QStringLiteral("/srv/www/page-5.html")));
        writeFile(tree() + QStringLiteral("/srv/www/shell.php"), "<?php system($_GET['c']);\n");

        const HttpAnswer started
            = httpRequest(url("/api/integrity/check"), "POST", R"({"mode":"fast"})", token());
        QCOMPARE(started.status, 202);
        const QJsonObject last = settled().value(QStringLiteral("last_check")).toObject();
        QCOMPARE(last.value(QStringLiteral("mode")).toString(), QStringLiteral("fast"));
        QCOMPARE(last.value(QStringLiteral("added")).toInt(), 1);
        QCOMPARE(last.value(QStringLiteral("removed")).toInt(), 1);
        QCOMPARE(last.value(QStringLiteral("changed")).toInt(), 2);
        QCOMPARE(last.value(QStringLiteral("files_hashed")).toInt(), 3); // fast: 2 changed + 1 new

        const HttpAnswer d = httpRequest(url("/api/integrity/differences"));
        QCOMPARE(d.status, 200);
        QHash<QString, QJsonObject> byPath;
        for (const QJsonValue &v : d.json.value(QStringLiteral("differences")).toArray())
            byPath.insert(v.toObject().value(QStringLiteral("path")).toString(), v.toObject());
        const QJsonObject page3 = byPath.value(tree() + QStringLiteral("/srv/www/page-3.html"));
        QVERIFY(
            page3.value(QStringLiteral("changed")).toArray().contains(QStringLiteral("content")));
        QVERIFY(!page3.value(QStringLiteral("changed")).toArray().contains(QStringLiteral("size")));
        QVERIFY(page3.value(QStringLiteral("before")).toObject().value(QStringLiteral("sha256"))
            != page3.value(QStringLiteral("after")).toObject().value(QStringLiteral("sha256")));
        const QJsonObject page4 = byPath.value(tree() + QStringLiteral("/srv/www/page-4.html"));
        QCOMPARE(page4.value(QStringLiteral("after"))
                     .toObject()
                     .value(QStringLiteral("mode"))
                     .toString(),
            QStringLiteral("0606"));
        QCOMPARE(byPath.value(tree() + QStringLiteral("/srv/www/page-5.html"))
                     .value(QStringLiteral("kind"))
                     .toString(),
            QStringLiteral("removed"));
        QCOMPARE(byPath.value(tree() + QStringLiteral("/srv/www/shell.php"))
                     .value(QStringLiteral("kind"))
                     .toString(),
            QStringLiteral("added"));

        // The CLI's full check says the same and exits 3.
        const CliRun r = runCli(
            cli({ QStringLiteral("check"), QStringLiteral("--mode"), QStringLiteral("full") }));
        QCOMPARE(r.exitCode, 3);
        QVERIFY2(r.out.contains("1 added, 1 removed, 2 changed"), r.out.constData());
        QVERIFY2(r.out.contains("(mode, ctime)"), r.out.constData());
    }

    void acceptThroughHttpAndCli()
    {
        const HttpAnswer notDifferent = httpRequest(url("/api/integrity/accept"), "POST",
            QJsonDocument(QJsonObject { { QStringLiteral("paths"),
                                            QJsonArray { tree() + QStringLiteral("/etc/passwd") } },
                              { QStringLiteral("reason"), QStringLiteral("x") } })
                .toJson(),
            token());
        QCOMPARE(notDifferent.status, 400);
        QCOMPARE(notDifferent.json.value(QStringLiteral("error")).toString(),
            QStringLiteral("integrity.no_difference"));

        const HttpAnswer one = httpRequest(url("/api/integrity/accept"), "POST",
            QJsonDocument(
                QJsonObject { { QStringLiteral("paths"),
                                  QJsonArray { tree() + QStringLiteral("/srv/www/page-3.html") } },
                    { QStringLiteral("reason"), QStringLiteral("new page content") },
                    { QStringLiteral("actor"), QStringLiteral("console:alice") } })
                .toJson(),
            token());
        QCOMPARE(one.status, 200);
        QCOMPARE(one.json.value(QStringLiteral("differences")).toArray().size(), 1);

        const CliRun rest = runCli(cli({ QStringLiteral("accept"), QStringLiteral("--all"),
            QStringLiteral("--reason"), QStringLiteral("deploy 42") }));
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        QVERIFY2(rest.out.contains("accepted 3 path(s)"), rest.out.constData());
        QCOMPARE(runCli(cli({ QStringLiteral("check"), QStringLiteral("--mode"),
                            QStringLiteral("full") }))
                     .exitCode,
            0);
        QTRY_VERIFY_WITH_TIMEOUT(securityStream(m_serve->dataDir()).contains("deploy 42"), 10'000);
    }

    void criticalFileIsRecheckedInRealTime()
    {
        const QString p = tree() + QStringLiteral("/etc/ssh/sshd_config");
        writeFile(p, "PermitRootLogin yes\n");
        QElapsedTimer t;
        t.start();
        bool seen = false;
        while (!seen && t.elapsed() < 5000 * SHIVX_TIME_SCALE) {
            const HttpAnswer d = httpRequest(url("/api/integrity/differences"));
            for (const QJsonValue &v : d.json.value(QStringLiteral("differences")).toArray())
                seen = seen || v.toObject().value(QStringLiteral("path")).toString() == p;
            if (!seen)
                QTest::qWait(20);
        }
        QVERIFY(seen);
        QVERIFY2(t.elapsed() <= 1000 * SHIVX_TIME_SCALE, qPrintable(QString::number(t.elapsed())));
        const HttpAnswer metrics = httpRequest(url("/metrics"));
        QVERIFY(metrics.body.contains("shivx_integrity_realtime_checks_total"));
        QVERIFY(metrics.body.contains("shivx_integrity_differences{kind=\"changed\"} 1"));
        // Put back and accepted, so the next tests start clean.
        QVERIFY(runCli(cli({ QStringLiteral("accept"), p, QStringLiteral("--reason"),
                           QStringLiteral("test") }))
                    .exitCode
            == 0);
    }

    void trustSurvivesRestartAndEditsAreRefused()
    {
        QCOMPARE(m_serve->terminate(), 0);
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        // The digest comes back from the audit chain: the untouched baseline is trusted.
        const CliRun ok = runCli(cli({ QStringLiteral("check") }));
        QVERIFY2(ok.exitCode == 0, (ok.out + ok.err).constData());

        QCOMPARE(m_serve->terminate(), 0);
        // An intruder hides a change by rewriting its record.
        writeFile(tree() + QStringLiteral("/etc/passwd"), "root:x:0:0\nevil:x:0:0\n");
        {
            QSqlDatabase db
                = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("intruder"));
            db.setDatabaseName(m_serve->dataDir() + QStringLiteral("/integrity/baseline.db"));
            QVERIFY(db.open());
            QSqlQuery q(db);
            QVERIFY(
                q.exec(QStringLiteral("UPDATE files SET size = 22 WHERE path LIKE '%/passwd'")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("intruder"));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        const CliRun refused = runCli(
            cli({ QStringLiteral("check"), QStringLiteral("--mode"), QStringLiteral("full") }));
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("changed outside the engine"), refused.err.constData());
        const HttpAnswer metrics = httpRequest(url("/metrics"));
        QVERIFY(metrics.body.contains("shivx_integrity_baseline_verified 0"));
        QVERIFY(metrics.body.contains(
            "shivx_integrity_checks_total{mode=\"full\",outcome=\"failed\"} 1"));
        QTRY_VERIFY_WITH_TIMEOUT(
            securityStream(m_serve->dataDir()).contains("integrity.baseline_tampered"), 10'000);
    }
};

QTEST_GUILESS_MAIN(TstIntegrityServe)
#include "tst_integrity_serve.moc"
