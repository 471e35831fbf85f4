#pragma once

#include "api/apiroute.h"
#include "recovery/circuitbreaker.h"
#include "recovery/processsnapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Shivx {

class Clock;
class MetricRegistry;
class RecoveryService;

// Recovery's part of the HTTP API and of /metrics (docs/http-api.md):
//   GET  /api/breakers                             every circuit breaker
//   POST /api/breakers/NAME/force                  {"state": open|closed|auto} (token)
//   GET  /api/processes                            every supervised process
//   POST /api/processes/NAME/start|stop|restart    (token); 404 for unknown names
// POST bodies may name the person a client acts for ({"actor": "cli:alice"}).
// Handlers run on the API thread and call only the service's thread-safe methods; the
// service must outlive the API.
namespace RecoveryApi {

QList<ApiRoute> routes(RecoveryService *service, Clock *clock);

QJsonObject breakerJson(const BreakerSnapshot &snapshot);
QJsonObject processJson(const ProcessSnapshot &snapshot, qint64 nowMs);

// Registers shivx_breaker_* labelled by breaker and shivx_supervised_process_* by process,
// mirrored from the service's snapshots at each collection.
void registerMetrics(MetricRegistry &registry, const RecoveryService *service);

} // namespace RecoveryApi
} // namespace Shivx
