#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx audit ...`: append operator entries, tail streams, verify the chain
// (auditverifycommand.h), export checkpoints (witness) and the public key. `args` are the
// arguments after "audit". Returns the exit code (0 ok, 1 failure, 2 usage). Appending takes
// DATA/audit/lock like the engine's writer, so it is safe while `shivx serve` or the console
// runs on the same data directory.
int auditCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
