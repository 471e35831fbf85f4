#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx backup init|run|list|verify|restore|prune|key`: works on the repository directly
// (docs/backup.md); needs no running engine. The passphrase comes from --password-file or
// SHIVX_BACKUP_PASSWORD, or a key file from --key-file: never from the command line.
int backupCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
