#pragma once

#include "api/apiroute.h"
#include "pipelines/pipelinerunner.h"

#include <QJsonObject>

namespace Shivx {

class Clock;
class PipelineService;

// The HTTP routes and metric families of pipelines (docs/http-api.md, "Pipelines").
namespace PipelinesApi {

QList<ApiRoute> routes(PipelineService *service, Clock *clock);
// Prometheus text: shivx_pipeline_* families from the runner's totals.
QByteArray metrics(const PipelineCounters &counters);

QJsonObject pipelineJson(const PipelineInfo &info, bool withStages);
QJsonObject runJson(const RunRecord &run);
QJsonObject runDetailJson(const RunDetail &detail);

} // namespace PipelinesApi

} // namespace Shivx
