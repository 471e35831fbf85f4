// Key slots: a passphrase and a key file each open the same master key; slots are added and
// removed without touching data; the last slot cannot go; a wrong key is a clear error.
#include "backup/backupjob.h"
#include "backup/keyslots.h"
#include "backupfixture.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;
using namespace Shivx::Backup;
using namespace BackupFixture;

class TstKeySlots : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rotateSlotsWithoutReencrypting()
    {
        QTemporaryDir dir;
        const QString repoPath = dir.filePath("repo");
        auto repo = createRepo(repoPath);
        makeTree(dir.filePath("src"));
        BackupSetSpec s;
        s.name = QStringLiteral("main");
        s.paths = { dir.filePath("src") };
        QVERIFY(runBackup(*repo, s, BackupOptions()));
        const QStringList packsBefore
            = QDir(repoPath + "/data").entryList(QDir::Dirs | QDir::NoDotAndDotDot);

        const auto keyFile = KeySlots::createKeyFile(dir.filePath("backup.key"));
        QVERIFY(keyFile);
        QCOMPARE(QFileInfo(dir.filePath("backup.key")).permissions() & QFile::ReadOther,
            QFileDevice::Permissions());
        ScryptParams cheap;
        cheap.n = 1u << 10;
        const auto added = KeySlots::add(repoPath, repo->key(), *keyFile, "ops key", cheap);
        QVERIFY(added);
        const auto second
            = KeySlots::add(repoPath, repo->key(), passphrase("new phrase"), "new", cheap);
        QVERIFY(second);
        QCOMPARE(KeySlots::list(repoPath)->size(), 3);

        const auto byFile
            = Repository::open(repoPath, *KeySlots::readKeyFile(dir.filePath("backup.key")));
        QVERIFY2(byFile, byFile ? "" : qPrintable(byFile.error().message));
        QCOMPARE((*byFile)->slotId(), added->id);
        QVERIFY((*byFile)->loadIndex());
        QVERIFY((*byFile)->snapshots()->size() == 1);

        // Retire the original passphrase.
        const QString original = repo->slotId();
        QVERIFY(KeySlots::remove(repoPath, original));
        const auto old = Repository::open(repoPath, passphrase());
        QVERIFY(!old);
        QCOMPARE(old.error().code, QStringLiteral("backup.wrong_key"));
        QVERIFY(Repository::open(repoPath, passphrase("new phrase")));
        QVERIFY(KeySlots::remove(repoPath, second->id));
        const auto last = KeySlots::remove(repoPath, added->id);
        QVERIFY(!last);
        QCOMPARE(last.error().code, QStringLiteral("backup.last_slot"));
        QCOMPARE(
            QDir(repoPath + "/data").entryList(QDir::Dirs | QDir::NoDotAndDotDot), packsBefore);
        const auto unknown = KeySlots::remove(repoPath, "0000000000000000");
        QCOMPARE(unknown.error().code, QStringLiteral("backup.no_slot"));
    }

    void badKeyFileIsRejected()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("k"), "not hex\n");
        const auto r = KeySlots::readKeyFile(dir.filePath("k"));
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.key_file"));
        QVERIFY(r.error().message.contains(dir.filePath("k")));
        const auto exists = KeySlots::createKeyFile(dir.filePath("k"));
        QVERIFY(!exists); // never overwritten
    }

    void initRefusesANonEmptyDirectory()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath("x/file"), "data");
        const auto r = Repository::init(dir.filePath("x"), passphrase(), smallOptions());
        QVERIFY(!r);
        QCOMPARE(r.error().code, QStringLiteral("backup.exists"));
    }
};

QTEST_GUILESS_MAIN(TstKeySlots)
#include "tst_keyslots.moc"
