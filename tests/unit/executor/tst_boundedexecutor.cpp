#include "executor/boundedexecutor.h"

#include <QElapsedTimer>
#include <QMutex>
#include <QStringList>
#include <QTest>
#include <QThread>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

using namespace Shivx;

namespace {

// Holds workers inside a task until released; counts who arrived.
class Gate
{
public:
    void pass()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        ++m_arrived;
        m_cv.notify_all();
        m_cv.wait(lock, [this] { return m_open; });
    }
    void open()
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_open = true;
        m_cv.notify_all();
    }
    bool waitArrived(int n)
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        return m_cv.wait_for(lock, std::chrono::seconds(30), [&] { return m_arrived >= n; });
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    int m_arrived = 0;
    bool m_open = false;
};

// The order tasks started in, written from any worker.
class Log
{
public:
    void add(const QString &s)
    {
        QMutexLocker lock(&m_mutex);
        m_items << s;
    }
    QStringList items() const
    {
        QMutexLocker lock(&m_mutex);
        return m_items;
    }

private:
    mutable QMutex m_mutex;
    QStringList m_items;
};

ExecutorConfig config(int workers, int queue, RejectionPolicy policy, int blockMs = 1000)
{
    ExecutorConfig c;
    c.workers = workers;
    c.queueSize = queue;
    c.policy = policy;
    c.blockTimeoutMs = blockMs;
    c.threadName = QStringLiteral("tst-exec");
    return c;
}

// An executor with one worker held at `gate` and `queued` tasks of `prio` waiting.
TaskHandle occupy(BoundedExecutor &ex, Gate &gate)
{
    auto h = ex.submit(TaskPriority::Normal, [&gate] { gate.pass(); });
    [&] { QVERIFY(h.ok()); }();
    [&] { QVERIFY(gate.waitArrived(1)); }();
    return h.value();
}

} // namespace

