#pragma once

#include "executor/boundedexecutor.h"

#include <QByteArray>

namespace Shivx {

// The executor's families for /metrics (Prometheus text, base units): shivx_executor_workers,
// _queue_capacity, _queue_depth{priority}, _queue_paused, _kind_paused{kind}, _tasks_running,
// _tasks_{submitted,completed,rejected,cancelled}_total, and the summaries
// _wait_seconds and _run_seconds (quantiles 0.5 and 0.99, with _sum and _count).
QByteArray renderExecutorMetrics(const ExecutorMetrics &m);

} // namespace Shivx
