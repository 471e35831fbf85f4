#pragma once

#include <QString>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

// The `audit:` section of the configuration (docs/configuration.md).
struct AuditConfig
{
    // When appended bytes are forced to stable storage (fdatasync).
    enum class Durability {
        Entry, // after every entry: slowest, nothing acknowledged is ever lost
        Batch, // once per batch the writer takes from its queue (group commit)
        Os, // never by us: the kernel writes back (survives kill -9, not power loss)
    };
    Durability durability = Durability::Batch;
    qint64 segmentMaxBytes = 16LL * 1024 * 1024; // roll over before a segment grows past this
    qint64 segmentMaxAgeMs = 86'400'000; // or once its first entry is this old
    bool compressRotated = true; // zstd rotated segments (*.ndjson.zst)
    qint64 retentionMs = 0; // 0 = keep forever
    int checkpointEveryEntries = 1000; // sign a checkpoint after this many entries
    qint64 checkpointEveryMs = 300'000; // ... or this often when a stream advanced
};

QString toString(AuditConfig::Durability durability); // "entry", "batch", "os"

namespace Internal {
// Reads the `audit:` mapping into *out; problems go to `reader` as "file:line: audit.key: ...".
void readAuditConfig(ConfigReader &reader, const YAML::Node &node, AuditConfig *out);
// "16MiB", "512KiB", "1GiB", "65536" (bytes) -> bytes; -1 when not a size.
qint64 parseByteSize(const QString &text);
} // namespace Internal

} // namespace Shivx
