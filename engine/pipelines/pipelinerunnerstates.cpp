// A run's own state transitions: triggered (queued), activated within the pipeline's limit,
// finished (succeeded, cancelled, dead-lettered), and out of the dead-letter queue again.
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "pipelines/pipelinecatalog.h"
#include "pipelines/pipelinerunnershared.h"
#include "pipelines/stageprocess.h"

#include <QDir>
#include <QJsonObject>
#include <QTimer>

namespace Shivx {

using namespace RunnerShared;

Result<qint64> PipelineRunner::trigger(const QString &pipeline,
    const QMap<QString, QString> &params, const QString &trigger, const QString &actor)
{
    if (!m_store)
        return notRunning();
    const PipelineDefinition *def = m_catalog->find(pipeline);
    if (!def)
        return makeError("pipeline.unknown",
            QStringLiteral("there is no pipeline \"%1\"").arg(pipeline.left(80)), { pipeline });
    QMap<QString, QString> merged = def->params;
    for (auto it = params.begin(); it != params.end(); ++it) {
        if (!def->params.contains(it.key()))
            return makeError("pipeline.unknown_param",
                QStringLiteral("pipeline \"%1\" has no parameter \"%2\" (it has: %3)")
                    .arg(pipeline, it.key().left(80),
                        def->params.isEmpty() ? QStringLiteral("none")
                                              : def->params.keys().join(QStringLiteral(", "))),
                { pipeline, it.key() });
        merged.insert(it.key(), it.value());
    }
    Run run;
    run.rec.pipeline = def->name;
    run.rec.version = def->version;
    run.rec.file = def->file;
    run.rec.definition = def->source;
    run.rec.params = merged;
    run.rec.trigger = trigger;
    run.rec.actor = actor;
    run.rec.createdMs = m_clock->nowMs();
    run.rec.state = RunState::Queued;
    QStringList names;
    for (const StageDefinition &s : def->stages)
        names.append(s.name);
    const auto id = store()->createRun(run.rec, names);
    if (!id)
        return id.error();
    run.rec.id = *id;
    {
        QMutexLocker lock(&m_countersMutex);
        ++m_counters.runsCreated;
    }
    audit(streamFor(actor), actor, QStringLiteral("pipeline.run_created"),
        { { QStringLiteral("run"), *id }, { QStringLiteral("pipeline"), def->name },
            { QStringLiteral("version"), def->version }, { QStringLiteral("trigger"), trigger } });
    QList<StageRecord> stages;
    for (const QString &n : names)
        stages.append(StageRecord { *id, n, StageState::Pending, 0, 0, 0 });
    if (auto r = resume(run.rec, stages, {}, def); !r)
        return r.error();
    Q_EMIT runChanged(withoutDefinition(run.rec));
    activateQueued(def->name);
    flush(); // the operator's answer means it is stored
    return *id;
}

void PipelineRunner::activateQueued(const QString &pipeline)
{
    int active = 0;
    int maxActive = 1;
    for (const auto &[id, run] : m_runs)
        if (run.rec.pipeline == pipeline && run.rec.state == RunState::Running) {
            ++active;
            maxActive = run.def.maxActiveRuns;
        }
    if (const PipelineDefinition *def = m_catalog->find(pipeline))
        maxActive = def->maxActiveRuns;
    QList<qint64> waiting;
    for (const auto &[id, run] : m_runs)
        if (run.rec.pipeline == pipeline && run.rec.state == RunState::Queued && !run.cancelling)
            waiting.append(id);
    for (qint64 id : std::as_const(waiting)) {
        if (active >= maxActive)
            break;
        Run *run = findRun(id);
        if (!run)
            continue;
        if (!activate(*run, maxActive))
            break; // another engine's runs fill the pipeline: the next run's end tries again
        ++active;
    }
    pump();
}

Result<void> PipelineRunner::activate(Run &run, int maxActive)
{
    run.rec.startedMs = m_clock->nowMs();
    if (m_shared) {
        // The store decides across engines; a refused run stays queued.
        RunRecord running = run.rec;
        running.state = RunState::Running;
        const auto activated = store()->activateRun(running, maxActive);
        if (!activated) {
            const QString pipeline = run.rec.pipeline;
            if (activated.error().code == QLatin1String("pipeline.lease_held"))
                QTimer::singleShot(
                    2 * m_poll->interval(), this, [this, pipeline] { activateQueued(pipeline); });
            else
                noteStoreError(activated.error());
            return activated.error();
        }
        if (!*activated)
            return makeError("pipeline.max_active_runs",
                QStringLiteral("run %1 stays queued: %2 runs of pipeline %3 run on all engines")
                    .arg(run.rec.id)
                    .arg(maxActive)
                    .arg(run.rec.pipeline));
    }
    QDir().mkpath(QDir(runDir(run.rec.id)).filePath(QStringLiteral("work")));
    setRunState(run, RunState::Running);
    for (int i = 0; i < int(run.stages.size()); ++i)
        if (run.stages[i].rec.state == StageState::Pending && run.stages[i].waitingFor == 0)
            makeReady(run, i);
    return {};
}

void PipelineRunner::setRunState(Run &run, RunState state, const QString &error)
{
    run.rec.state = state;
    if (!error.isEmpty())
        run.rec.error = error;
    if (isFinished(state))
        run.rec.finishedMs = m_clock->nowMs();
    if (auto r = store()->updateRun(run.rec); !r)
        noteStoreError(r.error());
    Q_EMIT runChanged(withoutDefinition(run.rec));
    updateGauges();
}

void PipelineRunner::storeStage(Run &run, int idx)
{
    if (auto r = store()->updateStage(run.stages[idx].rec); !r)
        noteStoreError(r.error());
    Q_EMIT stageChanged(run.stages[idx].rec);
}

void PipelineRunner::finishRunIfDone(Run &run)
{
    if (run.rec.state != RunState::Running || run.running > 0)
        return;
    QString failedStage;
    for (const Stage &s : run.stages) {
        if (!isFinished(s.rec.state))
            return;
        if (s.rec.state == StageState::Failed && failedStage.isEmpty())
            failedStage = s.rec.stage;
    }
    const qint64 id = run.rec.id;
    const QString pipeline = run.rec.pipeline;
    RunRecord &rec = run.rec;
    if (run.cancelling) {
        rec.state = RunState::Cancelled;
        rec.error = QStringLiteral("cancelled");
    } else if (!failedStage.isEmpty()) {
        const Stage &f = run.stages[run.def.indexOf(failedStage)];
        rec.state = RunState::DeadLetter;
        rec.failedStage = failedStage;
        rec.error = QStringLiteral("stage %1 failed after %2 attempt(s): %3")
                        .arg(failedStage)
                        .arg(f.rec.attempts)
                        .arg(f.attempt.error);
    } else {
        rec.state = RunState::Succeeded;
    }
    rec.finishedMs = m_clock->nowMs();
    // With a shared store every engine that sees the last stage end comes here; the one whose
    // write ends the stored run audits it (on a store error this one does: better a doubtful
    // record than none).
    const auto ended = store()->finishRun(rec);
    if (!ended)
        noteStoreError(ended.error());
    const bool mine = !ended || *ended;
    if (!mine)
        if (const auto stored = m_store->run(id); stored && isFinished(stored->state))
            rec = *stored; // how the engine that ended it recorded it
    Q_EMIT runChanged(withoutDefinition(rec));
    if (mine) {
        QMutexLocker lock(&m_countersMutex);
        m_counters.runsFinished[toString(rec.state)] += 1;
        if (rec.state == RunState::DeadLetter)
            ++m_counters.deadLetter;
    }
    if (mine && rec.state == RunState::DeadLetter)
        audit(AuditStreams::resilience(), engineActor(), QStringLiteral("pipeline.dead_lettered"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), pipeline },
                { QStringLiteral("stage"), rec.failedStage },
                { QStringLiteral("error"), rec.error } });
    if (mine)
        audit(AuditStreams::resilience(), engineActor(), QStringLiteral("pipeline.run_finished"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), pipeline },
                { QStringLiteral("state"), toString(rec.state) } });
    m_runs.erase(id);
    updateGauges();
    // Not from inside pump(): it may be iterating the runs.
    QTimer::singleShot(0, this, [this, pipeline] { activateQueued(pipeline); });
}

