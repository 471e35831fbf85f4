#pragma once

#include <QStringList>
#include <QStringView>

class QTextStream;

namespace Shivx::Cli {

// A `shivx` command's entry point: `args` are the arguments after its name; it writes to `out`
// and `err` and returns the exit code (0 ok, 1 failure, 2 usage: CommandContext's ExitCode).
using CommandFunction = int (*)(const QStringList &args, QTextStream &out, QTextStream &err);

struct Command
{
    const char *name;
    const char *summary; // one line for `shivx --help`
    CommandFunction run;
    // SIGHUP is for the command to handle (serve reloads its configuration) rather than to end
    // the process with its terminal, as it does for every other command.
    bool handlesHangup = false;
};

// Every command, in the order `shivx --help` lists them. Adding a command (a capability's
// app/cli/<cap>command.*) is one line in commands.cpp.
QList<Command> commands();
// The command called `name`, or nullptr.
const Command *findCommand(QStringView name);

} // namespace Shivx::Cli
