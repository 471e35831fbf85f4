#include "guardian/detectors/logfollower.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QSaveFile>
#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcFollower, "shivx.guardian.follower")

namespace Shivx {

namespace {

constexpr qint64 ChunkBytes = 64 * 1024;
// One poll reads at most this much, then yields to the event loop and continues in the next
// turn: a follower catching up on a large file must not starve the thread's other work.
constexpr qint64 MaxBytesPerPoll = 16 * 1024 * 1024;

QByteArray readHead(int fd, int length)
{
    QByteArray head(length, Qt::Uninitialized);
    qint64 got = 0;
    while (got < length) {
        const ssize_t n = ::pread(fd, head.data() + got, std::size_t(length - got), got);
        if (n <= 0)
            break;
        got += n;
    }
    head.truncate(int(got));
    return head;
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
}

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

LogFollower::LogFollower(
    const QString &path, const QString &stateDir, LogFollowerOptions options, QObject *parent)
    : QObject(parent)
    , m_path(QFileInfo(path).absoluteFilePath())
    , m_options(options)
{
    const QFileInfo fi(m_path);
    m_dir = fi.absolutePath();
    m_name = fi.fileName();
    // One position file per followed path; the hash keeps names short and free of slashes.
    const QByteArray key
        = QCryptographicHash::hash(m_path.toUtf8(), QCryptographicHash::Sha256).toHex().left(16);
    m_statePath = QDir(stateDir).filePath(
        QStringLiteral("follow-%1-%2.json").arg(m_name.left(40), QString::fromLatin1(key)));
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(m_options.pollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &LogFollower::poll);
    m_saveTimer = new QTimer(this);
    m_saveTimer->setSingleShot(true);
    connect(m_saveTimer, &QTimer::timeout, this, &LogFollower::save);
    m_graceTimer = new QTimer(this);
    m_graceTimer->setSingleShot(true);
    connect(m_graceTimer, &QTimer::timeout, this, [this] {
        closePrevious();
        maybeSave();
    });
}

LogFollower::~LogFollower()
{
    stop();
}

LogPosition LogFollower::position() const
{
    LogPosition p;
    p.device = m_file.device;
    p.inode = m_file.inode;
    p.offset = m_file.offset - m_pending.size();
    p.headLength = int(m_head.size());
    p.headSha256 = m_head.isEmpty() ? QByteArray() : sha256(m_head);
    return p;
}

Result<void> LogFollower::start()
{
    if (m_started)
        return {};
    const QString stateDir = QFileInfo(m_statePath).absolutePath();
    if (!QDir().mkpath(stateDir))
        return makeError("guardian.follower.state_dir",
            QStringLiteral("cannot create the position directory %1").arg(stateDir));
    m_started = true;

    LogPosition saved;
    const bool haveSaved = loadSaved(&saved) && saved.inode != 0;
    struct stat ps
    {
    };
    const bool exists = ::stat(QFile::encodeName(m_path).constData(), &ps) == 0;
    if (haveSaved) {
        const bool same
            = exists && quint64(ps.st_ino) == saved.inode && quint64(ps.st_dev) == saved.device;
        if (same && openPath(0)) {
            const bool headSame = saved.headLength == 0
                || sha256(readHead(m_file.fd, saved.headLength)) == saved.headSha256;
            if (ps.st_size >= saved.offset && headSame) {
                ::lseek(m_file.fd, saved.offset, SEEK_SET);
                m_file.offset = saved.offset;
            } else {
                // Truncated (or rewritten) while we were stopped: copytruncate leaves the rest
                // of what we had not read in a copy with the same first bytes.
                const QString copy
                    = findSibling(0, 0, saved.headLength, saved.headSha256, saved.offset);
                if (!copy.isEmpty() && readRemainderOf(copy, saved.offset))
                    emit reopened(QStringLiteral("recovered"));
                emit reopened(QStringLiteral("truncated"));
            }
        } else {
            // Rotated while we were stopped: the old file keeps its inode under another name.
            const QString old = findSibling(
                saved.device, saved.inode, saved.headLength, saved.headSha256, saved.offset);
            if (!old.isEmpty() && readRemainderOf(old, saved.offset))
                emit reopened(QStringLiteral("recovered"));
            if (exists && openPath(0))
                emit reopened(QStringLiteral("rotated"));
        }
    } else if (exists && openPath(0)) {
        if (m_options.firstStart == LogFollowerOptions::FirstStart::End) {
            const qint64 end = ::lseek(m_file.fd, 0, SEEK_END);
            m_file.offset = end < 0 ? 0 : end;
        }
    }
    armInotify();
    m_pollTimer->start();
    m_sinceSave.start();
    poll();
    save();
    return {};
}

void LogFollower::stop()
{
    if (!m_started)
        return;
    save();
    m_started = false;
    m_pollTimer->stop();
    m_saveTimer->stop();
    m_graceTimer->stop();
    // Not read to its end: delivering lines while the owner stops could reach a half-destroyed
    // handler. What the writer still added to it in its grace period is not read.
    if (m_previous.fd >= 0)
        ::close(m_previous.fd);
    m_previous = OpenFile();
    m_previousPending.clear();
    delete m_notifier;
    m_notifier = nullptr;
    if (m_inotifyFd >= 0)
        ::close(m_inotifyFd);
    m_inotifyFd = -1;
    closeFile();
    m_pending.clear();
}

void LogFollower::poll()
{
    m_pollQueued = false;
    if (!m_started)
        return;
    if (m_inotifyFd < 0)
        armInotify(); // the directory may have appeared since
    while (drain(m_previous, m_previousPending)) { } // a rotated file in its grace period first
    if (m_file.fd < 0) {
        if (!openPath(0))
            return;
        emit reopened(QStringLiteral("created"));
    }
    struct stat st
    {
    };
    if (::fstat(m_file.fd, &st) == 0 && (st.st_size < m_file.offset || headChanged()))
        restartAtZero(QStringLiteral("truncated"));
    bool more = drainCurrent();

    struct stat ps
    {
    };
    if (::stat(QFile::encodeName(m_path).constData(), &ps) == 0
        && (quint64(ps.st_ino) != m_file.inode || quint64(ps.st_dev) != m_file.device)) {
        // Rotated by rename: finish the old file, then start the new one from its first byte.
        // The old one stays open for rotationGraceMs: a writer that has not reopened its log
        // yet (nginx until logrotate's postrotate signal reaches it) still appends to it.
        while (drainCurrent()) { }
        closePrevious();
        m_previous = std::exchange(m_file, OpenFile());
        m_previousPending = std::exchange(m_pending, QByteArray());
        m_head.clear();
        if (m_options.rotationGraceMs > 0)
            m_graceTimer->start(m_options.rotationGraceMs);
        else
            closePrevious();
        if (openPath(0)) {
            emit reopened(QStringLiteral("rotated"));
            more = drainCurrent();
        }
    }
    if (more && !m_pollQueued) {
        m_pollQueued = true;
        QTimer::singleShot(0, this, &LogFollower::poll);
    }
    maybeSave();
}

bool LogFollower::openPath(qint64 offset)
{
    closeFile();
    const int fd = ::open(QFile::encodeName(m_path).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        if (errno != ENOENT)
            emit errorOccurred(QStringLiteral("cannot open %1: %2").arg(m_path, errnoText()));
        return false;
    }
    struct stat st
    {
    };
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ::close(fd);
        emit errorOccurred(QStringLiteral("%1 is not a regular file").arg(m_path));
        return false;
    }
    m_file.fd = fd;
    m_file.device = quint64(st.st_dev);
    m_file.inode = quint64(st.st_ino);
    m_file.offset = offset;
    if (offset > 0)
        ::lseek(fd, offset, SEEK_SET);
    m_head.clear();
    refreshHead();
    m_dirty = true;
    return true;
}

void LogFollower::closeFile()
{
    if (m_file.fd >= 0)
        ::close(m_file.fd);
    m_file = OpenFile();
    m_head.clear();
}

void LogFollower::refreshHead()
{
    if (m_file.fd >= 0 && m_head.size() < m_options.headBytes)
        m_head = readHead(m_file.fd, m_options.headBytes);
}

bool LogFollower::headChanged()
{
    // An in-place rewrite that grew past our offset before we looked shows only here.
    if (m_head.isEmpty())
        return false;
    return readHead(m_file.fd, int(m_head.size())) != m_head;
}

void LogFollower::restartAtZero(const QString &reason)
{
    // copytruncate: whatever was appended after our last read went into the copy, which
    // begins with the same bytes and is at least as long as what we had read.
    const QByteArray headSha = m_head.isEmpty() ? QByteArray() : sha256(m_head);
    const QString copy = m_head.isEmpty()
        ? QString()
        : findSibling(0, 0, int(m_head.size()), headSha, m_file.offset);
    if (!copy.isEmpty() && readRemainderOf(copy, m_file.offset))
        emit reopened(QStringLiteral("recovered"));
    m_pending.clear();
    ::lseek(m_file.fd, 0, SEEK_SET);
    m_file.offset = 0;
    m_head.clear();
    refreshHead();
    m_dirty = true;
    emit reopened(reason);
}

bool LogFollower::readRemainderOf(const QString &file, qint64 from)
{
    const int fd = ::open(QFile::encodeName(file).constData(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    if (::lseek(fd, from, SEEK_SET) != from) {
        ::close(fd);
        return false;
    }
    QByteArray buf(int(ChunkBytes), Qt::Uninitialized);
    for (;;) {
        const ssize_t n = ::read(fd, buf.data(), std::size_t(buf.size()));
        if (n <= 0)
            break;
        deliver(buf.constData(), n, m_pending);
    }
    ::close(fd);
    flushPending(m_pending);
    qCInfo(lcFollower, "%s: read the rest of %s from offset %lld", qPrintable(m_path),
        qPrintable(file), static_cast<long long>(from));
    return true;
}

QString LogFollower::findSibling(quint64 device, quint64 inode, int headLength,
    const QByteArray &headSha256, qint64 minSize) const
{
    QString best;
    qint64 bestMtime = -1;
    const QStringList names = QDir(m_dir).entryList(QDir::Files | QDir::Hidden | QDir::System);
    for (const QString &name : names) {
        if (name == m_name)
            continue;
        const QString full = QDir(m_dir).filePath(name);
        struct stat st
        {
        };
        if (::stat(QFile::encodeName(full).constData(), &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (inode != 0 && (quint64(st.st_ino) != inode || quint64(st.st_dev) != device))
            continue;
        if (st.st_size < minSize)
            continue;
        if (headLength > 0) {
            const int fd = ::open(QFile::encodeName(full).constData(), O_RDONLY | O_CLOEXEC);
            if (fd < 0)
                continue;
            const bool same = sha256(readHead(fd, headLength)) == headSha256;
            ::close(fd);
            if (!same)
                continue;
        } else if (inode == 0) {
            continue; // nothing to recognise it by
        }
        if (st.st_mtime > bestMtime) {
            bestMtime = st.st_mtime;
            best = full;
        }
    }
    return best;
}

bool LogFollower::drainCurrent()
{
    const bool more = drain(m_file, m_pending);
    if (m_head.size() < m_options.headBytes)
        refreshHead();
    return more;
}

void LogFollower::closePrevious()
{
    if (m_previous.fd < 0)
        return;
    while (drain(m_previous, m_previousPending)) { }
    flushPending(m_previousPending);
    ::close(m_previous.fd);
    m_previous = OpenFile();
}

bool LogFollower::drain(OpenFile &file, QByteArray &pending)
{
    if (file.fd < 0)
        return false;
    QByteArray buf(int(ChunkBytes), Qt::Uninitialized);
    qint64 total = 0;
    while (total < MaxBytesPerPoll) {
        const ssize_t n = ::read(file.fd, buf.data(), std::size_t(buf.size()));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            emit errorOccurred(QStringLiteral("cannot read %1: %2").arg(m_path, errnoText()));
            return false;
        }
        if (n == 0)
            return false;
        file.offset += n;
        total += n;
        deliver(buf.constData(), n, pending);
    }
    return true;
}

void LogFollower::deliver(const char *data, qint64 size, QByteArray &pending)
{
    const qint64 maxLine = m_options.maxLineBytes;
    const auto emitLine = [this, maxLine](const char *p, qint64 n) {
        if (n > 0 && p[n - 1] == '\r')
            --n;
        m_dirty = true;
        for (;;) {
            const qint64 piece = qMin(n, maxLine);
            ++m_lines;
            if (m_handler)
                m_handler(QByteArrayView(p, piece));
            if (n <= maxLine)
                break;
            p += piece;
            n -= piece;
        }
    };
    const char *p = data;
    const char *end = data + size;
    while (p < end) {
        const char *nl = static_cast<const char *>(std::memchr(p, '\n', std::size_t(end - p)));
        if (!nl) {
            pending.append(p, end - p);
            while (pending.size() >= m_options.maxLineBytes) {
                emitLine(pending.constData(), m_options.maxLineBytes);
                pending.remove(0, m_options.maxLineBytes);
            }
            break;
        }
        if (pending.isEmpty()) {
            emitLine(p, nl - p); // the common case: straight from the read buffer
        } else {
            pending.append(p, nl - p);
            emitLine(pending.constData(), pending.size());
            pending.clear();
        }
        p = nl + 1;
    }
}

void LogFollower::flushPending(QByteArray &pending)
{
    // The file is finished (rotated away): its last line will get no newline any more.
    if (pending.isEmpty())
        return;
    const QByteArray rest = std::exchange(pending, QByteArray());
    ++m_lines;
    m_dirty = true;
    if (m_handler)
        m_handler(QByteArrayView(rest));
}

void LogFollower::maybeSave()
{
    if (!m_dirty)
        return;
    if (m_sinceSave.elapsed() >= m_options.saveIntervalMs)
        save();
    else if (!m_saveTimer->isActive())
        m_saveTimer->start(int(m_options.saveIntervalMs - m_sinceSave.elapsed()));
}

void LogFollower::save()
{
    if (!m_started)
        return;
    const LogPosition p = position();
    const QJsonObject o {
        { QStringLiteral("path"), m_path },
        { QStringLiteral("device"), QString::number(p.device) },
        { QStringLiteral("inode"), QString::number(p.inode) },
        { QStringLiteral("offset"), QString::number(p.offset) },
        { QStringLiteral("head_length"), p.headLength },
        { QStringLiteral("head_sha256"), QString::fromLatin1(p.headSha256.toHex()) },
    };
    QSaveFile f(m_statePath);
    if (!f.open(QIODevice::WriteOnly)
        || f.write(QJsonDocument(o).toJson(QJsonDocument::Compact)) < 0 || !f.commit()) {
        emit errorOccurred(
            QStringLiteral("cannot save the position to %1: %2").arg(m_statePath, f.errorString()));
        return;
    }
    m_dirty = false;
    m_sinceSave.restart();
}

bool LogFollower::loadSaved(LogPosition *out)
{
    QFile f(m_statePath);
    if (!f.exists())
        return false;
    if (!f.open(QIODevice::ReadOnly)) {
        emit errorOccurred(QStringLiteral("cannot read %1: %2").arg(m_statePath, f.errorString()));
        return false;
    }
    QJsonParseError err {};
    const QJsonObject o = QJsonDocument::fromJson(f.readAll(), &err).object();
    bool okDev = false, okIno = false, okOff = false;
    out->device = o.value(QStringLiteral("device")).toString().toULongLong(&okDev);
    out->inode = o.value(QStringLiteral("inode")).toString().toULongLong(&okIno);
    out->offset = o.value(QStringLiteral("offset")).toString().toLongLong(&okOff);
    out->headLength = o.value(QStringLiteral("head_length")).toInt();
    out->headSha256
        = QByteArray::fromHex(o.value(QStringLiteral("head_sha256")).toString().toLatin1());
    if (err.error != QJsonParseError::NoError || !okDev || !okIno || !okOff || out->offset < 0
        || o.value(QStringLiteral("path")).toString() != m_path) {
        emit errorOccurred(
            QStringLiteral("ignoring the unreadable position file %1 (starting afresh)")
                .arg(m_statePath));
        return false;
    }
    return true;
}

void LogFollower::armInotify()
{
    if (m_inotifyFd >= 0)
        return;
    const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (fd < 0)
        return;
    const uint32_t mask = IN_MODIFY | IN_CREATE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE
        | IN_CLOSE_WRITE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF;
    if (::inotify_add_watch(fd, QFile::encodeName(m_dir).constData(), mask) < 0) {
        ::close(fd); // no directory yet: the poll retries
        return;
    }
    m_inotifyFd = fd;
    m_notifier = new QSocketNotifier(fd, QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &LogFollower::onInotify);
}

void LogFollower::onInotify()
{
    alignas(struct inotify_event) char buf[16 * 1024];
    bool relevant = false;
    bool watchGone = false;
    const QByteArray name = QFile::encodeName(m_name);
    for (;;) {
        const ssize_t n = ::read(m_inotifyFd, buf, sizeof buf);
        if (n <= 0)
            break;
        for (const char *p = buf; p < buf + n;) {
            const auto *ev = reinterpret_cast<const struct inotify_event *>(p);
            if (ev->mask & (IN_Q_OVERFLOW | IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
                relevant = true;
            if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
                watchGone = true;
            if (ev->len > 0 && name == QByteArray(ev->name))
                relevant = true;
            p += sizeof(struct inotify_event) + ev->len;
        }
    }
    if (watchGone) {
        delete m_notifier;
        m_notifier = nullptr;
        ::close(m_inotifyFd);
        m_inotifyFd = -1;
    }
    if (relevant && !m_pollQueued) {
        m_pollQueued = true;
        QTimer::singleShot(0, this, &LogFollower::poll);
    }
}

} // namespace Shivx
