#include "commands.h"

#include "alertscommand.h"
#include "auditcommand.h"
#include "backupcommand.h"
#include "breakercommand.h"
#include "degradecommand.h"
#include "drcommand.h"
#include "guardiancommand.h"
#include "historycommand.h"
#include "integritycommand.h"
#include "pipelinecommand.h"
#include "processcommand.h"
#include "servecommand.h"

namespace Shivx::Cli {

namespace {

const Command Registry[] = {
    { "serve", "run the engine headless (HTTP API, health endpoints, /metrics)", serveCommand,
        true },
    { "history", "list and query the metric history", historyCommand },
    { "audit", "append to, tail, verify and export the audit chain", auditCommand },
    { "breaker", "list and force the running engine's circuit breakers", breakerCommand },
    { "process", "list, start, stop and restart supervised processes", processCommand },
    { "degrade", "show, pin or release the degradation level", degradeCommand },
    { "pipeline", "run pipelines and follow their runs and dead-letter queue", pipelineCommand },
    { "backup", "deduplicated, encrypted backups: init, run, list, verify, restore, prune, key",
        backupCommand },
    { "dr", "disaster-recovery plans: list, show, activate (dry run first), runs, abort",
        drCommand },
    { "guardian", "show the defense mode and threats; set the mode, isolate or release sources",
        guardianCommand },
    { "integrity", "baseline, check and accept file integrity", integrityCommand },
    { "alerts", "list, silence and acknowledge alerts; export the rules for Prometheus",
        alertsCommand },
};

} // namespace

QList<Command> commands()
{
    return QList<Command>(std::begin(Registry), std::end(Registry));
}

const Command *findCommand(QStringView name)
{
    for (const Command &c : Registry) {
        if (name == QLatin1String(c.name))
            return &c;
    }
    return nullptr;
}

} // namespace Shivx::Cli
