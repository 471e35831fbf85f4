// Walk, hash and compare over real files in a temporary directory: every kind of change is
// reported with the attributes it touched, fast mode reads only what its stat data says
// changed, symlinks and excludes are honoured, and the budget and cancellation work.
#include "integrity/integritychecker.h"
#include "integrity/pathwalker.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace Shivx;

namespace {

void writeFile(const QString &path, const QByteArray &content)
{
    QFile f(path);
    QVERIFY2(f.open(QIODevice::WriteOnly | QIODevice::Truncate), qPrintable(path));
    f.write(content);
}

Baseline baselineOf(const QList<FileState> &files)
{
    Baseline b;
    for (const FileState &f : files)
        b.files.insert(f.path, f);
    return b;
}

// File system timestamps advance in ticks of the kernel clock (a few ms on ext4 and tmpfs
// before Linux 6.6); a write in the same tick as the baseline keeps the recorded ctime. The
// tests change files after the tick, as any real change after a baseline is.
void crossTimestampTick()
{
    ::usleep(20'000);
}

const IntegrityDifference *find(const QList<IntegrityDifference> &d, const QString &path)
{
    for (const IntegrityDifference &x : d)
        if (x.path == path)
            return &x;
    return nullptr;
}

} // namespace

class TstIntegrityChecker : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    QString root() const { return m_dir.path() + QStringLiteral("/tree"); }
    QString at(const QString &rel) const { return root() + QLatin1Char('/') + rel; }
    QList<IntegrityPathSet> sets() const
    {
        IntegrityPathSet s;
        s.name = QStringLiteral("tree");
        s.paths = { root() };
        s.excludes = { QStringLiteral("*.swp"), root() + QStringLiteral("/cache") };
        return { s };
    }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        QDir(root()).removeRecursively();
        QVERIFY(QDir().mkpath(at(QStringLiteral("sub/deeper"))));
        QVERIFY(QDir().mkpath(at(QStringLiteral("cache"))));
        writeFile(at(QStringLiteral("a.conf")), "alpha\n");
        writeFile(at(QStringLiteral("b.conf")), "bravo\n");
        writeFile(at(QStringLiteral("sub/c.bin")), QByteArray(3 * 1024 * 1024 + 17, 'c'));
        writeFile(at(QStringLiteral("sub/deeper/d.txt")), "delta\n");
        writeFile(at(QStringLiteral("e.swp")), "excluded by name\n");
        writeFile(at(QStringLiteral("cache/f")), "excluded by path\n");
    }

    void scanRecordsHashesAndAttributes()
    {
        IntegrityResult r;
        const QList<FileState> files = IntegrityChecker::scan(sets(), {}, &r);
        QCOMPARE(files.size(), 4);
        QCOMPARE(r.filesHashed, 4);
        const Baseline b = baselineOf(files);
        QVERIFY(!b.files.contains(at(QStringLiteral("e.swp"))));
        QVERIFY(!b.files.contains(at(QStringLiteral("cache/f"))));
        const FileState &c = b.files[at(QStringLiteral("sub/c.bin"))];
        QCOMPARE(c.sha256,
            QCryptographicHash::hash(
                QByteArray(3 * 1024 * 1024 + 17, 'c'), QCryptographicHash::Sha256));
        QCOMPARE(c.size, 3 * 1024 * 1024 + 17);
        struct stat st;
        QCOMPARE(::lstat(QFile::encodeName(c.path).constData(), &st), 0);
        QCOMPARE(c.inode, quint64(st.st_ino));
        QCOMPARE(c.mode, quint32(st.st_mode));
        QCOMPARE(c.uid, quint32(st.st_uid));
        QCOMPARE(c.ctimeNs, qint64(st.st_ctim.tv_sec) * 1'000'000'000 + st.st_ctim.tv_nsec);
        QCOMPARE(c.set, QStringLiteral("tree"));
    }

    void unchangedTreeHasNoDifferences_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("full") << int(IntegrityMode::Full);
        QTest::newRow("fast") << int(IntegrityMode::Fast);
    }
    void unchangedTreeHasNoDifferences()
    {
        QFETCH(int, mode);
        const Baseline b = baselineOf(IntegrityChecker::scan(sets(), {}, nullptr));
        IntegrityChecker::Options o;
        o.mode = IntegrityMode(mode);
        IntegrityResult r;
        QVERIFY(IntegrityChecker::check(sets(), b, o, &r));
        QVERIFY(r.differences.isEmpty());
        QCOMPARE(r.filesChecked, 4);
        QCOMPARE(r.filesHashed, mode == int(IntegrityMode::Full) ? 4 : 0);
    }

    void everyKindOfChangeIsReported_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("full") << int(IntegrityMode::Full);
        QTest::newRow("fast") << int(IntegrityMode::Fast);
    }
    void everyKindOfChangeIsReported()
    {
        QFETCH(int, mode);
        const Baseline b = baselineOf(IntegrityChecker::scan(sets(), {}, nullptr));
        crossTimestampTick();
        // Same size, new content: only the hash (and the times) tell.
        writeFile(at(QStringLiteral("a.conf")), "ALPHA\n");
        QVERIFY(QFile::setPermissions(at(QStringLiteral("b.conf")), QFile::ReadOwner));
        QVERIFY(QFile::remove(at(QStringLiteral("sub/deeper/d.txt"))));
        writeFile(at(QStringLiteral("sub/new.txt")), "new\n");
        // Replaced by rename, as editors and package managers do: a new inode.
        writeFile(at(QStringLiteral("sub/c.bin.tmp")), QByteArray(3 * 1024 * 1024 + 17, 'c'));
        QCOMPARE(::rename(QFile::encodeName(at(QStringLiteral("sub/c.bin.tmp"))).constData(),
                     QFile::encodeName(at(QStringLiteral("sub/c.bin"))).constData()),
            0);

        IntegrityChecker::Options o;
        o.mode = IntegrityMode(mode);
        IntegrityResult r;
        QVERIFY(IntegrityChecker::check(sets(), b, o, &r));
        QCOMPARE(r.differences.size(), 5);
        const auto *a = find(r.differences, at(QStringLiteral("a.conf")));
        QVERIFY(a);
        QVERIFY(a->kind == IntegrityDifference::Kind::Changed);
        QVERIFY(a->changed & AttrContent);
        QVERIFY(!(a->changed & AttrSize));
        QVERIFY(!(a->changed & AttrMode));
        const auto *bc = find(r.differences, at(QStringLiteral("b.conf")));
        QVERIFY(bc);
        QCOMPARE(attributeNames(bc->changed),
            (QStringList { QStringLiteral("mode"), QStringLiteral("ctime") }));
        const auto *d = find(r.differences, at(QStringLiteral("sub/deeper/d.txt")));
        QVERIFY(d);
        QVERIFY(d->kind == IntegrityDifference::Kind::Removed);
        const auto *n = find(r.differences, at(QStringLiteral("sub/new.txt")));
        QVERIFY(n);
        QVERIFY(n->kind == IntegrityDifference::Kind::Added);
        QCOMPARE(n->after.sha256, QCryptographicHash::hash("new\n", QCryptographicHash::Sha256));
        const auto *c = find(r.differences, at(QStringLiteral("sub/c.bin")));
        QVERIFY(c);
        QVERIFY(c->changed & AttrInode);
        QVERIFY(!(c->changed & AttrContent)); // same bytes under a new inode
    }

    void fastModeReadsOnlyWhatStatSaysChanged()
    {
        for (int i = 0; i < 50; ++i)
            writeFile(at(QStringLiteral("many-%1").arg(i)), QByteArray(1000 + i, 'x'));
        const Baseline b = baselineOf(IntegrityChecker::scan(sets(), {}, nullptr));
        crossTimestampTick();
        writeFile(at(QStringLiteral("many-7")), QByteArray(1007, 'y'));
        IntegrityChecker::Options o;
        o.mode = IntegrityMode::Fast;
        IntegrityResult r;
        QVERIFY(IntegrityChecker::check(sets(), b, o, &r));
        QCOMPARE(r.filesHashed, 1);
        QCOMPARE(r.differences.size(), 1);
        QVERIFY(r.differences[0].changed & AttrContent);
        o.mode = IntegrityMode::Full;
        IntegrityResult full;
        QVERIFY(IntegrityChecker::check(sets(), b, o, &full));
        QCOMPARE(full.filesHashed, 54);
        QCOMPARE(full.differences.size(), 1);
    }

    // Enough files for the record lookups and comparisons to run on two threads: every kind
    // of difference found in either half, in path order, as the single-threaded compare().
    void largeTreeComparesOnTwoThreads()
    {
        for (int d = 0; d < 10; ++d) {
            QVERIFY(QDir().mkpath(at(QStringLiteral("big/%1").arg(d))));
            for (int i = 0; i < 500; ++i)
                writeFile(at(QStringLiteral("big/%1/f%2").arg(d).arg(i)), QByteArray::number(i));
        }
        const Baseline b = baselineOf(IntegrityChecker::scan(sets(), {}, nullptr));
        QVERIFY(b.files.size() > 5000);
        crossTimestampTick();
        writeFile(at(QStringLiteral("big/0/f1")), "changed");
        writeFile(at(QStringLiteral("big/9/f499")), "changed");
        writeFile(at(QStringLiteral("big/5/new")), "added");
        QVERIFY(QFile::remove(at(QStringLiteral("big/3/f3"))));
        QVERIFY(QFile::setPermissions(at(QStringLiteral("big/7/f7")), QFile::ReadOwner));
        IntegrityChecker::Options o;
        o.mode = IntegrityMode::Fast;
        o.threads = 2;
        IntegrityResult r;
        QVERIFY(IntegrityChecker::check(sets(), b, o, &r));
        QCOMPARE(r.filesHashed, 4); // the two written, the new one and the chmod-ed (ctime)
        QStringList seen;
        for (const IntegrityDifference &d : std::as_const(r.differences))
            seen.append(toString(d.kind) + QLatin1Char(' ') + d.path.mid(root().size() + 1));
        QCOMPARE(seen,
            QStringList({ QStringLiteral("changed big/0/f1"), QStringLiteral("removed big/3/f3"),
                QStringLiteral("added big/5/new"), QStringLiteral("changed big/7/f7"),
                QStringLiteral("changed big/9/f499") }));
        o.mode = IntegrityMode::Full;
        IntegrityResult full;
        QVERIFY(IntegrityChecker::check(sets(), b, o, &full));
        QList<FileState> now = IntegrityChecker::scan(sets(), {}, nullptr);
        const auto single = IntegrityChecker::compare(b.files, now);
        QCOMPARE(full.differences.size(), single.size());
        for (qsizetype i = 0; i < single.size(); ++i) {
            QCOMPARE(full.differences[i].path, single[i].path);
            QCOMPARE(full.differences[i].changed, single[i].changed);
        }
    }

    void symlinksAreNotFollowedUnlessAsked()
    {
        const QString outside = m_dir.path() + QStringLiteral("/outside");
        QVERIFY(QDir().mkpath(outside));
        writeFile(outside + QStringLiteral("/secret"), "s\n");
        QVERIFY(QFile::link(outside, at(QStringLiteral("link"))));
        QList<IntegrityPathSet> s = sets();
        Baseline b = baselineOf(IntegrityChecker::scan(s, {}, nullptr));
        QVERIFY(b.files.contains(at(QStringLiteral("link"))));
        QVERIFY(b.files[at(QStringLiteral("link"))].kind == FileState::Kind::Symlink);
        QCOMPARE(b.files[at(QStringLiteral("link"))].sha256,
            QCryptographicHash::hash(outside.toUtf8(), QCryptographicHash::Sha256));
        QVERIFY(!b.files.contains(at(QStringLiteral("link/secret"))));

        // Retargeting the link is a content change of the link.
        QVERIFY(QFile::remove(at(QStringLiteral("link"))));
        QVERIFY(QFile::link(m_dir.path(), at(QStringLiteral("link"))));
        IntegrityResult r;
        QVERIFY(IntegrityChecker::check(s, b, {}, &r));
        QCOMPARE(r.differences.size(), 1);
        QVERIFY(r.differences[0].changed & AttrContent);

        QVERIFY(QFile::remove(at(QStringLiteral("link"))));
        QVERIFY(QFile::link(outside, at(QStringLiteral("link"))));
        s[0].followSymlinks = true;
        b = baselineOf(IntegrityChecker::scan(s, {}, nullptr));
        QVERIFY(b.files.contains(at(QStringLiteral("link/secret"))));
    }

    void symlinkLoopEndsWhenFollowed()
    {
        QVERIFY(QFile::link(root(), at(QStringLiteral("sub/loop"))));
        QList<IntegrityPathSet> s = sets();
        s[0].followSymlinks = true;
        const QList<FileState> files = IntegrityChecker::scan(s, {}, nullptr);
        QCOMPARE(files.size(), 4);
    }

    void globsExpand()
    {
        IntegrityPathSet s;
        s.name = QStringLiteral("confs");
        s.paths = { root() + QStringLiteral("/*.conf") };
        const QList<FileState> files = IntegrityChecker::scan({ s }, {}, nullptr);
        QCOMPARE(files.size(), 2);
        QVERIFY(PathWalker::covers(s, at(QStringLiteral("a.conf"))));
        QVERIFY(!PathWalker::covers(s, at(QStringLiteral("sub/c.bin"))));
        QVERIFY(PathWalker::covers(sets()[0], at(QStringLiteral("sub/deeper/d.txt"))));
        QVERIFY(!PathWalker::covers(sets()[0], at(QStringLiteral("cache/f"))));
        QVERIFY(!PathWalker::covers(sets()[0], at(QStringLiteral("x.swp"))));
    }

    void cancelStopsTheRun()
    {
        const std::atomic_bool cancel { true };
        IntegrityChecker::Options o;
        o.cancel = &cancel;
        IntegrityResult r;
        QVERIFY(!IntegrityChecker::check(sets(), Baseline(), o, &r));
    }

    void readRateBudgetPacesHashing()
    {
        // 8 MiB at 16 MiB/s cannot take less than about half a second (a lower bound only:
        // a loaded machine is slower, never faster).
        writeFile(at(QStringLiteral("big")), QByteArray(8 << 20, 'b'));
        HashBudget budget;
        budget.readBytesPerSecond.store(16 << 20);
        IntegrityChecker::Options o;
        o.budget = &budget;
        HashProgress progress;
        o.progress = &progress;
        QElapsedTimer t;
        t.start();
        IntegrityResult r;
        IntegrityChecker::scan(sets(), o, &r);
        QVERIFY2(t.elapsed() >= 400, qPrintable(QString::number(t.elapsed())));
        QCOMPARE(progress.filesDone.load(), 5);
        QCOMPARE(progress.bytesDone.load(), r.bytesHashed);
    }
};

QTEST_GUILESS_MAIN(TstIntegrityChecker)
#include "tst_integritychecker.moc"
