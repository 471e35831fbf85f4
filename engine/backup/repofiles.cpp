#include "backup/repofiles.h"

#include "backup/backupcrypto.h"

#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace Shivx::Backup {

Error ioError(const char *what, const QString &path)
{
    return makeError("backup.io",
        QStringLiteral("cannot %1 %2: %3")
            .arg(QLatin1String(what), path, QString::fromLocal8Bit(std::strerror(errno))),
        { path });
}

void syncDirectory(const QString &dir)
{
    const int fd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}

Result<void> writeAll(int fd, const void *data, std::size_t size, const QString &path)
{
    const auto *p = static_cast<const std::uint8_t *>(data);
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::write(fd, p + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return ioError("write", path);
        done += std::size_t(n);
    }
    return {};
}

Result<void> writeFileAtomic(const QString &path, const QByteArray &data, int mode)
{
    std::uint8_t rnd[6];
    randomBytes(rnd, sizeof rnd);
    const QString tmp = path + QStringLiteral(".tmp-") + QString::fromStdString(toHex(rnd, 6));
    const QByteArray tmpName = QFile::encodeName(tmp);
    const int fd = ::open(tmpName.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return ioError("create", tmp);
    if (auto w = writeAll(fd, data.constData(), std::size_t(data.size()), tmp); !w) {
        ::close(fd);
        ::unlink(tmpName.constData());
        return w.error();
    }
    if (::fsync(fd) != 0) {
        Error e = ioError("fsync", tmp);
        ::close(fd);
        ::unlink(tmpName.constData());
        return e;
    }
    ::close(fd);
    if (::rename(tmpName.constData(), QFile::encodeName(path).constData()) != 0) {
        Error e = ioError("rename into place", path);
        ::unlink(tmpName.constData());
        return e;
    }
    syncDirectory(QFileInfo(path).absolutePath());
    return {};
}

Result<QByteArray> readWholeFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return makeError(
            "backup.io", QStringLiteral("cannot read %1: %2").arg(path, f.errorString()), { path });
    return f.readAll();
}

} // namespace Shivx::Backup
