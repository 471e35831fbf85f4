#pragma once

#include <QString>
#include <QTextStream>

namespace Shivx::Cli {

// Exit codes shared by every `shivx` command.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

QTextStream &out();
QTextStream &err();

} // namespace Shivx::Cli
