#pragma once

#include "health/probe.h"

#include <QList>

namespace Shivx {

// Checks that a process is alive, by pid file (the pid must exist in /proc and not be a
// zombie) or by executable name (/proc/PID/comm, or the basename of argv[0] for names longer
// than the kernel's 15-character comm). Reading /proc takes a few milliseconds and never
// waits on a peer, so the check runs inline and the result is reported from the event loop.
class ProcessProbe : public Probe
{
    Q_OBJECT
public:
    ProcessProbe(const TargetSpec &spec, Clock *clock, QObject *parent = nullptr);

    // Empty when the spec's process is running, else why not. procRoot is "/proc" except in
    // tests that feed a fixture tree.
    static Message check(const TargetSpec &spec, const QString &procRoot = QStringLiteral("/proc"));
    // True when PID exists and is neither a zombie nor dead.
    static bool isRunning(qint64 pid, const QString &procRoot = QStringLiteral("/proc"));
    // Running processes whose comm or argv[0] basename equals name, ascending.
    static QList<qint64> findByName(
        const QString &name, const QString &procRoot = QStringLiteral("/proc"));

protected:
    void begin() override;
    void abortWork() override;
};

} // namespace Shivx
