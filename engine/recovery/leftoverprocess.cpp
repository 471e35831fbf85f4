#include "recovery/leftoverprocess.h"

#include <QThread>
#include <QTimer>

#include <csignal>
#include <unistd.h>

namespace Shivx {

namespace {

constexpr int PollMs = 50;
// After SIGKILL the kernel tears the process down at once; a process that still exists this
// long after it (stuck in uninterruptible I/O) is given up on so that shutdown can finish.
constexpr qint64 KillGraceMs = 5000;

} // namespace

LeftoverProcess::LeftoverProcess(const ChildRecord &record, QObject *parent)
    : QObject(parent)
    , m_record(record)
{
    m_poll = new QTimer(this);
    m_poll->setInterval(PollMs);
    connect(m_poll, &QTimer::timeout, this, &LeftoverProcess::poll);
}

LeftoverProcess::~LeftoverProcess()
{
    if (m_since.isValid() && !m_done)
        finishBlocking();
}

void LeftoverProcess::signalGroup(int signal)
{
    // The run called setsid(), so its group id is its pid; the negative id reaches every
    // process of the group. The record was checked against /proc just before.
    if (m_record.pgid > 0)
        ::kill(pid_t(-m_record.pgid), signal);
}

void LeftoverProcess::stop()
{
    if (m_since.isValid())
        return;
    m_since.start();
    signalGroup(SIGTERM);
    m_poll->start();
}

void LeftoverProcess::poll()
{
    if (m_done)
        return;
    if (!m_record.isRunning()) {
        finish();
        return;
    }
    const qint64 elapsed = m_since.elapsed();
    if (!m_killed && elapsed >= m_record.stopTimeoutMs) {
        m_killed = true;
        signalGroup(SIGKILL);
    } else if (m_killed && elapsed >= m_record.stopTimeoutMs + KillGraceMs) {
        finish(); // stuck in the kernel; nothing more can be done from here
    }
}

void LeftoverProcess::finishBlocking()
{
    if (!m_since.isValid())
        stop();
    while (!m_done) {
        poll();
        if (!m_done)
            QThread::msleep(PollMs / 5);
    }
}

void LeftoverProcess::finish()
{
    m_done = true;
    m_poll->stop();
    // The rest of the group goes with its leader, as for the supervisor's own runs.
    signalGroup(SIGKILL);
    Q_EMIT stopped(m_record, m_killed, m_since.elapsed());
}

} // namespace Shivx
