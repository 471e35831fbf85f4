// Safe snapshots end to end against the real `shivx serve` and the real `shivx integrity`:
// files of `protect: restore` sets modified, chmod-ed and deleted, then restored through the
// CLI and through HTTP (token required), verified by hash and audited on disk; a file of an
// `auto_restore` critical set is put back by the engine itself within seconds of being
// tampered with, once (the watcher does not loop on the restore's own rename); the restores
// reach /metrics. Then backups land (a repository is initialised while the engine runs): the
// next baseline update moves the copies into it and removes the integrity store, and restores
// read them there.
#include "servefixture.h"

#include "backup/keyslots.h"
#include "backup/repository.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>

#include <sys/stat.h>

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

QByteArray sha256Hex(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly)
        ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()
        : QByteArray();
}

quint32 modeOf(const QString &path)
{
    struct stat st;
    return ::stat(QFile::encodeName(path).constData(), &st) == 0 ? st.st_mode & 07777 : 0;
}

// Every line of one audit stream's segments as written to disk.
QByteArray stream(const QString &dataDir, const char *name)
{
    QByteArray all;
    QDirIterator it(dataDir + QStringLiteral("/audit/") + QLatin1String(name),
        { QStringLiteral("seg-*.ndjson") }, QDir::Files);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly))
            all += f.readAll();
    }
    return all;
}

} // namespace

