#include "recovery/childrecord.h"

#include "health/procparser.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace Shivx {

namespace {

const QString Suffix = QStringLiteral(".run");

// Plain reads: QFile took 40 us for a stat line, read for every stage a pipeline starts.
QByteArray readProc(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return {};
    QByteArray out;
    char buf[4096];
    for (;;) {
        const ssize_t n = ::read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        out.append(buf, n);
    }
    ::close(fd);
    return out;
}

ProcParser::ProcessStat statOf(qint64 pid)
{
    return ProcParser::parseProcessStat(readProc(QStringLiteral("/proc/%1/stat").arg(pid)));
}

// Read once: it cannot change while this process lives, and a pipeline records it for every
// stage it starts.
const QString &currentBootId()
{
    static const QString id = QString::fromLatin1(
        readProc(QStringLiteral("/proc/sys/kernel/random/boot_id")).trimmed());
    return id;
}

Error recordError(const QString &message)
{
    return makeError("recovery.child_record", message);
}

} // namespace

Result<ChildRecord> ChildRecord::ofChild(const QString &name, qint64 pid, qint64 stopTimeoutMs,
    const QString &command, qint64 startedAtMs)
{
    const ProcParser::ProcessStat stat = pid > 0 ? statOf(pid) : ProcParser::ProcessStat {};
    if (stat.state == 0)
        return recordError(QStringLiteral("/proc/%1/stat: cannot read it").arg(pid));
    ChildRecord r;
    r.name = name;
    r.pid = pid;
    r.pgid = stat.pgrp;
    r.startTicks = stat.startTicks;
    r.bootId = currentBootId();
    r.stopTimeoutMs = stopTimeoutMs;
    r.startedAtMs = startedAtMs;
    r.command = command;
    return r;
}

QString ChildRecord::path(const QString &dir, const QString &name)
{
    return QDir(dir).filePath(name + Suffix);
}

QStringList ChildRecord::namesIn(const QString &dir)
{
    QStringList names;
    const QStringList files
        = QDir(dir).entryList({ QStringLiteral("*") + Suffix }, QDir::Files, QDir::Name);
    for (const QString &f : files)
        names.append(f.chopped(Suffix.size()));
    return names;
}

Result<ChildRecord> ChildRecord::load(const QString &dir, const QString &name)
{
    const QString file = path(dir, name);
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return recordError(QStringLiteral("%1: %2").arg(file, f.errorString()));
    const QList<QByteArray> lines = f.read(64 * 1024).split('\n');
    ChildRecord r;
    r.name = name;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines.at(i);
        const qsizetype space = line.indexOf(' ');
        if (space <= 0)
            continue;
        const QByteArray key = line.left(space);
        const QByteArray value = line.mid(space + 1);
        if (key == "pid")
            r.pid = value.toLongLong();
        else if (key == "pgid")
            r.pgid = value.toLongLong();
        else if (key == "start_ticks")
            r.startTicks = value.toULongLong();
        else if (key == "boot_id")
            r.bootId = QString::fromLatin1(value);
        else if (key == "stop_timeout_ms")
            r.stopTimeoutMs = value.toLongLong();
        else if (key == "started_at_ms")
            r.startedAtMs = value.toLongLong();
        else if (key == "command")
            r.command = QString::fromUtf8(value);
    }
    if (r.pid <= 0 || r.pgid <= 0 || r.startTicks == 0 || r.bootId.isEmpty())
        return recordError(
            QStringLiteral("%1: not a supervisor record (it needs a pid, pgid, start_ticks and "
                           "boot_id)")
                .arg(file));
    return r;
}

Result<void> ChildRecord::save(const QString &dir) const
{
    QDir().mkpath(dir);
    QSaveFile f(path(dir, name));
    if (!f.open(QIODevice::WriteOnly))
        return recordError(QStringLiteral("%1: %2").arg(f.fileName(), f.errorString()));
    QByteArray text = "pid " + QByteArray::number(pid) + '\n';
    text += "pgid " + QByteArray::number(pgid) + '\n';
    text += "start_ticks " + QByteArray::number(startTicks) + '\n';
    text += "boot_id " + bootId.toLatin1() + '\n';
    text += "stop_timeout_ms " + QByteArray::number(stopTimeoutMs) + '\n';
    text += "started_at_ms " + QByteArray::number(startedAtMs) + '\n';
    text += "command " + command.toUtf8().replace('\n', ' ') + '\n';
    f.write(text);
    if (!f.commit())
        return recordError(QStringLiteral("%1: %2").arg(f.fileName(), f.errorString()));
    return {};
}

void ChildRecord::remove(const QString &dir, const QString &name)
{
    QFile::remove(path(dir, name));
}

QString ChildRecord::whyNotRunning() const
{
    const ProcParser::ProcessStat stat = statOf(pid);
    if (stat.state == 0 || stat.state == 'Z' || stat.state == 'X')
        return QStringLiteral("pid %1 is gone").arg(pid);
    if (bootId != currentBootId())
        return QStringLiteral("pid %1 was recorded before the machine restarted").arg(pid);
    if (stat.startTicks != startTicks)
        return QStringLiteral(
            "pid %1 started at a different time (another process has the pid now)")
            .arg(pid);
    if (stat.pgrp != pgid)
        return QStringLiteral("pid %1 is in process group %2, not %3")
            .arg(pid)
            .arg(stat.pgrp)
            .arg(pgid);
    return {};
}

} // namespace Shivx
