#pragma once

#include "core/result.h"
#include "pipelines/pipelinerecords.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>

namespace Shivx {

// Which runs to list: all by default, newest first.
struct RunFilter
{
    QString pipeline; // empty = every pipeline
    QList<RunState> states; // empty = any state
    int limit = 100;
    bool withDefinition = false; // the definition bytes are only needed to resume a run
};

// What a claim may not exceed: the pipeline's `concurrency` (0: no limit).
struct ClaimLimit
{
    QString pipeline;
    int concurrency = 0;
};

// Where runs, stage states, attempts (with their leases and processes) and artifact hashes
// are kept, so that they survive a crash of the engine. One small interface so that the
// SQLite store (the default, in the engine's database) can get a PostgreSQL sibling for
// several engines sharing the work; nothing outside the store writes SQL.
//
// Not thread-safe: one instance per thread (the pipeline runner's). Every write is one
// transaction, so a crash leaves each record before or after it, never in between; inside a
// batch, every write is part of the batch's transaction instead.
class JobStore
{
public:
    virtual ~JobStore() = default;

    // A batch: the writes until commitBatch() become durable together, with one commit (the
    // runner opens one per event-loop turn rather than paying a commit per state change).
    // Reads see the batch's writes. A write that fails inside a batch leaves the batch as it
    // was before that write. beginBatch() with a batch open does nothing; commitBatch()
    // without one does nothing; destroying the store commits an open batch.
    virtual Result<void> beginBatch() = 0;
    virtual Result<void> commitBatch() = 0;

    // Stores a new run with one Pending stage row per name; returns its id.
    virtual Result<qint64> createRun(const RunRecord &run, const QStringList &stages) = 0;
    // State, times, error and failed stage of `run`.
    virtual Result<void> updateRun(const RunRecord &run) = 0;
    // Stores the end of `run` (a final state with its time, error and failed stage) unless
    // the stored run has ended already; true when this call ended it. Of several engines that
    // each see the run's last stage end, exactly one gets true and audits the end.
    virtual Result<bool> finishRun(const RunRecord &run) = 0;
    virtual Result<void> updateStage(const StageRecord &stage) = 0;
    // Stores the queued `run` as running (its state and start time) unless `maxActive` runs
    // of its pipeline already run: false then, and the run stays queued. A shared store counts
    // the runs of every engine and lets one engine at a time decide for a pipeline; a single
    // engine's runner counts its own, so this is updateRun() there.
    virtual Result<bool> activateRun(const RunRecord &run, int maxActive)
    {
        Q_UNUSED(maxActive);
        if (auto r = updateRun(run); !r)
            return r.error();
        return true;
    }
    // Claims the stage for a new attempt: inserts `attempt` (state Running, with its lease)
    // and stores `stage`, unless another owner's attempt of the stage still runs under a lease
    // that has not expired at `nowMs` (error pipeline.lease_held). Returns the attempt's id.
    // A shared store also refuses a claim that would run more than `limit.concurrency`
    // attempts of the pipeline on all engines together (pipeline.concurrency_full); a single
    // engine's runner counts its own.
    virtual Result<qint64> claimAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        qint64 nowMs, const ClaimLimit &limit = {})
        = 0;
    // The attempt's process, once started (pid, pgid, start ticks, boot id, started time).
    virtual Result<void> updateAttempt(const AttemptRecord &attempt) = 0;
    // Ends an attempt: the attempt, its stage and (on success) the artifacts, together.
    virtual Result<void> finishAttempt(const AttemptRecord &attempt, const StageRecord &stage,
        const QList<ArtifactRecord> &artifacts)
        = 0;
    // Heartbeat: extends the lease of every running attempt of `owner`; returns how many.
    virtual Result<int> renewLeases(const QString &owner, qint64 untilMs) = 0;
    // A crashed engine's attempt becomes `owner`'s, leased until `untilMs`, if it is still
    // running under a lease that expired at `nowMs`; false when it is not (finished, renewed,
    // or another engine took it first). The new owner then resolves it like its own leftover.
    virtual Result<bool> takeOverAttempt(
        qint64 attemptId, const QString &owner, qint64 nowMs, qint64 untilMs)
        = 0;
    // True when other engines may use the same store at once (PostgreSQL): the runner then
    // polls it for their changes and leaves their leased attempts alone.
    virtual bool shared() const { return false; }
    // A shared store calls `changed` (on the store's thread, from its event loop) when another
    // engine has committed a change of runs or stages, so that the runner looks without waiting
    // for its poll. Stores that cannot tell never call it.
    virtual void setChangeListener(std::function<void()> changed) { Q_UNUSED(changed); }

    virtual Result<QList<RunRecord>> runs(const RunFilter &filter) = 0;
    // Error pipeline.unknown_run.
    virtual Result<RunRecord> run(qint64 id) = 0;
    virtual Result<QList<StageRecord>> stages(qint64 runId) = 0;
    // Every attempt of the run, oldest first.
    virtual Result<QList<AttemptRecord>> attempts(qint64 runId) = 0;
    // Attempts still marked running, of any run (after a crash: the interrupted ones).
    virtual Result<QList<AttemptRecord>> runningAttempts() = 0;
    virtual Result<QList<ArtifactRecord>> artifacts(qint64 runId) = 0;
    // The scheduler's memory: when `pipeline`'s schedule last fired (epoch ms, 0 = never).
    virtual Result<qint64> lastFired(const QString &pipeline) = 0;
    virtual Result<void> setLastFired(const QString &pipeline, qint64 ms) = 0;
    // Records that `pipeline`'s schedule fired at `ms` unless it is stored at or past `ms`
    // already; true when this call moved it, so that of several engines sharing the store
    // exactly one starts the run of a fire time.
    virtual Result<bool> claimFire(const QString &pipeline, qint64 ms) = 0;
    // Deletes finished runs of `pipeline` (never dead-lettered ones) beyond the newest
    // `keepRuns` (0 = no count limit) or created before `createdBeforeMs` (0 = no age limit);
    // returns the ids deleted, so that their files can go too.
    virtual Result<QList<qint64>> prune(
        const QString &pipeline, int keepRuns, qint64 createdBeforeMs)
        = 0;
};

// The job store `pipelines.store` names: empty = the engine's SQLite database at
// `sqlitePath`; a postgresql:// URL = that PostgreSQL database. The store's connection is
// named `connectionName` and belongs to the calling thread. Errors: those of the stores'
// open() and pipeline.store_url.
Result<std::unique_ptr<JobStore>> openJobStore(
    const QString &store, const QString &sqlitePath, const QString &connectionName);

} // namespace Shivx
