// The engine's own database files as integrity recognises them: by path, through a symlinked
// data directory, by inode under another name (a hard link), the sidecars and the baseline's
// temporary copy; nothing else.
#include "integrity/ownfiles.h"
#include "integrity/pathwalker.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Shivx;

namespace {

void touch(const QString &path)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(path));
    f.write("x");
}

bool ownByWalk(const OwnFiles &own, const QString &path)
{
    FileState s;
    return PathWalker::statPath(path, false, &s) && own.contains(path, &s);
}

} // namespace

class TstOwnFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recognisesTheEngineDatabases()
    {
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("data"));
        QVERIFY(QDir().mkpath(data + QStringLiteral("/integrity")));
        for (const char *name : { "/shivx.db", "/shivx.db-wal", "/shivx.db-shm",
                 "/integrity/baseline.db", "/notes.txt", "/shivx.db.bak" })
            touch(data + QLatin1String(name));
        // Another name for the database: a hard link outside the data directory.
        const QString link = dir.filePath(QStringLiteral("copy-of-db"));
        QCOMPARE(::link(QFile::encodeName(data + QStringLiteral("/shivx.db")).constData(),
                     QFile::encodeName(link).constData()),
            0);
        // The data directory reached through a symlink.
        const QString alias = dir.filePath(QStringLiteral("alias"));
        QVERIFY(QFile::link(data, alias));

        const OwnFiles own = OwnFiles::ofDataDir(alias);
        for (const char *name : { "/shivx.db", "/shivx.db-wal", "/shivx.db-shm",
                 "/shivx.db-journal", "/integrity/baseline.db", "/integrity/baseline.db-wal",
                 "/integrity/baseline.db.tmp-4711" }) {
            QVERIFY2(own.contains(alias + QLatin1String(name)), name);
            QVERIFY2(own.contains(data + QLatin1String(name)), name); // symlinks resolved
        }
        QVERIFY(ownByWalk(own, link));
        QVERIFY(!ownByWalk(own, data + QStringLiteral("/notes.txt")));
        QVERIFY(!ownByWalk(own, data + QStringLiteral("/shivx.db.bak")));
        QVERIFY(!own.contains(data + QStringLiteral("/shivx.dbx")));
        QVERIFY(OwnFiles().isEmpty());
        QVERIFY(!OwnFiles().contains(data + QStringLiteral("/shivx.db")));
    }
};

QTEST_GUILESS_MAIN(TstOwnFiles)
#include "tst_ownfiles.moc"
