#pragma once

#include <QList>
#include <QMetaType>
#include <QString>

#include <optional>

namespace Shivx {

// How far the installation sheds load, from full service to core-only. The numeric value
// (0-4) is what /metrics and the `degradation.level` history series carry; a higher value is
// always worse, so comparisons read "level > DegradationLevel::Level1".
enum class DegradationLevel { Normal = 0, Level1 = 1, Level2 = 2, Level3 = 3, Emergency = 4 };

constexpr int degradationLevelCount = 5;

// Stable codes for the API, the audit log and the configuration: "NORMAL", "LEVEL_1",
// "LEVEL_2", "LEVEL_3", "EMERGENCY".
QString toString(DegradationLevel level);
// Accepts the codes above in any letter case, and the numbers 0-4.
std::optional<DegradationLevel> parseDegradationLevel(const QString &text);
QList<DegradationLevel> allDegradationLevels();
inline int levelValue(DegradationLevel level)
{
    return static_cast<int>(level);
}
// Clamps out-of-range values (e.g. from a damaged history series) to NORMAL or EMERGENCY.
DegradationLevel degradationLevelFromValue(int value);

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::DegradationLevel)
