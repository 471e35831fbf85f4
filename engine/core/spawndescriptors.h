#pragma once

#include <fcntl.h>
#include <unistd.h>

namespace Shivx {

// `fd` itself, or a close-on-exec copy of it at `lowest` or above (the original closed): a
// source of posix_spawn's dup2 actions onto 0..lowest-1 must not be one of their targets,
// which happens only when the engine was started without stdin, stdout or stderr. -1 when no
// copy could be made.
inline int descriptorAtLeast(int fd, int lowest)
{
    if (fd < 0 || fd >= lowest)
        return fd;
    const int copy = ::fcntl(fd, F_DUPFD_CLOEXEC, lowest);
    ::close(fd);
    return copy;
}

} // namespace Shivx
