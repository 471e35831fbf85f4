#pragma once

#include "api/apiroute.h"
#include "degradation/degradationsnapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Shivx {

class Clock;
class DegradationService;
class MetricRegistry;

namespace DegradationApi {

// The endpoints of docs/http-api.md: GET /api/degradation, GET /api/features,
// GET /api/features/NAME, POST /api/degradation/pin, POST /api/degradation/release.
// Handlers run on the API thread and call only the service's thread-safe methods; the
// service must outlive the API.
QList<ApiRoute> routes(DegradationService *service, Clock *clock);

QJsonObject stateJson(const DegradationSnapshot &s, qint64 nowMs);
QJsonObject featuresJson(const DegradationSnapshot &s);

// Registers shivx_degradation_* and shivx_feature_*, mirrored from the service's snapshot at
// each collection.
void registerMetrics(MetricRegistry &registry, const DegradationService *service);

} // namespace DegradationApi
} // namespace Shivx
