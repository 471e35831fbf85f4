// `shivx serve` under a hostile client (issue 9): huge bodies, thousands of idle and
// half-sent connections, no descriptors left, DNS rebinding. The real binary on a free
// loopback port, measured from the outside through /proc.
#include "procfs.h"
#include "rawhttpclient.h"
#include "servefixture.h"

#include "api/requestlimits.h"

#include <QDir>
#include <QElapsedTimer>

#include <algorithm>
#include <memory>
#include <vector>

using ShivxTest::RawClient;
using ShivxTest::RawResponse;

namespace {

// VmRSS and VmHWM (the peak) of a process, in KiB; -1 when unreadable.
struct Rss
{
    qint64 now = -1;
    qint64 peak = -1;
};

Rss rssOf(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    Rss r;
    if (!f.open(QIODevice::ReadOnly))
        return r;
    r.now = qint64(Shivx::ProcParser::parseProcessStatus(f.readAll()).rssBytes / 1024);
    f.seek(0);
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmHWM:"))
            r.peak = line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return r;
}

QByteArray get(const QByteArray &path, const QByteArray &host = "127.0.0.1")
{
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n";
}

int openDescriptors(qint64 pid)
{
    return int(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                   .entryList(QDir::NoDotAndDotDot | QDir::System | QDir::Files)
                   .size());
}

// The descriptor count once the engine has settled (ready, and no change for half a
// second): it opens database and WAL files in its first seconds, and connections that
// clients closed take a moment to be noticed.
int settledDescriptors(qint64 pid, quint16 port)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < 30'000) {
        RawClient c(port);
        if (c.send(get("/api/health/ready")) && c.readResponse().status == 200)
            break;
        QTest::qWait(100);
    }
    int count = openDescriptors(pid);
    for (int stable = 0; stable < 5 && t.elapsed() < 30'000; QTest::qWait(100)) {
        const int now = openDescriptors(pid);
        stable = now == count ? stable + 1 : 0;
        count = now;
    }
    return count;
}

// CPU seconds (user + system) a process has used.
double cpuSeconds(qint64 pid)
{
    const QList<QByteArray> f = ShivxTest::procStatFields(pid);
    if (f.size() < 13)
        return -1;
    return double(f.at(11).toLongLong() + f.at(12).toLongLong()) / double(::sysconf(_SC_CLK_TCK));
}

// One request on a new connection; its status and how long the answer took, in ms.
QPair<int, double> timedGet(quint16 port, const QByteArray &path)
{
    QElapsedTimer t;
    t.start();
    RawClient c(port);
    if (!c.connected() || !c.send(get(path)))
        return { 0, double(t.nsecsElapsed()) / 1e6 };
    const RawResponse r = c.readResponse(20'000);
    return { r.status, double(t.nsecsElapsed()) / 1e6 };
}

QString latencySummary(std::vector<double> ms)
{
    std::sort(ms.begin(), ms.end());
    return QStringLiteral("median %1 ms, max %2 ms over %3 requests")
        .arg(ms[ms.size() / 2], 0, 'f', 2)
        .arg(ms.back(), 0, 'f', 2)
        .arg(ms.size());
}

const int timeScale = SHIVX_TIME_SCALE;

} // namespace

class TstHostileClientServe : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        // Thousands of connections on both ends; the child inherits the raised limit.
        if (ShivxTest::raiseOpenFileLimit(12'000) < 12'000)
            qWarning("RLIMIT_NOFILE cannot be raised to 12000; the connection tests skip");
    }

    // The measurement of the issue: a POST of 1 GB of zeros to /metrics without a token.
    // The answer must come from the head alone, and the engine's memory must not move.
    void hugeBodiesAreRefusedBeforeTheyAreRead()
    {
        ServeProcess serve(QStringLiteral(""));
#if defined(__SANITIZE_ADDRESS__)
        // AddressSanitizer keeps freed memory in quarantine (256 MB), which reads as growth.
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ASAN_OPTIONS"),
            env.value(QStringLiteral("ASAN_OPTIONS"), QStringLiteral("verbosity=0"))
                + QStringLiteral(":quarantine_size_mb=0:thread_local_quarantine_size_kb=0"));
        serve.process().setProcessEnvironment(env);
