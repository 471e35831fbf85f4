#pragma once

#include <QString>

namespace YAML {
class Node;
}

namespace Shivx {

// The `pipelines:` section (docs/configuration.md, docs/pipelines.md).
struct PipelinesConfig
{
    // Where the pipeline files are: absolute, relative to the configuration file's folder, or
    // a resource folder (":/shivx/pipelines", the embedded sample). Empty = no pipelines.
    QString directory;
    int maxParallelStages = 4; // stage processes at once, over every pipeline
    qint64 leaseMs = 30'000; // a running attempt's lease, renewed every third of it
    int keepRuns = 50; // finished runs kept per pipeline (its retention: may say otherwise)
    qint64 keepForMs = 30LL * 86'400'000; // and for how long
    qint64 pruneIntervalMs = 3'600'000;
    qint64 stopTimeoutMs = 5'000; // cancel / engine stop: SIGTERM, then SIGKILL after this
    // Empty: the job store is the engine's SQLite database. A postgresql:// URL
    // (PostgresLocation): a PostgreSQL database several engines share.
    QString store;
};

namespace Internal {
class ConfigReader;
void readPipelinesConfig(ConfigReader &r, const YAML::Node &node, PipelinesConfig *out);
} // namespace Internal

} // namespace Shivx
