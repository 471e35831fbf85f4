#pragma once

// Shared by the supervisor tests (tst_supervisedprocess, tst_processsupervisor): an audit
// sink that keeps what it is given, /proc helpers that tell live processes from zombies,
// and a spec builder for the helper child.

#include "audit/auditsink.h"
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
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 && close + 2 < line.size() ? line.at(close + 2) : 0;
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
    QList<qint64> members;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(entry));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // "pid (comm) state ppid pgrp ..."
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 2 && fields.at(2).toLongLong() == pgid && fields.at(0) != "Z")
            members.append(pid);
    }
    return members;
}

inline qint64 readPidFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toLongLong();
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
