// Continuous mode against the real `shivx serve` with real files: the first backup walks the
// set, then a changed file is backed up within the debounce by a backup that reads only it
// (while the snapshot still describes the whole set), a new directory is watched and backed
// up, a burst of writes makes few backups (debounce and min_interval), and nothing runs while
// background_tasks is off (a pinned LEVEL_1), then the queued backup runs on release.
#include "servefixture.h"

#include <QJsonArray>

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    QCOMPARE(f.write(content), content.size());
}

} // namespace

class TstBackupContinuous : public QObject
{
    Q_OBJECT

    QTemporaryDir m_tree;
    std::unique_ptr<ServeProcess> m_serve;

    QString tree(const QString &rel) const { return m_tree.filePath(rel); }
    QUrl url(const QString &path) const { return m_serve->url().resolved(QUrl(path)); }

    // The continuous backups of this engine run, oldest first.
    QList<QJsonObject> continuousOps()
    {
        const QJsonArray ops = httpRequest(url(QStringLiteral("/api/backup")))
                                   .json.value(QStringLiteral("operations"))
                                   .toArray();
        QList<QJsonObject> out;
        for (const QJsonValue &v : ops)
            if (v.toObject().value(QStringLiteral("trigger")).toString()
                == QLatin1String("continuous"))
                out.prepend(v.toObject());
        return out;
    }

