#pragma once

#include <QMetaType>
#include <QString>

#include <optional>

namespace Shivx {

// How hard the engine defends itself (docs/guardian.md): NORMAL watches; ELEVATED watches
// and acts on policies as configured; LOCKDOWN refuses every API request from beyond
// loopback but liveness and readiness, and stops supervised targets marked external.
enum class DefenseMode { Normal = 0, Elevated = 1, Lockdown = 2 };
QString toString(DefenseMode mode); // "NORMAL", "ELEVATED", "LOCKDOWN"
std::optional<DefenseMode> parseDefenseMode(const QString &text); // case-insensitive

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::DefenseMode)
