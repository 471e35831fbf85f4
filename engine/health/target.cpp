#include "health/target.h"
#include "health/healthreport.h"

namespace Shivx {

QString toString(TargetKind kind)
{
    switch (kind) {
    case TargetKind::Http:
        return QStringLiteral("http");
    case TargetKind::Tcp:
        return QStringLiteral("tcp");
    case TargetKind::Process:
        return QStringLiteral("process");
    case TargetKind::Command:
        return QStringLiteral("command");
    case TargetKind::Prometheus:
        return QStringLiteral("prometheus");
    }
    return {};
}

QString toString(TargetState state)
{
    switch (state) {
    case TargetState::Unknown:
        return QStringLiteral("UNKNOWN");
    case TargetState::Up:
        return QStringLiteral("UP");
    case TargetState::Degraded:
        return QStringLiteral("DEGRADED");
    case TargetState::Down:
        return QStringLiteral("DOWN");
    }
    return {};
}

QString toString(HealthState state)
{
    switch (state) {
    case HealthState::Healthy:
        return QStringLiteral("healthy");
    case HealthState::Degraded:
        return QStringLiteral("degraded");
    case HealthState::Critical:
        return QStringLiteral("critical");
    }
    return {};
}

} // namespace Shivx