Result<void> PipelineRunner::cancel(qint64 runId, const QString &actor)
{
    Run *run = findRun(runId);
    if (!run) {
        if (!m_store)
            return notRunning();
        if (auto r = m_store->run(runId); !r)
            return r.error();
        return makeError("pipeline.not_active",
            QStringLiteral("run %1 has finished already").arg(runId), { runId });
    }
    audit(streamFor(actor), actor, QStringLiteral("pipeline.run_cancel"),
        { { QStringLiteral("run"), runId }, { QStringLiteral("pipeline"), run->rec.pipeline } });
    run->cancelling = true;
    run->ready.clear();
    for (int i = 0; i < int(run->stages.size()); ++i) {
        Stage &s = run->stages[i];
        if (s.rec.state == StageState::Pending || s.rec.state == StageState::RetryWait) {
            s.rec.state = StageState::Cancelled;
            storeStage(*run, i);
        } else if (s.process) {
            s.process->stop(int(m_options.config.stopTimeoutMs));
        }
    }
    if (run->rec.state == RunState::Queued) {
        setRunState(*run, RunState::Cancelled, QStringLiteral("cancelled"));
        m_runs.erase(runId);
        flush(); // the operator's answer means it is stored
        return {};
    }
    finishRunIfDone(*run);
    flush(); // the operator's answer means it is stored
    return {};
}

