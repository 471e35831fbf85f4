#pragma once

#include <QString>

namespace Shivx::Cli {

class CommandContext;

// The `shivx backup` subcommands that act through a running engine's /api/backup (status,
// now, drill, cancel, history), beside those that work on the repository directly
// (backupcommand.cpp). True for the names handled here.
bool isBackupEngineSubcommand(const QString &subcommand);
int backupEngineCommand(CommandContext &c);

} // namespace Shivx::Cli
