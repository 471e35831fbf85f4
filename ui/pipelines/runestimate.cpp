#include "pipelines/runestimate.h"

#include <functional>

namespace Shivx::Ui {

RunEstimate RunEstimate::compute(const PipelineDefinition &definition,
    const QList<StageRecord> &stages, const QList<AttemptRecord> &attempts,
    const QHash<QString, qint64> &previousMs, qint64 nowMs)
{
    RunEstimate e;
    QHash<QString, StageRecord> stateOf;
    for (const StageRecord &s : stages)
        stateOf.insert(s.stage, s);
    e.stagesTotal = int(definition.stages.size());
    for (const StageDefinition &d : definition.stages)
        if (isFinished(stateOf.value(d.name).state))
            ++e.stagesDone;
    if (e.stagesDone == e.stagesTotal) {
        e.remainingMs = 0;
        return e;
    }
    if (previousMs.isEmpty())
        return e;
    qint64 sum = 0;
    for (qint64 ms : previousMs)
        sum += ms;
    const qint64 mean = sum / previousMs.size();
    QHash<QString, qint64> runningSince; // the latest attempt of each running stage
    for (const AttemptRecord &a : attempts)
        if (a.state == AttemptState::Running && a.startedMs > 0)
            runningSince.insert(a.stage, a.startedMs);

    QHash<QString, qint64> finishAt; // ms from now at which each stage should be done
    std::function<qint64(const QString &)> finish = [&](const QString &name) -> qint64 {
        if (const auto it = finishAt.constFind(name); it != finishAt.cend())
            return *it;
        const int idx = definition.indexOf(name);
        const StageRecord rec = stateOf.value(name);
        qint64 at = 0;
        if (idx >= 0 && !isFinished(rec.state)) {
            qint64 start = 0;
            for (const QString &dep : definition.stages.at(idx).needs)
                start = qMax(start, finish(dep));
            qint64 own = previousMs.value(name, mean);
            if (rec.state == StageState::Running && runningSince.contains(name))
                own = qMax<qint64>(0, own - (nowMs - runningSince.value(name)));
            else if (rec.state == StageState::RetryWait && rec.nextAttemptMs > nowMs)
                start = qMax(start, rec.nextAttemptMs - nowMs);
            at = start + own;
        }
        finishAt.insert(name, at);
        return at;
    };
    qint64 remaining = 0;
    for (const StageDefinition &d : definition.stages)
        remaining = qMax(remaining, finish(d.name));
    e.remainingMs = remaining;
    return e;
}

QHash<QString, qint64> RunEstimate::durationsOf(const QList<AttemptRecord> &attempts)
{
    QHash<QString, qint64> ms;
    for (const AttemptRecord &a : attempts)
        if (a.state == AttemptState::Succeeded && a.startedMs > 0 && a.finishedMs >= a.startedMs)
            ms.insert(a.stage, a.finishedMs - a.startedMs);
    return ms;
}

} // namespace Shivx::Ui
