#pragma once

#include "core/result.h"
#include "pipelines/pipelinerunner.h"

#include <QObject>

#include <atomic>

namespace Shivx {

// The public face of pipelines (docs/pipelines.md): the pipelines and their runs, and the
// operator's commands. Used by the API routes, the CLI (through the API) and the console's
// Pipelines page. Lives on the Engine's thread for the Engine's lifetime; every method is
// thread-safe: queries and commands run on the runner's thread and wait for it (they are
// quick: one SQLite read or write). Before start and after stop: engine.not_running.
class PipelineService : public QObject
{
    Q_OBJECT
public:
    explicit PipelineService(QObject *parent = nullptr);

    // Starts a run of `pipeline` with `params` over its defaults; returns the run id.
    // Errors: engine.not_running, pipeline.unknown, pipeline.unknown_param, pipeline.store.
    Result<qint64> run(
        const QString &pipeline, const QMap<QString, QString> &params, const QString &actor);
    // Errors: engine.not_running, pipeline.unknown_run, pipeline.not_active.
    Result<void> cancel(qint64 runId, const QString &actor);
    // Dead-letter queue. Errors: engine.not_running, pipeline.unknown_run,
    // pipeline.not_dead_letter.
    Result<void> retryDeadLetter(qint64 runId, const QString &actor);
    Result<void> discardDeadLetter(qint64 runId, const QString &actor);

    Result<QList<PipelineInfo>> pipelines() const;
    // Files in the pipelines directory that did not load (file:line: key: message).
    Result<QList<Error>> definitionErrors() const;
    Result<QList<RunRecord>> runs(const RunFilter &filter) const;
    Result<RunDetail> runDetail(qint64 runId) const;

    // The guardian's LOCKDOWN: stages of `external: true` pipelines do not start while paused.
    Result<void> setExternalPaused(bool paused);

    // Totals for /metrics; zeros when not running.
    PipelineCounters counters() const;

    // The pipelines runtime's part: the runner of the running engine, or null.
    void setRunner(PipelineRunner *runner) { m_runner.store(runner); }

Q_SIGNALS:
    // All emitted on the Engine's thread; a DAG view follows stageChanged of its run.
    void pipelinesChanged();
    void runChanged(const Shivx::RunRecord &run);
    void stageChanged(const Shivx::StageRecord &stage);
    void attemptChanged(const Shivx::AttemptRecord &attempt);

private:
    template <class T, class F> Result<T> call(F f) const;

    std::atomic<PipelineRunner *> m_runner { nullptr };
};

} // namespace Shivx
