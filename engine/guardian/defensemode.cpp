#include "guardian/defensemode.h"

namespace Shivx {

QString toString(DefenseMode mode)
{
    switch (mode) {
    case DefenseMode::Normal:
        return QStringLiteral("NORMAL");
    case DefenseMode::Elevated:
        return QStringLiteral("ELEVATED");
    case DefenseMode::Lockdown:
        return QStringLiteral("LOCKDOWN");
    }
    return QStringLiteral("NORMAL");
}

std::optional<DefenseMode> parseDefenseMode(const QString &text)
{
    const QString t = text.toUpper();
    if (t == QLatin1String("NORMAL"))
        return DefenseMode::Normal;
    if (t == QLatin1String("ELEVATED"))
        return DefenseMode::Elevated;
    if (t == QLatin1String("LOCKDOWN"))
        return DefenseMode::Lockdown;
    return std::nullopt;
}

} // namespace Shivx
