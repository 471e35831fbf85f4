#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QStringList>

namespace Shivx {

// The captured output of one supervised process: DIR/NAME.log, rotated by size into
// NAME.log.1 (newest) .. NAME.log.N (oldest; dropped on the next rotation). Output is kept
// in the order it arrived, stdout and stderr interleaved, and is split into lines for the
// live tail. Not thread-safe; the supervisor thread owns it.
//
// The file never grows past maxBytes and a failure never loops: when NAME.log cannot be
// moved away (a directory named NAME.log.1, a read-only directory) it is emptied instead and
// starts with a line saying why, so the newest output keeps flowing; when even that or a
// write fails (disk full), the output of that call is dropped. Each failure is reported once
// (a warning in shivx.recovery.processlog and lastError()) until rotation works again; the
// next rotation is tried when the file is full again, never once per line.
class ProcessLog
{
public:
    ProcessLog(const QString &dir, const QString &name, qint64 maxBytes, int keptFiles);

    QString path() const;
    // Appends raw output; returns the complete lines it finished (without "\n"), for the tail.
    // A line split across writes is returned once it is complete. Write errors are reported
    // once through lastError() and do not stop the process.
    QStringList append(const QByteArray &data);
    // A line the supervisor writes itself ("--- started pid 42 ---"), so the log reads as a
    // history of runs. Returns the lines it completed, like append().
    QStringList note(const QString &text);
    QString lastError() const { return m_error; }
    // A reloaded configuration: applies from the next write.
    void setLimits(qint64 maxBytes, int keptFiles);

    // The last `maxLines` lines of the current file, for a tail that starts mid-stream.
    static QStringList tail(const QString &path, int maxLines);

private:
    bool ensureOpen();
    // Moves NAME.log to NAME.log.1 (and the older ones up); empties it when it cannot be
    // moved. True when NAME.log is open and empty afterwards.
    bool rotate();
    QString rotated(int index) const;
    void fail(const QString &message);

    QString m_dir;
    QString m_name;
    qint64 m_maxBytes;
    int m_keptFiles;
    QFile m_file;
    QByteArray m_partial;
    QString m_error;
    QString m_reported; // the last failure warned about; cleared once rotation works again
};

} // namespace Shivx
