#pragma once

#include "core/message.h"
#include "guardian/defensemode.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace Shivx {

// A source the API refuses (403) until `untilMs`, or until an operator releases it.
struct Isolation
{
    QString source; // an address in its usual text form
    qint64 sinceMs = 0;
    qint64 untilMs = 0; // ms since epoch, UTC
    QString reason; // English: the event that caused it, or the operator's words
    QString actor; // "engine" or the operator
};

// The guardian's state as a value, published by the controller after every change (the
// facade's snapshot(), the API's /api/guardian, the console's banner).
struct GuardianSnapshot
{
    bool running = false;
    DefenseMode mode = DefenseMode::Normal;
    DefenseMode floor = DefenseMode::Normal; // what an operator set; automatic steps stay above
    Message reason; // why the mode is what it is (guardian.mode.*)
    QString actor; // who changed it last
    qint64 changedMs = 0;
    qint64 nextStepDownMs = 0; // when the mode falls if all stays quiet; 0: it will not
    QList<Isolation> isolations; // in effect, soonest to end first
    // Counters since start, for /metrics.
    qint64 eventsInfo = 0, eventsWarning = 0, eventsCritical = 0;
    qint64 modeChanges = 0;
    qint64 isolationsTotal = 0;
    qint64 commandsRun = 0, commandsFailed = 0;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::Isolation)
Q_DECLARE_METATYPE(Shivx::GuardianSnapshot)
