#include "degradation/degradationlevel.h"

namespace Shivx {

QString toString(DegradationLevel level)
{
    switch (level) {
    case DegradationLevel::Normal:
        return QStringLiteral("NORMAL");
    case DegradationLevel::Level1:
        return QStringLiteral("LEVEL_1");
    case DegradationLevel::Level2:
        return QStringLiteral("LEVEL_2");
    case DegradationLevel::Level3:
        return QStringLiteral("LEVEL_3");
    case DegradationLevel::Emergency:
        return QStringLiteral("EMERGENCY");
    }
    return {};
}

std::optional<DegradationLevel> parseDegradationLevel(const QString &text)
{
    const QString t = text.trimmed();
    for (DegradationLevel level : allDegradationLevels()) {
        if (t.compare(toString(level), Qt::CaseInsensitive) == 0
            || t == QString::number(levelValue(level)))
            return level;
    }
    return std::nullopt;
}

QList<DegradationLevel> allDegradationLevels()
{
    return { DegradationLevel::Normal, DegradationLevel::Level1, DegradationLevel::Level2,
        DegradationLevel::Level3, DegradationLevel::Emergency };
}

DegradationLevel degradationLevelFromValue(int value)
{
    return static_cast<DegradationLevel>(qBound(0, value, degradationLevelCount - 1));
}

} // namespace Shivx
