// Cost of a call through a CLOSED circuit breaker, side by side with the same call made
// directly and with the call behind one shared mutex (what a breaker without the lock-free
// CLOSED path would cost), from 1, 2 and 4 threads at once, in one run.
//
//   bench_breaker [--calls N]   (N per thread, default 20000000)
//
// Every thread calls the same breaker, so the numbers include the contention on its shared
// counters. Reported per call as each thread sees it: wall time / calls per thread.
#include "recovery/circuitbreaker.h"

#include <QCoreApplication>
#include <QMutex>
#include <QStringList>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <vector>

using namespace Shivx;

namespace {

// The protected call: cheap, so the breaker's own cost is what shows. noinline so the
// direct variant is a real call too.
__attribute__((noinline)) quint64 work(quint64 x)
{
    return x * 0x9E3779B97F4A7C15ULL ^ (x >> 7);
}

enum class Variant { Direct, Breaker, Mutex };

double run(Variant variant, int threads, quint64 calls, CircuitBreaker *breaker, QMutex *mutex)
{
    std::atomic<int> ready { 0 };
    std::atomic<bool> go { false };
    std::vector<std::thread> pool;
    std::vector<quint64> sinks(size_t(threads) * 8, 0); // 64 bytes apart: no false sharing
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) { }
            quint64 sink = 0;
            for (quint64 i = 0; i < calls; ++i) {
                switch (variant) {
                case Variant::Direct:
                    sink += work(i);
                    break;
                case Variant::Breaker:
                    if (breaker->tryAcquire()) {
                        sink += work(i);
                        breaker->recordSuccess();
                    }
                    break;
                case Variant::Mutex: {
                    QMutexLocker lock(mutex);
                    sink += work(i);
                    break;
                }
                }
            }
            sinks[size_t(t) * 8] = sink;
        });
    }
    while (ready.load() < threads) { }
    const auto start = std::chrono::steady_clock::now();
    go.store(true, std::memory_order_release);
    for (auto &th : pool)
        th.join();
    const auto ns
        = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start)
              .count();
    quint64 total = 0;
    for (quint64 s : sinks)
        total += s;
    if (total == 42) // keeps the work observable
        std::puts("");
    return ns / double(calls);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    quint64 calls = 20'000'000;
    const QStringList args = app.arguments();
    if (const int i = int(args.indexOf(QStringLiteral("--calls"))); i > 0 && i + 1 < args.size())
        calls = args.at(i + 1).toULongLong();

    std::printf(
        "calls per thread: %llu; ns per call as each thread sees it (fastest of 5 rounds)\n",
        static_cast<unsigned long long>(calls));
    std::printf("%-8s %10s %10s %10s %16s %14s\n", "threads", "direct", "breaker", "mutex",
        "breaker-direct", "mutex/breaker");
    for (int threads : { 1, 2, 4 }) {
        // Rounds interleave the variants, and the fastest round of each counts: on a shared
        // machine, other load only ever adds time, so the minimum is the least disturbed.
        double best[3] = { 1e300, 1e300, 1e300 };
        for (int round = 0; round < 5; ++round) {
            for (int v = 0; v < 3; ++v) {
                CircuitBreaker breaker(QStringLiteral("bench"), BreakerConfig {});
                QMutex mutex;
                best[v] = std::min(best[v], run(Variant(v), threads, calls, &breaker, &mutex));
                if (Variant(v) == Variant::Breaker
                    && breaker.snapshot().calls != calls * quint64(threads)) {
                    std::fprintf(stderr, "lost calls\n");
                    return 1;
                }
            }
        }
        std::printf("%-8d %10.2f %10.2f %10.2f %16.2f %13.1fx\n", threads, best[0], best[1],
            best[2], best[1] - best[0], best[2] / best[1]);
    }
    return 0;
}