class TstIntegrityRestoreServe : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tree;
    std::unique_ptr<ServeProcess> m_serve;

    QString path(const char *rel) const
    {
        return m_tree.path() + QLatin1Char('/') + QLatin1String(rel);
    }
    QUrl url(const char *p) const { return m_serve->url().resolved(QUrl(QLatin1String(p))); }
    QStringList cli(const QStringList &args) const
    {
        return QStringList { QStringLiteral("integrity") } + args
            + QStringList { QStringLiteral("--data-dir"), m_serve->dataDir() };
    }

    // Waits until `what` holds, polling every 20 ms.
    static bool waitFor(const std::function<bool()> &what, int ms)
    {
        QElapsedTimer t;
        t.start();
        while (!what()) {
            if (t.elapsed() > ms)
                return false;
            QTest::qWait(20);
        }
        return true;
    }

    int countIn(const char *streamName, const QByteArray &needle) const
    {
        return int(stream(m_serve->dataDir(), streamName).count(needle));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(QDir().mkpath(path("conf")));
        QVERIFY(QDir().mkpath(path("guarded")));
        writeFile(path("conf/app.yaml"), "listen: 8080\n");
        writeFile(path("conf/secrets.env"), "TOKEN=abc\n");
        QVERIFY(
            QFile::setPermissions(path("conf/secrets.env"), QFile::ReadOwner | QFile::WriteOwner));
        writeFile(path("guarded/resolv.conf"), "nameserver 9.9.9.9\n");
        const QString config = QStringLiteral("integrity:\n"
                                              "  sets:\n"
                                              "    - name: conf\n"
                                              "      paths: [%1/conf]\n"
                                              "      protect: restore\n"
                                              "    - name: guarded\n"
                                              "      paths: [%1/guarded]\n"
                                              "      critical: true\n"
                                              "      protect: restore\n"
                                              "      auto_restore: true\n"
                                              "  schedule: {fast: 0s, full: 0s}\n"
                                              "backup:\n"
                                              "  key_file: %1/backup.key\n")
                                   .arg(m_tree.path());
        m_serve = std::make_unique<ServeProcess>(config);
        QVERIFY2(m_serve->start(), m_serve->output().constData());
        const CliRun init = runCli(cli(
            { QStringLiteral("init"), QStringLiteral("--reason"), QStringLiteral("provisioned") }));
        QVERIFY2(init.exitCode == 0, init.err.constData());
        // The snapshot store with its private key file exists now.
        QVERIFY(QFile::exists(m_serve->dataDir() + QStringLiteral("/integrity/snapshots.key")));
        QCOMPARE(modeOf(m_serve->dataDir() + QStringLiteral("/integrity/snapshots.key")), 0600u);
    }

    void cleanupTestCase()
    {
        if (m_serve)
            QCOMPARE(m_serve->terminate(), 0);
    }

    void restoreThroughTheCli()
    {
        const QByteArray good = sha256Hex(path("conf/app.yaml"));
        writeFile(path("conf/app.yaml"), "listen: 0.0.0.0:80\n");
        QVERIFY(QFile::setPermissions(
            path("conf/secrets.env"), QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther));
        const CliRun check = runCli(cli({ QStringLiteral("check") }));
        QCOMPARE(check.exitCode, 3);

        const CliRun noReason = runCli(cli({ QStringLiteral("restore"), path("conf/app.yaml") }));
        QCOMPARE(noReason.exitCode, 2);
        const CliRun r = runCli(cli({ QStringLiteral("restore"), QStringLiteral("--all"),
            QStringLiteral("--reason"), QStringLiteral("INC-42") }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.out.contains("restored 2 path(s)"), r.out.constData());
        QCOMPARE(sha256Hex(path("conf/app.yaml")), good);
        QCOMPARE(modeOf(path("conf/secrets.env")), 0600u);
        QCOMPARE(runCli(cli({ QStringLiteral("check"), QStringLiteral("--mode"),
                            QStringLiteral("full") }))
                     .exitCode,
            0);
        QVERIFY(waitFor([&] { return countIn("security", "\"integrity.restored\"") >= 2; }, 5000));
        QCOMPARE(countIn("operator", "\"integrity.restored\""), 2);
        const QByteArray security = stream(m_serve->dataDir(), "security");
        QVERIFY(security.contains(good));
        QVERIFY(security.contains("INC-42"));
    }

    void restoreThroughHttp()
    {
        const QByteArray good = sha256Hex(path("conf/secrets.env"));
        QVERIFY(QFile::remove(path("conf/secrets.env")));
        QCOMPARE(runCli(cli({ QStringLiteral("check") })).exitCode, 3);
        const QByteArray body = QStringLiteral(R"({"paths":["%1"],"reason":"deleted by mistake"})")
                                    .arg(path("conf/secrets.env"))
                                    .toUtf8();
        QCOMPARE(httpRequest(url("/api/integrity/restore"), "POST", body).status, 401);
        QVERIFY(!QFile::exists(path("conf/secrets.env")));
        const HttpAnswer bad = httpRequest(url("/api/integrity/restore"), "POST",
            R"({"paths":["relative"],"reason":"x"})", m_serve->apiToken());
        QCOMPARE(bad.status, 400);
        const HttpAnswer ok
            = httpRequest(url("/api/integrity/restore"), "POST", body, m_serve->apiToken());
        QVERIFY2(ok.status == 200, ok.body.constData());
        QCOMPARE(ok.json.value(QStringLiteral("differences")).toArray().size(), 1);
        QCOMPARE(sha256Hex(path("conf/secrets.env")), good);
        QCOMPARE(modeOf(path("conf/secrets.env")), 0600u);
        const HttpAnswer again
            = httpRequest(url("/api/integrity/restore"), "POST", body, m_serve->apiToken());
        QCOMPARE(again.status, 400);
        QCOMPARE(again.json.value(QStringLiteral("error")).toString(),
            QStringLiteral("integrity.no_difference"));
    }

    void autoRestoreOfACriticalFile()
    {
        const QString p = path("guarded/resolv.conf");
        const QByteArray good = sha256Hex(p);
        writeFile(p, "nameserver 6.6.6.6\n");
        QVERIFY2(waitFor([&] { return sha256Hex(p) == good; }, 5000 * SHIVX_TIME_SCALE),
            "the engine did not put the file back");
        QVERIFY(
            waitFor([&] { return countIn("resilience", "\"integrity.restored\"") == 1; }, 5000));
        // No loop on its own rename: still one restore a while later, and no difference left.
        QTest::qWait(1500);
        QCOMPARE(countIn("resilience", "\"integrity.restored\""), 1);
        const HttpAnswer d = httpRequest(url("/api/integrity/differences"));
        QVERIFY2(
            d.json.value(QStringLiteral("differences")).toArray().isEmpty(), d.body.constData());
        QCOMPARE(runCli(cli({ QStringLiteral("check"), QStringLiteral("--mode"),
                            QStringLiteral("full") }))
                     .exitCode,
            0);
    }

    // The restores above through the registry: counted per file, timestamped, promtool-clean.
    void metrics()
    {
        const HttpAnswer a = httpRequest(url("/metrics"));
        QCOMPARE(a.status, 200);
        QVERIFY2(a.body.contains("shivx_integrity_restores_total{result=\"ok\"} 4\n"),
            a.body.constData());
        QVERIFY(a.body.contains("shivx_integrity_restores_total{result=\"failed\"} 0\n"));
        QVERIFY(a.body.contains("shivx_integrity_snapshot_missing_files 0\n"));
        const qsizetype at = a.body.indexOf("\nshivx_integrity_last_restore_timestamp_seconds ");
        QVERIFY(at >= 0);
        const double last = a.body.mid(at + 48, a.body.indexOf('\n', at + 1) - at - 48).toDouble();
        QVERIFY2(qAbs(last - double(QDateTime::currentSecsSinceEpoch())) < 120,
            qPrintable(QString::number(last, 'f')));
        const auto problems = promtoolProblems(a.body);
        if (!problems)
            QSKIP("promtool not installed");
        QVERIFY2(problems->isEmpty(), qPrintable(*problems));
    }

    void copiesMoveWhenBackupsLand()
    {
        const auto store = [&] {
            return httpRequest(url("/api/integrity")).json.value(QStringLiteral("snapshot_store"));
        };
        QVERIFY2(store().toString().startsWith(QStringLiteral("the integrity store ")),
            qPrintable(store().toString()));
        // `shivx backup init` with the key file the configuration names.
        const QString repo = m_serve->dataDir() + QStringLiteral("/backup-repo");
        const auto key = Shivx::Backup::KeySlots::createKeyFile(path("backup.key"));
        QVERIFY(key.ok());
        Shivx::Backup::Repository::InitOptions options;
        options.scrypt.n = 1u << 10;
        QVERIFY(Shivx::Backup::Repository::init(repo, *key, options).ok());
        QCOMPARE(store().toString(), QStringLiteral("the backup repository ") + repo);
        const CliRun status = runCli(cli({ QStringLiteral("status") }));
        QVERIFY2(status.out.contains("copies in   the backup repository " + repo.toUtf8()),
            status.out.constData());

        writeFile(path("conf/app.yaml"), "listen: 9090\n");
        QCOMPARE(runCli(cli({ QStringLiteral("check") })).exitCode, 3);
        const CliRun accept = runCli(cli({ QStringLiteral("accept"), QStringLiteral("--all"),
            QStringLiteral("--reason"), QStringLiteral("CHG-7 new port") }));
        QVERIFY2(accept.exitCode == 0, accept.err.constData());
        QVERIFY(waitFor(
            [&] { return countIn("security", "\"integrity.snapshot_store_moved\"") == 1; }, 5000));
        QVERIFY(!QFileInfo::exists(m_serve->dataDir() + QStringLiteral("/integrity/snapshots")));
        QVERIFY(
            !QFileInfo::exists(m_serve->dataDir() + QStringLiteral("/integrity/snapshots.key")));
        QVERIFY(!QDir(repo + QStringLiteral("/snapshots")).isEmpty(QDir::Files));

        const QByteArray good = sha256Hex(path("conf/app.yaml"));
        writeFile(path("conf/app.yaml"), "listen: 0.0.0.0:80\n");
        QCOMPARE(runCli(cli({ QStringLiteral("check") })).exitCode, 3);
        const CliRun r = runCli(cli({ QStringLiteral("restore"), path("conf/app.yaml"),
            QStringLiteral("--reason"), QStringLiteral("INC-43") }));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(sha256Hex(path("conf/app.yaml")), good);
    }
};

QTEST_GUILESS_MAIN(TstIntegrityRestoreServe)
#include "tst_integrityrestore_serve.moc"
