#pragma once

#include "api/apiroute.h"
#include "backup/drplan.h"
#include "backup/drrun.h"

#include <QJsonObject>

namespace Shivx {

class BackupService;

// DR plans over HTTP (docs/http-api.md, "DR plans"): list and show plans, activate one (token,
// the plan's name typed again as `confirm`, as the console asks), follow and abort a run.
namespace DrApi {

QJsonObject planJson(const DrPlan &plan, bool withSteps);
QJsonObject runJson(const DrRun &run);
QList<ApiRoute> routes(BackupService *service);

} // namespace DrApi

} // namespace Shivx
