// LogFollower on real files: appended, renamed and recreated, copytruncated, truncated, and a
// restart in the middle of each. Every test counts that each line arrives exactly once, in
// order. The poll fallback is set to a minute, so the lines arrive through inotify.
#include "guardian/detectors/logfollower.h"

#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace Shivx;

namespace {

void appendLines(const QString &path, int from, int count, const QByteArray &prefix = "line ")
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QByteArray all;
    for (int i = from; i < from + count; ++i)
        all += prefix + QByteArray::number(i) + '\n';
    QCOMPARE(f.write(all), all.size());
}

void appendRaw(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
    QCOMPARE(f.write(bytes), bytes.size());
}

// What logrotate's copytruncate does: copy the file, then truncate it in place.
void copyTruncate(const QString &path, const QString &copy)
{
    QVERIFY(QFile::copy(path, copy));
    QFile f(path);
    QVERIFY(f.resize(0));
}

QList<QByteArray> expected(int from, int count, const QByteArray &prefix = "line ")
{
    QList<QByteArray> out;
    for (int i = from; i < from + count; ++i)
        out.append(prefix + QByteArray::number(i));
    return out;
}

struct Follow
{
    std::unique_ptr<LogFollower> follower;
    QList<QByteArray> lines;

    Follow(const QString &path, const QString &stateDir,
        LogFollowerOptions::FirstStart first = LogFollowerOptions::FirstStart::Beginning)
    {
        LogFollowerOptions o;
        o.firstStart = first;
        o.pollIntervalMs = 60'000;
        o.saveIntervalMs = 0;
        o.rotationGraceMs = 300;
        follower = std::make_unique<LogFollower>(path, stateDir, o);
        follower->setLineHandler([this](QByteArrayView l) { lines.append(l.toByteArray()); });
        const auto r = follower->start();
        if (!r)
            qFatal("start failed: %s", qPrintable(r.error().toString()));
    }
};

} // namespace