class tst_BoundedExecutor : public QObject
{
    Q_OBJECT
private slots:
    void dropDiscardsWhenFull()
    {
        BoundedExecutor ex(config(1, 2, RejectionPolicy::Drop));
        Gate gate;
        occupy(ex, gate);
        std::atomic<int> ran { 0 };
        auto a = ex.submit(TaskPriority::Normal, [&] { ++ran; });
        auto b = ex.submit(TaskPriority::Normal, [&] { ++ran; });
        auto c = ex.submit(TaskPriority::Normal, [&] { ran += 100; });
        QVERIFY(a.ok() && b.ok() && c.ok());
        QCOMPARE(toString(c->status()), QStringLiteral("dropped"));
        QCOMPARE(toString(a->status()), QStringLiteral("queued"));
        ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.submitted, 4u);
        QCOMPARE(m.rejected, 1u);
        QCOMPARE(m.queueDepth, 2);
        QCOMPARE(m.running, 1);
        gate.open();
        QVERIFY(a->wait(30000) && b->wait(30000));
        QVERIFY(c->wait(0)); // dropped is final
        ex.shutdown();
        QCOMPARE(ran.load(), 2);
        m = ex.metrics();
        QCOMPARE(m.completed, 3u);
        QCOMPARE(m.queueDepth, 0);
    }

    void exceptionReturnsAnError()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::Exception));
        Gate gate;
        occupy(ex, gate);
        QVERIFY(ex.submit(TaskPriority::Normal, [] {}).ok());
        auto r = ex.submit(TaskPriority::High, [] {});
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("executor.queue_full"));
        QVERIFY2(r.error().message.contains(QStringLiteral("(1 tasks)"))
                && r.error().message.contains(QStringLiteral("high work")),
            qPrintable(r.error().message));
        QCOMPARE(ex.metrics().rejected, 1u);
        gate.open();
    }

    void blockTimesOut()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::Block, 150));
        Gate gate;
        occupy(ex, gate);
        QVERIFY(ex.submit(TaskPriority::Normal, [] {}).ok());
        QElapsedTimer t;
        t.start();
        auto r = ex.submit(TaskPriority::Normal, [] {});
        QVERIFY(t.elapsed() >= 140); // waited (steady clock granularity aside) before refusing
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("executor.queue_full"));
        QVERIFY2(r.error().message.contains(QStringLiteral("for 150 ms")),
            qPrintable(r.error().message));
        gate.open();
    }

    void blockWaitsForRoom()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::Block, 60000));
        Gate gate;
        occupy(ex, gate);
        QVERIFY(ex.submit(TaskPriority::Normal, [] {}).ok());
        std::atomic<bool> returned { false };
        std::atomic<bool> accepted { false };
        std::thread submitter([&] {
            accepted = ex.submit(TaskPriority::Normal, [] {}).ok();
            returned = true;
        });
        QTest::qWait(100);
        QVERIFY(!returned); // still waiting for room
        gate.open(); // the worker takes the queued task: room for the blocked one
        submitter.join();
        QVERIFY(accepted);
        ex.shutdown();
        const ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.rejected, 0u);
        QCOMPARE(m.completed, 3u);
    }

    void callerRunsOnTheSubmittingThread()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::CallerRuns));
        Gate gate;
        occupy(ex, gate);
        QVERIFY(ex.submit(TaskPriority::Normal, [] {}).ok());
        QThread *ranOn = nullptr;
        auto r = ex.submit(TaskPriority::Normal, [&] { ranOn = QThread::currentThread(); });
        QVERIFY(r.ok());
        QCOMPARE(ranOn, QThread::currentThread());
        QCOMPARE(toString(r->status()), QStringLiteral("finished"));
        const ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.callerRuns, 1u);
        QCOMPARE(m.completed, 1u);
        QCOMPARE(m.rejected, 0u);
        gate.open();
    }

    void callerRunsRefusesPausedWork()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::CallerRuns));
        QVERIFY(ex.registerKind({ QStringLiteral("scan"), TaskPriority::Low,
                                    { QStringLiteral("level_emergency") }, std::nullopt })
                    .ok());
        ex.setCondition(QStringLiteral("level_emergency"), true);
        Gate gate;
        occupy(ex, gate);
        QVERIFY(ex.submit(QStringLiteral("scan"), [] {}).ok());
        bool ran = false;
        auto r = ex.submit(QStringLiteral("scan"), [&] { ran = true; });
        QVERIFY(!r.ok());
        QCOMPARE(r.error().code, QStringLiteral("executor.queue_full"));
        QVERIFY(!ran);
        gate.open();
    }

    void kindPolicyOverridesTheExecutors()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::Exception));
        QVERIFY(ex.registerKind({ QStringLiteral("maint"), TaskPriority::Background, {},
                                    RejectionPolicy::Drop })
                    .ok());
        Gate gate;
        occupy(ex, gate);
        QVERIFY(ex.submit(TaskPriority::Normal, [] {}).ok());
        auto dropped = ex.submit(QStringLiteral("maint"), [] {});
        QVERIFY(dropped.ok());
        QCOMPARE(toString(dropped->status()), QStringLiteral("dropped"));
        QVERIFY(!ex.submit(TaskPriority::Normal, [] {}).ok());
        gate.open();
    }

    // Every policy with many producers on few workers and a small queue: nothing is lost or
    // run twice, and the counters add up.
    void saturation_data()
    {
        QTest::addColumn<RejectionPolicy>("policy");
        QTest::newRow("drop") << RejectionPolicy::Drop;
        QTest::newRow("block") << RejectionPolicy::Block;
        QTest::newRow("exception") << RejectionPolicy::Exception;
        QTest::newRow("caller_runs") << RejectionPolicy::CallerRuns;
    }
    void saturation()
    {
        QFETCH(RejectionPolicy, policy);
        constexpr int producers = 6;
        constexpr int perProducer = 300;
        BoundedExecutor ex(config(3, 8, policy, 60000));
        std::atomic<int> ran { 0 };
        std::atomic<int> accepted { 0 }; // submit() ok and not dropped
        std::atomic<int> refused { 0 };
        std::atomic<int> dropped { 0 };
        std::vector<std::thread> threads;
        for (int p = 0; p < producers; ++p) {
            threads.emplace_back([&, p] {
                for (int i = 0; i < perProducer; ++i) {
                    auto r = ex.submit(TaskPriority((p + i) % TaskPriorityCount), [&ran] {
                        std::this_thread::sleep_for(std::chrono::microseconds(200));
                        ++ran;
                    });
                    if (!r.ok())
                        ++refused;
                    else if (r->status() == TaskStatus::Dropped)
                        ++dropped;
                    else
                        ++accepted;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        ex.shutdown(BoundedExecutor::ShutdownMode::Drain);
        const ExecutorMetrics m = ex.metrics();
        const quint64 total = producers * perProducer;
        QCOMPARE(m.submitted, total);
        QCOMPARE(m.completed + m.rejected + m.cancelled, total);
        QCOMPARE(m.cancelled, 0u);
        QCOMPARE(quint64(ran.load()), m.completed);
        QCOMPARE(accepted.load(), ran.load());
        QCOMPARE(quint64(refused + dropped), m.rejected);
        QCOMPARE(m.queueDepth, 0);
        switch (policy) {
        case RejectionPolicy::Drop:
            QVERIFY(dropped > 0);
            QCOMPARE(refused.load(), 0);
            break;
        case RejectionPolicy::Exception:
            QVERIFY(refused > 0);
            QCOMPARE(dropped.load(), 0);
            break;
        case RejectionPolicy::Block:
            QCOMPARE(m.rejected, 0u);
            break;
        case RejectionPolicy::CallerRuns:
            QCOMPARE(m.rejected, 0u);
            QVERIFY(m.callerRuns > 0);
            break;
        }
    }

    void strictPriorityOneWorker()
    {
        BoundedExecutor ex(config(1, 100, RejectionPolicy::Exception));
        QVERIFY(ex.registerKind({ QStringLiteral("urgent"), TaskPriority::High, {}, std::nullopt })
                    .ok());
        Gate gate;
        occupy(ex, gate);
        Log log;
        const auto add = [&](TaskPriority p, const QString &name) {
            QVERIFY(ex.submit(p, [&log, name] { log.add(name); }).ok());
        };
        add(TaskPriority::Low, QStringLiteral("low1"));
        add(TaskPriority::High, QStringLiteral("high1"));
        add(TaskPriority::Background, QStringLiteral("bg1"));
        add(TaskPriority::Normal, QStringLiteral("normal1"));
        QVERIFY(ex.submit(QStringLiteral("urgent"), [&log] {
                      log.add(QStringLiteral("urgent1"));
                  }).ok());
        add(TaskPriority::High, QStringLiteral("high2"));
        add(TaskPriority::Low, QStringLiteral("low2"));
        add(TaskPriority::Normal, QStringLiteral("normal2"));
        add(TaskPriority::Background, QStringLiteral("bg2"));
        add(TaskPriority::High, QStringLiteral("high3"));
        const ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.depthByPriority[size_t(TaskPriority::High)], 4);
        QCOMPARE(m.depthByPriority[size_t(TaskPriority::Background)], 2);
        gate.open();
        ex.shutdown();
        // FIFO within a class, across its kinds (urgent1 is a High kind submitted between).
        QCOMPARE(log.items(),
            QStringList({ "high1", "urgent1", "high2", "high3", "normal1", "normal2", "low1",
                "low2", "bg1", "bg2" }));
    }

    // With several workers, a lower class is taken only once no higher one is queued: each
    // low task checks, as it starts, that every high task has left the queue.
    void strictPriorityManyWorkers()
    {
        BoundedExecutor ex(config(3, 400, RejectionPolicy::Exception));
        Gate gate;
        for (int i = 0; i < 3; ++i)
            QVERIFY(ex.submit(TaskPriority::Normal, [&gate] { gate.pass(); }).ok());
        QVERIFY(gate.waitArrived(3));
        std::atomic<int> violations { 0 };
        std::atomic<int> highRan { 0 };
        for (int i = 0; i < 150; ++i) {
            QVERIFY(ex.submit(TaskPriority::Low, [&] {
                          if (ex.metrics().depthByPriority[size_t(TaskPriority::High)] != 0)
                              ++violations;
                      }).ok());
            QVERIFY(ex.submit(TaskPriority::High, [&] { ++highRan; }).ok());
        }
        gate.open();
        ex.shutdown();
        QCOMPARE(highRan.load(), 150);
        QCOMPARE(violations.load(), 0);
    }

    void cancelQueuedWork()
    {
        BoundedExecutor ex(config(1, 2, RejectionPolicy::Exception));
        Gate gate;
        TaskHandle running = occupy(ex, gate);
        std::atomic<int> ran { 0 };
        auto a = ex.submit(TaskPriority::Normal, [&] { ran += 1; });
        auto b = ex.submit(TaskPriority::Normal, [&] { ran += 10; });
        QVERIFY(a.ok() && b.ok());
        QVERIFY(!ex.submit(TaskPriority::Normal, [] {}).ok()); // full
        QVERIFY(b->cancel());
        QCOMPARE(toString(b->status()), QStringLiteral("cancelled"));
        QVERIFY(!b->cancel()); // once
        QVERIFY(!running.cancel()); // running work is not interrupted
        QCOMPARE(ex.metrics().queueDepth, 1);
        // The cancelled task's place is free at once.
        auto c = ex.submit(TaskPriority::Normal, [&] { ran += 100; });
        QVERIFY(c.ok());
        gate.open();
        QVERIFY(c->wait(30000));
        QVERIFY(!a->cancel()); // finished
        QCOMPARE(ran.load(), 101);
        QCOMPARE(ex.metrics().cancelled, 1u);
    }

    // Cancellation racing with the workers: each task either ran or was cancelled, never both.
    void cancelRacesWithWorkers()
    {
        BoundedExecutor ex(config(2, 2000, RejectionPolicy::Exception));
        constexpr int n = 2000;
        std::vector<std::atomic<int>> ran(n);
        std::vector<TaskHandle> handles;
        for (int i = 0; i < n; ++i) {
            auto r = ex.submit(TaskPriority::Normal, [&ran, i] { ++ran[size_t(i)]; });
            QVERIFY(r.ok());
            handles.push_back(r.value());
        }
        std::vector<int> cancelled(n, 0);
        std::thread canceller([&] {
            for (int i = n - 1; i >= 0; i -= 2)
                cancelled[size_t(i)] = handles[size_t(i)].cancel() ? 1 : 0;
        });
        canceller.join();
        ex.shutdown();
        int cancelCount = 0;
        for (int i = 0; i < n; ++i) {
            QCOMPARE(ran[size_t(i)].load() + cancelled[size_t(i)], 1);
            cancelCount += cancelled[size_t(i)];
        }
        QCOMPARE(ex.metrics().cancelled, quint64(cancelCount));
    }

    void handleOutlivesExecutor()
    {
        TaskHandle h;
        {
            BoundedExecutor ex(config(1, 4, RejectionPolicy::Exception));
            ex.setPriorityPaused(TaskPriority::Normal, true);
            h = ex.submit(TaskPriority::Normal, [] {}).value();
        } // destroyed: shutdown(Cancel)
        QCOMPARE(toString(h.status()), QStringLiteral("cancelled"));
        QVERIFY(!h.cancel());
        QVERIFY(h.wait(0));
    }

    void pauseByCondition()
    {
        BoundedExecutor ex(config(2, 50, RejectionPolicy::Exception));
        QVERIFY(ex.registerKind({ QStringLiteral("history.maintenance"), TaskPriority::Background,
                                    { QStringLiteral("background_tasks_off") }, std::nullopt })
                    .ok());
        ex.setCondition(QStringLiteral("background_tasks_off"), true);
        QVERIFY(ex.isKindPaused(QStringLiteral("history.maintenance")));
        Log log;
        std::vector<TaskHandle> maint;
        for (int i = 0; i < 3; ++i)
            maint.push_back(ex.submit(QStringLiteral("history.maintenance"), [&log, i] {
                                  log.add(QStringLiteral("m%1").arg(i));
                              }).value());
        auto other = ex.submit(TaskPriority::Low, [&log] { log.add(QStringLiteral("other")); });
        QVERIFY(other->wait(30000)); // lower class, but not paused: runs past the paused work
        QTest::qWait(50);
        for (const TaskHandle &h : maint)
            QCOMPARE(toString(h.status()), QStringLiteral("queued"));
        ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.queueDepth, 3);
        QCOMPARE(m.pausedDepth, 3);
        ex.setCondition(QStringLiteral("background_tasks_off"), false);
        for (const TaskHandle &h : maint)
            QVERIFY(h.wait(30000));
        QCOMPARE(ex.metrics().pausedDepth, 0);
        QStringList items = log.items();
        QCOMPARE(items.takeFirst(), QStringLiteral("other"));
        QCOMPARE(items.size(), 3);
    }

    void pauseByKindAndClass()
    {
        BoundedExecutor ex(config(1, 50, RejectionPolicy::Exception));
        QVERIFY(
            ex.registerKind({ QStringLiteral("scan"), TaskPriority::High, {}, std::nullopt }).ok());
        QVERIFY(ex.setKindPaused(QStringLiteral("scan"), true).ok());
        QCOMPARE(ex.setKindPaused(QStringLiteral("nope"), true).error().code,
            QStringLiteral("executor.unknown_kind"));
        ex.setPriorityPaused(TaskPriority::Normal, true);
        Gate gate;
        auto blocker = ex.submit(TaskPriority::Low, [&gate] { gate.pass(); });
        QVERIFY(gate.waitArrived(1));
        Log log;
        auto scan = ex.submit(QStringLiteral("scan"), [&log] { log.add(QStringLiteral("scan")); });
        auto normal
            = ex.submit(TaskPriority::Normal, [&log] { log.add(QStringLiteral("normal")); });
        auto bg = ex.submit(TaskPriority::Background, [&log] { log.add(QStringLiteral("bg")); });
        gate.open();
        QVERIFY(bg->wait(30000)); // the only class free to run
        QCOMPARE(log.items(), QStringList { "bg" });
        QCOMPARE(ex.metrics().pausedDepth, 2);
        // Resume both while the worker is held: the higher class goes first.
        Gate gate2;
        QVERIFY(ex.submit(TaskPriority::High, [&gate2] { gate2.pass(); }).ok());
        QVERIFY(gate2.waitArrived(1));
        ex.setPriorityPaused(TaskPriority::Normal, false);
        QVERIFY(ex.setKindPaused(QStringLiteral("scan"), false).ok());
        gate2.open();
        ex.shutdown();
        QCOMPARE(log.items(), QStringList({ "bg", "scan", "normal" }));
    }

    void metricsValues()
    {
        BoundedExecutor ex(config(1, 10, RejectionPolicy::Exception));
        std::vector<TaskHandle> hs;
        for (int i = 0; i < 5; ++i)
            hs.push_back(ex.submit(TaskPriority::Normal, [] {
                               std::this_thread::sleep_for(std::chrono::milliseconds(20));
                           }).value());
        for (const TaskHandle &h : hs)
            QVERIFY(h.wait(30000));
        QVERIFY(!ex.submit(QStringLiteral("unknown"), [] {}).ok()); // not counted: no kind
        ex.shutdown();
        const ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.workers, 1);
        QCOMPARE(m.queueCapacity, 10);
        QCOMPARE(m.submitted, 5u);
        QCOMPARE(m.completed, 5u);
        QCOMPARE(m.runCount, 5u);
        QCOMPARE(m.waitCount, 5u);
        // Each run slept 20 ms: the median is at least that, less the estimator's 6.25 %.
        QVERIFY2(
            m.runP50Us >= 18750 && m.runP50Us < 5'000'000, qPrintable(QString::number(m.runP50Us)));
        QVERIFY(m.runP99Us >= m.runP50Us);
        // The fifth task waited for four runs before it: at least 80 ms.
        QVERIFY2(m.waitP99Us >= 75000, qPrintable(QString::number(m.waitP99Us)));
        QVERIFY(m.waitP50Us <= m.waitP99Us);
        QVERIFY(m.runSumUs >= 100000);
    }

    void kindsAreChecked()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::Exception));
        QVERIFY(ex.registerKind({ QStringLiteral("a"), TaskPriority::Low, {}, std::nullopt }).ok());
        QCOMPARE(ex.registerKind({ QStringLiteral("a"), TaskPriority::High, {}, std::nullopt })
                     .error()
                     .code,
            QStringLiteral("executor.duplicate_kind"));
        QCOMPARE(ex.registerKind({}).error().code, QStringLiteral("executor.bad_kind"));
        const auto r = ex.submit(QStringLiteral("b"), [] {});
        QCOMPARE(r.error().code, QStringLiteral("executor.unknown_kind"));
        QVERIFY(r.error().message.contains(QStringLiteral("\"b\"")));
        QCOMPARE(
            ex.submit(TaskPriority::Low, {}).error().code, QStringLiteral("executor.bad_task"));
    }

    void shutdownDrainRunsQueuedWork()
    {
        BoundedExecutor ex(config(1, 20, RejectionPolicy::Exception));
        QVERIFY(ex.registerKind({ QStringLiteral("maint"), TaskPriority::Background,
                                    { QStringLiteral("off") }, std::nullopt })
                    .ok());
        ex.setCondition(QStringLiteral("off"), true);
        Gate gate;
        occupy(ex, gate);
        std::atomic<int> ran { 0 };
        std::vector<TaskHandle> queued;
        for (int i = 0; i < 5; ++i)
            queued.push_back(ex.submit(TaskPriority::Low, [&] { ++ran; }).value());
        auto paused = ex.submit(QStringLiteral("maint"), [&] { ran += 100; }).value();
        std::thread stopper([&] { ex.shutdown(BoundedExecutor::ShutdownMode::Drain); });
        QTRY_VERIFY(ex.isShutDown());
        const auto late = ex.submit(TaskPriority::High, [] {});
        QCOMPARE(late.error().code, QStringLiteral("executor.shut_down"));
        gate.open();
        stopper.join();
        QCOMPARE(ran.load(), 5);
        QCOMPARE(toString(paused.status()), QStringLiteral("cancelled"));
        for (const TaskHandle &h : queued)
            QCOMPARE(toString(h.status()), QStringLiteral("finished"));
        ex.shutdown(); // idempotent
    }

    void shutdownCancelDropsQueuedWork()
    {
        BoundedExecutor ex(config(1, 1, RejectionPolicy::Block, 60000));
        Gate gate;
        TaskHandle running = occupy(ex, gate);
        auto queued = ex.submit(TaskPriority::Low, [] {}).value();
        // A submitter blocked on the full queue is woken by the shutdown with an error.
        std::atomic<bool> gotShutDown { false };
        std::thread submitter([&] {
            const auto r = ex.submit(TaskPriority::Low, [] {});
            gotShutDown = !r.ok() && r.error().code == QStringLiteral("executor.shut_down");
        });
        QTRY_COMPARE(ex.metrics().submitted, 3u);
        std::thread stopper([&] { ex.shutdown(BoundedExecutor::ShutdownMode::Cancel); });
        submitter.join();
        QVERIFY(gotShutDown);
        QTRY_COMPARE(toString(queued.status()), QStringLiteral("cancelled"));
        QCOMPARE(toString(running.status()), QStringLiteral("running")); // not interrupted
        gate.open();
        stopper.join();
        QCOMPARE(toString(running.status()), QStringLiteral("finished"));
        const ExecutorMetrics m = ex.metrics();
        QCOMPARE(m.cancelled, 1u);
        QCOMPARE(m.rejected, 1u);
        QCOMPARE(m.completed, 1u);
    }

    void policyNames()
    {
        for (auto p : { RejectionPolicy::Drop, RejectionPolicy::Block, RejectionPolicy::Exception,
                 RejectionPolicy::CallerRuns }) {
            RejectionPolicy back = RejectionPolicy::Drop;
            QVERIFY(parseRejectionPolicy(toString(p), &back));
            QCOMPARE(toString(back), toString(p));
        }
        RejectionPolicy unused;
        QVERIFY(!parseRejectionPolicy(QStringLiteral("DROP"), &unused));
        TaskPriority prio;
        QVERIFY(parseTaskPriority(QStringLiteral("background"), &prio));
        QCOMPARE(toString(prio), QStringLiteral("background"));
        QVERIFY(!parseTaskPriority(QStringLiteral("urgent"), &prio));
    }
};

QTEST_GUILESS_MAIN(tst_BoundedExecutor)
#include "tst_boundedexecutor.moc"
