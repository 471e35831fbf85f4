#include "backup/backupconfig.h"

#include "backup/backupjob.h"
#include "backup/offsiteconfig.h"
#include "core/configreader.h"
#include "schedule/cronexpression.h"

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

bool readCron(ConfigReader &r, const YAML::Node &n, const QString &key, QString *out)
{
    QString text;
    if (!r.scalar(n, key, &text))
        return false;
    const auto cron = CronExpression::parse(text);
    if (!cron) {
        r.fail(n, key, cron.error().message);
        return false;
    }
    *out = text;
    return true;
}

// `schedule:` is `continuous`, one cron expression (incremental backups), or a list of
// {cron, type} entries, so that e.g. a weekly full and daily incrementals share a set.
void readSchedule(ConfigReader &r, const YAML::Node &n, const QString &key, BackupSetSpec *s)
{
    if (!n.IsDefined() || n.IsNull())
        return;
    if (n.IsScalar()) {
        if (n.Scalar() == "continuous") {
            s->continuous = true;
            return;
        }
        BackupScheduleSpec e;
        if (readCron(r, n, key, &e.cron))
            s->schedules.append(e);
        return;
    }
    if (!n.IsSequence()) {
        r.fail(n, key,
            QStringLiteral("expected continuous, a cron expression or a list of {cron, type}"));
        return;
    }
    for (std::size_t i = 0; i < n.size() && !r.failed(); ++i) {
        const YAML::Node item = n[i];
        const QString ip = QStringLiteral("%1[%2]").arg(key).arg(i);
        if (!item.IsMap()) {
            r.fail(item, ip, QStringLiteral("expected a mapping {cron, type}"));
            return;
        }
        if (!r.checkKeys(item, ip, { QStringLiteral("cron"), QStringLiteral("type") }))
            return;
        BackupScheduleSpec e;
        if (!item["cron"].IsDefined()) {
            r.fail(item, ip, QStringLiteral("cron is missing"));
            return;
        }
        if (!readCron(r, item["cron"], ConfigReader::join(ip, QStringLiteral("cron")), &e.cron))
            return;
        r.string(item, ip, "type", &e.type);
        Backup::BackupType type;
        if (!Backup::parseBackupType(e.type, &type)) {
            r.fail(item["type"], ConfigReader::join(ip, QStringLiteral("type")),
                QStringLiteral("%1 is not full, incremental or differential").arg(e.type));
            return;
        }
        s->schedules.append(e);
    }
}

void readContinuous(ConfigReader &r, const YAML::Node &n, BackupContinuousSpec *out)
{
    if (!n.IsDefined() || n.IsNull())
        return;
    const QString path = QStringLiteral("backup.continuous");
    if (!r.checkKeys(n, path, { QStringLiteral("debounce"), QStringLiteral("min_interval") }))
        return;
    r.timerDuration(n, path, "debounce", &out->debounceMs, 100);
    r.timerDuration(n, path, "min_interval", &out->minIntervalMs, 1000);
}

void readVerify(ConfigReader &r, const YAML::Node &n, BackupConfig *out)
{
    if (!n.IsDefined() || n.IsNull())
        return;
    const QString path = QStringLiteral("backup.verify");
    if (!r.checkKeys(n, path, { QStringLiteral("schedule"), QStringLiteral("mode") }))
        return;
    if (n["schedule"].IsDefined()
        && !readCron(
            r, n["schedule"], QStringLiteral("backup.verify.schedule"), &out->verifySchedule))
        return;
    QString mode = QStringLiteral("quick");
    r.string(n, path, "mode", &mode);
    if (mode != QLatin1String("quick") && mode != QLatin1String("full"))
        r.fail(n["mode"], QStringLiteral("backup.verify.mode"),
            QStringLiteral("%1 is not quick or full").arg(mode));
    out->verifyQuick = mode == QLatin1String("quick");
}

} // namespace

void readBackupConfig(ConfigReader &r, const YAML::Node &node, BackupConfig *out)
{
    if (!node.IsDefined() || node.IsNull())
        return;
    const QString path = QStringLiteral("backup");
    if (!r.checkKeys(node, path,
            { QStringLiteral("repository"), QStringLiteral("password_file"),
                QStringLiteral("key_file"), QStringLiteral("keyring"), QStringLiteral("continuous"),
                QStringLiteral("verify"), QStringLiteral("offsite"), QStringLiteral("dr_plans"),
                QStringLiteral("sets") }))
        return;
    readOffsite(r, node["offsite"], &out->offsite);
    r.string(node, path, "repository", &out->repository);
    r.string(node, path, "password_file", &out->passwordFile);
    r.string(node, path, "key_file", &out->keyFile);
    r.boolean(node, path, "keyring", &out->keyring);
    r.string(node, path, "dr_plans", &out->drPlans);
    readContinuous(r, node["continuous"], &out->continuous);
    readVerify(r, node["verify"], out);
    if (r.failed())
        return;
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
                    QStringLiteral("sqlite"), QStringLiteral("retention"),
                    QStringLiteral("schedule"), QStringLiteral("drill") }))
            return;
        readSchedule(r, m["schedule"], sp + QStringLiteral(".schedule"), &s);
        if (m["drill"].IsDefined() && !m["drill"].IsNull())
            readCron(r, m["drill"], sp + QStringLiteral(".drill"), &s.drill);
        if (r.failed())
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
