#pragma once

#include "api/apiroute.h"
#include "integrity/integrityscanner.h"
#include "integrity/integritysnapshot.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Shivx {

class IntegrityService;

namespace IntegrityApi {

// The endpoints of docs/http-api.md: GET /api/integrity, GET /api/integrity/differences,
// GET /api/integrity/progress, POST /api/integrity/init, /check, /cancel and /accept (the
// POSTs need the token). Handlers run on the API thread and call only the service's
// thread-safe methods (accept blocks the API thread while the accepted paths are hashed).
QList<ApiRoute> routes(IntegrityService *service);

QJsonObject progressJson(const IntegrityProgress &p);
QJsonObject resultJson(const IntegrityResult &r, bool withDifferences);
QJsonObject differenceJson(const IntegrityDifference &d);
QJsonObject baselineJson(const IntegrityBaselineStatus &b);

} // namespace IntegrityApi
} // namespace Shivx
