#include "core/datadirlock.h"

#include "core/timeutil.h"

#include <QFile>
#include <QLoggingCategory>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcDataDir, "shivx.core.datadir")

namespace Shivx {

namespace {

QString errnoText()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// The holder's record: "PID\nSTARTED_AT\n" (the first line alone is a plain pid file).
// Whatever it holds is informative only: a crashed holder leaves its pid behind.
QByteArray readAll(int fd)
{
    QByteArray text;
    char buffer[256];
    for (off_t at = 0;;) {
        const ssize_t n = ::pread(fd, buffer, sizeof buffer, at);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0 || text.size() > 4096)
            return text;
        text.append(buffer, n);
        at += n;
    }
}

} // namespace

DataDirLock::~DataDirLock()
{
    release();
}

QString DataDirLock::path(const QString &dir)
{
    return dir + QStringLiteral("/engine.lock");
}

Result<void> DataDirLock::acquire(const QString &dir, qint64 startedAtMs)
{
    if (m_fd >= 0)
        return {};
    const QString file = path(dir);
    const int fd = ::open(QFile::encodeName(file).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(
            "datadir.lock", QStringLiteral("%1: cannot open: %2").arg(file, errnoText()));
    int rc;
    do
        rc = ::flock(fd, LOCK_EX | LOCK_NB);
    while (rc != 0 && errno == EINTR);
    if (rc != 0) {
        const int error = errno;
        if (error != EWOULDBLOCK) {
            ::close(fd);
            return makeError("datadir.lock",
                QStringLiteral("%1: flock: %2")
                    .arg(file, QString::fromLocal8Bit(std::strerror(error))));
        }
        const QList<QByteArray> lines = readAll(fd).split('\n');
        ::close(fd);
        const qint64 pid = lines.value(0).trimmed().toLongLong();
        const QString startedAt = QString::fromUtf8(lines.value(1).trimmed());
        const QString holder = pid > 0
            ? QStringLiteral("the engine with pid %1%2")
                  .arg(pid)
                  .arg(startedAt.isEmpty() ? QString()
                                           : QStringLiteral(" (started at %1)").arg(startedAt))
            : QStringLiteral("another engine");
        return makeError("engine.data_dir_locked",
            QStringLiteral("data directory %1 is in use by %2; stop it or use another --data-dir")
                .arg(dir, holder),
            { dir, pid, startedAt });
    }
    const QByteArray record = QByteArray::number(qint64(::getpid())) + '\n'
        + TimeUtil::toRfc3339(startedAtMs).toUtf8() + '\n';
    // Best effort: the lock is what counts, the record only names the holder.
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, record.constData(), size_t(record.size()), 0) < 0)
        qCWarning(lcDataDir).noquote() << file << "cannot record the holder:" << errnoText();
    m_fd = fd;
    return {};
}

void DataDirLock::release()
{
    if (m_fd < 0)
        return;
    ::close(m_fd); // releases the flock
    m_fd = -1;
}

} // namespace Shivx
