#include "integrity/saferestore.h"

#include "integrity/safesnapshots.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace Shivx::SafeRestore {

namespace {

Error ioError(const QString &path, const QString &what)
{
    const QString why = QString::fromLocal8Bit(std::strerror(errno));
    return makeError("integrity.restore_io",
        QStringLiteral("restoring %1: %2: %3").arg(path, what, why), { path, why });
}

} // namespace

QString temporaryPrefix(const QString &path)
{
    const QFileInfo info(path);
    return info.absolutePath() + QStringLiteral("/.") + info.fileName()
        + QStringLiteral(".shivx-restore-");
}

Result<void> restoreFile(SafeSnapshots &snapshots, const FileState &record)
{
    const QByteArray target = QFile::encodeName(record.path);
    struct stat now;
    if (::lstat(target.constData(), &now) == 0 && S_ISDIR(now.st_mode)) {
        errno = EISDIR;
        return ioError(record.path, QStringLiteral("a directory is there now"));
    }
    // mkstemp's 0600 keeps the content unreadable to others until the recorded mode is set.
    QByteArray tmp = QFile::encodeName(temporaryPrefix(record.path)) + "XXXXXX";
    const int fd = ::mkostemp(tmp.data(), O_CLOEXEC);
    if (fd < 0)
        return ioError(record.path, QStringLiteral("creating a temporary file beside it"));
    const auto fail = [&](Error e) -> Result<void> {
        ::close(fd);
        ::unlink(tmp.constData());
        return e;
    };
    if (auto w = snapshots.writeContent(record, fd); !w)
        return fail(w.error());
    // Owner first: chown clears the set-user-ID and set-group-ID bits that chmod then sets.
    if (::geteuid() == 0 && ::fchown(fd, record.uid, record.gid) != 0)
        return fail(ioError(record.path, QStringLiteral("setting the owner")));
    if (::fchmod(fd, record.mode & 07777) != 0)
        return fail(ioError(record.path, QStringLiteral("setting the mode")));
    const struct timespec times[2] = { { 0, UTIME_NOW },
        { time_t(record.mtimeNs / 1'000'000'000), long(record.mtimeNs % 1'000'000'000) } };
    if (::futimens(fd, times) != 0)
        return fail(ioError(record.path, QStringLiteral("setting the modification time")));
    if (::fsync(fd) != 0)
        return fail(ioError(record.path, QStringLiteral("fsync")));
    if (::rename(tmp.constData(), target.constData()) != 0)
        return fail(ioError(record.path, QStringLiteral("renaming the restored copy into place")));
    ::close(fd);
    const QByteArray dir = QFile::encodeName(QFileInfo(record.path).absolutePath());
    if (const int dfd = ::open(dir.constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return {};
}

} // namespace Shivx::SafeRestore
