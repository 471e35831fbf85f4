#pragma once

#include "api/apiroute.h"
#include "guardian/detectors/threatscore.h"
#include "guardian/guardiansnapshot.h"
#include "guardian/threatevent.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>

namespace Shivx {

class Clock;
class GuardianApiGuard;
class GuardianService;

namespace GuardianApi {

// The endpoints of docs/http-api.md: GET /api/guardian, GET /api/guardian/threats,
// POST /api/guardian/mode, /api/guardian/isolate and /api/guardian/release. Handlers run on
// the API thread and call only the service's thread-safe methods; the service must outlive
// the API.
QList<ApiRoute> routes(GuardianService *service, Clock *clock);

QJsonObject statusJson(const GuardianSnapshot &s, qint64 nowMs);
QJsonObject threatJson(const ThreatRecord &r);
QJsonObject isolationJson(const Isolation &i, qint64 nowMs);
// {score, class, at, features: [{name, points, max_points, detail: {code, text, args}}]}
QJsonObject assessmentJson(const ThreatAssessment &a);

} // namespace GuardianApi
} // namespace Shivx
