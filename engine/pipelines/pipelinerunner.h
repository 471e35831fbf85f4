#pragma once

#include "core/result.h"
#include "pipelines/jobstore.h"
#include "pipelines/pipelinedefinition.h"
#include "pipelines/pipelinerecords.h"
#include "pipelines/pipelinesconfig.h"

#include <QHash>
#include <QJsonObject>
#include <QMutex>
#include <QObject>
#include <QProcessEnvironment>

#include <deque>
#include <functional>
#include <map>
#include <memory>

class QTimer;

namespace Shivx {

class AuditSink;
class BoundedExecutor;
class Clock;
class LeftoverProcess;
class PipelineCatalog;
class PipelineScheduler;
class StageLauncher;
class StageProcess;

// A pipeline as the console and the API list it.
struct PipelineInfo
{
    PipelineDefinition definition;
    qint64 lastRunId = 0;
    RunState lastRunState = RunState::Queued;
    qint64 lastRunMs = 0; // created
    bool paused = false; // background or external pause in effect
    qint64 nextFireMs = 0; // the schedule's next fire time, 0 = no schedule
};

// Everything about one run: its stages (with the graph from the definition it runs),
// attempts and artifacts.
struct RunDetail
{
    RunRecord run; // with the definition bytes
    PipelineDefinition definition; // parsed from them: the stage graph of this run
    QList<StageRecord> stages;
    QList<AttemptRecord> attempts;
    QList<ArtifactRecord> artifacts;
};

// Totals for /metrics, read on the API thread.
struct PipelineCounters
{
    qint64 runsCreated = 0;
    QMap<QString, qint64> runsFinished; // by final state
    QMap<QString, qint64> attemptsFinished; // by attempt state
    int stagesRunning = 0;
    int runsActive = 0;
    int runsQueued = 0;
    qint64 deadLetter = 0;
    double scheduleDelaySumS = 0; // last dependency finished -> process started
    double slotWaitSumS = 0; // of that, waiting for a free slot
    qint64 scheduleDelayCount = 0;
    int definitionErrors = 0;
};

// Runs pipelines: turns triggers into stored runs, starts each stage's process once its
// dependencies have ended and its `when:` holds, within the engine's and the pipeline's
// limits, retries failures with backoff and jitter, keeps artifacts with their hashes, and
// moves runs whose stages exhausted their retries to the dead-letter queue. Every state
// change is written to the JobStore before it is acted on, so that after a crash the next
// runner finds the interrupted attempts (stopping their process groups first, like the
// supervisor's leftovers) and resumes each run from its checkpoints: a stage that succeeded
// never runs again.
//
// Lives on its own thread (`shivx-pipelines`); every method must be called there, except
// counters() (any thread). Signals are emitted on that thread.
class PipelineRunner : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        PipelinesConfig config;
        QString pipelinesDirectory; // resolved
        QString dataDir; // runs go to DATA_DIR/pipelines/runs
        QString databasePath;
        AuditSink *audit = nullptr;
        Clock *clock = nullptr;
        std::function<double()> random; // [0, 1) for retry jitter; default: a seeded PRNG
        // Where stage processes are spawned, as StageLauncher's kinds of work (it must outlive
        // the runner); null: a private executor of one worker.
        BoundedExecutor *executor = nullptr;
    };

    // How long a stage runs before its process (already in the run's status file) is written
    // to the store on its own; a stage that ends sooner has it written with its end.
    static constexpr int StartWriteDelayMs = 200;

    explicit PipelineRunner(Options options, QObject *parent = nullptr);
    ~PipelineRunner() override;

    // Opens the store, loads the pipelines, stops what an earlier engine left running and
    // resumes the runs it left unfinished. Errors: those of the store.
    Result<void> start();
    // Engine exit: stops every stage process (SIGTERM, SIGKILL after stop_timeout), records
    // their attempts as interrupted, and keeps their runs for the next start.
    void shutdown();

    // A new run of `pipeline` with `params` over its defaults. Errors: pipeline.unknown,
    // pipeline.unknown_param, pipeline.store.
    Result<qint64> trigger(const QString &pipeline, const QMap<QString, QString> &params,
        const QString &trigger, const QString &actor);
    // Errors: pipeline.unknown_run, pipeline.not_active.
    Result<void> cancel(qint64 runId, const QString &actor);
    // A dead-lettered run again from its failed stages (succeeded stages stay done), or out of
    // the queue for good. Errors: pipeline.unknown_run, pipeline.not_dead_letter.
    Result<void> retryDeadLetter(qint64 runId, const QString &actor);
    Result<void> discardDeadLetter(qint64 runId, const QString &actor);

    QList<PipelineInfo> pipelines();
    QList<Error> definitionErrors() const;
    Result<QList<RunRecord>> runs(const RunFilter &filter);
    Result<RunDetail> run(qint64 runId);

    // Pauses starting stages of `background: true` pipelines (degradation's
    // background_tasks off) or `external: true` ones (the guardian's LOCKDOWN). Stages
    // already running finish.
    void setBackgroundPaused(bool paused);
    void setExternalPaused(bool paused);
    // Deletes finished runs beyond each pipeline's retention, with their files.
    void prune();

    PipelineCounters counters() const;

