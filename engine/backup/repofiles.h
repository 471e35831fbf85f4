#pragma once

#include "core/result.h"

#include <QByteArray>
#include <QString>

namespace Shivx::Backup {

// Crash-safe file writes for the repository: temporary name in the same directory, write,
// fsync, rename, fsync the directory. A reader never sees a half-written file under its final
// name, whatever moment the process dies at.
Result<void> writeFileAtomic(const QString &path, const QByteArray &data, int mode = 0644);
// Writes all of `data` to `fd` (short writes and EINTR retried); `path` names it in errors.
Result<void> writeAll(int fd, const void *data, std::size_t size, const QString &path);
Result<QByteArray> readWholeFile(const QString &path);
// fsync a directory so that a rename or unlink in it is durable.
void syncDirectory(const QString &dir);
Error ioError(const char *what, const QString &path);

} // namespace Shivx::Backup
