#include "health/processprobe.h"

#include "health/probemessages.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

#include <algorithm>

namespace Shivx {

namespace {

// Pid files and /proc entries are tiny; the cap only guards against a pid_file pointing at
// something large by mistake.
constexpr qint64 MaxSmallFileBytes = 64 * 1024;

QByteArray readSmallFile(const QString &path, QString *error = nullptr)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return {};
    }
    return file.read(MaxSmallFileBytes);
}

// The state letter of /proc/PID/stat follows the ")" that ends the command name; the name
// itself may contain spaces and parentheses, so search from the end.
char procState(qint64 pid, const QString &procRoot)
{
    const QByteArray stat = readSmallFile(QStringLiteral("%1/%2/stat").arg(procRoot).arg(pid));
    const qsizetype close = stat.lastIndexOf(')');
    if (close < 0 || close + 2 >= stat.size())
        return 0;
    return stat.at(close + 2);
}

} // namespace

ProcessProbe::ProcessProbe(const TargetSpec &spec, Clock *clock, QObject *parent)
    : Probe(spec, clock, parent)
{
}

bool ProcessProbe::isRunning(qint64 pid, const QString &procRoot)
{
    if (pid <= 0)
        return false;
    const char state = procState(pid, procRoot);
    return state != 0 && state != 'Z' && state != 'X' && state != 'x';
}

QList<qint64> ProcessProbe::findByName(const QString &name, const QString &procRoot)
{
    QList<qint64> found;
    if (name.isEmpty())
        return found;
    const QByteArray wanted = name.toUtf8();
    // The kernel truncates comm to 15 bytes; a longer name can still match by argv[0].
    const bool commComparable = wanted.size() <= 15;
    const QStringList entries = QDir(procRoot).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool isPid = false;
        const qint64 pid = entry.toLongLong(&isPid);
        if (!isPid || pid <= 0)
            continue;
        const QString dir = procRoot + QLatin1Char('/') + entry;
        bool match = false;
        if (commComparable)
            match = readSmallFile(dir + QLatin1String("/comm")).trimmed() == wanted;
        if (!match) {
            const QByteArray cmdline = readSmallFile(dir + QLatin1String("/cmdline"));
            const QByteArray argv0 = cmdline.left(cmdline.indexOf('\0'));
            const qsizetype slash = argv0.lastIndexOf('/');
            match = !argv0.isEmpty() && argv0.mid(slash + 1) == wanted;
        }
        if (match && isRunning(pid, procRoot))
            found.append(pid);
    }
    std::sort(found.begin(), found.end());
    return found;
}

Message ProcessProbe::check(const TargetSpec &spec, const QString &procRoot)
{
    if (!spec.pidFile.isEmpty()) {
        QString readError;
        const QByteArray content = readSmallFile(spec.pidFile, &readError);
        if (!readError.isEmpty())
            return ProbeMessages::pidFileUnreadable(spec.pidFile, readError);
        bool isPid = false;
        const qint64 pid = content.trimmed().toLongLong(&isPid);
        if (!isPid || pid <= 0)
            return ProbeMessages::pidFileWithoutPid(spec.pidFile);
        if (!isRunning(pid, procRoot))
            return ProbeMessages::pidNotRunning(pid, spec.pidFile);
        return {};
    }
    if (!spec.processName.isEmpty()) {
        if (findByName(spec.processName, procRoot).isEmpty())
            return ProbeMessages::noProcessNamed(spec.processName);
        return {};
    }
    return ProbeMessages::noProcessSpec();
}

void ProcessProbe::begin()
{
    const Message error = check(m_spec);
    // Reported from the event loop so that start() never emits before the caller is ready.
    QTimer::singleShot(0, this, [this, error] { finish(error.isEmpty(), error); });
}

void ProcessProbe::abortWork()
{
    // Nothing in flight: the check already ran inside begin(), only its report is queued,
    // and cancel() has marked the probe done so that report is dropped.
}

} // namespace Shivx
