// Engine CPU while sampling the host and probing 50 HTTP targets every second, side by side
// with Monit doing the same work (system check + 50 HTTP checks, 1 s cycle) in the same run.
//
//   bench_engine_cpu [--seconds 60] [--targets 50] [--warmup 30] [--shivx PATH] [--monit PATH]
//
// Both run as child processes at the same time, so a busy machine weighs on both alike; CPU is
// read from /proc/PID/stat (utime + stime, children excluded) over the same window, and the
// in-process HTTP server counts the requests each one made (by path: /s<i> for shivx, /m<i>
// for Monit), so the numbers say how much work each did for its CPU.
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>

#include <atomic>
#include <csignal>
#include <unistd.h>

namespace {

std::atomic<quint64> g_shivxRequests { 0 };
std::atomic<quint64> g_monitRequests { 0 };

// A minimal HTTP/1.0-style server on its own thread: every request gets 200 "ok" and the
// connection is closed, which is what both peers' probes expect.
class OkServer : public QTcpServer
{
public:
    using QTcpServer::QTcpServer;

protected:
    void incomingConnection(qintptr fd) override
    {
        auto *s = new QTcpSocket(this);
        s->setSocketDescriptor(fd);
        connect(s, &QTcpSocket::readyRead, s, [s] {
            const QByteArray data = s->readAll();
            if (!data.contains("\r\n\r\n"))
                return;
            ++(data.startsWith("GET /m") ? g_monitRequests : g_shivxRequests);
            s->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                     "2\r\nConnection: close\r\n\r\nok");
            s->disconnectFromHost();
        });
        connect(s, &QTcpSocket::disconnected, s, &QObject::deleteLater);
    }
};

quint64 cpuTicks(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray text = f.readAll();
    const QList<QByteArray> fields = text.mid(text.lastIndexOf(')') + 2).split(' ');
    return fields.value(11).toULongLong() + fields.value(12).toULongLong();
}

struct Measurement
{
    QString name;
    double cpuPercent = 0;
    double requestsPerSec = 0;
};

struct Peer
{
    QString name;
    QProcess *process = nullptr;
    std::atomic<quint64> *requests = nullptr;
    quint64 ticks0 = 0;
    quint64 requests0 = 0;
};

// One window for every peer: start counts, sleep, end counts.
QList<Measurement> measure(QList<Peer> &peers, int seconds)
{
    for (Peer &p : peers) {
        p.ticks0 = cpuTicks(p.process->processId());
        p.requests0 = p.requests->load();
    }
    QElapsedTimer timer;
    timer.start();
    QThread::sleep(seconds);
    const double wall = double(timer.elapsed()) / 1000.0;
    const double hz = double(::sysconf(_SC_CLK_TCK));
    QList<Measurement> out;
    for (Peer &p : peers) {
        Measurement m;
        m.name = p.name;
        m.cpuPercent = 100.0 * double(cpuTicks(p.process->processId()) - p.ticks0) / hz / wall;
        m.requestsPerSec = double(p.requests->load() - p.requests0) / wall;
        out.append(m);
    }
    return out;
}

