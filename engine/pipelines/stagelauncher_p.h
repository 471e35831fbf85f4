#pragma once

// What the files of StageLauncher (stagelauncher*.cpp, stagespawn.cpp) share; not for other
// classes.
#include "pipelines/stagelauncher.h"

#include <QLoggingCategory>
#include <QObject>

#include <atomic>
#include <cstring>
#include <memory>

#include <sys/types.h>

Q_DECLARE_LOGGING_CATEGORY(lcLauncher)

namespace Shivx {

namespace LauncherShared {

// Output still arriving this long after the wrapper was reaped comes from a process that left
// the group: its pipe is closed rather than waited for.
constexpr qint64 DrainGraceMs = 1000;

// What an epoll event is about, in the low two bits of its data (the launch id above them).
enum Kind : quint64 { Wake = 0, Pidfd = 1, Stdout = 2, Stderr = 3 };

inline QString errnoText(int e)
{
    return QString::fromLocal8Bit(std::strerror(e));
}

} // namespace LauncherShared

struct StageLauncher::Launch
{
    quint64 id = 0;
    StageLaunch launch;
    QObject *receiver = nullptr;
    StartedFn started;
    FinishedFn finished;
    // Set by forget(), read where a report is delivered: a report posted before forget() is
    // dropped there.
    std::shared_ptr<std::atomic<bool>> forgottenFlag = std::make_shared<std::atomic<bool>>(false);
    // Under m_mutex:
    enum class Phase { Queued, Spawning, Spawned } phase = Phase::Queued;
    TaskHandle task; // the spawn on the executor
    int pendingSignal = 0; // signal() before the process existed
    pid_t spawnedPid = 0; // from the spawn task to adopt()
    Started spawned; // from the spawn task, reported by the launcher's thread
    bool startedDue = false; // spawned, not reported yet
    int spawnedPipe[2] = { -1, -1 };
    bool forgotten = false;
    bool waited = false; // waitReaped() takes the result
    bool done = false;
    Finished result;
    // The launcher thread's alone:
    pid_t pid = 0;
    int pidfd = -1;
    int pipe[2] = { -1, -1 }; // read ends: stdout, stderr
    int file[2] = { -1, -1 };
    bool reaped = false;
    qint64 reapedMs = 0;
    qint64 startedDueMs = -1; // when started() is reported at the latest
    quint64 adopted = 0; // its place in the order of adoption, which is the order of spawns
};

} // namespace Shivx
