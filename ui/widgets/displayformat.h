#pragma once

#include "core/engine.h"
#include "degradation/degradationlevel.h"
#include "health/healthreport.h"
#include "health/target.h"

#include <QCoreApplication>
#include <QString>

namespace Shivx::Ui {

// Wording and number formatting shared by the pages. The engine's toString() values are
// stable codes for logs and the API; what the operator reads is translated here.
class DisplayFormat
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Ui::DisplayFormat)
public:
    // Shown where a value is not known yet.
    static QString noValue();

    static QString bytes(quint64 bytes);
    static QString bytesPerSecond(double bytesPerSecond);
    static QString percent(double percent, int decimals = 1);
    static QString latencyMs(double ms);
    // Local wall-clock time of an epoch-millisecond timestamp, "—" for 0.
    static QString timeOfDay(qint64 epochMs);
    static QString dateTime(qint64 epochMs);
    // How long before `nowMs` the time `epochMs` was, for tables that tick: "12 s ago",
    // "3 min ago", "2 h ago"; a day or more ago, the local date and time to the minute
    // ("2026-12-05 14:03"). A time after nowMs (clocks apart) reads "0 s ago"; "—" for 0.
    static QString relativeAge(qint64 epochMs, qint64 nowMs);
    // The absolute UTC time behind a relative age, for its tooltip and for Copy and Export:
    // ISO 8601 with milliseconds, "2026-12-05T14:03:07.123Z"; empty for 0.
    static QString utcTime(qint64 epochMs);

    static QString targetState(TargetState state);
    static QString targetKind(TargetKind kind);
    static QString healthState(HealthState state);
    static QString engineState(EngineState state);
    static QString breakerState(BreakerState state);
    // "Automatic", "Forced open", "Forced closed".
    static QString breakerForce(BreakerForce force);
    // A length of time for reading, to the second: "45 s", "3 min 12 s", "2 h 5 min".
    static QString duration(qint64 ms);
    static QString degradationLevel(DegradationLevel level);
    // One line on what the level means for the services that poll it.
    static QString degradationMeaning(DegradationLevel level);
};

} // namespace Shivx::Ui
