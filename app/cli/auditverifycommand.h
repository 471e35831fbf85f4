#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx audit verify`: `args` are the arguments after "audit verify". Exit status 0 intact,
// 1 tampered (the first problem of each stream is printed), 2 usage or I/O error.
int auditVerifyCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
