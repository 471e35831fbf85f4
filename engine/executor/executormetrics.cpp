#include "executor/executormetrics.h"

#include "telemetry/prometheusexposition.h"

namespace Shivx {

namespace {

void summary(PrometheusWriter &w, const char *name, const char *help, qint64 p50Us, qint64 p99Us,
    quint64 sumUs, quint64 count)
{
    const QByteArray base(name);
    w.family(name, "summary", help);
    w.sample(name, { { QStringLiteral("quantile"), QStringLiteral("0.5") } }, double(p50Us) / 1e6);
    w.sample(name, { { QStringLiteral("quantile"), QStringLiteral("0.99") } }, double(p99Us) / 1e6);
    w.sample((base + "_sum").constData(), double(sumUs) / 1e6);
    w.sample((base + "_count").constData(), double(count));
}

} // namespace

QByteArray renderExecutorMetrics(const ExecutorMetrics &m)
{
    PrometheusWriter w;
    // A family of one unlabelled sample.
    const auto single = [&w](const char *name, const char *type, const char *help, double v) {
        w.family(name, type, help);
        w.sample(name, v);
    };
    single(
        "shivx_executor_workers", "gauge", "Worker threads of the engine's executor.", m.workers);
    single("shivx_executor_queue_capacity", "gauge",
        "Tasks the executor's queue holds before its rejection policy applies.", m.queueCapacity);
    w.family(
        "shivx_executor_queue_depth", "gauge", "Tasks waiting in the queue, by priority class.");
    for (int p = TaskPriorityCount - 1; p >= 0; --p)
        w.sample("shivx_executor_queue_depth",
            { { QStringLiteral("priority"), toString(TaskPriority(p)) } },
            m.depthByPriority[size_t(p)]);
    single("shivx_executor_queue_paused", "gauge",
        "Tasks waiting in the queue whose kind or class is paused.", m.pausedDepth);
    w.family("shivx_executor_kind_paused", "gauge",
        "1 while a kind of work is paused (its work stays queued), else 0.");
    for (const WorkKindState &k : m.kinds)
        w.sample(
            "shivx_executor_kind_paused", { { QStringLiteral("kind"), k.name } }, k.paused ? 1 : 0);
    single("shivx_executor_tasks_running", "gauge", "Tasks running on the executor's workers.",
        m.running);
    single("shivx_executor_tasks_submitted_total", "counter", "Tasks submitted to the executor.",
        double(m.submitted));
    single("shivx_executor_tasks_completed_total", "counter", "Tasks that ran to the end.",
        double(m.completed));
    single("shivx_executor_tasks_rejected_total", "counter",
        "Tasks refused or dropped because the queue was full or the executor shut down.",
        double(m.rejected));
    single("shivx_executor_tasks_cancelled_total", "counter",
        "Queued tasks cancelled before they started.", double(m.cancelled));
    summary(w, "shivx_executor_wait_seconds", "Time tasks waited in the queue before starting.",
        m.waitP50Us, m.waitP99Us, m.waitSumUs, m.waitCount);
    summary(w, "shivx_executor_run_seconds", "Time tasks ran.", m.runP50Us, m.runP99Us, m.runSumUs,
        m.runCount);
    return w.take();
}

} // namespace Shivx
