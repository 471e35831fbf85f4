// What guarding the engine's API costs per request (goal: at most 2 us), side by side in one
// run:
//  1. http: real keep-alive HTTP requests from 8 loopback sources (127.0.0.2-9) to a real
//     HttpApi on its own thread, without a guard and with GuardianApiGuard installed, in
//     alternating rounds so that both see the same machine load; ns per request.
//  2. admit: GuardianApiGuard::admit() alone, per call, for the traffic shapes that cost
//     differently: one hot source, 10000 sources round robin (cache misses), a source on the
//     ignore list, 1000 isolations in effect, and LOCKDOWN.
//
//   bench_guardian_api [--requests N] [--calls N]   (defaults 20000 and 5000000)
//
// The guard's limits are raised far above the traffic so that every request takes the full
// counting path and none is refused (a refused request would be cheaper, not dearer).
#include "api/httpapi.h"
#include "core/clock.h"
#include "guardian/guardianapiguard.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QStringList>
#include <QThread>

#include <arpa/inet.h>
#include <chrono>
#include <cstdio>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

using namespace Shivx;

namespace {

using Clk = std::chrono::steady_clock;

ApiGuardRules openRules()
{
    ApiGuardRules r;
    r.ignore.clear();
    r.warnRequests = 900'000'000;
    r.limitRequests = 1'000'000'000;
    return r;
}

// One keep-alive connection from `from` to the API.
class Connection
{
public:
    Connection(const char *from, quint16 port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        sockaddr_in local {};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, from, &local.sin_addr);
        sockaddr_in remote {};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
        int one = 1;
        ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        if (::bind(m_fd, reinterpret_cast<sockaddr *>(&local), sizeof local) != 0
            || ::connect(m_fd, reinterpret_cast<sockaddr *>(&remote), sizeof remote) != 0) {
            std::perror("connect");
            std::exit(1);
        }
        m_request
            = "GET /bench HTTP/1.1\r\nHost: 127.0.0.1:" + QByteArray::number(port) + "\r\n\r\n";
    }
    ~Connection() { ::close(m_fd); }

    // One request and its whole answer; false when the answer is not a 200.
    bool roundTrip()
    {
        if (::send(m_fd, m_request.constData(), size_t(m_request.size()), MSG_NOSIGNAL)
            != m_request.size())
            return false;
        m_in.clear();
        char buf[4096];
        qsizetype headEnd = -1, need = -1;
        while (need < 0 || m_in.size() < need) {
            const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
            if (n <= 0)
                return false;
            m_in.append(buf, n);
            if (headEnd < 0 && (headEnd = m_in.indexOf("\r\n\r\n")) >= 0) {
                const qsizetype cl = m_in.indexOf("Content-Length: ");
                need = headEnd + 4 + m_in.mid(cl + 16, 12).split('\r').first().toLongLong();
            }
        }
        return m_in.startsWith("HTTP/1.1 200");
    }

private:
    int m_fd = -1;
    QByteArray m_request;
    QByteArray m_in;
};

struct Server
{
    explicit Server(bool guarded)
    {
        api = new HttpApi([] { return QByteArray(); });
        api->addRoutes(
            { ApiRoute { QStringLiteral("/bench"), false, { "GET" }, false, [](const ApiRequest &) {
                            return ApiReply { 200, "text/plain", "ok\n", {} };
                        } } });
        if (guarded) {
            guard = std::make_shared<GuardianApiGuard>(
                openRules(), Clock::system(), [](const ThreatEvent &) {});
            api->setGuard(guard);
        }
        const auto bound = api->bindTo(QStringLiteral("127.0.0.1:0"));
        if (!bound) {
            std::fprintf(stderr, "%s\n", qPrintable(bound.error().message));
            std::exit(1);
        }
        port = *bound;
        api->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, api, &QObject::deleteLater);
        thread.start();
    }
    ~Server()
    {
        thread.quit();
        thread.wait();
    }
    QThread thread;
    HttpApi *api = nullptr;
    std::shared_ptr<GuardianApiGuard> guard;
    quint16 port = 0;
};

