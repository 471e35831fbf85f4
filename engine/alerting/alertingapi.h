#pragma once

#include "alerting/alertingsnapshot.h"
#include "api/apiroute.h"

#include <QJsonObject>
#include <QList>

namespace Shivx {

class AlertNotifier;
class AlertingService;
class Clock;
class MetricRegistry;

// Alerting's part of the HTTP API (docs/http-api.md):
//   GET  /api/alerts                          pending and firing alerts, silences, forecast
//   GET  /api/alerts/history?limit=&rule=     transitions, newest first
//   POST /api/alerts/silences                 {"matchers": {...}, "duration": "2h", "comment"}
//   (token) POST /api/alerts/silences/ID/expire       (token) POST /api/alerts/ack {"fingerprint":
//   "..."} (token)
// Handlers run on the API thread; the service outlives the API.
namespace AlertingApi {

QList<ApiRoute> routes(AlertingService *service, Clock *clock);
QJsonObject alertJson(const AlertInstance &a);
QJsonObject snapshotJson(const AlertingSnapshot &s, qint64 nowMs);

// shivx_alerts (by state and severity), shivx_alerting_rules, shivx_health_forecast_*.
void registerMetrics(MetricRegistry &registry, const AlertingService *service);
// shivx_alerting_notifications_total{notifier,result} and shivx_alerting_notifier_breaker_open.
void registerNotifierMetrics(MetricRegistry &registry, const QList<AlertNotifier *> &notifiers);

} // namespace AlertingApi
} // namespace Shivx
