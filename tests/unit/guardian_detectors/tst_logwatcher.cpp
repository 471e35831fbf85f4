// LogWatcher: a fail2ban jail's sliding window per source on a manual clock, and end to end
// on a real sshd log written, rotated and followed.
#include "core/clock.h"
#include "core/workerthread.h"
#include "guardian/detectors/logwatcher.h"

#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Shivx;

namespace {

QByteArray sshdFailure(const QByteArray &source, int n)
{
    return "Dec  7 08:00:0" + QByteArray::number(n % 10) + " web1 sshd[" + QByteArray::number(n)
        + "]: Failed password for invalid user admin from " + source + " port 4"
        + QByteArray::number(n) + " ssh2";
}

WatcherConfig sshdConfig(const QString &file)
{
    WatcherConfig c;
    c.name = QStringLiteral("sshd");
    c.file = file;
    c.filter = QStringLiteral("sshd");
    c.windowMs = 60'000;
    c.threshold = 5;
    c.action = QStringLiteral("isolate");
    return c;
}

} // namespace

class TstLogWatcher : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_tmp;

private Q_SLOTS:
    void initTestCase() { qRegisterMetaType<WatcherHit>(); }

    void thresholdWithinTheWindowFiresOncePerBurst()
    {
        ManualClock clock;
        auto w = LogWatcher::create(
            sshdConfig(m_tmp.filePath(QStringLiteral("a.log"))), m_tmp.path(), &clock);
        QVERIFY(w.ok());
        QSignalSpy hits(w->get(), &LogWatcher::thresholdCrossed);
        QSignalSpy matched(w->get(), &LogWatcher::lineMatched);
        for (int i = 0; i < 4; ++i) {
            (*w)->processLine(sshdFailure("203.0.113.9", i));
            clock.advanceMs(1000);
        }
        (*w)->processLine("Dec  7 08:00:00 web1 sshd[9]: Accepted password for bob from "
                          "203.0.113.9 port 1 ssh2");
        QCOMPARE(hits.size(), 0);
        QCOMPARE((*w)->countFor(QStringLiteral("203.0.113.9")), 4);
        (*w)->processLine(sshdFailure("203.0.113.9", 4));
        QCOMPARE(hits.size(), 1);
        const auto hit = hits.at(0).at(0).value<WatcherHit>();
        QCOMPARE(hit.watcher, QStringLiteral("sshd"));
        QCOMPARE(hit.source, QStringLiteral("203.0.113.9"));
        QCOMPARE(hit.action, QStringLiteral("isolate"));
        QCOMPARE(hit.count, 5);
        QCOMPARE(hit.windowMs, qint64(60'000));
        QCOMPARE(hit.timeMs, clock.nowMs());
        QCOMPARE(hit.evidence.size(), LogWatcher::EvidenceLines);
        QCOMPARE(hit.evidence.first(), sshdFailure("203.0.113.9", 0));
        QCOMPARE(hit.evidence.last(), sshdFailure("203.0.113.9", 4));
        QCOMPARE(matched.size(), 5);
        QCOMPARE((*w)->linesSeen(), quint64(6));
        QCOMPARE((*w)->linesMatched(), quint64(5));
        // The burst was reported: counting starts again.
        QCOMPARE((*w)->countFor(QStringLiteral("203.0.113.9")), 0);
        (*w)->processLine(sshdFailure("203.0.113.9", 5));
        QCOMPARE(hits.size(), 1);
    }

    void matchesOlderThanTheWindowDoNotCount()
    {
        ManualClock clock;
        auto w = LogWatcher::create(
            sshdConfig(m_tmp.filePath(QStringLiteral("b.log"))), m_tmp.path(), &clock);
        QVERIFY(w.ok());
        QSignalSpy hits(w->get(), &LogWatcher::thresholdCrossed);
        for (int i = 0; i < 4; ++i)
            (*w)->processLine(sshdFailure("198.51.100.1", i));
        clock.advanceMs(60'000); // exactly one window later: the four have left it
        (*w)->processLine(sshdFailure("198.51.100.1", 4));
        QCOMPARE(hits.size(), 0);
        QCOMPARE((*w)->countFor(QStringLiteral("198.51.100.1")), 1);
        for (int i = 5; i < 9; ++i) {
            clock.advanceMs(14'000);
            (*w)->processLine(sshdFailure("198.51.100.1", i));
        }
        QCOMPARE(hits.size(), 1); // five within 56 s
    }

    void sourcesAreCountedApart()
    {
        ManualClock clock;
        auto w = LogWatcher::create(
            sshdConfig(m_tmp.filePath(QStringLiteral("c.log"))), m_tmp.path(), &clock);
        QVERIFY(w.ok());
        QSignalSpy hits(w->get(), &LogWatcher::thresholdCrossed);
        for (int i = 0; i < 4; ++i) {
            (*w)->processLine(sshdFailure("192.0.2.1", i));
            (*w)->processLine(sshdFailure("192.0.2.2", i));
            (*w)->processLine(sshdFailure("2001:db8::7", i));
        }
        QCOMPARE(hits.size(), 0);
        QCOMPARE((*w)->trackedSources(), 3);
        (*w)->processLine(sshdFailure("2001:db8::7", 9));
        QCOMPARE(hits.size(), 1);
        QCOMPARE(hits.at(0).at(0).value<WatcherHit>().source, QStringLiteral("2001:db8::7"));
    }

    void evidenceLinesAreCut()
    {
        ManualClock clock;
        WatcherConfig c = sshdConfig(m_tmp.filePath(QStringLiteral("d.log")));
        c.threshold = 1;
        auto w = LogWatcher::create(c, m_tmp.path(), &clock);
        QVERIFY(w.ok());
        QSignalSpy hits(w->get(), &LogWatcher::thresholdCrossed);
        (*w)->processLine(sshdFailure("192.0.2.3", 1) + ": " + QByteArray(2000, 'x'));
        QCOMPARE(hits.size(), 1);
        QCOMPARE(
            hits.at(0).at(0).value<WatcherHit>().evidence.at(0).size(), LogWatcher::EvidenceBytes);
    }

    void followsARealLogAcrossRotation()
    {
        const QString log = m_tmp.filePath(QStringLiteral("auth.log"));
        QFile f(log);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 3; ++i)
            f.write(sshdFailure("203.0.113.50", i) + '\n');
        f.close();
        LogFollowerOptions o;
        o.firstStart = LogFollowerOptions::FirstStart::Beginning;
        o.pollIntervalMs = 60'000; // inotify brings the lines
        auto w = LogWatcher::create(
            sshdConfig(log), m_tmp.filePath(QStringLiteral("state")), Clock::system(), o);
        QVERIFY(w.ok());
        QSignalSpy hits(w->get(), &LogWatcher::thresholdCrossed);
        QVERIFY((*w)->start().ok());
        QCOMPARE((*w)->countFor(QStringLiteral("203.0.113.50")), 3);
        // Rotated by rename with one more failure in the old file, then two in the new one.
        QVERIFY(f.open(QIODevice::Append));
        f.write(sshdFailure("203.0.113.50", 3) + '\n');
        f.close();
        QVERIFY(QFile::rename(log, log + QStringLiteral(".1")));
        QFile n(log);
        QVERIFY(n.open(QIODevice::WriteOnly));
        n.write(sshdFailure("203.0.113.50", 4) + '\n' + sshdFailure("203.0.113.50", 5) + '\n');
        n.close();
        QTRY_COMPARE(hits.size(), 1);
        QCOMPARE(hits.at(0).at(0).value<WatcherHit>().count, 5);
        QTRY_COMPARE((*w)->linesMatched(), quint64(6));
        QCOMPARE((*w)->countFor(QStringLiteral("203.0.113.50")), 1);
    }

    void runsOnAWorkerThread()
    {
        // How the guardian runs it: moved to a worker thread, started there, hits delivered
        // to another thread by queued connection. Run under TSan.
        const QString log = m_tmp.filePath(QStringLiteral("thread.log"));
        QFile(log).open(QIODevice::WriteOnly);
        LogFollowerOptions o;
        o.pollIntervalMs = 60'000;
        auto w = LogWatcher::create(
            sshdConfig(log), m_tmp.filePath(QStringLiteral("state-t")), Clock::system(), o);
        QVERIFY(w.ok());
        LogWatcher *watcher = w->release();
        QList<WatcherHit> hits;
        connect(watcher, &LogWatcher::thresholdCrossed, this,
            [&hits](const WatcherHit &h) { hits.append(h); });
        WorkerThread thread("tst-watcher", watcher);
        // The follower must have moved along (its timers and notifier live on its thread).
        QCOMPARE(watcher->follower().thread(), &thread);
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        thread.start();
        bool started = false;
        QMetaObject::invokeMethod(
            watcher, [watcher, &started] { started = watcher->start().ok(); },
            Qt::BlockingQueuedConnection);
        QVERIFY(started);
        QFile f(log);
        QVERIFY(f.open(QIODevice::Append));
        for (int i = 0; i < 12; ++i)
            f.write(sshdFailure(QByteArray("192.0.2.") + QByteArray::number(i % 2), i) + '\n');
        f.close();
        QTRY_COMPARE(hits.size(), 2);
        QCOMPARE(hits.at(0).count, 5);
        thread.quit();
        thread.wait(); // deletes the watcher on its thread
    }

    void badFilterIsAnErrorNamingTheWatcher()
    {
        WatcherConfig c = sshdConfig(m_tmp.filePath(QStringLiteral("e.log")));
        c.filter = QStringLiteral("from (?<source>\\S+");
        auto w = LogWatcher::create(c, m_tmp.path(), Clock::system());
        QVERIFY(!w.ok());
        QVERIFY2(w.error().message.startsWith(QStringLiteral("sshd: invalid regular expression")),
            qPrintable(w.error().message));
        c.filter = QStringLiteral("from (\\S+)");
        auto v = LogWatcher::create(c, m_tmp.path(), Clock::system());
        QVERIFY(!v.ok());
        QCOMPARE(v.error().code, QStringLiteral("guardian.watcher.no_source"));
    }
};

QTEST_GUILESS_MAIN(TstLogWatcher)
#include "tst_logwatcher.moc"
