// Several engines on one shared job store (PostgreSQL): no engine owns a run. Each claims the
// ready stages it can (the store lets exactly one claim win), learns every poll interval what
// the others stored (runs they created, stages they finished, attempts they started), and
// takes over the attempts of an engine whose leases expired. docs/pipelines.md, "Several
// engines".
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "pipelines/pipelinerunnershared.h"
#include "pipelines/stageprocess.h"

#include <QJsonObject>
#include <QSet>
#include <QTimer>

namespace Shivx {

using namespace RunnerShared;

void PipelineRunner::startPolling()
{
    m_poll = new QTimer(this);
    m_poll->setInterval(int(qBound(qint64(200), m_options.config.leaseMs / 10, qint64(1000))));
    connect(m_poll, &QTimer::timeout, this, &PipelineRunner::pollShared);
    m_poll->start();
    // Another engine's commit: look soon rather than at the next poll. Notifications come
    // with every batch another engine commits, so they are folded into one look per 20 ms.
    auto *soon = new QTimer(this);
    soon->setSingleShot(true);
    soon->setInterval(20);
    connect(soon, &QTimer::timeout, this, &PipelineRunner::pollShared);
    m_store->setChangeListener([soon] {
        if (!soon->isActive())
            soon->start();
    });
}

void PipelineRunner::pollShared()
{
    if (!m_store || m_shuttingDown)
        return;
    const auto running = m_store->runningAttempts();
    RunFilter open;
    open.states = { RunState::Running, RunState::Queued };
    open.limit = 0;
    const auto runs = m_store->runs(open);
    if (!running || !runs) {
        noteStoreError(!running ? running.error() : runs.error());
        return;
    }
    QHash<qint64, QHash<QString, AttemptRecord>> byRun;
    for (const AttemptRecord &a : *running)
        byRun[a.runId].insert(a.stage, a);
    QSet<qint64> stillOpen;
    // Oldest first, as start() resumes them, so that they keep their order for the limits.
    for (auto it = runs->crbegin(); it != runs->crend(); ++it) {
        stillOpen.insert(it->id);
        if (findRun(it->id))
            continue;
        // Another engine created it (or retried it out of the dead-letter queue).
        const auto rec = m_store->run(it->id);
        const auto stages = m_store->stages(it->id);
        if (!rec || !stages)
            continue; // pruned meanwhile, or the store failed: the next poll tries again
        const QString pipeline = rec->pipeline;
        if (auto r = resume(*rec, *stages, byRun.value(it->id)); !r)
            noteStoreError(r.error());
        if (rec->state == RunState::Queued)
            activateQueued(pipeline);
    }
    QList<qint64> local;
    for (const auto &[id, run] : m_runs)
        local.append(id);
    for (qint64 id : std::as_const(local)) {
        Run *run = findRun(id);
        if (!run)
            continue;
        if (!stillOpen.contains(id)) {
            // Finished by another engine (succeeded, cancelled, dead-lettered).
            const auto rec = m_store->run(id);
            if (!rec || !isFinished(rec->state))
                continue;
            if (run->running == 0) {
                Q_EMIT runChanged(withoutDefinition(*rec));
                m_runs.erase(id);
                updateGauges();
                continue;
            }
            run->cancelling = true; // what still runs here ends as cancelled
            run->ready.clear();
            for (Stage &s : run->stages)
                if (s.process)
                    s.process->stop(int(m_options.config.stopTimeoutMs));
            continue;
        }
        if (const auto stages = m_store->stages(id))
            reconcile(*run, *stages, byRun.value(id));
    }
    updateGauges();
}

void PipelineRunner::reconcile(
    Run &run, const QList<StageRecord> &stored, const QHash<QString, AttemptRecord> &running)
{
    const qint64 id = run.rec.id;
    const qint64 now = m_clock->nowMs();
    // First every stage's stored state, then what that frees: settling one stage must not
    // start a dependent that another engine already runs and this loop has not seen yet.
    QList<int> finished;
    QList<int> retry;
    QList<int> pending;
    for (const StageRecord &sr : stored) {
        const int idx = run.def.indexOf(sr.stage);
        if (idx < 0)
            continue;
        Stage &s = run.stages[idx];
        if (s.process || s.leftover)
            continue; // this engine runs it: its own writes are the truth
        const auto attempt = running.constFind(sr.stage);
        const bool expired = attempt != running.cend() && attempt->leaseUntilMs <= now;
        if (sr.state == s.rec.state && sr.attempts == s.rec.attempts && !expired)
            continue;
        const bool wasFinished = isFinished(s.rec.state);
        s.rec = sr;
        s.remote = false;
        run.ready.erase(std::remove(run.ready.begin(), run.ready.end(), idx), run.ready.end());
        if (sr.state == StageState::Running) {
            if (attempt != running.cend())
                adoptRunning(run, idx, *attempt);
            else
                s.remote = true; // its attempt shows up with the next poll
            if (s.leftover)
                stopLeftover(run, idx);
        } else if (isFinished(sr.state) && !wasFinished) {
            finished.append(idx);
        } else if (sr.state == StageState::RetryWait) {
            retry.append(idx);
        } else if (sr.state == StageState::Pending) {
            pending.append(idx); // the other engine stopped; its attempt was interrupted
        }
        Q_EMIT stageChanged(s.rec);
    }
    if (!finished.isEmpty()) {
        // What downstream stages see of them: their artifacts and artifact folders.
        if (const auto attempts = m_store->attempts(id))
            for (const AttemptRecord &a : *attempts)
                if (a.state == AttemptState::Succeeded && !a.artifactsDir.isEmpty())
                    run.artifactDirs.insert(a.stage, a.artifactsDir);
        if (const auto artifacts = m_store->artifacts(id)) {
            run.artifacts.clear();
            for (const ArtifactRecord &a : *artifacts)
                run.artifacts[a.stage].append(a);
        }
    }
    for (int idx : std::as_const(retry))
        retryAfter(id, idx, run.stages[idx].rec.nextAttemptMs - now);
    for (int idx : std::as_const(finished))
        if (findRun(id))
            settleStage(run, idx);
    for (int idx : std::as_const(pending))
        if (findRun(id) && run.rec.state == RunState::Running && run.stages[idx].waitingFor == 0
            && run.stages[idx].rec.state == StageState::Pending)
            makeReady(run, idx);
    if (findRun(id))
        finishRunIfDone(run);
}

} // namespace Shivx
