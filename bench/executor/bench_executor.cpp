// Throughput of many small tasks on the engine's BoundedExecutor, side by side with
// QThreadPool in the same run: same worker count, same task, same single submitting thread.
//
//   bench_executor [--tasks N] [--workers W] [--rounds R]   (defaults 200000, 2, 5)
//
// Variants:
//   qthreadpool        QThreadPool::start(std::function) N times, then waitForDone()
//   executor           BoundedExecutor, queue as large as N (never full), one priority class
//   executor-block     BoundedExecutor, queue of 1024 under RejectionPolicy::Block: the
//                      submitter waits for room, the backpressure the engine relies on
//   executor-4classes  as `executor`, tasks spread over the four priority classes
// Timed from the first submission to the last task's end; the fastest of R interleaved rounds
// counts (on a shared machine other load only ever adds time).
#include "executor/boundedexecutor.h"

#include <QCoreApplication>
#include <QStringList>
#include <QThreadPool>

#include <atomic>
#include <chrono>
#include <cstdio>

using namespace Shivx;

namespace {

std::atomic<quint64> g_sink { 0 };

// The task: a few hundred nanoseconds of arithmetic, so that the pool's own cost shows.
void smallTask(quint64 seed)
{
    quint64 x = seed;
    for (int i = 0; i < 64; ++i)
        x = x * 0x9E3779B97F4A7C15ULL ^ (x >> 29);
    g_sink.fetch_add(x & 1, std::memory_order_relaxed);
}

enum class Variant { ThreadPool, Executor, ExecutorBlock, ExecutorClasses };
const char *const Names[] = { "qthreadpool", "executor", "executor-block", "executor-4classes" };

double runOnce(Variant v, int tasks, int workers)
{
    std::atomic<int> done { 0 };
    const auto start = std::chrono::steady_clock::now();
    if (v == Variant::ThreadPool) {
        QThreadPool pool;
        pool.setMaxThreadCount(workers);
        for (int i = 0; i < tasks; ++i)
            pool.start([i, &done] {
                smallTask(quint64(i));
                done.fetch_add(1, std::memory_order_relaxed);
            });
        pool.waitForDone();
    } else {
        ExecutorConfig c;
        c.workers = workers;
        c.queueSize = v == Variant::ExecutorBlock ? 1024 : tasks;
        c.policy = RejectionPolicy::Block;
        c.blockTimeoutMs = 60'000;
        c.threadName = QStringLiteral("bench-exec");
        BoundedExecutor ex(c);
        for (int i = 0; i < tasks; ++i) {
            const TaskPriority p = v == Variant::ExecutorClasses
                ? TaskPriority(i % TaskPriorityCount)
                : TaskPriority::Normal;
            const auto r = ex.submit(p, [i, &done] {
                smallTask(quint64(i));
                done.fetch_add(1, std::memory_order_relaxed);
            });
            if (!r.ok()) {
                std::fprintf(stderr, "refused: %s\n", qPrintable(r.error().message));
                return -1;
            }
        }
        ex.shutdown(BoundedExecutor::ShutdownMode::Drain);
    }
    const double secs
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (done.load() != tasks) {
        std::fprintf(stderr, "%s lost tasks: %d of %d ran\n", Names[int(v)], done.load(), tasks);
        return -1;
    }
    return secs;
}

int argValue(const QStringList &args, const char *name, int fallback)
{
    const int i = int(args.indexOf(QLatin1String(name)));
    return i > 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int tasks = argValue(args, "--tasks", 200'000);
    const int workers = argValue(args, "--workers", 2);
    const int rounds = argValue(args, "--rounds", 5);

    std::printf("tasks: %d, workers: %d, fastest of %d rounds\n", tasks, workers, rounds);
    double best[4] = { 1e300, 1e300, 1e300, 1e300 };
    for (int round = 0; round < rounds; ++round) {
        for (int v = 0; v < 4; ++v) {
            const double s = runOnce(Variant(v), tasks, workers);
            if (s < 0)
                return 1;
            best[v] = std::min(best[v], s);
        }
    }
    std::printf("%-18s %14s %12s %22s\n", "variant", "tasks/s", "ns/task", "vs qthreadpool");
    for (int v = 0; v < 4; ++v) {
        const double rate = tasks / best[v];
        std::printf("%-18s %14.0f %12.0f %21.2fx\n", Names[v], rate, 1e9 * best[v] / tasks,
            rate / (tasks / best[0]));
    }
    return 0;
}
