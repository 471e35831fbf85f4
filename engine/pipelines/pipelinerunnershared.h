#pragma once

// What the files of PipelineRunner (pipelinerunner*.cpp) share; not for other classes.

#include "audit/auditsink.h"
#include "core/result.h"
#include "pipelines/pipelinerecords.h"

#include <QLoggingCategory>
#include <QString>

Q_DECLARE_LOGGING_CATEGORY(lcRunner)

namespace Shivx::RunnerShared {

// The actor of what the runner does on its own (schedules, retries, resumes).
inline QString engineActor()
{
    return QStringLiteral("engine");
}

// The engine's own actions go to the resilience stream, an operator's to the operator stream.
inline QString streamFor(const QString &actor)
{
    return actor == engineActor() ? AuditStreams::resilience() : AuditStreams::operatorActions();
}

// Runs as signals and listings carry them: the definition bytes only matter for resuming.
inline RunRecord withoutDefinition(RunRecord r)
{
    r.definition.clear();
    return r;
}

inline Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}

} // namespace Shivx::RunnerShared
