#include "guardian/detectors/watcherconfig.h"

#include "core/configreader.h"
#include "guardian/detectors/logfilter.h"

#include <QDir>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace Shivx::Internal {

void readWatchers(
    ConfigReader &r, const YAML::Node &list, const QString &path, QList<WatcherConfig> *out)
{
    if (!list.IsDefined() || list.IsNull()) {
        out->clear();
        return;
    }
    if (!list.IsSequence()) {
        r.fail(list, path, QStringLiteral("expected a list of watchers"));
        return;
    }
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    QList<WatcherConfig> watchers;
    QSet<QString> names;
    for (std::size_t i = 0; i < list.size() && !r.failed(); ++i) {
        const YAML::Node w = list[i];
        const QString p = QStringLiteral("%1[%2]").arg(path).arg(i);
        if (!r.checkKeys(w, p,
                { QStringLiteral("name"), QStringLiteral("file"), QStringLiteral("filter"),
                    QStringLiteral("window"), QStringLiteral("threshold"), QStringLiteral("action"),
                    QStringLiteral("severity"), QStringLiteral("isolate_for") }))
            return;
        WatcherConfig c;
        r.string(w, p, "name", &c.name);
        r.string(w, p, "file", &c.file);
        r.string(w, p, "filter", &c.filter);
        r.duration(w, p, "window", &c.windowMs, 1000);
        r.integer(w, p, "threshold", &c.threshold, 1, 1'000'000);
        r.string(w, p, "action", &c.action);
        r.string(w, p, "severity", &c.severity);
        r.duration(w, p, "isolate_for", &c.isolateMs, 1000);
        if (r.failed())
            return;
        const auto at = [&](const char *key) { return w[key].IsDefined() ? w[key] : w; };
        const auto key = [&](const char *k) { return p + QLatin1Char('.') + QLatin1String(k); };
        if (!namePattern.match(c.name).hasMatch()) {
            r.fail(at("name"), key("name"),
                c.name.isEmpty()
                    ? QStringLiteral("missing (every watcher needs a name)")
                    : QStringLiteral("\"%1\" is not 1-64 of A-Za-z0-9_.-").arg(c.name));
            return;
        }
        if (names.contains(c.name)) {
            r.fail(at("name"), key("name"), QStringLiteral("\"%1\" is used twice").arg(c.name));
            return;
        }
        names.insert(c.name);
        if (c.file.isEmpty() || !QDir::isAbsolutePath(c.file)) {
            r.fail(at("file"), key("file"),
                c.file.isEmpty() ? QStringLiteral("missing (the log file to follow)")
                                 : QStringLiteral("\"%1\" is not an absolute path").arg(c.file));
            return;
        }
        if (c.filter.isEmpty()) {
            r.fail(at("filter"), key("filter"),
                QStringLiteral("missing (a built-in filter: %1; or a regular expression with a "
                               "(?<source>...) group)")
                    .arg(LogFilter::builtinNames().join(QStringLiteral(", "))));
            return;
        }
        const bool builtin = LogFilter::builtinNames().contains(c.filter);
        const auto filter = builtin ? LogFilter::builtin(c.filter)
                                    : LogFilter::compile(c.filter, QStringLiteral("regex"));
        if (!filter) {
            r.fail(at("filter"), key("filter"), filter.error().message);
            return;
        }
        if (!filter->hasField(LogField::Source)) {
            r.fail(at("filter"), key("filter"),
                QStringLiteral("the regular expression has no (?<source>...) group: the "
                               "threshold counts matches per source"));
            return;
        }
        if (c.action != QLatin1String("notify") && c.action != QLatin1String("isolate")) {
            r.fail(at("action"), key("action"),
                QStringLiteral("\"%1\" is not notify or isolate").arg(c.action));
            return;
        }
        if (c.severity != QLatin1String("info") && c.severity != QLatin1String("warning")
            && c.severity != QLatin1String("critical")) {
            r.fail(at("severity"), key("severity"),
                QStringLiteral("\"%1\" is not info, warning or critical").arg(c.severity));
            return;
        }
        watchers.append(c);
    }
    if (!r.failed())
        *out = watchers;
}

} // namespace Shivx::Internal
