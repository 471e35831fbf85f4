#pragma once

#include <QStringList>
#include <QTextStream>

namespace Shivx::Cli {

// `shivx guardian status|threats|isolate|release|mode`: the defense mode, threat rows and
// isolations of a running engine, through its HTTP API (docs/guardian.md).
int guardianCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
