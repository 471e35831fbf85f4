#pragma once

#include "backup/backupprogress.h"
#include "core/result.h"

#include <QByteArray>
#include <QStringList>

#include <memory>
#include <sys/types.h>

namespace Shivx::Backup {

// A child process started without a shell (posix_spawnp: PATH is searched, arguments are passed
// as they are) with a pipe to its stdout (ReadStdout: pg_dump) or to its stdin (WriteStdin:
// pg_restore). Its stderr (and, when writing to it, its stdout) is read on the way and kept, the
// first 16 KiB, for the error message; the rest is read and dropped, so that a chatty child never
// blocks on a full pipe. The child runs in a process group of its own with the default signal
// mask and dispositions (the CLI blocks SIGINT/SIGTERM in its threads; that would survive exec).
//
// Nothing goes through a file: the caller moves the bytes. Every wait polls in steps of 100 ms
// and checks the Control's cancel flag between them; cancel kills the group (SIGKILL). The
// destructor does the same, and reaps, when the child still runs, so that an operation that fails
// or is cancelled never leaves the child behind. One thread uses an instance.
class PipedChild
{
public:
    enum class Direction { ReadStdout, WriteStdin };

    // ENOENT and the like are errors naming `program` ("backup.child").
    static Result<std::unique_ptr<PipedChild>> start(
        const QString &program, const QStringList &args, Direction direction);
    ~PipedChild();
    PipedChild(const PipedChild &) = delete;
    PipedChild &operator=(const PipedChild &) = delete;

    // ReadStdout: up to `size` bytes of the child's stdout, 0 at its end. Cancel: the child is
    // killed and the error is "backup.cancelled".
    Result<std::size_t> read(std::uint8_t *buffer, std::size_t size, const Control &control);
    // WriteStdin: all of `data`. When the child has closed its stdin (it exited), the error is
    // "backup.child_gone"; wait() then gives its exit and output.
    Result<void> write(const std::uint8_t *data, std::size_t size, const Control &control);

    struct Exit
    {
        int code = 0; // exit status when it exited
        int signal = 0; // the signal that ended it, else 0
        bool ok() const { return code == 0 && signal == 0; }
        QString describe() const; // "exit 1" / "killed by signal 9"
    };
    // Closes the pipe to the child, reads its output to the end and reaps it.
    Result<Exit> wait(const Control &control);
    void kill(); // SIGKILL to the group, then reaps
    // What the child wrote to stderr so far, trimmed (the first 16 KiB).
    QString output() const;
    pid_t pid() const { return m_pid; }

private:
    PipedChild() = default;
    void drainOutput(); // what the output pipe holds now; closes it at its end
    void closeFd(int *fd);

    pid_t m_pid = -1;
    bool m_reaped = false;
    int m_data = -1; // stdout to read or stdin to write
    int m_output = -1; // stderr (and stdout when writing)
    QString m_program;
    QByteArray m_captured;
};

} // namespace Shivx::Backup
