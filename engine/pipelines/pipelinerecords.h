#pragma once

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Shivx {

// The states of a run, a stage and a stage attempt, as stored and as the API spells them
// (docs/pipelines.md, "States").
enum class RunState {
    Queued, // waiting for its pipeline's max_active_runs
    Running,
    Succeeded,
    DeadLetter, // a stage failed after its retries: in the dead-letter queue
    Cancelled,
    Discarded, // taken out of the dead-letter queue by an operator
};
enum class StageState {
    Pending, // waiting for its dependencies (or for a slot)
    Running,
    RetryWait, // failed; the next attempt starts at nextAttemptMs
    Succeeded, // a checkpoint: never run again in this run
    Failed, // failed after its retries
    Skipped, // its `when:` did not hold
    Cancelled,
};
enum class AttemptState {
    Running,
    Succeeded,
    Failed, // exited non-zero, killed by a signal, or could not start
    TimedOut, // its process group was killed at the stage's timeout
    Interrupted, // the engine stopped or died while it ran; does not use up a retry
    Cancelled,
};

QString toString(RunState s);
QString toString(StageState s);
QString toString(AttemptState s);
bool parseRunState(const QString &text, RunState *out);
bool parseStageState(const QString &text, StageState *out);
bool parseAttemptState(const QString &text, AttemptState *out);
bool isFinished(RunState s);
bool isFinished(StageState s);

// One run as stored: what it runs (the definition bytes it started with) and how it stands.
struct RunRecord
{
    qint64 id = 0;
    QString pipeline;
    QString version; // SHA-256 of `definition`
    QString file; // the definition's file name when the run was created
    QByteArray definition;
    QMap<QString, QString> params;
    RunState state = RunState::Queued;
    QString trigger; // manual, schedule, retry
    QString actor;
    qint64 createdMs = 0;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    QString error; // why it failed or was cancelled
    QString failedStage;
};

struct StageRecord
{
    qint64 runId = 0;
    QString stage;
    StageState state = StageState::Pending;
    int attempts = 0; // attempts made, interrupted ones included
    int failures = 0; // attempts that used up a retry
    qint64 nextAttemptMs = 0; // RetryWait: when the next attempt may start
};

// One attempt to run a stage: its lease, its process and where its output went.
struct AttemptRecord
{
    qint64 id = 0;
    qint64 runId = 0;
    QString stage;
    int attempt = 0; // 1, 2, ...
    AttemptState state = AttemptState::Running;
    QString leaseOwner; // the engine instance that runs it
    qint64 leaseUntilMs = 0; // renewed by heartbeats while it runs
    qint64 pid = 0;
    qint64 pgid = 0;
    quint64 startTicks = 0; // /proc start time, to recognise the process after a crash
    QString bootId;
    qint64 startedMs = 0;
    qint64 finishedMs = 0;
    qint64 scheduleDelayUs = -1; // last dependency finished -> process started
    qint64 slotWaitUs = -1; // of that, waiting for a free slot (the engine's or the pipeline's)
    int exitCode = 0;
    int signal = 0;
    QString error;
    QString stdoutPath;
    QString stderrPath;
    QString statusPath; // the exit status the stage's wrapper writes (survives the engine)
    QString artifactsDir; // empty when the stage keeps no artifacts
};

struct ArtifactRecord
{
    qint64 runId = 0;
    QString stage;
    QString path; // relative to the attempt's artifacts directory
    QString sha256; // lower-case hex
    qint64 size = 0;
};

} // namespace Shivx

Q_DECLARE_METATYPE(Shivx::RunRecord)
Q_DECLARE_METATYPE(Shivx::StageRecord)
Q_DECLARE_METATYPE(Shivx::AttemptRecord)
Q_DECLARE_METATYPE(Shivx::ArtifactRecord)
