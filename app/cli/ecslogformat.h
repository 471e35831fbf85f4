#pragma once

#include <QByteArray>
#include <QString>
#include <QtGlobal>

namespace Shivx::Cli {

// `shivx serve --log-format json`: every log line as one JSON object with Elastic Common
// Schema field names, so that Filebeat, Logstash or Vector ship it without a parser
// (README.md, the serve line). Fields: @timestamp (UTC, milliseconds), log.level
// (debug, info, warn, error, critical), message, log.logger (the logging category,
// "shivx.core.engine"), log.origin.file.name / .line / function when the build records them,
// process.pid, process.thread.name, service.name ("shivx"), ecs.version. Dotted names are
// written flat, as Filebeat's ndjson parser and ECS loggers do.
class EcsLogFormat
{
public:
    // One line (no trailing newline) for a message of `type` in `category` at `tsMs`.
    static QByteArray line(QtMsgType type, const char *category, const char *file, int line,
        const char *function, const QString &message, qint64 tsMs, const QString &threadName);
    // Installs the message handler that writes line() + '\n' to stderr (one write per line, so
    // lines from several threads do not interleave). Thread-safe once installed.
    static void install();
};

} // namespace Shivx::Cli
