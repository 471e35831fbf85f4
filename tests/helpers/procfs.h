#pragma once

// /proc readers for tests that check what processes exist: helper children, their groups,
// zombies; and this process's own memory for the tests and benchmarks that report it.
// Reads only; never signals anything.

#include "health/procparser.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QList>
#include <QString>

#include <functional>

namespace ShivxTest {

// The fields of /proc/PID/stat after "(comm)": [0] state letter, [1] ppid, [2] pgrp, ...
// (comm may contain spaces, so the split starts after the last ')'). Empty when gone.
inline QList<QByteArray> procStatFields(qint64 pid)
{
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (pid <= 0 || !stat.open(QIODevice::ReadOnly))
        return {};
    const QByteArray line = stat.readAll();
    const qsizetype close = line.lastIndexOf(')');
    return close > 0 ? line.mid(close + 2).split(' ') : QList<QByteArray>();
}

// Every pid whose stat fields satisfy `match`.
inline QList<qint64> processesWhere(const std::function<bool(const QList<QByteArray> &)> &match)
{
    QList<qint64> pids;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid)
            continue;
        const QList<QByteArray> fields = procStatFields(pid);
        if (!fields.isEmpty() && match(fields))
            pids.append(pid);
    }
    return pids;
}

// The pid a process wrote into `path`, or 0 while there is none.
inline qint64 readPidFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    return file.readAll().trimmed().toLongLong();
}

// Resident memory of this process in KiB, read with the engine's own /proc parser; -1 when
// /proc/self/status cannot be read.
inline qint64 selfRssKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    return qint64(Shivx::ProcParser::parseProcessStatus(status.readAll()).rssBytes / 1024);
}

} // namespace ShivxTest
