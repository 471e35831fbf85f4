#pragma once

#include <QList>
#include <QString>
#include <QtGlobal>

namespace YAML {
class Node;
}

namespace Shivx {

namespace Internal {
class ConfigReader;
}

// One entry of `guardian.watchers:` (docs/configuration.md, guardian): a log file, a filter,
// and how many matches per source within a window trigger the action, like a fail2ban jail
// (threshold = maxretry, window = findtime).
struct WatcherConfig
{
    QString name;
    QString file; // absolute
    // A built-in filter name (LogFilter::builtinNames()) or a PCRE2 regular expression with a
    // (?<source>...) group.
    QString filter;
    qint64 windowMs = 600'000;
    int threshold = 5;
    // What the guardian does when a source crosses the threshold (the watcher only names it):
    // "notify" raises a threat event `watcher.NAME` of `severity` (policies apply to it);
    // "isolate" raises it and isolates the source (an address not on the ignore list) for
    // `isolateMs`.
    QString action = QStringLiteral("notify");
    QString severity = QStringLiteral("warning"); // "info", "warning", "critical"
    qint64 isolateMs = 600'000; // fail2ban's bantime

    bool operator==(const WatcherConfig &o) const
    {
        return name == o.name && file == o.file && filter == o.filter && windowMs == o.windowMs
            && threshold == o.threshold && action == o.action && severity == o.severity
            && isolateMs == o.isolateMs;
    }
};

namespace Internal {
// Reads the `watchers:` list at `path` ("guardian.watchers"); an undefined or null node is an
// empty list. Each filter is compiled here, so a bad regex is a configuration error naming the
// file, line and key. Errors go to `r`; `out` is replaced only on success.
void readWatchers(
    ConfigReader &r, const YAML::Node &list, const QString &path, QList<WatcherConfig> *out);
} // namespace Internal

} // namespace Shivx