Q_SIGNALS:
    void pipelinesChanged();
    void runChanged(const Shivx::RunRecord &run); // without the definition bytes
    void stageChanged(const Shivx::StageRecord &stage);
    void attemptChanged(const Shivx::AttemptRecord &attempt);

private:
    struct Stage
    {
        StageRecord rec;
        int waitingFor = 0; // dependencies not yet finished
        QList<int> dependents;
        QList<int> needs; // indices of the stage's dependencies
        qint64 readyNs = 0; // steadyNs(), when the last dependency finished
        qint64 startingNs = 0; // steadyNs(), when startStage() took it (a slot was free)
        StageProcess *process = nullptr;
        AttemptRecord attempt; // the current or last attempt
        bool leftover = false; // an earlier engine's attempt not yet resolved
        bool remote = false; // running under another engine's live lease (shared store)
    };
    struct Run
    {
        RunRecord rec;
        PipelineDefinition def;
        std::vector<Stage> stages;
        std::deque<int> ready;
        int running = 0;
        bool cancelling = false;
        QHash<QString, QList<ArtifactRecord>> artifacts; // by stage, of succeeded attempts
        QHash<QString, QString> artifactDirs; // by stage
    };
    struct Outcome
    {
        AttemptState state = AttemptState::Failed;
        int exitCode = 0;
        int signal = 0;
        QString error;
    };

    // The store, for a write: opens this event-loop turn's batch, which flush() commits.
    JobStore *store();
    // The processes of attempts still running StartWriteDelayMs after they started.
    void storeStarts();
    // Commits the batch, then starts the processes of the attempts it claimed: an attempt's
    // claim (and lease) is durable before its process can do anything.
    void flush();
    void flushSoon();
    // Commits the open batch, without starting anything (flush() still does that).
    void commitBatch();
    Run *findRun(qint64 id);
    // A queued run starts; with a shared store only if the store finds room (max_active_runs
    // on all engines).
    Result<void> activate(Run &run, int maxActive);
    // `parsed`: the run's definition when the caller has it parsed already (a new run).
    Result<void> resume(RunRecord rec, const QList<StageRecord> &stages,
        const QHash<QString, AttemptRecord> &runningAttempts,
        const PipelineDefinition *parsed = nullptr);
    void settleStage(Run &run, int idx); // a stage reached a final state: free its dependents
    void makeReady(Run &run, int idx);
    void pump();
    void startStage(Run &run, int idx);
    void onStarted(qint64 runId, int idx, qint64 pid);
    void onProcessFinished(
        qint64 runId, int idx, int exitCode, int signal, bool timedOut, const QString &error);
    void endAttempt(Run &run, int idx, const Outcome &outcome);
    void stopLeftover(Run &run, int idx); // then resolveLeftover()
    void resolveLeftover(qint64 runId, int idx);
    // Makes the stage ready again after `delayMs`, if it still waits for its retry then.
    void retryAfter(qint64 runId, int idx, qint64 delayMs);
    // The run, if it is in the dead-letter queue. Errors: engine.not_running,
    // pipeline.unknown_run, pipeline.not_dead_letter.
    Result<RunRecord> deadLetterRun(qint64 runId);
    void finishRunIfDone(Run &run);
    void activateQueued(const QString &pipeline);
    bool paused(const PipelineDefinition &def) const;
    int runningOf(const QString &pipeline) const;
    QString runDir(qint64 runId) const;
    // Both hash files, which may take long: they commit the open batch first, so that the
    // database's write lock is not held meanwhile.
    QString checkInputs(const Run &run, int idx);
    QList<ArtifactRecord> collectArtifacts(const Run &run, int idx, QString *error);
    QByteArrayList environmentFor(const Run &run, int idx) const;
    void setRunState(Run &run, RunState state, const QString &error = {});
    void storeStage(Run &run, int idx);
    void audit(const QString &stream, const QString &actor, const QString &action,
        const QJsonObject &data);
    // pipeline.stage_state of the stage's current state, with `extra` fields.
    void auditStage(const Run &run, int idx, QJsonObject extra = {});
    void noteStoreError(const Error &e);
    void updateGauges();
    void renewLeases();
    // Shared store (several engines, pipelinerunnerscaleout.cpp): every poll interval, the
    // runs the others created, the stage states they stored, and their expired leases.
    void pollShared();
    void startPolling(); // every lease/10, within [200 ms, 1 s]
    // Adopts the stored state of every stage of `run` that this engine does not run.
    void reconcile(
        Run &run, const QList<StageRecord> &stored, const QHash<QString, AttemptRecord> &running);
    // A stage stored Running under `a`: this engine's leftover when `a` is this engine's to
    // resolve (not shared, or its lease expired and the take-over won), else remote.
    void adoptRunning(Run &run, int idx, const AttemptRecord &a);

    Options m_options;
    Clock *m_clock;
    std::unique_ptr<JobStore> m_store;
    std::unique_ptr<StageLauncher> m_launcher;
    QList<QPair<qint64, int>> m_launchQueue; // (run, stage) claimed in the open batch
    PipelineCatalog *m_catalog = nullptr;
    PipelineScheduler *m_scheduler = nullptr; // from start() to shutdown()
    std::map<qint64, Run> m_runs; // unfinished runs, oldest first
    QHash<qint64, LeftoverProcess *> m_leftovers; // by attempt id
    QString m_owner; // this runner's lease owner id
    QString m_runsDir;
    QByteArrayList m_baseEnv; // the engine's own, encoded once
    QTimer *m_heartbeat = nullptr;
    QTimer *m_pruneTimer = nullptr;
    QTimer *m_poll = nullptr; // shared store only
    QTimer *m_startWrite = nullptr;
    // (run, stage, attempt id) started and not written yet, oldest first.
    struct StartToStore
    {
        qint64 run = 0;
        int stage = 0;
        qint64 attempt = 0;
        qint64 dueNs = 0; // steadyNs()
    };
    std::deque<StartToStore> m_startsToStore;
    std::function<double()> m_random;
    int m_running = 0;
    bool m_batchOpen = false;
    bool m_flushQueued = false;
    bool m_pumping = false;
    bool m_pumpAgain = false;
    bool m_shuttingDown = false;
    bool m_backgroundPaused = false;
    bool m_externalPaused = false;
    bool m_shared = false; // the store is shared with other engines

    mutable QMutex m_countersMutex;
    PipelineCounters m_counters;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::PipelineInfo)
Q_DECLARE_METATYPE(Shivx::RunDetail)
