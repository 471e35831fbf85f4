#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx dr list|show PLAN|activate PLAN [--dry-run] --yes|runs|abort RUN`: DR plans of the
// running engine (docs/backup.md, "DR plans"), through /api/backup/dr. activate follows the
// run step by step and ends with the report and the measured recovery time.
int drCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
