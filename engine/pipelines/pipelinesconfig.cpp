#include "pipelines/pipelinesconfig.h"

#include "core/configreader.h"
#include "pipelines/postgresjobstore.h"

namespace Shivx::Internal {

void readPipelinesConfig(ConfigReader &r, const YAML::Node &node, PipelinesConfig *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    const QString path = QStringLiteral("pipelines");
    if (!r.checkKeys(node, path,
            { QStringLiteral("directory"), QStringLiteral("max_parallel_stages"),
                QStringLiteral("lease"), QStringLiteral("retention"),
                QStringLiteral("stop_timeout"), QStringLiteral("store") }))
        return;
    r.string(node, path, "directory", &out->directory);
    r.integer(node, path, "max_parallel_stages", &out->maxParallelStages, 1, 1024);
    r.timerDuration(node, path, "lease", &out->leaseMs, 3000);
    r.timerDuration(node, path, "stop_timeout", &out->stopTimeoutMs, 100);
    r.string(node, path, "store", &out->store);
    if (!r.failed() && !out->store.isEmpty())
        if (auto loc = PostgresLocation::parse(out->store); !loc)
            r.fail(node["store"], QStringLiteral("pipelines.store"), loc.error().message);
    if (const YAML::Node ret = node["retention"]; !r.failed() && ret.IsDefined() && !ret.IsNull()) {
        const QString rp = QStringLiteral("pipelines.retention");
        if (r.checkKeys(ret, rp,
                { QStringLiteral("max_runs"), QStringLiteral("max_age"),
                    QStringLiteral("prune_every") })) {
            r.integer(ret, rp, "max_runs", &out->keepRuns, 1, 1'000'000);
            r.duration(ret, rp, "max_age", &out->keepForMs, 1000);
            r.timerDuration(ret, rp, "prune_every", &out->pruneIntervalMs, 1000);
        }
    }
}

} // namespace Shivx::Internal
