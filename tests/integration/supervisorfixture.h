#pragma once

// Shared by the supervisor tests (tst_supervisedprocess, tst_processsupervisor): an audit
// sink that keeps what it is given, /proc helpers that tell live processes from zombies,
// and a spec builder for the helper child.

#include "audit/auditsink.h"
#include "procfs.h"
#include "recordingauditsink.h"
#include "recovery/superviseconfig.h"

#include <QDir>
#include <QFile>
#include <QList>
#include <QMutex>
#include <QMutexLocker>
#include <QStringList>

namespace ShivxTest {

using namespace Shivx;

inline const QString ChildProgram = QStringLiteral(SHIVX_TEST_HELPER);

// The state letter of /proc/PID/stat ('R', 'S', 'Z', ...), or 0 when there is no such process.
inline char procState(qint64 pid)
{
    const QList<QByteArray> fields = procStatFields(pid);
    return fields.isEmpty() || fields.first().isEmpty() ? 0 : fields.first().at(0);
}

// Alive means running or sleeping: gone and zombie (dead, awaiting a reaper) both are not.
inline bool isAlive(qint64 pid)
{
    const char s = procState(pid);
    return s != 0 && s != 'Z' && s != 'X';
}

// Live members of process group `pgid`.
inline QList<qint64> liveGroupMembers(qint64 pgid)
{
    return processesWhere([pgid](const QList<QByteArray> &f) {
        return f.size() > 2 && f.at(2).toLongLong() == pgid && f.at(0) != "Z";
    });
}

inline RecoverySpec childSpec(const QString &name, const QStringList &args)
{
    RecoverySpec s;
    s.name = name;
    s.supervised = true;
    s.command = ChildProgram;
    s.args = args;
    s.backoffInitialMs = 50;
    s.backoffMaxMs = 200;
    s.stopTimeoutMs = 2000;
    s.startupGraceMs = 0;
    s.crashLoopRestarts = 100;
    s.crashLoopWindowMs = 60'000;
    s.crashLoopCooldownMs = 60'000;
    return s;
}

} // namespace ShivxTest
