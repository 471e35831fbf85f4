#pragma once

#include <QStringList>

namespace Shivx::Cli {

// `shivx serve [--config FILE] [--data-dir DIR] [--listen HOST:PORT]`: runs the engine
// headless until SIGINT or SIGTERM. `args` are the arguments after "serve".
int serveCommand(const QStringList &args);

} // namespace Shivx::Cli
