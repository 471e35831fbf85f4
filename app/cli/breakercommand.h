#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx breaker list|force ...`: lists the running engine's circuit breakers and forces one
// open, closed or back to automatic, through the engine's HTTP API (EngineClient). `args`
// are the arguments after "breaker". Returns the exit code: 0 ok, 1 the engine refused or
// could not be reached, 2 usage.
int breakerCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
