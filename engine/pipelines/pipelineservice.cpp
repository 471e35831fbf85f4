#include "pipelines/pipelineservice.h"

#include "core/callonthread.h"

#include <QThread>

#include <optional>

namespace Shivx {

namespace {

Error notRunning()
{
    return makeError("engine.not_running", QStringLiteral("the engine is not running"));
}

} // namespace

PipelineService::PipelineService(QObject *parent)
    : QObject(parent)
{
}

template <class T, class F> Result<T> PipelineService::call(F f) const
{
    PipelineRunner *runner = m_runner.load();
    if (!runner)
        return notRunning();
    if (runner->thread() == QThread::currentThread())
        return f(runner);
    if (!runner->thread() || !runner->thread()->isRunning())
        return notRunning();
    std::optional<Result<T>> result;
    callOnThread(runner, [&] { result.emplace(f(runner)); });
    if (!result)
        return notRunning();
    return std::move(*result);
}

Result<qint64> PipelineService::run(
    const QString &pipeline, const QMap<QString, QString> &params, const QString &actor)
{
    return call<qint64>([&](PipelineRunner *r) {
        return r->trigger(pipeline, params, QStringLiteral("manual"), actor);
    });
}

Result<void> PipelineService::cancel(qint64 runId, const QString &actor)
{
    return call<void>([&](PipelineRunner *r) { return r->cancel(runId, actor); });
}

Result<void> PipelineService::retryDeadLetter(qint64 runId, const QString &actor)
{
    return call<void>([&](PipelineRunner *r) { return r->retryDeadLetter(runId, actor); });
}

Result<void> PipelineService::discardDeadLetter(qint64 runId, const QString &actor)
{
    return call<void>([&](PipelineRunner *r) { return r->discardDeadLetter(runId, actor); });
}

Result<QList<PipelineInfo>> PipelineService::pipelines() const
{
    return call<QList<PipelineInfo>>(
        [](PipelineRunner *r) { return Result<QList<PipelineInfo>>(r->pipelines()); });
}

Result<QList<Error>> PipelineService::definitionErrors() const
{
    return call<QList<Error>>(
        [](PipelineRunner *r) { return Result<QList<Error>>(r->definitionErrors()); });
}

Result<QList<RunRecord>> PipelineService::runs(const RunFilter &filter) const
{
    return call<QList<RunRecord>>([&](PipelineRunner *r) { return r->runs(filter); });
}

Result<RunDetail> PipelineService::runDetail(qint64 runId) const
{
    return call<RunDetail>([&](PipelineRunner *r) { return r->run(runId); });
}

Result<void> PipelineService::setExternalPaused(bool paused)
{
    return call<void>([&](PipelineRunner *r) {
        r->setExternalPaused(paused);
        return Result<void>();
    });
}

PipelineCounters PipelineService::counters() const
{
    PipelineRunner *runner = m_runner.load();
    return runner ? runner->counters() : PipelineCounters {};
}

} // namespace Shivx
