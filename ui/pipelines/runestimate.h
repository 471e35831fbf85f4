#pragma once

#include "pipelines/pipelinedefinition.h"
#include "pipelines/pipelinerecords.h"

#include <QHash>
#include <QList>

namespace Shivx::Ui {

// How far a run has come and how long it will still take, for the Pipelines page's progress
// bar. Progress counts stages that reached a final state. The time left is the longest path
// through the stages not yet finished, each weighed with how long it took in an earlier run
// (less what a running stage has already spent): stages run in parallel where the DAG lets
// them, so summing the durations would overstate it. Pipeline and engine concurrency limits
// are not modelled; a stage without an earlier duration counts as the mean of the known ones.
struct RunEstimate
{
    int stagesDone = 0; // in a final state (succeeded, failed, skipped, cancelled)
    int stagesTotal = 0;
    qint64 remainingMs = -1; // -1: not known (no earlier durations)

    // Pure: the definition gives the graph, `stages` the states, `attempts` when the running
    // ones started (epoch ms), `previousMs` each stage's duration in an earlier run.
    static RunEstimate compute(const PipelineDefinition &definition,
        const QList<StageRecord> &stages, const QList<AttemptRecord> &attempts,
        const QHash<QString, qint64> &previousMs, qint64 nowMs);
    // Each stage's duration from its succeeded attempt in `attempts` (of one earlier run).
    static QHash<QString, qint64> durationsOf(const QList<AttemptRecord> &attempts);
};

} // namespace Shivx::Ui