Result<RunRecord> PipelineRunner::deadLetterRun(qint64 runId)
{
    if (!m_store)
        return notRunning();
    auto rec = m_store->run(runId);
    if (!rec)
        return rec.error();
    if (rec->state != RunState::DeadLetter)
        return makeError("pipeline.not_dead_letter",
            QStringLiteral("run %1 is %2, not in the dead-letter queue")
                .arg(runId)
                .arg(toString(rec->state)),
            { runId, toString(rec->state) });
    return rec;
}

Result<void> PipelineRunner::retryDeadLetter(qint64 runId, const QString &actor)
{
    auto rec = deadLetterRun(runId);
    if (!rec)
        return rec.error();
    auto stages = m_store->stages(runId);
    if (!stages)
        return stages.error();
    for (StageRecord &s : *stages) {
        if (s.state == StageState::Succeeded)
            continue; // a checkpoint: it stays done
        s.state = StageState::Pending;
        s.failures = 0;
        s.nextAttemptMs = 0;
        if (auto r = store()->updateStage(s); !r)
            return r.error();
    }
    rec->state = RunState::Queued;
    rec->error.clear();
    rec->failedStage.clear();
    rec->finishedMs = 0;
    if (auto r = store()->updateRun(*rec); !r)
        return r.error();
    {
        QMutexLocker lock(&m_countersMutex);
        --m_counters.deadLetter;
    }
    audit(AuditStreams::operatorActions(), actor, QStringLiteral("pipeline.dlq_retry"),
        { { QStringLiteral("run"), runId }, { QStringLiteral("pipeline"), rec->pipeline } });
    const QString pipeline = rec->pipeline;
    if (auto r = resume(*rec, *stages, {}); !r)
        return r;
    activateQueued(pipeline);
    flush(); // the operator's answer means it is stored
    return {};
}

Result<void> PipelineRunner::discardDeadLetter(qint64 runId, const QString &actor)
{
    auto rec = deadLetterRun(runId);
    if (!rec)
        return rec.error();
    rec->state = RunState::Discarded;
    if (auto r = store()->updateRun(*rec); !r)
        return r;
    {
        QMutexLocker lock(&m_countersMutex);
        --m_counters.deadLetter;
    }
    audit(AuditStreams::operatorActions(), actor, QStringLiteral("pipeline.dlq_discard"),
        { { QStringLiteral("run"), runId }, { QStringLiteral("pipeline"), rec->pipeline } });
    Q_EMIT runChanged(withoutDefinition(*rec));
    flush(); // the operator's answer means it is stored
    return {};
}

} // namespace Shivx
