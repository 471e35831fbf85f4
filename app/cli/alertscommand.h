#pragma once

#include <QStringList>

class QTextStream;

namespace Shivx::Cli {

// `shivx alerts list|silence|expire|ack|export`: the running engine's alerts and silences
// through its HTTP API, and the configured rules as a Prometheus rules file (export reads
// the configuration only). Exit codes: 0 ok, 1 the engine could not be reached or refused,
// 2 usage.
int alertsCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
