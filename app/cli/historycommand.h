#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx history ...`: lists the stored series and queries one of them. `args` are the
// arguments after "history". Returns the process exit code (see the help text: 0 ok,
// 1 nothing found, 2 usage or I/O error).
int historyCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
