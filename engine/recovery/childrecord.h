#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

namespace Shivx {

// What the supervisor remembers of one run it started, in DATA_DIR/processes/NAME.run, so
// that the next engine can find the run if this one dies without stopping it: a supervised
// process has its own session, so kill -9 of the engine leaves it running, and a new start
// would launch a second copy beside it.
//
// The file holds "key value" lines (pid, pgid, start_ticks, boot_id, stop_timeout_ms,
// started_at_ms, command); it is written with a temporary file and a rename when the run
// starts and removed once the run is reaped. Not NAME.pid: a pid file holds only a pid, and a
// program may write one of its own into its working directory, which is this one by default. A
// record proves that a process is ours only when everything matches: the pid runs (not a zombie),
// its start time (clock ticks after boot, field 22 of /proc/PID/stat) and the boot
// (/proc/sys/kernel/random/boot_id) are the recorded ones, and it still leads the recorded process
// group. A pid the kernel gave to another process since fails the start time; whatever fails is
// left alone.
struct ChildRecord
{
    QString name; // the supervised process (target) name
    qint64 pid = 0;
    qint64 pgid = 0;
    quint64 startTicks = 0;
    QString bootId;
    qint64 stopTimeoutMs = 10'000; // the spec's stop_timeout, for stopping it as a leftover
    qint64 startedAtMs = 0; // epoch ms, for the log
    QString command;

    // The record of our child `pid`, which just started (read from /proc). Errors:
    // recovery.child_record (the process is gone or /proc cannot be read).
    static Result<ChildRecord> ofChild(const QString &name, qint64 pid, qint64 stopTimeoutMs,
        const QString &command, qint64 startedAtMs);
    // DIR/NAME.run
    static QString path(const QString &dir, const QString &name);
    // The names of every record in `dir`.
    static QStringList namesIn(const QString &dir);
    // Reads DIR/NAME.run. Errors: recovery.child_record (unreadable, or not a whole record).
    static Result<ChildRecord> load(const QString &dir, const QString &name);
    // Writes DIR/NAME.run (temporary file and rename). Errors: recovery.child_record.
    Result<void> save(const QString &dir) const;
    static void remove(const QString &dir, const QString &name);

    // Empty when the process this record describes still runs (every field above matches),
    // else why not ("pid 4242 is gone", "pid 4242 started at a different time (another
    // process has the pid now)", ...).
    QString whyNotRunning() const;
    bool isRunning() const { return whyNotRunning().isEmpty(); }
};

} // namespace Shivx
