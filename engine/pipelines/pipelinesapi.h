#pragma once

#include "api/apiroute.h"
#include "pipelines/pipelinerunner.h"

#include <QJsonObject>

namespace Shivx {

class Clock;
class MetricRegistry;
class PipelineService;

// The HTTP routes and metric families of pipelines (docs/http-api.md, "Pipelines").
namespace PipelinesApi {

QList<ApiRoute> routes(PipelineService *service, Clock *clock);
// Registers the shivx_pipeline_* families, mirrored from what `counters` returns at each
// collection (on the collecting thread; PipelineService::counters() is thread-safe).
void registerMetrics(MetricRegistry &registry, std::function<PipelineCounters()> counters);

QJsonObject pipelineJson(const PipelineInfo &info, bool withStages);
QJsonObject runJson(const RunRecord &run);
QJsonObject runDetailJson(const RunDetail &detail);

} // namespace PipelinesApi

} // namespace Shivx
