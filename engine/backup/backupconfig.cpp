#include "backup/backupconfig.h"

#include "core/configreader.h"

#include <QDir>

namespace Shivx {

const BackupSetSpec *BackupConfig::set(const QString &name) const
{
    for (const BackupSetSpec &s : sets) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

namespace Internal {

namespace {

void readCount(
    ConfigReader &r, const YAML::Node &map, const QString &path, const char *key, int *out)
{
    r.integer(map, path, key, out, 0, 100000);
}

void absolutePaths(
    ConfigReader &r, const YAML::Node &map, const QString &path, const char *key, QStringList *out)
{
    r.stringList(map, path, key, out);
    for (const QString &p : *out) {
        if (!QDir::isAbsolutePath(p))
            r.fail(map[key], ConfigReader::join(path, QLatin1String(key)),
                QStringLiteral("%1 is not an absolute path").arg(p));
    }
}

} // namespace

void readBackupConfig(ConfigReader &r, const YAML::Node &node, BackupConfig *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    const QString path = QStringLiteral("backup");
    if (!r.checkKeys(node, path,
            { QStringLiteral("repository"), QStringLiteral("password_file"),
                QStringLiteral("sets") }))
        return;
    r.string(node, path, "repository", &out->repository);
    r.string(node, path, "password_file", &out->passwordFile);
    const YAML::Node sets = node["sets"];
    if (!sets.IsDefined() || sets.IsNull())
        return;
    if (!sets.IsMap()) {
        r.fail(sets, QStringLiteral("backup.sets"), QStringLiteral("expected a mapping of sets"));
        return;
    }
    for (auto it = sets.begin(); it != sets.end() && !r.failed(); ++it) {
        BackupSetSpec s;
        s.name = QString::fromStdString(it->first.Scalar());
        const QString sp = QStringLiteral("backup.sets.") + s.name;
        const YAML::Node m = it->second;
        if (!r.checkKeys(m, sp,
                { QStringLiteral("paths"), QStringLiteral("include"), QStringLiteral("exclude"),
                    QStringLiteral("sqlite"), QStringLiteral("retention") }))
            return;
        absolutePaths(r, m, sp, "paths", &s.paths);
        absolutePaths(r, m, sp, "sqlite", &s.sqlite);
        r.stringList(m, sp, "include", &s.include);
        r.stringList(m, sp, "exclude", &s.exclude);
        if (s.paths.isEmpty() && s.sqlite.isEmpty())
            r.fail(m, sp, QStringLiteral("a set needs paths or sqlite databases"));
        const YAML::Node ret = m["retention"];
        if (ret.IsDefined() && !ret.IsNull()) {
            const QString rp = sp + QStringLiteral(".retention");
            if (!r.checkKeys(ret, rp,
                    { QStringLiteral("last"), QStringLiteral("hourly"), QStringLiteral("daily"),
                        QStringLiteral("weekly"), QStringLiteral("monthly") }))
                return;
            readCount(r, ret, rp, "last", &s.retention.last);
            readCount(r, ret, rp, "hourly", &s.retention.hourly);
            readCount(r, ret, rp, "daily", &s.retention.daily);
            readCount(r, ret, rp, "weekly", &s.retention.weekly);
            readCount(r, ret, rp, "monthly", &s.retention.monthly);
        }
        out->sets.append(s);
    }
}

} // namespace Internal

} // namespace Shivx
