#pragma once

#include "health/healthreport.h"
#include "health/hostsample.h"
#include "health/target.h"

#include <QJsonArray>
#include <QJsonObject>

// JSON shapes of the health endpoints (documented in docs/http-api.md).
namespace Shivx::HealthJson {

QJsonObject status(const HealthReport &report, bool verbose);
QJsonObject readiness(const Readiness &readiness);
QJsonArray targets(const QList<TargetStatus> &targets);
QJsonObject host(const HostSample &sample);

} // namespace Shivx::HealthJson
