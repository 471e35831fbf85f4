#include "audit/auditlock.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace Shivx {

AuditLock::AuditLock(QString path)
    : m_path(std::move(path))
{
}

AuditLock::~AuditLock()
{
    if (m_fd >= 0)
        ::close(m_fd); // also releases the lock
}

Result<void> AuditLock::lock()
{
    if (m_fd < 0) {
        m_fd = ::open(QFile::encodeName(m_path).constData(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        if (m_fd < 0)
            return makeError("audit.lock",
                QStringLiteral("%1: cannot open: %2")
                    .arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    while (::flock(m_fd, LOCK_EX) != 0) {
        if (errno != EINTR)
            return makeError("audit.lock",
                QStringLiteral("%1: flock: %2")
                    .arg(m_path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    m_locked = true;
    return {};
}

void AuditLock::unlock()
{
    if (m_fd >= 0 && m_locked)
        ::flock(m_fd, LOCK_UN);
    m_locked = false;
}

} // namespace Shivx
