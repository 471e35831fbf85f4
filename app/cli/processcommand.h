#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx process list|start|stop|restart ...`: shows and controls the supervised processes of
// a running engine through its HTTP API (Cli::EngineClient); control is audited as cli:USER.
// Returns the exit code: 0 ok, 1 the engine refused or could not be reached (unknown name,
// no engine), 2 usage.
int processCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
