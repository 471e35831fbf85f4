#include "pipelines/pipelinerecords.h"

#include <array>
#include <utility>

namespace Shivx {

namespace {

template <class E, std::size_t N>
QString nameOf(const std::array<std::pair<E, const char *>, N> &table, E value)
{
    for (const auto &[e, name] : table)
        if (e == value)
            return QString::fromLatin1(name);
    return {};
}

template <class E, std::size_t N>
bool parseName(const std::array<std::pair<E, const char *>, N> &table, const QString &text, E *out)
{
    for (const auto &[e, name] : table)
        if (text == QLatin1String(name)) {
            *out = e;
            return true;
        }
    return false;
}

constexpr std::array<std::pair<RunState, const char *>, 6> RunNames { {
    { RunState::Queued, "queued" },
    { RunState::Running, "running" },
    { RunState::Succeeded, "succeeded" },
    { RunState::DeadLetter, "dead_letter" },
    { RunState::Cancelled, "cancelled" },
    { RunState::Discarded, "discarded" },
} };

constexpr std::array<std::pair<StageState, const char *>, 7> StageNames { {
    { StageState::Pending, "pending" },
    { StageState::Running, "running" },
    { StageState::RetryWait, "retry_wait" },
    { StageState::Succeeded, "succeeded" },
    { StageState::Failed, "failed" },
    { StageState::Skipped, "skipped" },
    { StageState::Cancelled, "cancelled" },
} };

constexpr std::array<std::pair<AttemptState, const char *>, 6> AttemptNames { {
    { AttemptState::Running, "running" },
    { AttemptState::Succeeded, "succeeded" },
    { AttemptState::Failed, "failed" },
    { AttemptState::TimedOut, "timed_out" },
    { AttemptState::Interrupted, "interrupted" },
    { AttemptState::Cancelled, "cancelled" },
} };

} // namespace

QString toString(RunState s)
{
    return nameOf(RunNames, s);
}

QString toString(StageState s)
{
    return nameOf(StageNames, s);
}

QString toString(AttemptState s)
{
    return nameOf(AttemptNames, s);
}

bool parseRunState(const QString &text, RunState *out)
{
    return parseName(RunNames, text, out);
}

bool parseStageState(const QString &text, StageState *out)
{
    return parseName(StageNames, text, out);
}

bool parseAttemptState(const QString &text, AttemptState *out)
{
    return parseName(AttemptNames, text, out);
}

bool isFinished(RunState s)
{
    return s != RunState::Queued && s != RunState::Running;
}

bool isFinished(StageState s)
{
    return s == StageState::Succeeded || s == StageState::Failed || s == StageState::Skipped
        || s == StageState::Cancelled;
}

} // namespace Shivx
