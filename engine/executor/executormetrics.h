#pragma once

#include "executor/boundedexecutor.h"

#include <functional>

namespace Shivx {

class MetricRegistry;

// Registers the executor's families (base units): shivx_executor_workers, _queue_capacity,
// _queue_depth{priority}, _queue_paused, _kind_paused{kind}, _tasks_running,
// _tasks_{submitted,completed,rejected,cancelled}_total, and the summaries _wait_seconds and
// _run_seconds (quantiles 0.5 and 0.99 since the executor started, with _sum and _count).
// They mirror what `input` returns at each collection, on the collecting thread
// (BoundedExecutor::metrics() is thread-safe).
void registerExecutorMetrics(MetricRegistry &registry, std::function<ExecutorMetrics()> input);

} // namespace Shivx
