#pragma once

#include <QStringList>
#include <QTextStream>

namespace Shivx::Cli {

// `shivx pipeline list|show|run|status|cancel|logs|dlq [retry|discard]`: the pipelines of a
// running engine, through its HTTP API (docs/pipelines.md).
int pipelineCommand(const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace Shivx::Cli