    // Waits until `count` continuous backups exist and all have ended; returns the last one.
    QJsonObject waitForBackups(int count, int timeoutMs = 20'000)
    {
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < timeoutMs) {
            const QList<QJsonObject> ops = continuousOps();
            const bool done = std::all_of(ops.begin(), ops.end(), [](const QJsonObject &o) {
                const QString s = o.value(QStringLiteral("state")).toString();
                return s == QLatin1String("succeeded") || s == QLatin1String("failed");
            });
            if (ops.size() >= count && done)
                return ops.last();
            QTest::qWait(25);
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        writeFile(tree(QStringLiteral("pw")), "continuous passphrase\n");
        for (int i = 0; i < 40; ++i)
            writeFile(tree(QStringLiteral("src/d%1/file-%2.txt").arg(i % 4).arg(i)),
                QByteArray(100'000, char('a' + i % 26)));
        const CliRun init = runCli({ QStringLiteral("backup"), QStringLiteral("init"),
            QStringLiteral("--repo"), tree(QStringLiteral("repo")),
            QStringLiteral("--password-file"), tree(QStringLiteral("pw")) });
        QVERIFY2(init.exitCode == 0, init.err.constData());
        m_serve = std::make_unique<ServeProcess>(
            QStringLiteral("backup:\n"
                           "  repository: %1\n"
                           "  password_file: %2\n"
                           "  continuous: {debounce: 300ms, min_interval: 1s}\n"
                           "  sets:\n"
                           "    live:\n"
                           "      paths: [%3]\n"
                           "      schedule: continuous\n")
                .arg(tree(QStringLiteral("repo")), tree(QStringLiteral("pw")),
                    tree(QStringLiteral("src"))));
        QVERIFY2(m_serve->start(), m_serve->output().constData());
    }

    void cleanupTestCase()
    {
        if (m_serve)
            QCOMPARE(m_serve->terminate(), 0);
    }

    void firstBackupWalksTheSet()
    {
        const QJsonObject first = waitForBackups(1);
        QCOMPARE(first.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
        const QJsonObject r = first.value(QStringLiteral("result")).toObject();
        QCOMPARE(r.value(QStringLiteral("files")).toInt(), 40);
        QCOMPARE(r.value(QStringLiteral("read_bytes")).toInteger(), 4'000'000);
    }

    void aChangedFileIsBackedUpAloneWithinTheDebounce()
    {
        QTest::qWait(1100); // past min_interval
        QElapsedTimer t;
        t.start();
        writeFile(tree(QStringLiteral("src/d2/file-6.txt")), QByteArray(12'345, 'z'));
        const QJsonObject op = waitForBackups(2);
        QVERIFY(!op.isEmpty());
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
        const QJsonObject r = op.value(QStringLiteral("result")).toObject();
        QCOMPARE(r.value(QStringLiteral("read_bytes")).toInteger(), 12'345); // only that file
        QCOMPARE(r.value(QStringLiteral("files")).toInt(), 40); // the snapshot is whole
        QCOMPARE(r.value(QStringLiteral("bytes")).toInteger(), 39 * 100'000 + 12'345);
    }

    void aNewDirectoryIsWatchedAndBackedUp()
    {
        QTest::qWait(1100);
        QDir().mkpath(tree(QStringLiteral("src/new/sub")));
        QTest::qWait(100); // the watch on new/ exists before sub/x.txt is written
        writeFile(tree(QStringLiteral("src/new/sub/x.txt")), "fresh\n");
        waitForBackups(3);
        QTest::qWait(1100);
        writeFile(tree(QStringLiteral("src/new/sub/x.txt")), "fresher\n");
        const QJsonObject op = waitForBackups(4);
        QCOMPARE(op.value(QStringLiteral("result"))
                     .toObject()
                     .value(QStringLiteral("read_bytes"))
                     .toInt(),
            8);
        // The newest snapshot matches the disk: a dry run in place changes nothing.
        const HttpAnswer dry = httpRequest(url(QStringLiteral("/api/backup/restore")), "POST",
            QJsonDocument(QJsonObject { { QStringLiteral("snapshot"), QStringLiteral("latest") },
                              { QStringLiteral("path"), tree(QStringLiteral("src")) },
                              { QStringLiteral("target"), QStringLiteral("/") },
                              { QStringLiteral("dry_run"), true } })
                .toJson(),
            m_serve->apiToken());
        QCOMPARE(dry.status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(
            httpRequest(url(QStringLiteral("/api/backup/operations/%1")
                                .arg(dry.json.value(QStringLiteral("id")).toInteger())))
                .json.value(QStringLiteral("result"))
                .toObject()
                .value(QStringLiteral("changed"))
                .toInt(-1),
            0, 10'000);
    }

    void aBurstMakesFewBackups()
    {
        QTest::qWait(1100);
        const int before = int(continuousOps().size());
        for (int i = 0; i < 20; ++i) {
            writeFile(tree(QStringLiteral("src/d1/burst.txt")), QByteArray::number(i));
            QTest::qWait(100);
        }
        QTest::qWait(2500);
        const int made = int(continuousOps().size()) - before;
        // 2 s of writes every 100 ms: the debounce (300 ms) never settles while they last,
        // and min_interval (1 s) bounds what follows.
        QVERIFY2(made >= 1 && made <= 3, qPrintable(QString::number(made)));
    }

    void pausedWhileBackgroundTasksAreOff()
    {
        const QByteArray token = m_serve->apiToken();
        const HttpAnswer pin = httpRequest(url(QStringLiteral("/api/degradation/pin")), "POST",
            R"({"level":"LEVEL_1","reason":"continuous test","for":"5m"})", token);
        QCOMPARE(pin.status, 200);
        QTest::qWait(1100);
        const int before = int(continuousOps().size());
        writeFile(tree(QStringLiteral("src/d3/while-paused.txt")), "paused\n");
        QTest::qWait(1500);
        const QList<QJsonObject> ops = continuousOps();
        QCOMPARE(int(ops.size()), before + 1);
        QCOMPARE(ops.last().value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
        QCOMPARE(httpRequest(url(QStringLiteral("/api/degradation/release")), "POST", "{}", token)
                     .status,
            200);
        const QJsonObject done = waitForBackups(before + 1);
        QCOMPARE(done.value(QStringLiteral("state")).toString(), QStringLiteral("succeeded"));
    }
};

QTEST_GUILESS_MAIN(TstBackupContinuous)
#include "tst_backup_continuous.moc"
