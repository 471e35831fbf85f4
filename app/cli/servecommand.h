#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx serve [--config FILE] [--data-dir DIR] [--listen HOST:PORT]`: runs the engine
// headless until SIGINT or SIGTERM (needs the QCoreApplication's event loop). `args` are the
// arguments after "serve".
int serveCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
