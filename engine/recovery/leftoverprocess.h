#pragma once

#include "recovery/childrecord.h"

#include <QElapsedTimer>
#include <QObject>

class QTimer;

namespace Shivx {

// Stops one run that an earlier engine started and left behind when it died (a ChildRecord
// that still proves the process is ours): SIGTERM to its process group, SIGKILL to the group
// once the record's stop timeout has passed, and SIGKILL to whatever is left of the group
// when the leader is gone. The process is no longer our child: its exit status cannot be
// collected and its pipes are gone, so it is watched through /proc every 50 ms instead of
// being waited for, and stopping it is the only sound choice (it cannot be supervised).
//
// Lives on the supervisor thread; every method must be called there.
class LeftoverProcess : public QObject
{
    Q_OBJECT
public:
    explicit LeftoverProcess(const ChildRecord &record, QObject *parent = nullptr);
    ~LeftoverProcess() override;

    const ChildRecord &record() const { return m_record; }
    // Sends SIGTERM to the group and watches it; stopped() follows.
    void stop();
    // Engine exit: blocks until the process is gone, sending SIGKILL to the group once the
    // stop timeout has passed since stop(); stopped() is emitted before it returns.
    void finishBlocking();

Q_SIGNALS:
    // The process is gone; `killed` when it took SIGKILL, `tookMs` since stop().
    void stopped(const Shivx::ChildRecord &record, bool killed, qint64 tookMs);

private:
    void poll();
    void signalGroup(int signal);
    void finish();

    ChildRecord m_record;
    QTimer *m_poll = nullptr;
    QElapsedTimer m_since; // from stop(); monotonic, so a clock change cannot cut the wait
    bool m_killed = false;
    bool m_done = false;
};

} // namespace Shivx