void stop(QProcess &p)
{
    if (p.state() == QProcess::NotRunning)
        return;
    ::kill(pid_t(p.processId()), SIGTERM);
    if (!p.waitForFinished(15000)) {
        p.kill();
        p.waitForFinished(5000);
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);
    const QStringList args = app.arguments();
    auto opt = [&](const char *name, const QString &def) {
        const int i = args.indexOf(QLatin1String(name));
        return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : def;
    };
    const int seconds = opt("--seconds", QStringLiteral("60")).toInt();
    const int targets = opt("--targets", QStringLiteral("50")).toInt();
    const int warmup = opt("--warmup", QStringLiteral("30")).toInt();
    const QString shivx = opt("--shivx", QStringLiteral(SHIVX_CLI));
    const QString monit = opt("--monit", QStandardPaths::findExecutable(QStringLiteral("monit")));

    QThread serverThread;
    auto *server = new OkServer;
    if (!server->listen(QHostAddress::LocalHost, 0)) {
        out << "cannot listen\n";
        return 1;
    }
    const quint16 port = server->serverPort();
    server->moveToThread(&serverThread);
    serverThread.start();

    QTemporaryDir dir;
    QList<Peer> peers;
    QProcess shivxProcess;
    QProcess monitProcess;

    {
        QFile cfg(dir.filePath(QStringLiteral("shivx.yaml")));
        cfg.open(QIODevice::WriteOnly);
        QTextStream c(&cfg);
        c << "sampler: {interval: 1s}\ntargets:\n";
        for (int i = 0; i < targets; ++i)
            c << "  - {name: t" << i << ", type: http, url: \"http://127.0.0.1:" << port << "/s"
              << i << "\", interval: 1s, timeout: 900ms}\n";
        c.flush();
        cfg.close();
        QProcess &p = shivxProcess;
        p.setProgram(shivx);
        p.setArguments({ QStringLiteral("serve"), QStringLiteral("--config"), cfg.fileName(),
            QStringLiteral("--data-dir"), dir.filePath(QStringLiteral("data")),
            QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0") });
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start();
        if (!p.waitForStarted()) {
            out << "cannot start " << shivx << "\n";
            return 1;
        }
        peers.append({ QStringLiteral("shivx serve"), &p, &g_shivxRequests });
    }

    if (monit.isEmpty()) {
        out << "monit not found (apt-get install monit): peer skipped\n";
    } else {
        const QString rc = dir.filePath(QStringLiteral("monitrc"));
        QFile cfg(rc);
        cfg.open(QIODevice::WriteOnly);
        QTextStream c(&cfg);
        // Monit's fastest cycle is 1 s (`set daemon 1`), the same period as the engine's.
        c << "set daemon 1\n"
          << "set pidfile " << dir.filePath(QStringLiteral("monit.pid")) << "\n"
          << "set idfile " << dir.filePath(QStringLiteral("monit.id")) << "\n"
          << "set statefile " << dir.filePath(QStringLiteral("monit.state")) << "\n"
          << "set logfile " << dir.filePath(QStringLiteral("monit.log")) << "\n"
          << "check system benchhost\n"
          << "  if loadavg (1min) > 1000 then alert\n"
          << "  if memory usage > 99% then alert\n"
          << "check filesystem rootfs with path /\n"
          << "  if space usage > 99% then alert\n";
        for (int i = 0; i < targets; ++i) {
            c << "check host t" << i << " with address 127.0.0.1\n"
              << "  if failed port " << port << " protocol http request \"/m" << i
              << "\" with timeout 1 seconds then alert\n";
        }
        c.flush();
        cfg.close();
        QFile::setPermissions(rc, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        QProcess &p = monitProcess;
        p.setProgram(monit);
        p.setArguments({ QStringLiteral("-I"), QStringLiteral("-c"), rc });
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start();
        if (!p.waitForStarted()) {
            out << "cannot start monit\n";
        } else {
            peers.append({ QStringLiteral("monit 1s cycle"), &p, &g_monitRequests });
        }
    }

    // Start-up work is not what is measured. Since the metric feed, the engine creates most of
    // its history series (about 20 per target) at the feed's first write, 10 s in: a 5 s
    // warm-up put that into the window (0.88 % of a core against 0.60-0.67 % steady).
    QThread::sleep(unsigned(warmup));
    const QList<Measurement> results = measure(peers, seconds);
    for (Peer &p : peers)
        stop(*p.process);

    out << "\nEngine CPU: host sampling + " << targets << " HTTP targets at 1 s, over " << seconds
        << " s\n";
    out << QStringLiteral("%1 %2 %3 %4\n")
               .arg(QStringLiteral("peer"), -18)
               .arg(QStringLiteral("cpu % of 1 core"), 16)
               .arg(QStringLiteral("probes/s"), 10)
               .arg(QStringLiteral("cpu ms/probe"), 13);
    for (const auto &m : results) {
        out << QStringLiteral("%1 %2 %3 %4\n")
                   .arg(m.name, -18)
                   .arg(m.cpuPercent, 16, 'f', 2)
                   .arg(m.requestsPerSec, 10, 'f', 1)
                   .arg(m.requestsPerSec > 0 ? 10.0 * m.cpuPercent / m.requestsPerSec : 0.0, 13,
                       'f', 3);
    }
    if (results.size() == 2 && results.at(1).cpuPercent > 0) {
        out << QStringLiteral("ratio shivx/monit cpu: %1\n")
                   .arg(results.at(0).cpuPercent / results.at(1).cpuPercent, 0, 'f', 2);
    }
    out.flush();
    QMetaObject::invokeMethod(server, &QObject::deleteLater);
    serverThread.quit();
    serverThread.wait();
    return 0;
}
