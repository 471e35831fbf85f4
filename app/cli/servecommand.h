#pragma once

#include <QStringList>

namespace Shivx::Cli {

// `shivx serve [--config FILE] [--data-dir DIR] [--listen HOST:PORT]`: runs the engine
// headless until SIGINT or SIGTERM. `args` are the arguments after "serve".
int serveCommand(const QStringList &args);

// Blocks SIGINT and SIGTERM in the calling thread and every thread it starts later, so
// that they are read from a signalfd on the main event loop instead of interrupting
// whichever thread happens to run. Call before any thread is created.
void blockTerminationSignals();

} // namespace Shivx::Cli
