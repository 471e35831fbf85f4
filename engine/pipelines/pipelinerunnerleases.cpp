// Leases: every running attempt of this engine is leased to it in the job store, and the
// heartbeat extends the leases while the engine lives.
#include "pipelines/pipelinerunner.h"

#include "core/clock.h"
#include "pipelines/pipelinerunnershared.h"

namespace Shivx {

using namespace RunnerShared;

void PipelineRunner::renewLeases()
{
    if (m_store && m_running > 0)
        if (auto r = store()->renewLeases(m_owner, m_clock->nowMs() + m_options.config.leaseMs); !r)
            noteStoreError(r.error());
}

} // namespace Shivx