// ns per request over `requests` requests spread round robin over 8 sources.
double httpRound(quint16 port, int requests)
{
    std::vector<std::unique_ptr<Connection>> conns;
    for (int i = 2; i <= 9; ++i)
        conns.push_back(
            std::make_unique<Connection>(qPrintable(QStringLiteral("127.0.0.%1").arg(i)), port));
    for (auto &c : conns) // warm up: the first request of a connection costs more
        c->roundTrip();
    const auto t0 = Clk::now();
    for (int i = 0; i < requests; ++i)
        if (!conns[size_t(i) % conns.size()]->roundTrip()) {
            std::fprintf(stderr, "request %d failed\n", i);
            std::exit(1);
        }
    return double(std::chrono::duration_cast<std::chrono::nanoseconds>(Clk::now() - t0).count())
        / requests;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double admitLoop(GuardianApiGuard &guard, const std::vector<QHostAddress> &sources,
    const QString &path, qint64 calls)
{
    quint64 sink = 0;
    const auto t0 = Clk::now();
    for (qint64 i = 0; i < calls; ++i)
        sink += quint64(guard.admit(sources[size_t(i) % sources.size()], path).status);
    const double ns
        = double(std::chrono::duration_cast<std::chrono::nanoseconds>(Clk::now() - t0).count());
    if (sink == 42)
        std::puts("");
    return ns / double(calls);
}

// admit() and answered() per request, as HttpApi calls them, with the score's signals taken
// every `drainEvery` requests (the guardian's thread takes them once a second; 100000 is a
// second at 100000 requests/s).
double admitAnsweredLoop(GuardianApiGuard &guard, const std::vector<QHostAddress> &sources,
    const QString &path, qint64 calls, qint64 drainEvery)
{
    quint64 sink = 0;
    const auto t0 = Clk::now();
    for (qint64 i = 0; i < calls; ++i) {
        const QHostAddress &source = sources[size_t(i) % sources.size()];
        sink += quint64(guard.admit(source, path).status);
        guard.answered(source, path, 200);
        if ((i + 1) % drainEvery == 0)
            sink += guard.takeScoreSignals().size();
    }
    const double ns
        = double(std::chrono::duration_cast<std::chrono::nanoseconds>(Clk::now() - t0).count());
    if (sink == 42)
        std::puts("");
    return ns / double(calls);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int requests = 20'000;
    qint64 calls = 5'000'000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--requests"))
            requests = args.at(i + 1).toInt();
        else if (args.at(i) == QLatin1String("--calls"))
            calls = args.at(i + 1).toLongLong();
    }

    std::printf("guardian API guard: %d HTTP requests per round from 8 loopback sources, "
                "5 rounds each, alternating\n",
        requests);
    Server plain(false);
    Server guarded(true);
    std::vector<double> without, with;
    for (int round = 0; round < 5; ++round) {
        without.push_back(httpRound(plain.port, requests));
        with.push_back(httpRound(guarded.port, requests));
    }
    const double a = median(without), b = median(with);
    std::printf("  http  without guard   %9.0f ns/request (median of 5)\n", a);
    std::printf("  http  with guard      %9.0f ns/request (median of 5)\n", b);
    std::printf(
        "  http  difference      %9.0f ns/request (noise of a loaded machine included)\n", b - a);

    std::printf("GuardianApiGuard::admit() alone, %lld calls each\n", calls);
    const QString path = QStringLiteral("/api/guardian");
    const std::vector<QHostAddress> one { QHostAddress(QStringLiteral("192.0.2.1")) };
    std::vector<QHostAddress> many;
    for (int i = 0; i < 10'000; ++i)
        many.emplace_back(quint32(0xC6120000u + quint32(i))); // 198.18.0.0/15
    {
        GuardianApiGuard g(openRules(), Clock::system(), nullptr);
        std::printf("  one hot source             %6.1f ns/call\n", admitLoop(g, one, path, calls));
    }
    {
        GuardianApiGuard g(openRules(), Clock::system(), nullptr);
        std::printf(
            "  10000 sources round robin  %6.1f ns/call\n", admitLoop(g, many, path, calls));
    }
    {
        GuardianApiGuard g(ApiGuardRules(), Clock::system(), nullptr); // default ignore list
        const std::vector<QHostAddress> lo { QHostAddress(QStringLiteral("127.0.0.1")) };
        std::printf("  ignored (loopback)         %6.1f ns/call\n", admitLoop(g, lo, path, calls));
    }
    {
        GuardianApiGuard g(openRules(), Clock::system(), nullptr);
        QHash<QString, qint64> isolated;
        for (int i = 0; i < 1000; ++i)
            isolated.insert(QHostAddress(quint32(0xCB007100u + quint32(i))).toString(),
                QDateTime::currentMSecsSinceEpoch() + 3'600'000);
        g.setIsolations(isolated);
        std::printf(
            "  1000 isolations in effect  %6.1f ns/call\n", admitLoop(g, many, path, calls));
    }
    {
        GuardianApiGuard g(openRules(), Clock::system(), nullptr);
        g.setMode(DefenseMode::Lockdown);
        std::printf("  LOCKDOWN, refused (403)    %6.1f ns/call\n", admitLoop(g, one, path, calls));
    }
    {
        // What a request costs the guard now that the threat score learns from every answer.
        GuardianApiGuard g(openRules(), Clock::system(), nullptr);
        std::printf("  admit + answered, drained  %6.1f ns/request (10000 sources)\n",
            admitAnsweredLoop(g, many, path, calls, 100'000));
    }
    return 0;
}
