#pragma once

#include "alerting/alertinstance.h"

#include <QList>
#include <QMetaType>

namespace Shivx {

// What alerting shows at one moment: the pending and firing alerts (inhibited and silenced
// ones included, marked), the silences in effect, and the health score's forecast.
struct AlertingSnapshot
{
    bool running = false;
    int rules = 0;
    QList<AlertInstance> alerts;
    QList<AlertSilence> silences; // active or in the future
    HealthForecast forecast;
    qint64 evaluatedAtMs = 0;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::AlertingSnapshot)
