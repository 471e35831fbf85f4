#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx integrity init|check|accept|status`: baselines, checks and accepts of a running
// engine's file integrity through its HTTP API. init and check show progress with an ETA on
// a terminal and cancel the operation on Ctrl-C. Exit: 0 ok (check: no differences), 1 the
// engine could not be reached or refused, or the operation failed or was cancelled, 2 usage,
// 3 the check found differences.
int integrityCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
