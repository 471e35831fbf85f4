// Resuming a run after a restart: the attempts an earlier engine left running are stopped
// (their process groups, like the supervisor's leftovers) and resolved from their status
// files before anything of their run starts again; succeeded stages stay done.
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "pipelines/pipelinerunnershared.h"
#include "pipelines/stagelauncher.h"
#include "pipelines/stageprocess.h"
#include "recovery/childrecord.h"
#include "recovery/leftoverprocess.h"

#include <QDir>
#include <QJsonObject>
#include <QTimer>

namespace Shivx {

using namespace RunnerShared;

Result<void> PipelineRunner::resume(RunRecord rec, const QList<StageRecord> &stages,
    const QHash<QString, AttemptRecord> &runningAttempts, const PipelineDefinition *parsed)
{
    auto def = parsed ? Result<PipelineDefinition>(*parsed)
                      : PipelineParser::parse(rec.definition, rec.file);
    if (!def) {
        rec.state = RunState::DeadLetter;
        rec.error = QStringLiteral("its definition no longer parses: %1").arg(def.error().message);
        rec.finishedMs = m_clock->nowMs();
        return store()->updateRun(rec);
    }
    Run run;
    run.rec = std::move(rec);
    run.def = std::move(*def);
    run.stages.resize(run.def.stages.size());
    // By name once: a DAG of a thousand stages would otherwise compare names by the million.
    QHash<QString, int> index;
    index.reserve(run.def.stages.size());
    for (int i = 0; i < run.def.stages.size(); ++i)
        index.insert(run.def.stages.at(i).name, i);
    for (int i = 0; i < run.def.stages.size(); ++i) {
        Stage &s = run.stages[i];
        s.rec.runId = run.rec.id;
        s.rec.stage = run.def.stages.at(i).name;
        for (const QString &dep : run.def.stages.at(i).needs) {
            const int d = index.value(dep);
            s.needs.append(d);
            run.stages[d].dependents.append(i);
        }
    }
    for (const StageRecord &sr : stages) {
        const int i = index.value(sr.stage, -1);
        if (i >= 0)
            run.stages[i].rec = sr;
    }
    const qint64 id = run.rec.id;
    const auto artifacts = m_store->artifacts(id);
    const auto attempts = m_store->attempts(id);
    if (artifacts)
        for (const ArtifactRecord &a : *artifacts)
            run.artifacts[a.stage].append(a);
    if (attempts)
        for (const AttemptRecord &a : *attempts) {
            const int i = index.value(a.stage, -1);
            if (i >= 0)
                run.stages[i].attempt = a;
            if (a.state == AttemptState::Succeeded && !a.artifactsDir.isEmpty())
                run.artifactDirs.insert(a.stage, a.artifactsDir);
        }
    m_runs.emplace(id, std::move(run));
    Run &r = m_runs.at(id);
    for (int i = 0; i < int(r.stages.size()); ++i) {
        Stage &s = r.stages[i];
        for (int dep : std::as_const(s.needs))
            if (!isFinished(r.stages[dep].rec.state))
                ++s.waitingFor;
        if (s.rec.state == StageState::Running) {
            const auto it = runningAttempts.constFind(s.rec.stage);
            if (it == runningAttempts.cend())
                s.rec.state = StageState::Pending; // claimed, but no attempt was stored
            else
                adoptRunning(r, i, *it);
        }
    }
    if (r.rec.state == RunState::Running) {
        QDir().mkpath(QDir(runDir(id)).filePath(QStringLiteral("work")));
        for (int i = 0; i < int(r.stages.size()); ++i) {
            Stage &s = r.stages[i];
            if (s.leftover)
                stopLeftover(r, i);
            else if (s.rec.state == StageState::RetryWait) {
                retryAfter(id, i, s.rec.nextAttemptMs - m_clock->nowMs());
            } else if (s.rec.state == StageState::Pending && s.waitingFor == 0) {
                makeReady(r, i);
            }
        }
        audit(AuditStreams::resilience(), engineActor(), QStringLiteral("pipeline.run_resumed"),
            { { QStringLiteral("run"), id }, { QStringLiteral("pipeline"), r.rec.pipeline } });
        finishRunIfDone(r);
    }
    updateGauges();
    return {};
}

void PipelineRunner::adoptRunning(Run &run, int idx, const AttemptRecord &a)
{
    Stage &s = run.stages[idx];
    s.attempt = a;
    s.rec.state = StageState::Running;
    if (m_shared && a.leaseOwner != m_owner) {
        // Another engine's attempt: it stays theirs while they renew its lease; once it has
        // expired, the engine whose take-over wins resolves it like its own leftover.
        const qint64 now = m_clock->nowMs();
        const auto taken = a.leaseUntilMs > now
            ? Result<bool>(false)
            : m_store->takeOverAttempt(a.id, m_owner, now, now + m_options.config.leaseMs);
        if (!taken)
            noteStoreError(taken.error());
        if (!taken || !*taken) {
            s.remote = true;
            return;
        }
        audit(AuditStreams::resilience(), engineActor(),
            QStringLiteral("pipeline.lease_taken_over"),
            { { QStringLiteral("run"), run.rec.id }, { QStringLiteral("stage"), s.rec.stage },
                { QStringLiteral("attempt"), a.attempt },
                { QStringLiteral("from"), a.leaseOwner } });
    }
    s.remote = false;
    s.leftover = true;
    ++run.running;
    ++m_running;
}

void PipelineRunner::stopLeftover(Run &run, int idx)
{
    const Stage &s = run.stages[idx];
    const qint64 id = run.rec.id;
    ChildRecord child;
    child.name = QStringLiteral("attempt-%1").arg(s.attempt.id);
    child.pid = s.attempt.pid;
    child.pgid = s.attempt.pgid;
    child.startTicks = s.attempt.startTicks;
    child.bootId = s.attempt.bootId;
    child.stopTimeoutMs = m_options.config.stopTimeoutMs;
    child.startedAtMs = s.attempt.startedMs;
    if (child.pid <= 0)
        if (const auto started
            = StageLauncher::readStarted(s.attempt.statusPath, QString::number(s.attempt.id))) {
            child.pid = started->pid;
            child.pgid = started->pgid;
            child.startTicks = started->startTicks;
            child.bootId = started->bootId;
        }
    if (child.pid <= 0 || !child.isRunning()) {
        QTimer::singleShot(0, this, [this, id, idx] { resolveLeftover(id, idx); });
        return;
    }
    qCWarning(lcRunner).noquote()
        << "run" << id << "stage" << s.rec.stage << "pid" << child.pid
        << "still runs from an earlier engine: stopping its process group";
    auto *leftover = new LeftoverProcess(child, this);
    m_leftovers.insert(s.attempt.id, leftover);
    const qint64 attemptId = s.attempt.id;
    connect(leftover, &LeftoverProcess::stopped, this,
        [this, id, idx, leftover, attemptId](const ChildRecord &c, bool killed, qint64 tookMs) {
            m_leftovers.remove(attemptId);
            leftover->deleteLater();
            audit(AuditStreams::resilience(), engineActor(),
                QStringLiteral("pipeline.leftover_stopped"),
                { { QStringLiteral("run"), id }, { QStringLiteral("pid"), c.pid },
                    { QStringLiteral("killed"), killed }, { QStringLiteral("took_ms"), tookMs } });
            resolveLeftover(id, idx);
        });
    leftover->stop();
}

void PipelineRunner::resolveLeftover(qint64 runId, int idx)
{
    Run *run = findRun(runId);
    if (!run || !run->stages[idx].leftover)
        return;
    Stage &s = run->stages[idx];
    s.leftover = false;
    Outcome o;
    int code = 0;
    if (StageProcess::readStatus(s.attempt.statusPath, QString::number(s.attempt.id), &code)) {
        // It ended while no engine watched; its wrapper recorded how.
        o.state = code == 0 ? AttemptState::Succeeded : AttemptState::Failed;
        o.exitCode = code;
        if (code != 0)
            o.error = QStringLiteral("exited with code %1 while the engine was down").arg(code);
    } else {
        o.state = AttemptState::Interrupted;
        o.error = QStringLiteral("the engine stopped while it ran");
    }
    endAttempt(*run, idx, o);
}

} // namespace Shivx
