#pragma once

#include "backup/offsitecopy.h"

#include <QList>

namespace YAML {
class Node;
}

namespace Shivx::Internal {

class ConfigReader;

// Reads `backup.offsite` (a list of remotes; docs/backup.md, "Off-site copies"). Names are
// unique; a remote is rclone's REMOTE:PATH; credentials belong in rclone_config, never inline.
void readOffsite(ConfigReader &reader, const YAML::Node &node, QList<Backup::OffsiteRemote> *out);

} // namespace Shivx::Internal
