#include "pipelines/pipelinewording.h"

#include "pipelines/dagview.h"
#include "widgets/statuscolors.h"

namespace Shivx::Ui {

QString PipelineWording::runState(RunState state)
{
    switch (state) {
    case RunState::Queued:
        return tr("Queued");
    case RunState::Running:
        return tr("Running");
    case RunState::Succeeded:
        return tr("Succeeded");
    case RunState::DeadLetter:
        return tr("Dead letter");
    case RunState::Cancelled:
        return tr("Cancelled");
    case RunState::Discarded:
        return tr("Discarded");
    }
    return QString();
}

QString PipelineWording::attemptState(AttemptState state)
{
    switch (state) {
    case AttemptState::Running:
        return tr("Running");
    case AttemptState::Succeeded:
        return tr("Succeeded");
    case AttemptState::Failed:
        return tr("Failed");
    case AttemptState::TimedOut:
        return tr("Timed out");
    case AttemptState::Interrupted:
        return tr("Interrupted");
    case AttemptState::Cancelled:
        return tr("Cancelled");
    }
    return QString();
}

QString PipelineWording::stageState(StageState state)
{
    return DagView::stateName(dagState(state));
}

QString PipelineWording::trigger(const QString &code)
{
    if (code == QLatin1String("manual"))
        return tr("manual");
    if (code == QLatin1String("schedule"))
        return tr("schedule");
    if (code == QLatin1String("retry"))
        return tr("retry");
    return code;
}

DagNodeState PipelineWording::dagState(StageState state)
{
    switch (state) {
    case StageState::Pending:
        return DagNodeState::Pending;
    case StageState::Running:
        return DagNodeState::Running;
    case StageState::RetryWait:
        return DagNodeState::Retrying;
    case StageState::Succeeded:
        return DagNodeState::Succeeded;
    case StageState::Failed:
        return DagNodeState::Failed;
    case StageState::Skipped:
        return DagNodeState::Skipped;
    case StageState::Cancelled:
        return DagNodeState::Cancelled;
    }
    return DagNodeState::Pending;
}

QColor PipelineWording::runStateColor(RunState state)
{
    switch (state) {
    case RunState::Succeeded:
        return StatusColors::ok();
    case RunState::Queued:
    case RunState::Running:
        return StatusColors::warning();
    case RunState::DeadLetter:
        return StatusColors::critical();
    case RunState::Cancelled:
    case RunState::Discarded:
        break;
    }
    return StatusColors::unknown();
}

} // namespace Shivx::Ui
