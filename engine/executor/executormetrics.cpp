#include "executor/executormetrics.h"

#include "telemetry/metricregistry.h"

#include <QSet>

namespace Shivx {

void registerExecutorMetrics(MetricRegistry &registry, std::function<ExecutorMetrics()> input)
{
    MetricRegistry &r = registry;
    Gauge workers = r.gauge(QStringLiteral("shivx_executor_workers"),
                         QStringLiteral("Worker threads of the engine's executor."))
                        ->gauge();
    Gauge capacity = r.gauge(QStringLiteral("shivx_executor_queue_capacity"),
                          QStringLiteral("Tasks the executor's queue holds before its rejection "
                                         "policy applies."))
                         ->gauge();
    MetricFamily *depth = r.gauge(QStringLiteral("shivx_executor_queue_depth"),
        QStringLiteral("Tasks waiting in the queue, by priority class."),
        { QStringLiteral("priority") });
    std::array<Gauge, TaskPriorityCount> depthByPriority;
    for (int p = TaskPriorityCount - 1; p >= 0; --p)
        depthByPriority[size_t(p)] = depth->gauge({ toString(TaskPriority(p)) });
    Gauge paused = r.gauge(QStringLiteral("shivx_executor_queue_paused"),
                        QStringLiteral("Tasks waiting in the queue whose kind or class is paused."))
                       ->gauge();
    MetricFamily *kindPaused = r.gauge(QStringLiteral("shivx_executor_kind_paused"),
        QStringLiteral("1 while a kind of work is paused (its work stays queued), else 0."),
        { QStringLiteral("kind") });
    Gauge running = r.gauge(QStringLiteral("shivx_executor_tasks_running"),
                         QStringLiteral("Tasks running on the executor's workers."))
                        ->gauge();
    Counter submitted = r.counter(QStringLiteral("shivx_executor_tasks_submitted_total"),
                             QStringLiteral("Tasks submitted to the executor."))
                            ->counter();
    Counter completed = r.counter(QStringLiteral("shivx_executor_tasks_completed_total"),
                             QStringLiteral("Tasks that ran to the end."))
                            ->counter();
    Counter rejected = r.counter(QStringLiteral("shivx_executor_tasks_rejected_total"),
                            QStringLiteral("Tasks refused or dropped because the queue was full "
                                           "or the executor shut down."))
                           ->counter();
    Counter cancelled = r.counter(QStringLiteral("shivx_executor_tasks_cancelled_total"),
                             QStringLiteral("Queued tasks cancelled before they started."))
                            ->counter();
    const QList<double> quantiles { 0.5, 0.99 };
    Summary wait
        = r.summary(QStringLiteral("shivx_executor_wait_seconds"),
               QStringLiteral("Time tasks waited in the queue before starting."), {}, quantiles)
              ->summary();
    Summary run = r.summary(QStringLiteral("shivx_executor_run_seconds"),
                       QStringLiteral("Time tasks ran."), {}, quantiles)
                      ->summary();
    r.addCollector([=, input = std::move(input)]() mutable {
        const ExecutorMetrics m = input();
        workers.set(m.workers);
        capacity.set(m.queueCapacity);
        for (size_t p = 0; p < depthByPriority.size(); ++p)
            depthByPriority[p].set(m.depthByPriority[p]);
        paused.set(m.pausedDepth);
        QSet<QString> kinds;
        for (const WorkKindState &k : m.kinds) {
            kindPaused->gauge({ k.name }).set(k.paused ? 1 : 0);
            kinds.insert(k.name);
        }
        kindPaused->retain([&](const QStringList &v) { return kinds.contains(v.value(0)); });
        running.set(m.running);
        submitted.advanceTo(double(m.submitted));
        completed.advanceTo(double(m.completed));
        rejected.advanceTo(double(m.rejected));
        cancelled.advanceTo(double(m.cancelled));
        wait.set(m.waitCount, double(m.waitSumUs) / 1e6,
            { double(m.waitP50Us) / 1e6, double(m.waitP99Us) / 1e6 });
        run.set(m.runCount, double(m.runSumUs) / 1e6,
            { double(m.runP50Us) / 1e6, double(m.runP99Us) / 1e6 });
    });
}

} // namespace Shivx
