#pragma once

#include <csignal>
#include <spawn.h>

namespace Shivx {

// A child of posix_spawn starts with no signal blocked and every signal at its default: the
// engine blocks SIGTERM/SIGINT in its threads and may ignore SIGPIPE, and both would survive
// exec. The caller adds POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF to its flags.
inline void resetSpawnSignals(posix_spawnattr_t *attr)
{
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(attr, &none);
    sigset_t defaults;
    sigfillset(&defaults);
    sigdelset(&defaults, SIGKILL);
    sigdelset(&defaults, SIGSTOP);
    posix_spawnattr_setsigdefault(attr, &defaults);
}

} // namespace Shivx