#endif
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const qint64 pid = serve.process().processId();
        for (int i = 0; i < 5; ++i)
            QCOMPARE(timedGet(port, "/metrics").first, 200); // warm up before the baseline
        const Rss before = rssOf(pid);

        struct Case
        {
            const char *name;
            QByteArray head;
            QList<int> statuses; // answers expected, in order
        };
        const qint64 gigabyte = qint64(1) << 30;
        const QByteArray length = QByteArray::number(gigabyte);
        const Case cases[] = {
            { "POST /metrics, 1 GB",
                "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + length
                    + "\r\n\r\n",
                { 405 } },
            { "POST /api/degradation/pin, 1 GB",
                "POST /api/degradation/pin HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                "application/json\r\nContent-Length: "
                    + length + "\r\n\r\n",
                { 413 } },
            { "GET /metrics, then 1 GB of zeros", get("/metrics"), { 200, 414 } },
        };
        const QByteArray zeros(64 * 1024, '\0');
        qint64 peakDuring = before.now;
        for (const Case &k : cases) {
            RawClient c(port);
            QVERIFY(c.send(k.head));
            qint64 sent = 0;
            qint64 sentAtAnswer = -1;
            QList<int> statuses;
            // Stream the zeros while the engine takes them; they are never held here either.
            while (sent < gigabyte && c.send(zeros, 3000)) {
                sent += zeros.size();
                if (c.readable()) {
                    while (statuses.size() < k.statuses.size()) {
                        const RawResponse r = c.readResponse(2000);
                        if (r.status == 0)
                            break;
                        statuses.append(r.status);
                    }
                    if (sentAtAnswer < 0 && statuses.size() == k.statuses.size())
                        sentAtAnswer = sent;
                }
                if (sent % (16 << 20) == 0)
                    peakDuring = qMax(peakDuring, rssOf(pid).now);
            }
            while (statuses.size() < k.statuses.size()) {
                const RawResponse r = c.readResponse(5000);
                if (r.status == 0)
                    break;
                statuses.append(r.status);
                sentAtAnswer = sent;
            }
            QVERIFY(c.waitClosed(10'000 * timeScale));
            QStringList answers;
            for (int s : std::as_const(statuses))
                answers << QString::number(s);
            qInfo("%s: answered %s after %lld KiB sent; %lld MiB sent in all", k.name,
                qPrintable(answers.join(QLatin1Char(' '))), sentAtAnswer >> 10, sent >> 20);
            QCOMPARE(statuses, k.statuses);
            // Answered while the body was still coming: what the kernel buffers on both ends
            // of a loopback connection is a few MiB.
            QVERIFY2(sentAtAnswer >= 0 && sentAtAnswer < (64 << 20),
                QByteArray::number(sentAtAnswer).constData());
        }
        const Rss after = rssOf(pid);
        qInfo("engine RSS: %lld KiB before, %lld KiB at most while sending, %lld KiB after; "
              "peak (VmHWM) %lld -> %lld KiB",
            before.now, peakDuring, after.now, before.peak, after.peak);
        QVERIFY2(peakDuring - before.now < 8 * 1024, "RSS grew while the bodies were sent");
        QVERIFY2(after.peak - before.peak < 8 * 1024, "the peak RSS grew");

        // Still serving, and the refusals were counted.
        const HttpAnswer metrics
            = httpRequest(serve.url().resolved(QUrl(QStringLiteral("/metrics"))));
        QCOMPARE(metrics.status, 200);
        for (const char *code : { "405", "413", "414" })
            QVERIFY2(metrics.body.contains(
                         QByteArray("shivx_api_requests_total{code=\"") + code + "\"} 1\n"),
                code);
        QCOMPARE(serve.terminate(), 0);
    }

    void thousandsOfIdleConnectionsDoNotSlowTheProbes()
    {
        const int held = 3000;
        if (ShivxTest::raiseOpenFileLimit(12'000) < held + 200)
            QSKIP("RLIMIT_NOFILE too low for this test");
        ServeProcess serve(QStringLiteral(""));
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const qint64 pid = serve.process().processId();
        std::vector<double> quiet;
        for (int i = 0; i < 20; ++i) {
            const auto [status, ms] = timedGet(port, "/api/health/live");
            QCOMPARE(status, 200);
            quiet.push_back(ms);
        }
        const int fdsBefore = settledDescriptors(pid, port);
        const Rss before = rssOf(pid);

        // Half say nothing; half send most of a head and stop (the slow-loris shape).
        QElapsedTimer opening;
        opening.start();
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < held; ++i) {
            clients.push_back(std::make_unique<RawClient>(port));
            QVERIFY(clients.back()->connected());
            if (i % 2)
                QVERIFY(clients.back()->send(
                    "GET /api/health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Wait: "));
        }
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(pid) >= fdsBefore + held, 10'000);
        const qint64 openedMs = opening.elapsed();

        std::vector<double> loaded;
        for (int i = 0; i < 50; ++i) {
            const auto [status, ms] = timedGet(port, "/api/health/live");
            QCOMPARE(status, 200);
            loaded.push_back(ms);
        }
        const Rss during = rssOf(pid);
        qInfo("/api/health/live alone: %s", qPrintable(latencySummary(quiet)));
        qInfo("/api/health/live with %d idle and half-sent connections open: %s", held,
            qPrintable(latencySummary(loaded)));
        qInfo("engine RSS %lld -> %lld KiB (%.1f KiB per held connection); opened in %lld ms",
            before.now, during.now, double(during.now - before.now) / held, openedMs);
        // Not a benchmark; only "not stuck" (the issue measured 1.3 s with 20,000).
        QVERIFY(*std::max_element(loaded.begin(), loaded.end()) < 1000.0 * timeScale);

        // The header limit (10 s from accept) closes all of them: the half-sent ones with
        // 408, the silent ones without an answer; the descriptors come back.
        int answered408 = 0;
        for (size_t i = 0; i < clients.size(); ++i) {
            if (i % 2) {
                answered408 += clients[i]->readResponse(20'000 * timeScale).status == 408;
            }
            QVERIFY(clients[i]->waitClosed(20'000 * timeScale));
        }
        QCOMPARE(answered408, held / 2);
        clients.clear();
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(pid) <= fdsBefore, 10'000);
        QCOMPARE(serve.terminate(), 0);
    }

    void beyondTheConnectionCapTheLongestWaitingMakeRoom()
    {
        const int cap = Shivx::RequestLimits().maxConnections;
        const int held = cap + 500;
        if (ShivxTest::raiseOpenFileLimit(12'000) < held + 200)
            QSKIP("RLIMIT_NOFILE too low for this test");
        ServeProcess serve(QStringLiteral(""));
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const qint64 pid = serve.process().processId();
        const int fdsBefore = settledDescriptors(pid, port);
        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < held; ++i) {
            clients.push_back(std::make_unique<RawClient>(port));
            QVERIFY(clients.back()->connected());
        }
        // The engine holds at most the cap; the first ones it accepted were closed.
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(pid) >= fdsBefore + cap - 10, 20'000);
        QVERIFY(openDescriptors(pid) <= fdsBefore + cap + 2);
        std::vector<double> ms;
        for (int i = 0; i < 20; ++i) {
            const auto [status, took] = timedGet(port, "/api/health/live");
            QCOMPARE(status, 200);
            ms.push_back(took);
        }
        qInfo("/api/health/live with %d connections held against a cap of %d: %s", held, cap,
            qPrintable(latencySummary(ms)));
        QVERIFY(clients.front()->waitClosed(5000));
        QCOMPARE(serve.terminate(), 0);
    }

    // With a descriptor limit of 64 the engine runs out of descriptors (EMFILE) long before
    // the connection cap; it must keep accepting, not spin, and serve once they are free.
    void outOfDescriptorsKeepsServing()
    {
#if defined(__SANITIZE_ADDRESS__)
        // UBSan's vptr check needs descriptors of its own (a pipe, /proc/self/maps) the first
        // time it meets a type; out of descriptors it reports a false "invalid vptr" and ends
        // the process.
        QSKIP("the sanitizers' runtime cannot work out of file descriptors");
#endif
        ServeProcess serve(QStringLiteral(""));
        serve.process().setChildProcessModifier([] {
            rlimit l {};
            ::getrlimit(RLIMIT_NOFILE, &l);
            l.rlim_cur = 64;
            ::setrlimit(RLIMIT_NOFILE, &l);
        });
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const qint64 pid = serve.process().processId();
        const int fdsBefore = settledDescriptors(pid, port);
        qInfo("engine uses %d descriptors of 64 before any connection", fdsBefore);

        std::vector<std::unique_ptr<RawClient>> clients;
        for (int i = 0; i < 200; ++i) {
            clients.push_back(std::make_unique<RawClient>(port));
            QVERIFY(clients.back()->connected());
        }
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(pid) >= 60, 10'000);
        // Served while descriptors are short: each accept makes room by closing the
        // connection that waited longest.
        for (int i = 0; i < 5; ++i)
            QCOMPARE(timedGet(port, "/api/health/live").first, 200);

        // Not spinning: with nothing to do, next to no CPU over two seconds.
        const double cpu0 = cpuSeconds(pid);
        QTest::qWait(2000);
        const double cpu = cpuSeconds(pid) - cpu0;
        qInfo("CPU while out of descriptors and idle: %.2f s in 2 s", cpu);
        QVERIFY2(cpu < 0.5 * timeScale, QByteArray::number(cpu).constData());

        clients.clear();
        QTRY_VERIFY_WITH_TIMEOUT(openDescriptors(pid) <= fdsBefore, 10'000);
        for (int i = 0; i < 5; ++i)
            QCOMPARE(timedGet(port, "/api/health/live").first, 200);
        const QByteArray err = serve.errors();
        QVERIFY2(err.contains("accepting a connection failed"), err.constData());
        QCOMPARE(serve.terminate(), 0);
    }

    void dnsRebindingIsRefused()
    {
        ServeProcess serve(QStringLiteral("engine:\n  allowed_hosts: [shivx.internal]\n"));
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const QByteArray p = QByteArray::number(port);
        const QList<QPair<QByteArray, int>> hosts = {
            { "rebind.evil.example", 403 },
            { "rebind.evil.example:" + p, 403 },
            { "localhost:" + p, 200 },
            { "127.0.0.1:" + p, 200 },
            { "[::1]:" + p, 200 },
            { "shivx.internal", 200 },
            { "SHIVX.INTERNAL:" + p, 200 },
        };
        for (const auto &[host, status] : hosts) {
            RawClient c(port);
            QVERIFY(c.send(get("/api/processes", host)));
            const RawResponse r = c.readResponse();
            QVERIFY2(r.status == status, host + ": " + r.head);
            if (status == 403)
                QVERIFY2(r.body.startsWith("{\"error\":\"host_not_allowed\""), r.body.constData());
        }
        QCOMPARE(serve.terminate(), 0);

        // An entry that is not a DNS name is a configuration error.
        ServeProcess bad(QStringLiteral("engine:\n  allowed_hosts: [\"10.0.0.1:80\"]\n"));
        bad.process().setProgram(QStringLiteral(SHIVX_CLI));
        bad.process().setArguments(bad.arguments());
        bad.process().start();
        QVERIFY(bad.process().waitForFinished(15000));
        QCOMPARE(bad.process().exitCode(), 2);
        const QByteArray err = bad.errors();
        QVERIFY2(
            err.contains("shivx.yaml:2: engine.allowed_hosts: \"10.0.0.1:80\" is not a DNS name"),
            err.constData());
    }

    // Prometheus keeps its connection between scrapes; each request on it is checked.
    void keepAliveServesManyRequestsOnOneConnection()
    {
        ServeProcess serve(QStringLiteral(""));
        QVERIFY2(serve.start(), serve.output().constData());
        const quint16 port = quint16(serve.url().port());
        const QByteArray token = serve.apiToken();
        RawClient c(port);
        for (int i = 0; i < 10; ++i) {
            QVERIFY(c.send(get("/metrics")));
            const RawResponse r = c.readResponse();
            QCOMPARE(r.status, 200);
            QVERIFY(r.body.contains("shivx_api_requests_total"));
        }
        const QByteArray body = "{\"level\":\"LEVEL_1\",\"reason\":\"test\",\"for\":\"1m\"}";
        QVERIFY(c.send("POST /api/degradation/pin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                       "Bearer "
            + token + "\r\nContent-Type: application/json\r\nContent-Length: "
            + QByteArray::number(body.size()) + "\r\n\r\n" + body));
        const RawResponse pin = c.readResponse();
        QVERIFY2(pin.status < 300, pin.head + pin.body);
        QVERIFY(c.send(get("/api/health/live", "rebind.evil.example")));
        QCOMPARE(c.readResponse().status, 403);
        QVERIFY(c.waitClosed(5000));
        QCOMPARE(serve.terminate(), 0);
    }
};

QTEST_GUILESS_MAIN(TstHostileClientServe)
#include "tst_hostileclient_serve.moc"
