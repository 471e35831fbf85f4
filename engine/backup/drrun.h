#pragma once

#include "core/message.h"

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Shivx {

// One step of a DR run as the console and the API show it.
struct DrStepRun
{
    QString name;
    QString action;
    QString onFailure; // abort | continue | rollback
    QString state = QStringLiteral("pending"); // pending | running | succeeded | failed |
                                               // skipped | rolled_back
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    Message message; // the outcome in one line: a code the console words, and English
    QStringList log; // what the step did, line by line (commands' output included)
};

// One activation of a DR plan: plain value, copied across threads. The final report is this
// value once `state` is no longer running; recoveryMs is the measured recovery time.
struct DrRun
{
    qint64 id = 0;
    QString plan;
    bool dryRun = false;
    QString actor;
    QString state; // running | succeeded | failed | aborted | rolled_back
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    qint64 recoveryMs = 0; // finishedMs - startedMs, once finished
    int currentStep = -1;
    QList<DrStepRun> steps;
    bool finished() const { return state != QLatin1String("running"); }
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::DrRun)
