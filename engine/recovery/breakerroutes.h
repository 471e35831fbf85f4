#pragma once

#include "api/apiroute.h"
#include "recovery/circuitbreaker.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Shivx {

class BreakerRegistry;

// GET /api/breakers and POST /api/breakers/{name}/force (token required); see
// docs/http-api.md. The handlers run on the API thread; the registry is thread-safe and
// must outlive the API.
QList<ApiRoute> breakerRoutes(BreakerRegistry *registry);

// One breaker as the API shows it.
QJsonObject breakerToJson(const BreakerSnapshot &snapshot);

// Prometheus families shivx_breaker_state, shivx_breaker_calls_total,
// shivx_breaker_failures_total and shivx_breaker_rejections_total, labelled by breaker.
QByteArray renderBreakerMetrics(const QList<BreakerSnapshot> &breakers);

} // namespace Shivx
