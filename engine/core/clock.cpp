#include "core/clock.h"

namespace Shivx {

Clock *Clock::system()
{
    static SystemClock clock;
    return &clock;
}

} // namespace Shivx
