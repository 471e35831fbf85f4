// Restart latency: the time from an unexpected exit (SIGKILL) of a supervised process until
// its replacement runs, under `shivx serve` and under Monit, side by side in one run.
//
//   bench_restart [--kills 20] [--backoff 0s] [--shivx PATH] [--monit PATH]
//
// Both supervise the same program, `sleep 100000`, and learn its pid from a pid file:
//   shivx: /bin/sh -c 'echo $$ > PIDFILE; exec sleep 100000'   (runs in the foreground)
//   Monit: /bin/sh -c 'sleep 100000 & echo $! > PIDFILE'       (Monit waits for its start
//          program to exit, so the program must put itself in the background)
// shivx: supervise: with backoff.initial 0s (its fastest setting; --backoff 100ms measures
// the default). Monit: `set daemon 1`
// (its fastest cycle) and a pid-file check with that start program. For each
// kill the bench polls the pid file every 0.5 ms until a different pid is written and that
// process is alive. Kills are spaced by a random 1.1-2.1 s, so that they land at random
// points of Monit's cycle and each shivx run outlived its 1 s startup grace (a good start:
// the restart is a first one, not a backoff step of a crash loop).
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <algorithm>
#include <csignal>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

qint64 readPid(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    return f.readAll().trimmed().toLongLong();
}

bool alive(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    const char state = close > 0 && close + 2 < line.size() ? line.at(close + 2) : 0;
    return state != 0 && state != 'Z' && state != 'X';
}

// Waits until the pid file names a live process other than `not`; returns it, or 0.
qint64 waitForNewPid(const QString &pidFile, qint64 notPid, int timeoutMs, qint64 *elapsedNs,
    const QElapsedTimer &since)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        // Monit's programs are double-forked: orphaned, they come to us (a subreaper) and
        // must be reaped here, or the killed one would stay a zombie Monit could mistake.
        if (notPid > 0)
            ::waitpid(pid_t(notPid), nullptr, WNOHANG);
        const qint64 pid = readPid(pidFile);
        if (pid > 0 && pid != notPid && alive(pid)) {
            if (elapsedNs)
                *elapsedNs = since.nsecsElapsed();
            return pid;
        }
        ::usleep(500);
    }
    return 0;
}

struct Stats
{
    QList<double> ms;
    double median() const
    {
        QList<double> s = ms;
        std::sort(s.begin(), s.end());
        return s.isEmpty() ? 0
                           : (s.size() % 2 ? s.at(s.size() / 2)
                                           : (s.at(s.size() / 2 - 1) + s.at(s.size() / 2)) / 2);
    }
    double mean() const
    {
        double sum = 0;
        for (double v : ms)
            sum += v;
        return ms.isEmpty() ? 0 : sum / double(ms.size());
    }
    double min() const { return ms.isEmpty() ? 0 : *std::min_element(ms.begin(), ms.end()); }
    double max() const { return ms.isEmpty() ? 0 : *std::max_element(ms.begin(), ms.end()); }
};

