#pragma once

#include "core/result.h"
#include "recovery/retrypolicy.h"
#include "schedule/cronexpression.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Shivx {

// When a stage runs, given how its dependencies (`needs:`) ended.
enum class StageWhen {
    Success, // every dependency succeeded (the default)
    Failure, // at least one dependency failed: a clean-up or alert stage
    Always, // once every dependency has finished, however
};
QString toString(StageWhen when);

// One stage of a pipeline as its YAML file declares it (docs/pipelines.md).
struct StageDefinition
{
    QString name; // [A-Za-z0-9_-]+, unique in the pipeline
    QString command;
    QStringList args;
    QList<QPair<QString, QString>> env; // in file order
    QString cwd; // absolute (resolved against the file's folder); empty = the run's work dir
    qint64 timeoutMs = 0; // 0 = none; on expiry the stage's process group is killed
    int retries = 0; // attempts after the first
    RetryConfig backoff; // delays between attempts (maxAttempts is 1 + retries)
    bool artifacts = false; // the stage gets $SHIVX_ARTIFACTS; its files are recorded on success
    QStringList needs; // names of the stages it depends on
    StageWhen when = StageWhen::Success;
    int line = 0; // of its entry in the file
};

// A pipeline: a DAG of stages loaded from one YAML file. Immutable once parsed; a run keeps
// the definition it started with (its `source` bytes are stored with the run), so that a
// changed file never alters a run in progress.
struct PipelineDefinition
{
    QString name;
    QString description;
    QString file; // where it was read from (for errors and the console)
    QByteArray source; // the file's exact bytes
    QString version; // SHA-256 of `source`, lower-case hex
    QList<StageDefinition> stages; // in file order
    int concurrency = 0; // stages of this pipeline running at once, 0 = the engine's limit
    int maxActiveRuns = 1; // runs of this pipeline in progress at once; more wait queued
    QString schedule; // 5-field cron expression (checked at load), empty = manual only
    MissedRunPolicy missed = MissedRunPolicy::Skip; // fire times missed while no engine ran
    bool background = false; // pauses while degradation turns background_tasks off
    bool external = false; // talks to the outside; paused by the guardian's LOCKDOWN
    QMap<QString, QString> params; // parameters with their defaults
    int keepRuns = 0; // retention: finished runs kept, 0 = the engine's default
    qint64 keepForMs = 0; // retention: age of finished runs kept, 0 = the engine's default

    int indexOf(const QString &stage) const;
};

namespace PipelineParser {

// Parses one pipeline file. `fileName` names it in errors and gives the folder that relative
// `cwd:` values resolve against; a pipeline without `name:` is named after the file's base
// name. Errors (code pipeline.invalid) name the file, the line, the key and the stage:
// unknown keys, bad values, duplicate stage names, unknown dependencies and cycles.
Result<PipelineDefinition> parse(const QByteArray &yaml, const QString &fileName);

// Lower-case hex SHA-256 of `bytes`: a pipeline's version.
QString versionOf(const QByteArray &bytes);

// The environment variable part for a stage or parameter name: upper case, '-' as '_'.
QString envName(const QString &name);

} // namespace PipelineParser

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::PipelineDefinition)
