#include "guardian/threatevent.h"

namespace Shivx {

QString toString(ThreatSeverity severity)
{
    switch (severity) {
    case ThreatSeverity::Info:
        return QStringLiteral("info");
    case ThreatSeverity::Warning:
        return QStringLiteral("warning");
    case ThreatSeverity::Critical:
        return QStringLiteral("critical");
    }
    return QStringLiteral("info");
}

std::optional<ThreatSeverity> parseThreatSeverity(const QString &text)
{
    const QString t = text.toLower();
    if (t == QLatin1String("info"))
        return ThreatSeverity::Info;
    if (t == QLatin1String("warning"))
        return ThreatSeverity::Warning;
    if (t == QLatin1String("critical"))
        return ThreatSeverity::Critical;
    return std::nullopt;
}

} // namespace Shivx