// Kills the supervised process `kills` times and measures each restart.
bool measure(const QString &who, const QString &pidFile, int kills, Stats *stats)
{
    qint64 pid = waitForNewPid(pidFile, 0, 30'000, nullptr, QElapsedTimer());
    if (!pid) {
        out() << who << ": the supervised process never started\n" << Qt::flush;
        return false;
    }
    for (int i = 0; i < kills; ++i) {
        QThread::msleep(1100 + QRandomGenerator::global()->bounded(1000));
        QElapsedTimer since;
        since.start();
        ::kill(pid_t(pid), SIGKILL);
        qint64 ns = 0;
        const qint64 next = waitForNewPid(pidFile, pid, 30'000, &ns, since);
        if (!next) {
            out() << who << ": no restart within 30 s after kill " << i + 1 << "\n" << Qt::flush;
            return false;
        }
        stats->ms.append(double(ns) / 1e6);
        pid = next;
    }
    return true;
}

void report(const QString &who, const Stats &s)
{
    out() << QStringLiteral("%1  median %2 ms  mean %3 ms  min %4 ms  max %5 ms  (n=%6)\n")
                 .arg(who, -6)
                 .arg(s.median(), 9, 'f', 2)
                 .arg(s.mean(), 9, 'f', 2)
                 .arg(s.min(), 9, 'f', 2)
                 .arg(s.max(), 9, 'f', 2)
                 .arg(s.ms.size())
          << Qt::flush;
}

void stopProcess(QProcess &p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(p.processId()), SIGTERM);
    if (!p.waitForFinished(20'000)) {
        p.kill();
        p.waitForFinished();
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int kills = 20;
    QString backoff = QStringLiteral("0s");
    QString shivx = QStringLiteral(SHIVX_CLI);
    QString monit = QStandardPaths::findExecutable(QStringLiteral("monit"));
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--kills") && i + 1 < args.size())
            kills = args.at(++i).toInt();
        else if (args.at(i) == QLatin1String("--backoff") && i + 1 < args.size())
            backoff = args.at(++i);
        else if (args.at(i) == QLatin1String("--shivx") && i + 1 < args.size())
            shivx = args.at(++i);
        else if (args.at(i) == QLatin1String("--monit") && i + 1 < args.size())
            monit = args.at(++i);
        else {
            QTextStream(stderr) << "usage: bench_restart [--kills N] [--backoff DURATION] [--shivx "
                                   "PATH] [--monit PATH]\n";
            return 2;
        }
    }
    if (monit.isEmpty()) {
        QTextStream(stderr) << "monit not found (Debian package monit)\n";
        return 2;
    }
    ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    QTemporaryDir dir;
    auto command = [](const QString &pidFile) {
        return QStringLiteral("echo $$ > %1; exec sleep 100000").arg(pidFile);
    };

    // shivx serve
    Stats shivxStats;
    {
        const QString pidFile = dir.filePath(QStringLiteral("shivx-child.pid"));
        const QString config = dir.filePath(QStringLiteral("shivx.yaml"));
        QFile f(config);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write(QStringLiteral(R"(targets:
  - name: bench
    type: process
    pid_file: %1
    interval: 1s
    timeout: 500ms
    supervise:
      command: /bin/sh
      args: [-c, "%2"]
      backoff: {initial: %3, max: 1s}
      stop_timeout: 2s
    restart_after_failures: 0
    startup_grace: 1s
    crash_loop: {restarts: 1000, window: 1s, cooldown: 1s}
)")
                    .arg(pidFile, command(pidFile), backoff)
                    .toUtf8());
        f.close();
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("shivx.*.info=false"));
        serve.setProcessEnvironment(env);
        serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        serve.setStandardOutputFile(QProcess::nullDevice());
        serve.start(shivx,
            { QStringLiteral("serve"), QStringLiteral("--data-dir"),
                dir.filePath(QStringLiteral("shivx-data")), QStringLiteral("--listen"),
                QStringLiteral("127.0.0.1:0"), QStringLiteral("--config"), config });
        if (!serve.waitForStarted()) {
            out() << "cannot start " << shivx << "\n";
            return 1;
        }
        const bool ok = measure(QStringLiteral("shivx"), pidFile, kills, &shivxStats);
        stopProcess(serve);
        if (!ok)
            return 1;
    }

    // Monit
    Stats monitStats;
    {
        const QString pidFile = dir.filePath(QStringLiteral("monit-child.pid"));
        const QString rc = dir.filePath(QStringLiteral("monitrc"));
        QFile f(rc);
        if (!f.open(QIODevice::WriteOnly))
            return 1;
        f.write(QStringLiteral("set daemon 1\n"
                               "set logfile %1\n"
                               "set pidfile %2\n"
                               "set idfile %3\n"
                               "set statefile %4\n"
                               "check process bench with pidfile %5\n"
                               "  start program = \"/bin/sh -c '%6'\"\n"
                               "  stop program = \"/bin/sh -c 'kill $(cat %5)'\"\n")
                    .arg(dir.filePath(QStringLiteral("monit.log")),
                        dir.filePath(QStringLiteral("monit.pid")),
                        dir.filePath(QStringLiteral("monit.id")),
                        dir.filePath(QStringLiteral("monit.state")), pidFile,
                        QStringLiteral("sleep 100000 & echo $! > %1").arg(pidFile))
                    .toUtf8());
        f.close();
        ::chmod(rc.toLocal8Bit().constData(), 0600); // Monit refuses a readable control file
        QProcess m;
        m.setProcessChannelMode(QProcess::MergedChannels);
        m.setStandardOutputFile(QProcess::nullDevice());
        m.start(monit, { QStringLiteral("-I"), QStringLiteral("-c"), rc });
        if (!m.waitForStarted()) {
            out() << "cannot start " << monit << "\n";
            return 1;
        }
        const bool ok = measure(QStringLiteral("monit"), pidFile, kills, &monitStats);
        const qint64 last = readPid(pidFile);
        stopProcess(m);
        if (last > 0) {
            ::kill(pid_t(last), SIGKILL);
            ::waitpid(pid_t(last), nullptr, 0);
        }
        if (!ok)
            return 1;
    }

    QProcess version;
    version.start(monit, { QStringLiteral("-V") });
    version.waitForFinished();
    out()
        << "restart latency, SIGKILL -> replacement running, " << kills << " kills each\n"
        << "  program: sleep 100000, pid from a pid file\n"
        << "  shivx: supervise /bin/sh -c 'echo $$ > PIDFILE; exec sleep 100000', backoff.initial "
        << backoff << "\n  "
        << QString::fromUtf8(version.readAllStandardOutput()).section(QLatin1Char('\n'), 0, 0)
        << ": set daemon 1, check process with pidfile,"
           " start program /bin/sh -c 'sleep 100000 & echo $! > PIDFILE'\n";
    report(QStringLiteral("shivx"), shivxStats);
    report(QStringLiteral("monit"), monitStats);
    out() << QStringLiteral("ratio (monit / shivx): median %1x  mean %2x\n")
                 .arg(monitStats.median() / qMax(1e-6, shivxStats.median()), 0, 'f', 1)
                 .arg(monitStats.mean() / qMax(1e-6, shivxStats.mean()), 0, 'f', 1)
          << Qt::flush;
    return 0;
}
