#include "integrity/integrityconfig.h"

#include "core/configreader.h"

#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/yaml.h>

namespace Shivx {

bool IntegrityConfig::hasCritical() const
{
    for (const IntegrityPathSet &s : sets)
        if (s.critical)
            return true;
    return false;
}

const IntegrityPathSet *IntegrityConfig::set(const QString &name) const
{
    for (const IntegrityPathSet &s : sets)
        if (s.name == name)
            return &s;
    return nullptr;
}

namespace Internal {

namespace {

bool readPaths(ConfigReader &r, const YAML::Node &entry, const QString &p, const char *key,
    QStringList *out, bool mustBeAbsolute)
{
    r.stringList(entry, p, key, out);
    if (r.failed())
        return false;
    for (int i = 0; i < out->size(); ++i) {
        const QString &path = out->at(i);
        const QString k = QStringLiteral("%1.%2[%3]").arg(p, QLatin1String(key)).arg(i);
        const YAML::Node n = entry[key][std::size_t(i)];
        if (path.isEmpty()) {
            r.fail(n, k, QStringLiteral("an empty path"));
            return false;
        }
        if (mustBeAbsolute && !path.startsWith(QLatin1Char('/'))) {
            r.fail(
                n, k, QStringLiteral("\"%1\" is not an absolute path (start it with /)").arg(path));
            return false;
        }
    }
    return true;
}

void readSet(ConfigReader &r, const YAML::Node &n, const QString &p, IntegrityPathSet *set)
{
    if (!r.checkKeys(n, p,
            { QStringLiteral("name"), QStringLiteral("paths"), QStringLiteral("exclude"),
                QStringLiteral("follow_symlinks"), QStringLiteral("critical"),
                QStringLiteral("protect"), QStringLiteral("auto_restore") }))
        return;
    static const QRegularExpression namePattern(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!n["name"].IsDefined()) {
        r.fail(n, p + QStringLiteral(".name"), QStringLiteral("every set needs a name"));
        return;
    }
    r.string(n, p, "name", &set->name);
    if (r.failed())
        return;
    if (!namePattern.match(set->name).hasMatch()) {
        r.fail(n["name"], p + QStringLiteral(".name"),
            QStringLiteral("\"%1\": set names are 1-64 letters, digits, '_', '.' or '-'")
                .arg(set->name));
        return;
    }
    if (!n["paths"].IsDefined()) {
        r.fail(n, p + QStringLiteral(".paths"), QStringLiteral("a set needs at least one path"));
        return;
    }
    const YAML::Node paths = n["paths"];
    if (!readPaths(r, n, p, "paths", &set->paths, true))
        return;
    if (set->paths.isEmpty()) {
        r.fail(
            paths, p + QStringLiteral(".paths"), QStringLiteral("a set needs at least one path"));
        return;
    }
    if (!readPaths(r, n, p, "exclude", &set->excludes, false))
        return;
    r.boolean(n, p, "follow_symlinks", &set->followSymlinks);
    r.boolean(n, p, "critical", &set->critical);
    if (const YAML::Node protect = n["protect"]; protect.IsDefined() && !protect.IsNull()) {
        QString value;
        r.string(n, p, "protect", &value);
        if (r.failed())
            return;
        // "restore" is the one protection there is; the key leaves room for others.
        if (value != QLatin1String("restore")) {
            r.fail(protect, p + QStringLiteral(".protect"),
                QStringLiteral("\"%1\" is not a protection (restore)").arg(value));
            return;
        }
        set->protectRestore = true;
    }
    r.boolean(n, p, "auto_restore", &set->autoRestore);
    if (set->autoRestore && !set->protectRestore)
        r.fail(n["auto_restore"], p + QStringLiteral(".auto_restore"),
            QStringLiteral("needs `protect: restore` (there is no copy to restore from)"));
}

} // namespace

void readIntegrityConfig(ConfigReader &r, const YAML::Node &node, IntegrityConfig *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    const QString p = QStringLiteral("integrity");
    if (!r.checkKeys(node, p,
            { QStringLiteral("sets"), QStringLiteral("schedule"), QStringLiteral("budget"),
                QStringLiteral("threads"), QStringLiteral("snapshot_max_mib"),
                QStringLiteral("snapshot_store") }))
        return;
    if (const YAML::Node sets = node["sets"]; sets.IsDefined() && !sets.IsNull()) {
        if (!sets.IsSequence()) {
            r.fail(sets, p + QStringLiteral(".sets"), QStringLiteral("expected a list of sets"));
            return;
        }
        QSet<QString> names;
        for (std::size_t i = 0; i < sets.size() && !r.failed(); ++i) {
            const QString sp = QStringLiteral("integrity.sets[%1]").arg(i);
            IntegrityPathSet set;
            readSet(r, sets[i], sp, &set);
            if (r.failed())
                return;
            if (names.contains(set.name)) {
                r.fail(sets[i]["name"], sp + QStringLiteral(".name"),
                    QStringLiteral("duplicate set name \"%1\"").arg(set.name));
                return;
            }
            names.insert(set.name);
            out->sets.append(set);
        }
    }
    if (const YAML::Node s = node["schedule"]; s.IsDefined() && !s.IsNull()) {
        const QString sp = p + QStringLiteral(".schedule");
        if (!r.checkKeys(s, sp, { QStringLiteral("fast"), QStringLiteral("full") }))
            return;
        // "0s" turns a schedule off; anything else is at least a minute apart.
        for (const auto &[key, target] : { std::pair { "fast", &out->fastIntervalMs },
                 std::pair { "full", &out->fullIntervalMs } }) {
            qint64 v = -1;
            r.timerDuration(s, sp, key, &v, 0);
            if (r.failed())
                return;
            if (v < 0)
                continue;
            if (v > 0 && v < 60'000) {
                r.fail(s[key], ConfigReader::join(sp, QLatin1String(key)),
                    QStringLiteral("must be 0s (off) or at least 1m"));
                return;
            }
            *target = v;
        }
    }
    if (const YAML::Node b = node["budget"]; b.IsDefined() && !b.IsNull()) {
        const QString bp = p + QStringLiteral(".budget");
        if (!r.checkKeys(
                b, bp, { QStringLiteral("cpu_percent"), QStringLiteral("read_mib_per_second") }))
            return;
        r.integer(b, bp, "cpu_percent", &out->cpuPercent, 1, 100);
        r.integer(b, bp, "read_mib_per_second", &out->readMiBPerSecond, 0, 1'000'000);
    }
    r.integer(node, p, "threads", &out->threads, 1, 16);
    r.integer(node, p, "snapshot_max_mib", &out->snapshotMaxMiB, 1, 4096);
    if (const YAML::Node store = node["snapshot_store"]; store.IsDefined() && !store.IsNull()) {
        QString value;
        r.string(node, p, "snapshot_store", &value);
        if (r.failed())
            return;
        using Store = IntegrityConfig::SnapshotStore;
        if (value == QLatin1String("auto"))
            out->snapshotStore = Store::Auto;
        else if (value == QLatin1String("own"))
            out->snapshotStore = Store::Own;
        else if (value == QLatin1String("backup"))
            out->snapshotStore = Store::Backup;
        else
            r.fail(store, p + QStringLiteral(".snapshot_store"),
                QStringLiteral("\"%1\" is not a store (auto, own or backup)").arg(value));
    }
}

} // namespace Internal

} // namespace Shivx
