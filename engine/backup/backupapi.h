#pragma once

#include "api/apiroute.h"
#include "backup/backupstate.h"

#include <QJsonObject>

namespace Shivx {

class BackupService;
class Clock;
class MetricRegistry;

// The backup runtime's HTTP API (docs/http-api.md, "Backups") and its shivx_backup_* metric
// families (docs/metrics.md). Handlers run on the API thread and use the service's thread-safe
// methods only.
namespace BackupApi {

QJsonObject operationJson(const BackupOperation &op);
QJsonObject stateJson(const BackupState &state, qint64 nowMs);
QList<ApiRoute> routes(BackupService *service, Clock *clock);
// Per set: last success time and age (the BackupOverdue alert's series), duration, bytes
// added, dedup ratio, drill RTO/RPO; the last verify's result; operations running.
void registerMetrics(MetricRegistry &registry, const BackupService *service, Clock *clock);

} // namespace BackupApi

} // namespace Shivx
