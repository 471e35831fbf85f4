// From a stage's last dependency to its process: readiness (with `when:`), the engine's and
// the pipeline's limits, the claim in the job store, and the launch.
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "core/steadyclock.h"
#include "pipelines/pipelinerunnershared.h"
#include "pipelines/stagelauncher.h"
#include "pipelines/stageprocess.h"

#include <QDir>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <vector>

namespace Shivx {

using namespace RunnerShared;

void PipelineRunner::makeReady(Run &run, int idx)
{
    Stage &s = run.stages[idx];
    if (s.rec.state == StageState::RetryWait) {
        s.rec.state = StageState::Pending;
        storeStage(run, idx);
    }
    s.readyNs = steadyNs();
    run.ready.push_back(idx);
    pump();
}

void PipelineRunner::settleStage(Run &run, int idx)
{
    // Breadth-first: a skipped stage settles its own dependents in turn.
    std::deque<int> settled { idx };
    while (!settled.empty()) {
        const int done = settled.front();
        settled.pop_front();
        for (int d : run.stages[done].dependents) {
            Stage &s = run.stages[d];
            if (--s.waitingFor > 0 || s.rec.state != StageState::Pending)
                continue;
            const StageDefinition &def = run.def.stages.at(d);
            bool allSucceeded = true;
            bool anyFailed = false;
            for (int dep : std::as_const(s.needs)) {
                const StageState st = run.stages[dep].rec.state;
                allSucceeded = allSucceeded && st == StageState::Succeeded;
                anyFailed = anyFailed || st == StageState::Failed;
            }
            const bool runs = !run.cancelling
                && (def.when == StageWhen::Always
                    || (def.when == StageWhen::Success && allSucceeded)
                    || (def.when == StageWhen::Failure && anyFailed));
            if (runs) {
                makeReady(run, d);
                continue;
            }
            s.rec.state = run.cancelling ? StageState::Cancelled : StageState::Skipped;
            storeStage(run, d);
            auditStage(run, d);
            settled.push_back(d);
        }
    }
}

void PipelineRunner::pump()
{
    if (m_pumping || m_shuttingDown) {
        m_pumpAgain = true;
        return;
    }
    m_pumping = true;
    do {
        m_pumpAgain = false;
        for (auto &[id, run] : m_runs) {
            if (run.rec.state != RunState::Running || run.cancelling || paused(run.def))
                continue;
            const int limit = run.def.concurrency;
            while (!run.ready.empty() && m_running < m_options.config.maxParallelStages
                && (limit == 0 || runningOf(run.rec.pipeline) < limit)) {
                const int idx = run.ready.front();
                run.ready.pop_front();
                startStage(run, idx);
            }
        }
    } while (m_pumpAgain);
    m_pumping = false;
    updateGauges();
}

QByteArrayList PipelineRunner::environmentFor(const Run &run, int idx) const
{
    const StageDefinition &def = run.def.stages.at(idx);
    const Stage &s = run.stages[idx];
    // The stage's own variables, each name once (a later one replaces an earlier one), then
    // the engine's except those they replace.
    struct Own
    {
        QByteArray prefix; // "NAME="
        QByteArray entry;
    };
    std::vector<Own> own;
    const auto set = [&own](const QString &name, const QString &value) {
        QByteArray prefix = name.toLocal8Bit() + '=';
        QByteArray entry = prefix + value.toLocal8Bit();
        for (Own &o : own)
            if (o.prefix == prefix) {
                o.entry = std::move(entry);
                return;
            }
        own.push_back({ std::move(prefix), std::move(entry) });
    };
    for (const auto &[k, v] : def.env)
        set(k, v);
    set(QStringLiteral("SHIVX_RUN_ID"), QString::number(run.rec.id));
    set(QStringLiteral("SHIVX_PIPELINE"), run.rec.pipeline);
    set(QStringLiteral("SHIVX_PIPELINE_VERSION"), run.rec.version);
    set(QStringLiteral("SHIVX_STAGE"), def.name);
    set(QStringLiteral("SHIVX_ATTEMPT"), QString::number(s.attempt.attempt));
    set(QStringLiteral("SHIVX_DATA_DIR"), m_options.dataDir);
    set(QStringLiteral("SHIVX_WORK_DIR"),
        QDir(runDir(run.rec.id)).filePath(QStringLiteral("work")));
    for (auto it = run.rec.params.begin(); it != run.rec.params.end(); ++it)
        set(QStringLiteral("SHIVX_PARAM_") + PipelineParser::envName(it.key()), it.value());
    if (!s.attempt.artifactsDir.isEmpty())
        set(QStringLiteral("SHIVX_ARTIFACTS"), s.attempt.artifactsDir);
    for (const QString &dep : def.needs)
        if (const QString dir = run.artifactDirs.value(dep); !dir.isEmpty())
            set(QStringLiteral("SHIVX_INPUT_") + PipelineParser::envName(dep), dir);
    QByteArrayList out;
    out.reserve(m_baseEnv.size() + qsizetype(own.size()));
    for (const QByteArray &e : m_baseEnv)
        if (std::none_of(
                own.begin(), own.end(), [&e](const Own &o) { return e.startsWith(o.prefix); }))
            out.append(e);
    for (Own &o : own)
        out.append(std::move(o.entry));
    return out;
}

void PipelineRunner::startStage(Run &run, int idx)
{
    Stage &s = run.stages[idx];
    s.startingNs = steadyNs();
    const StageDefinition &def = run.def.stages.at(idx);
    const qint64 id = run.rec.id;
    const QString base
        = QDir(runDir(id)).filePath(QStringLiteral("%1.%2").arg(def.name).arg(s.rec.attempts + 1));
    AttemptRecord a;
    a.runId = id;
    a.stage = def.name;
    a.attempt = s.rec.attempts + 1;
    a.state = AttemptState::Running;
    a.leaseOwner = m_owner;
    a.leaseUntilMs = m_clock->nowMs() + m_options.config.leaseMs;
    a.stdoutPath = base + QStringLiteral(".stdout.log");
    a.stderrPath = base + QStringLiteral(".stderr.log");
    a.statusPath = QDir(runDir(id)).filePath(QStringLiteral("attempts.status"));
    if (def.artifacts)
        a.artifactsDir = base + QStringLiteral(".artifacts");
    StageRecord next = s.rec;
    next.attempts += 1;
    next.state = StageState::Running;
    const auto claimed = store()->claimAttempt(
        a, next, m_clock->nowMs(), { run.rec.pipeline, run.def.concurrency });
    if (!claimed) {
        // With a shared store, losing a claim to another engine is routine: the next poll
        // shows what that engine stored, and a claim that merely collided is tried again
        // soon. Otherwise it is held by an earlier engine or the store failed: try again once
        // the lease may have expired.
        const QString code = claimed.error().code;
        const bool lost = m_shared
            && (code == QLatin1String("pipeline.lease_held")
                || code == QLatin1String("pipeline.claim_stale")
                || code == QLatin1String("pipeline.concurrency_full"));
        if (lost)
            qCDebug(lcRunner).noquote() << claimed.error().message;
        else
            noteStoreError(claimed.error());
        const qint64 delay
            = lost ? 2 * m_poll->interval() : qMin<qint64>(m_options.config.leaseMs, 60'000);
        QTimer::singleShot(int(delay), this, [this, id, idx] {
            if (Run *r = findRun(id); r && r->stages[idx].rec.state == StageState::Pending)
                makeReady(*r, idx);
        });
        return;
    }
    a.id = *claimed;
    s.rec = next;
    s.attempt = a;
    ++run.running;
    ++m_running;
    Q_EMIT stageChanged(s.rec);
    auditStage(run, idx, { { QStringLiteral("attempt"), a.attempt } });

    if (const QString problem = checkInputs(run, idx); !problem.isEmpty()) {
        QTimer::singleShot(0, this,
            [this, id, idx, problem] { onProcessFinished(id, idx, -1, 0, false, problem); });
        return;
    }
    if (!a.artifactsDir.isEmpty())
        QDir().mkpath(a.artifactsDir);
    StageLaunch launch;
    launch.command = def.command;
    launch.args = def.args;
    launch.environment = environmentFor(run, idx);
    launch.cwd = def.cwd.isEmpty() ? QDir(runDir(id)).filePath(QStringLiteral("work")) : def.cwd;
    launch.stdoutPath = a.stdoutPath;
    launch.stderrPath = a.stderrPath;
    launch.statusPath = a.statusPath;
    launch.statusKey = QString::number(a.id);
    launch.timeoutMs = def.timeoutMs;
    // An operator waiting for a run comes before the schedule, and background pipelines
    // after both (docs/executor.md, "Kinds of work").
    launch.kind = run.def.background                   ? StageLauncher::BackgroundKind
        : run.rec.trigger == QLatin1String("schedule") ? StageLauncher::ScheduledKind
                                                       : StageLauncher::ManualKind;
    auto *process = new StageProcess(launch, m_launcher.get(), this);
    s.process = process;
    connect(process, &StageProcess::started, this,
        [this, id, idx](qint64 pid) { onStarted(id, idx, pid); });
    // Direct: StageProcess reports only from events of its own (the launcher's queued calls),
    // never from inside a call of the runner's.
    connect(process, &StageProcess::finished, this,
        [this, id, idx](int code, int signal, bool timedOut, const QString &error) {
            onProcessFinished(id, idx, code, signal, timedOut, error);
        });
    // Started by flush(), once the claim is committed.
    m_launchQueue.append({ id, idx });
}

void PipelineRunner::onStarted(qint64 runId, int idx, qint64 pid)
{
    Run *run = findRun(runId);
    if (!run)
        return;
    Stage &s = run->stages[idx];
    // From the spawn itself: the report of it may come up to 20 ms later
    // (StageLauncher::launch).
    const qint64 nowNs = steadyNs();
    const qint64 spawnedNs
        = s.process && s.process->spawnedNs() > 0 ? s.process->spawnedNs() : nowNs;
    s.attempt.startedMs = m_clock->nowMs() - (nowNs - spawnedNs) / 1'000'000;
    s.attempt.scheduleDelayUs = (spawnedNs - s.readyNs) / 1000;
    s.attempt.slotWaitUs = (s.startingNs - s.readyNs) / 1000;
    s.attempt.pid = pid;
    s.attempt.pgid = s.process ? s.process->pgid() : pid;
    if (s.process) {
        s.attempt.startTicks = s.process->startTicks();
        s.attempt.bootId = s.process->bootId();
    }
    // The status file has the process already (StageLauncher): a stage that ends within
    // StartWriteDelayMs has its pid written with its end, saving a write per stage.
    m_startsToStore.push_back(
        { runId, idx, s.attempt.id, nowNs + qint64(StartWriteDelayMs) * 1'000'000 });
    if (!m_startWrite->isActive())
        m_startWrite->start(StartWriteDelayMs);
    {
        QMutexLocker lock(&m_countersMutex);
        m_counters.scheduleDelaySumS += double(s.attempt.scheduleDelayUs) / 1e6;
        m_counters.slotWaitSumS += double(s.attempt.slotWaitUs) / 1e6;
        ++m_counters.scheduleDelayCount;
    }
    Q_EMIT attemptChanged(s.attempt);
}

} // namespace Shivx
