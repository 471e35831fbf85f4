#pragma once

#include "core/result.h"

#include <QString>

namespace Shivx::TimeUtil {

// "250ms", "5s", "1m", "2h", "7d", "1h30m". A bare number is rejected: the unit is the
// part operators most often get wrong, so it must be written.
Result<qint64> parseDurationMs(const QString &text);

// Inverse of parseDurationMs for display: 90000 -> "1m30s".
QString formatDurationMs(qint64 ms);

// RFC 3339 UTC with milliseconds: "2026-11-29T03:07:18.123Z".
QString toRfc3339(qint64 epochMs);

// Accepts RFC 3339 (any offset, optional fraction), a relative time from nowMs such as "-1h"
// or "-30d", "now", or a plain integer of epoch milliseconds.
Result<qint64> parseTimePoint(const QString &text, qint64 nowMs);

} // namespace Shivx::TimeUtil
