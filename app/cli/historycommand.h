#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx history ...`: lists the stored series and queries one of them. `args` are the
// arguments after "history". Returns the process exit code (see the help text: 0 ok,
// 1 nothing found, 2 usage or I/O error). Writes to standard output and standard error.
int historyCommand(const QStringList &args);

// The same, writing to the given streams (used by the tests).
int historyCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
