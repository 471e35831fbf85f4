// The end of an attempt: its outcome, artifacts, retry under the stage's policy or the
// stage's final state, and what that frees downstream.
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "pipelines/pipelinerunnershared.h"
#include "pipelines/stageprocess.h"
#include "recovery/retrypolicy.h"

#include <QJsonObject>
#include <QTimer>

#include <limits>

namespace Shivx {

using namespace RunnerShared;

void PipelineRunner::onProcessFinished(
    qint64 runId, int idx, int exitCode, int signal, bool timedOut, const QString &error)
{
    Run *run = findRun(runId);
    if (!run)
        return;
    Stage &s = run->stages[idx];
    if (s.process) {
        s.process->deleteLater();
        s.process = nullptr;
    }
    Outcome o;
    o.exitCode = exitCode;
    o.signal = signal;
    if (run->cancelling) {
        o.state = AttemptState::Cancelled;
        o.error = QStringLiteral("cancelled");
    } else if (timedOut) {
        o.state = AttemptState::TimedOut;
        o.error = QStringLiteral("timed out after %1 ms: its process group was killed")
                      .arg(run->def.stages.at(idx).timeoutMs);
    } else if (!error.isEmpty()) {
        o.state = AttemptState::Failed;
        o.error = error;
    } else if (signal != 0) {
        o.state = AttemptState::Failed;
        o.error = QStringLiteral("killed by signal %1").arg(signal);
    } else if (exitCode != 0) {
        o.state = AttemptState::Failed;
        o.error = QStringLiteral("exited with code %1").arg(exitCode);
    } else {
        o.state = AttemptState::Succeeded;
    }
    endAttempt(*run, idx, o);
    // The end of this turn: the outcome and the claims of what it freed become durable
    // together, and those stages start now rather than after the next queued event.
    flush();
}

void PipelineRunner::endAttempt(Run &run, int idx, const Outcome &outcome)
{
    Stage &s = run.stages[idx];
    const StageDefinition &def = run.def.stages.at(idx);
    --run.running;
    --m_running;
    Outcome o = outcome;
    QList<ArtifactRecord> artifacts;
    if (o.state == AttemptState::Succeeded) {
        QString problem;
        artifacts = collectArtifacts(run, idx, &problem);
        if (!problem.isEmpty()) {
            o.state = AttemptState::Failed;
            o.error = problem;
        }
    }
    s.attempt.state = o.state;
    s.attempt.exitCode = o.exitCode;
    s.attempt.signal = o.signal;
    s.attempt.error = o.error;
    s.attempt.finishedMs = m_clock->nowMs();
    qint64 retryDelay = -1;
    switch (o.state) {
    case AttemptState::Succeeded:
        s.rec.state = StageState::Succeeded;
        run.artifacts.insert(s.rec.stage, artifacts);
        if (!s.attempt.artifactsDir.isEmpty())
            run.artifactDirs.insert(s.rec.stage, s.attempt.artifactsDir);
        break;
    case AttemptState::Cancelled:
        s.rec.state = StageState::Cancelled;
        break;
    case AttemptState::Interrupted:
        // Not the stage's failure: it runs again without using up a retry.
        s.rec.state = run.cancelling ? StageState::Cancelled : StageState::Pending;
        break;
    case AttemptState::Failed:
    case AttemptState::TimedOut:
    case AttemptState::Running: {
        s.rec.failures += 1;
        const RetryPolicy policy(def.backoff, m_random);
        if (!run.cancelling && policy.shouldRetry(s.rec.failures)) {
            retryDelay = policy.delayBeforeAttempt(s.rec.failures + 1);
            s.rec.state = StageState::RetryWait;
            s.rec.nextAttemptMs = m_clock->nowMs() + retryDelay;
        } else {
            s.rec.state = run.cancelling ? StageState::Cancelled : StageState::Failed;
        }
        break;
    }
    }
    if (auto r = store()->finishAttempt(s.attempt, s.rec, artifacts); !r)
        noteStoreError(r.error());
    {
        QMutexLocker lock(&m_countersMutex);
        m_counters.attemptsFinished[toString(o.state)] += 1;
    }
    Q_EMIT attemptChanged(s.attempt);
    Q_EMIT stageChanged(s.rec);
    QJsonObject extra { { QStringLiteral("attempt"), s.attempt.attempt },
        { QStringLiteral("result"), toString(o.state) } };
    if (!o.error.isEmpty())
        extra.insert(QStringLiteral("error"), o.error);
    auditStage(run, idx, extra);
    const qint64 id = run.rec.id;
    if (retryDelay >= 0) {
        audit(AuditStreams::resilience(), engineActor(), QStringLiteral("pipeline.stage_retry"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), run.rec.pipeline },
                { QStringLiteral("stage"), def.name },
                { QStringLiteral("next_attempt"), s.rec.attempts + 1 },
                { QStringLiteral("delay_ms"), retryDelay } });
        retryAfter(id, idx, retryDelay);
    } else if (s.rec.state == StageState::Pending) {
        makeReady(run, idx);
    } else {
        settleStage(run, idx);
    }
    pump();
    if (Run *r = findRun(id))
        finishRunIfDone(*r);
}

void PipelineRunner::retryAfter(qint64 runId, int idx, qint64 delayMs)
{
    QTimer::singleShot(int(qBound<qint64>(0, delayMs, qint64(std::numeric_limits<int>::max()))),
        this, [this, runId, idx] {
            if (Run *r = findRun(runId); r && r->stages[idx].rec.state == StageState::RetryWait)
                makeReady(*r, idx);
        });
}

} // namespace Shivx
