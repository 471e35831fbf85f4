#pragma once

#include <QtGlobal>

#include <chrono>

namespace Shivx {

// std::chrono::steady_clock (CLOCK_MONOTONIC) in nanoseconds: one time line for every thread,
// unlike a QElapsedTimer that each object starts for itself.
inline qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace Shivx
