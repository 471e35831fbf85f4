#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QElapsedTimer>
#include <QObject>
#include <QString>

#include <functional>

class QSocketNotifier;
class QTimer;

namespace Shivx {

struct LogFollowerOptions
{
    // Where reading starts the first time a file is followed (no saved position): at its end,
    // like fail2ban, so that a long history is not replayed as fresh attacks. A file that
    // appears after start(), or replaces the followed one, is always read from its start.
    enum class FirstStart { End, Beginning };
    FirstStart firstStart = FirstStart::End;
    // The fallback poll for when inotify is unavailable or misses an event (NFS, overflow).
    int pollIntervalMs = 2000;
    // The position file is written at most this often while lines flow, and on stop().
    int saveIntervalMs = 1000;
    // A line longer than this is delivered in pieces of this size, so that a file without
    // newlines cannot grow the held partial line without bound.
    int maxLineBytes = 1 << 20;
    // After a rotation by rename the old file stays open this long, and what a writer still
    // appends to it (one that has not reopened its log yet) is read too.
    int rotationGraceMs = 5000;
    // How many leading bytes identify a file's content (kept, and persisted as SHA-256).
    int headBytes = 256;
};

// Where a followed file was read to. `offset` is the end of the last complete line delivered.
struct LogPosition
{
    quint64 device = 0;
    quint64 inode = 0;
    qint64 offset = 0;
    // The SHA-256 of the file's first `headLength` bytes (at most LogFollowerOptions::headBytes).
    int headLength = 0;
    QByteArray headSha256;
};

// Follows one file like `tail -F`, delivering each complete line exactly once:
// - rotation by rename: the old file is read to its end, then the new one from its start
//   (and the old one is read again for a grace period, for a writer that has not reopened);
// - copytruncate and truncation (the size shrinks, or the first bytes change): reading
//   restarts at 0; what was appended before the truncation and not read yet is read from
//   the copy (a sibling file with the same first bytes), so copytruncate loses nothing
//   that reached the copy;
// - a restart resumes at the persisted position (device, inode, offset and the SHA-256 of
//   the first bytes); a file rotated while stopped is found again among its siblings by
//   inode, read to its end, and followed by the new file.
// Lines are the bytes between newlines, without the newline (and a trailing '\r'); a partial
// last line is held until its newline arrives. Bytes are passed as they are (no decoding).
// After kill -9, lines read in the last saveIntervalMs may be delivered again (the position
// is persisted after delivery, never before: at least once, never lost).
// Event-driven: inotify on the file's directory, plus a slow poll as a fallback.
// Thread: lives on one thread with an event loop; the line handler runs on it.
class LogFollower : public QObject
{
    Q_OBJECT
public:
    // Called for every line, in file order; `line` is valid only during the call.
    using LineHandler = std::function<void(QByteArrayView line)>;

    // `stateDir` holds the position file (created if missing). `path` is made absolute.
    LogFollower(const QString &path, const QString &stateDir, LogFollowerOptions options = {},
        QObject *parent = nullptr);
    ~LogFollower() override;

    void setLineHandler(LineHandler handler) { m_handler = std::move(handler); }

    // Loads the saved position, reads what is there, and starts watching. Fails when the
    // state directory cannot be created; a missing log file is not an error (it is waited
    // for), nor is an unreadable position file (reported through errorOccurred, then ignored).
    Result<void> start();
    // Saves the position and stops watching. start() may follow.
    void stop();
    // Reads whatever is new now. The watchers call it; tests may too.
    void poll();

    QString path() const { return m_path; }
    QString positionFile() const { return m_statePath; }
    LogPosition position() const;
    quint64 linesDelivered() const { return m_lines; }

signals:
    // The followed file changed identity: "rotated" (renamed away, a new file took the path),
    // "truncated" (size shrank or the first bytes changed), "created" (the file appeared),
    // "recovered" (lines read from a rotated copy at start or after copytruncate).
    void reopened(const QString &reason);
    // A file could not be read or the position not saved; following goes on.
    void errorOccurred(const QString &message);

private:
    struct OpenFile
    {
        int fd = -1;
        quint64 device = 0;
        quint64 inode = 0;
        qint64 offset = 0; // bytes read from fd
    };

    bool openPath(qint64 offset);
    void closeFile();
    bool drain(OpenFile &file, QByteArray &pending);
    bool drainCurrent();
    void closePrevious();
    bool headChanged();
    void refreshHead();
    void restartAtZero(const QString &reason);
    bool readRemainderOf(const QString &file, qint64 from);
    QString findSibling(quint64 device, quint64 inode, int headLength, const QByteArray &headSha256,
        qint64 minSize) const;
    void deliver(const char *data, qint64 size, QByteArray &pending);
    void flushPending(QByteArray &pending);
    void maybeSave();
    void save();
    bool loadSaved(LogPosition *out);
    void armInotify();
    void onInotify();

    QString m_path;
    QString m_dir;
    QString m_name;
    QString m_statePath;
    LogFollowerOptions m_options;
    LineHandler m_handler;

    OpenFile m_file;
    OpenFile m_previous; // rotated away, in its grace period
    QByteArray m_previousPending;
    QByteArray m_head;
    QByteArray m_pending;
    quint64 m_lines = 0;
    bool m_started = false;
    bool m_dirty = false;
    bool m_pollQueued = false;

    int m_inotifyFd = -1;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_pollTimer = nullptr;
    QTimer *m_saveTimer = nullptr;
    QTimer *m_graceTimer = nullptr;
    QElapsedTimer m_sinceSave;
};

} // namespace Shivx
