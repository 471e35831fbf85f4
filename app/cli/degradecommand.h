#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx degrade status|set|release`: reads or pins the degradation level of a running
// engine through its HTTP API (never by touching the data directory behind its back).
// Returns the exit code: 0 ok, 1 the engine could not be reached or refused, 2 usage.
int degradeCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
