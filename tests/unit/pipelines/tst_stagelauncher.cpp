// The stage launcher's thread with real processes: reports in order, exit codes and signals,
// signals to the whole group, spawn failures, many launches at once (some forgotten), and
// the blocking wait of an engine that stops.
#include "pipelines/stagelauncher.h"

#include <QDir>
#include <QFile>
#include <QObject>
#include <QProcessEnvironment>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <csignal>

using namespace Shivx;

namespace {

StageLaunch shLaunch(const QTemporaryDir &dir, const QString &script, const QString &name)
{
    StageLaunch l;
    l.command = QStringLiteral("/bin/sh");
    l.args = { QStringLiteral("-c"), script };
    l.env = QProcessEnvironment::systemEnvironment();
    l.cwd = dir.path();
    l.stdoutPath = dir.filePath(name + QStringLiteral(".out"));
    l.stderrPath = dir.filePath(name + QStringLiteral(".err"));
    l.statusPath = dir.filePath(QStringLiteral("attempts.status"));
    l.statusKey = name;
    return l;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TstStageLauncher : public QObject
{
    Q_OBJECT

    struct Reports
    {
        QList<QString> order;
        StageLauncher::Started started;
        StageLauncher::Finished finished;
        bool done = false;
    };

    quint64 launch(StageLauncher &launcher, StageLaunch l, Reports *r)
    {
        return launcher.launch(
            std::move(l), this,
            [r](const StageLauncher::Started &s) {
                r->order.append(QStringLiteral("started"));
                r->started = s;
            },
            [r](const StageLauncher::Finished &f) {
                r->order.append(QStringLiteral("finished"));
                r->finished = f;
                r->done = true;
            });
    }

private Q_SLOTS:
    void reportsStartedThenFinishedWithItsExitCode()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        launch(launcher,
            shLaunch(dir, QStringLiteral("echo out; echo err >&2; exit 3"), QStringLiteral("a")),
            &r);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.order, QStringList({ QStringLiteral("started"), QStringLiteral("finished") }));
        QVERIFY(r.started.pid > 0);
        QCOMPARE(r.started.pgid, r.started.pid); // its own group (setsid)
        QVERIFY(r.started.startTicks > 0);
        QVERIFY(!r.started.bootId.isEmpty());
        QCOMPARE(r.finished.exitCode, 3);
        QCOMPARE(r.finished.signal, 0);
        QVERIFY(r.finished.error.isEmpty());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("a.out"))), QByteArray("out\n"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("a.err"))), QByteArray("err\n"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("attempts.status"))), QByteArray("a 3\n"));
    }

    void aSignalReachesTheWholeGroup()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        // The command's own child writes its pid, then both sleep: SIGKILL to the group must
        // end the child too, not only the process the launcher started.
        const quint64 id = launch(launcher,
            shLaunch(dir,
                QStringLiteral("sh -c 'echo $$ > %1; exec sleep 30' & wait")
                    .arg(dir.filePath(QStringLiteral("child"))),
                QStringLiteral("b")),
            &r);
        QTRY_VERIFY_WITH_TIMEOUT(!readAll(dir.filePath(QStringLiteral("child"))).isEmpty(), 10000);
        const pid_t child = pid_t(readAll(dir.filePath(QStringLiteral("child"))).trimmed().toInt());
        QVERIFY(child > 0);
        launcher.signal(id, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.finished.signal, SIGKILL);
        QTRY_VERIFY_WITH_TIMEOUT(::kill(child, 0) != 0, 5000);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("b.out")))); // it printed nothing
    }

    void aCommandThatCannotStartIsReportedWithItsFolder()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        StageLaunch l = shLaunch(dir, QStringLiteral("true"), QStringLiteral("c"));
        l.cwd = dir.filePath(QStringLiteral("missing"));
        launch(launcher, l, &r);
        QTRY_VERIFY_WITH_TIMEOUT(r.done, 10000);
        QCOMPARE(r.order, QStringList({ QStringLiteral("finished") }));
        QVERIFY2(r.finished.error.contains(l.cwd), qPrintable(r.finished.error));
    }

    void manyAtOnceAndForgottenOnesStaySilent()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        constexpr int Count = 40;
        std::vector<Reports> reports(Count);
        std::vector<quint64> ids;
        for (int i = 0; i < Count; ++i)
            ids.push_back(launch(launcher,
                shLaunch(dir, QStringLiteral("exit %1").arg(i % 7), QString::number(i)),
                &reports[size_t(i)]));
        for (int i = 0; i < Count; i += 2)
            launcher.forget(ids[size_t(i)]);
        QTRY_VERIFY_WITH_TIMEOUT(
            std::all_of(reports.begin(), reports.end(),
                [&](const Reports &r) { return (&r - reports.data()) % 2 == 0 || r.done; }),
            30000);
        QTest::qWait(200);
        for (int i = 0; i < Count; ++i) {
            const Reports &r = reports[size_t(i)];
            if (i % 2 == 0) {
                QVERIFY(r.order.isEmpty());
            } else {
                QCOMPARE(r.finished.exitCode, i % 7);
            }
        }
        for (int i = 1; i < Count; i += 2)
            launcher.forget(ids[size_t(i)]);
        // Every one of them ran and wrote its status, forgotten or not.
        const QList<QByteArray> lines
            = readAll(dir.filePath(QStringLiteral("attempts.status"))).trimmed().split('\n');
        QCOMPARE(lines.size(), Count);
    }

    void waitReapedTakesTheResultInsteadOfAReport()
    {
        QTemporaryDir dir;
        StageLauncher launcher;
        Reports r;
        const quint64 id = launch(
            launcher, shLaunch(dir, QStringLiteral("sleep 0.3; exit 5"), QStringLiteral("d")), &r);
        StageLauncher::Finished f;
        QVERIFY(launcher.waitReaped(id, 20000, &f));
        QCOMPARE(f.exitCode, 5);
        QTest::qWait(200);
        QVERIFY(!r.done); // taken by the wait, not reported as well
        QVERIFY(!launcher.waitReaped(id, 10, &f)); // gone
    }

    void destroyingTheLauncherKillsWhatStillRuns()
    {
        QTemporaryDir dir;
        qint64 pid = 0;
        {
            StageLauncher launcher;
            Reports r;
            launch(launcher, shLaunch(dir, QStringLiteral("sleep 30"), QStringLiteral("e")), &r);
            QTRY_VERIFY_WITH_TIMEOUT(r.started.pid > 0, 10000);
            pid = r.started.pid;
        }
        QVERIFY(::kill(pid_t(pid), 0) != 0); // reaped, not a zombie of ours
    }
};

QTEST_GUILESS_MAIN(TstStageLauncher)
#include "tst_stagelauncher.moc"
