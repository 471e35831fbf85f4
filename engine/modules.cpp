// The capabilities compiled into the engine, in start order: a module may connect to the
// services of those before it (recovery to health's probes, degradation to health's score).
// Adding a capability is one line here (docs/adding-a-capability.md).

#include "alerting/alertingmodule.h"
#include "backup/backupmodule.h"
#include "core/enginemodule.h"
#include "degradation/degradationmodule.h"
#include "guardian/guardianmodule.h"
#include "health/healthmodule.h"
#include "integrity/integritymodule.h"
#include "pipelines/pipelinesmodule.h"
#include "recovery/recoverymodule.h"

#include <tuple>

namespace Shivx {

namespace {

// One static instance of each module type, listed in the order given.
template <class... Module> const QList<const EngineModule *> &moduleList()
{
    static const std::tuple<Module...> instances;
    static const QList<const EngineModule *> list = std::apply(
        [](const auto &...m) { return QList<const EngineModule *> { &m... }; }, instances);
    return list;
}

} // namespace

const QList<const EngineModule *> &engineModules()
{
    // clang-format off
    return moduleList<
        HealthModule,
        RecoveryModule,
        DegradationModule,
        IntegrityModule,
        PipelinesModule,
        BackupModule,
        GuardianModule,
        AlertingModule
    >();
    // clang-format on
}

} // namespace Shivx
