#pragma once

#include "pipelines/daggraph.h"
#include "pipelines/pipelinerecords.h"

#include <QColor>
#include <QCoreApplication>
#include <QString>

namespace Shivx::Ui {

// The console's words and colours for the pipeline engine's states and triggers, which the
// engine spells as stable codes (pipelinerecords.h). Stage states show as the DAG view names
// and paints them, so that the tables and the drawing agree.
class PipelineWording
{
    Q_DECLARE_TR_FUNCTIONS(Shivx::Ui::PipelineWording)
public:
    static QString runState(RunState state);
    static QString attemptState(AttemptState state);
    static QString stageState(StageState state);
    // manual, schedule, retry; an unknown code as it came.
    static QString trigger(const QString &code);

    static DagNodeState dagState(StageState state);
    // Succeeded green, running and queued amber, dead letter red, the rest grey.
    static QColor runStateColor(RunState state);
};

} // namespace Shivx::Ui