class TstLogFollower : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    QString m_log;
    QString m_state;

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_tmp.isValid());
        QDir d(m_tmp.path());
        d.removeRecursively();
        QVERIFY(QDir().mkpath(m_tmp.path() + QStringLiteral("/logs")));
        m_log = m_tmp.filePath(QStringLiteral("logs/access.log"));
        m_state = m_tmp.filePath(QStringLiteral("state"));
    }

    void appendedLinesArriveThroughInotify()
    {
        appendLines(m_log, 0, 3);
        Follow f(m_log, m_state);
        QCOMPARE(f.lines, expected(0, 3));
        appendLines(m_log, 3, 500);
        QTRY_COMPARE(f.lines.size(), 503);
        QCOMPARE(f.lines, expected(0, 503));
        QCOMPARE(f.follower->linesDelivered(), quint64(503));
    }

    void partialLineIsHeldUntilItsNewline()
    {
        QFile::remove(m_log);
        appendRaw(m_log, "first\nsec");
        Follow f(m_log, m_state);
        QCOMPARE(f.lines, QList<QByteArray> { "first" });
        QCOMPARE(f.follower->position().offset, qint64(6));
        appendRaw(m_log, "ond\r\nthi");
        QTRY_COMPARE(f.lines.size(), 2);
        QCOMPARE(f.lines.at(1), QByteArray("second"));
        appendRaw(m_log, "rd\n");
        QTRY_COMPARE(f.lines.size(), 3);
        QCOMPARE(f.lines.at(2), QByteArray("third"));
    }

    void firstStartAtEndSkipsHistory()
    {
        appendLines(m_log, 0, 10);
        Follow f(m_log, m_state, LogFollowerOptions::FirstStart::End);
        QVERIFY(f.lines.isEmpty());
        appendLines(m_log, 10, 5);
        QTRY_COMPARE(f.lines, expected(10, 5));
    }

    void fileCreatedAfterStartIsReadFromItsStart()
    {
        Follow f(m_log, m_state, LogFollowerOptions::FirstStart::End);
        QSignalSpy reopened(f.follower.get(), &LogFollower::reopened);
        appendLines(m_log, 0, 7);
        QTRY_COMPARE(f.lines, expected(0, 7));
        QCOMPARE(reopened.value(0).value(0).toString(), QStringLiteral("created"));
    }

    void rotationByRenameReadsTheOldFileToItsEnd()
    {
        appendLines(m_log, 0, 50);
        Follow f(m_log, m_state);
        QSignalSpy reopened(f.follower.get(), &LogFollower::reopened);
        QCOMPARE(f.lines.size(), 50);
        // No event loop turn between these: the writer adds to the old file, rotation renames
        // it and a new file takes the path before the follower looks again.
        appendLines(m_log, 50, 10);
        appendRaw(m_log, "line 60"); // the old file's last line never gets its newline
        QVERIFY(QFile::rename(m_log, m_log + QStringLiteral(".1")));
        appendLines(m_log, 61, 20);
        QTRY_COMPARE(f.lines.size(), 80);
        QCOMPARE(f.lines, expected(0, 60) + expected(61, 20));
        QVERIFY(reopened.contains(QVariantList { QStringLiteral("rotated") }));
        // The old file's unfinished last line waits for the end of its grace period (its
        // writer may still finish it), then counts as a line.
        QTRY_COMPARE(f.lines.size(), 81);
        QCOMPARE(f.lines.last(), QByteArray("line 60"));
        // And the new file goes on being followed.
        appendLines(m_log, 81, 3);
        QTRY_COMPARE(f.lines.size(), 84);
        QCOMPARE(f.lines.mid(81), expected(81, 3));
    }

    void lateWritesToTheRenamedFileAreReadInTheGracePeriod()
    {
        appendLines(m_log, 0, 5);
        Follow f(m_log, m_state);
        QVERIFY(QFile::rename(m_log, m_log + QStringLiteral(".1")));
        appendLines(m_log, 5, 5);
        f.follower->poll(); // sees the rotation
        QCOMPARE(f.lines, expected(0, 10));
        // The writer has not reopened yet: it still appends to the renamed file.
        appendLines(m_log + QStringLiteral(".1"), 10, 3);
        appendLines(m_log, 13, 2);
        QTRY_COMPARE(f.lines.size(), 15);
        QCOMPARE(f.lines, expected(0, 15));
        // After the grace period the old file is closed: nothing more is read from it.
        QTest::qWait(400);
        appendLines(m_log + QStringLiteral(".1"), 99, 1);
        appendLines(m_log, 15, 1);
        QTRY_COMPARE(f.lines.size(), 16);
        QTest::qWait(100);
        QCOMPARE(f.lines, expected(0, 16));
    }

    void renamedWithoutNewFileKeepsWaiting()
    {
        appendLines(m_log, 0, 5);
        Follow f(m_log, m_state);
        QVERIFY(QFile::rename(m_log, m_log + QStringLiteral(".1")));
        f.follower->poll();
        QCOMPARE(f.lines, expected(0, 5));
        appendLines(m_log, 5, 5); // logrotate's create step, later
        QTRY_COMPARE(f.lines, expected(0, 10));
    }

    void copytruncateLosesNothing()
    {
        appendLines(m_log, 0, 50);
        Follow f(m_log, m_state);
        QSignalSpy reopened(f.follower.get(), &LogFollower::reopened);
        appendLines(m_log, 50, 10); // not read yet when the copy is taken
        copyTruncate(m_log, m_log + QStringLiteral(".1"));
        appendLines(m_log, 60, 20);
        QTRY_COMPARE(f.lines.size(), 80);
        QCOMPARE(f.lines, expected(0, 80));
        QVERIFY(reopened.contains(QVariantList { QStringLiteral("recovered") }));
        QVERIFY(reopened.contains(QVariantList { QStringLiteral("truncated") }));
    }

    void truncationRestartsAtZero()
    {
        appendLines(m_log, 0, 30);
        Follow f(m_log, m_state);
        QFile t(m_log);
        QVERIFY(t.resize(0));
        appendLines(m_log, 30, 5);
        QTRY_COMPARE(f.lines.size(), 35);
        QCOMPARE(f.lines, expected(0, 35));
    }

    void rewriteThatGrowsPastTheOffsetIsNoticedByItsFirstBytes()
    {
        appendLines(m_log, 0, 3, "a ");
        Follow f(m_log, m_state);
        QCOMPARE(f.lines.size(), 3);
        // Truncated and refilled beyond the old offset before the follower looked: the size
        // alone does not show it, the first bytes do.
        QFile t(m_log);
        QVERIFY(t.open(QIODevice::WriteOnly | QIODevice::Truncate));
        t.write("b 0 with a longer first line than before\nb 1\n");
        t.close();
        f.follower->poll();
        QCOMPARE(f.lines,
            (QList<QByteArray> {
                "a 0", "a 1", "a 2", "b 0 with a longer first line than before", "b 1" }));
    }

    void restartResumesAtTheSavedPosition()
    {
        appendLines(m_log, 0, 40);
        QList<QByteArray> all;
        {
            Follow f(m_log, m_state);
            all += f.lines;
            appendRaw(m_log, "line 40 is parti");
            f.follower->poll();
            all += f.lines.mid(40);
        } // stop() saves: the partial line is not counted as read
        appendRaw(m_log, "al\n");
        appendLines(m_log, 41, 10);
        Follow g(m_log, m_state, LogFollowerOptions::FirstStart::End);
        all += g.lines;
        QCOMPARE(all.size(), 51);
        QCOMPARE(all.at(40), QByteArray("line 40 is partial"));
        all.removeAt(40);
        QCOMPARE(all, expected(0, 40) + expected(41, 10));
    }

    void restartAfterRotationWhileStopped_data()
    {
        QTest::addColumn<bool>("copytruncate");
        QTest::newRow("renamed and recreated") << false;
        QTest::newRow("copytruncated") << true;
    }

    void restartAfterRotationWhileStopped()
    {
        QFETCH(bool, copytruncate);
        appendLines(m_log, 0, 40);
        QList<QByteArray> all;
        {
            Follow f(m_log, m_state);
            all += f.lines;
        }
        appendLines(m_log, 40, 10); // written while the follower is stopped, then rotated
        if (copytruncate)
            copyTruncate(m_log, m_log + QStringLiteral(".1"));
        else
            QVERIFY(QFile::rename(m_log, m_log + QStringLiteral(".1")));
        appendLines(m_log, 50, 15);
        Follow g(m_log, m_state);
        all += g.lines;
        QCOMPARE(all, expected(0, 65));
    }

    void positionFileIsWrittenAtomicallyAndNamesThePath()
    {
        appendLines(m_log, 0, 4);
        Follow f(m_log, m_state);
        f.follower->stop();
        QFile p(f.follower->positionFile());
        QVERIFY(p.open(QIODevice::ReadOnly));
        const QByteArray json = p.readAll();
        QVERIFY2(json.contains("\"offset\":\"28\""), json.constData());
        QVERIFY(json.contains(QFileInfo(m_log).absoluteFilePath().toUtf8()));
        // Only the position file is left: QSaveFile's temporary is gone.
        QCOMPARE(QDir(m_state).entryList(QDir::Files).size(), 1);
    }

    void unreadablePositionFileIsReportedAndIgnored()
    {
        appendLines(m_log, 0, 4);
        QString positionFile;
        {
            Follow f(m_log, m_state);
            positionFile = f.follower->positionFile();
        }
        QFile p(positionFile);
        QVERIFY(p.open(QIODevice::WriteOnly | QIODevice::Truncate));
        p.write("{not json");
        p.close();
        LogFollowerOptions o;
        o.firstStart = LogFollowerOptions::FirstStart::Beginning;
        LogFollower g(m_log, m_state, o);
        QSignalSpy errors(&g, &LogFollower::errorOccurred);
        int n = 0;
        g.setLineHandler([&n](QByteArrayView) { ++n; });
        QVERIFY(g.start().ok());
        QCOMPARE(errors.size(), 1);
        QVERIFY(errors.at(0).at(0).toString().contains(positionFile));
        QCOMPARE(n, 4);
    }

    void overlongLineIsDeliveredInPieces()
    {
        LogFollowerOptions o;
        o.firstStart = LogFollowerOptions::FirstStart::Beginning;
        o.maxLineBytes = 1000;
        appendRaw(m_log, QByteArray(2500, 'x') + "\nshort\n");
        LogFollower f(m_log, m_state, o);
        QList<QByteArray> lines;
        f.setLineHandler([&lines](QByteArrayView l) { lines.append(l.toByteArray()); });
        QVERIFY(f.start().ok());
        QCOMPARE(lines.size(), 4);
        QCOMPARE(lines.at(0).size(), 1000);
        QCOMPARE(lines.at(2).size(), 500);
        QCOMPARE(lines.at(3), QByteArray("short"));
    }

    void stateDirectoryThatCannotBeCreatedIsAnError()
    {
        appendRaw(m_tmp.filePath(QStringLiteral("afile")), "x");
        LogFollower f(m_log, m_tmp.filePath(QStringLiteral("afile/state")));
        const auto r = f.start();
        QVERIFY(!r.ok());
        QVERIFY(r.error().message.contains(QStringLiteral("afile/state")));
    }
};

QTEST_GUILESS_MAIN(TstLogFollower)
#include "tst_logfollower.moc"
