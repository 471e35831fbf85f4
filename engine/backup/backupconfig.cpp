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

QString BackupConfig::repositoryPath(const QString &dataDir) const
{
    return QDir(repository.isEmpty() ? dataDir + QStringLiteral("/backup-repo") : repository)
        .absolutePath();
}

QString PostgresSourceSpec::pgRestore() const
{
    const int slash = pgDump.lastIndexOf(QLatin1Char('/'));
    return slash < 0 ? QStringLiteral("pg_restore")
                     : pgDump.left(slash + 1) + QStringLiteral("pg_restore");
}

QString PostgresSourceSpec::connectionString(const QString &db) const
{
    // libpq's key = 'value' syntax: quotes and backslashes escaped by a backslash, so that no
    // value can add a parameter of its own.
    auto quoted = [](QString v) {
        v.replace(QLatin1Char('\\'), QLatin1String("\\\\"));
        v.replace(QLatin1Char('\''), QLatin1String("\\'"));
        return QStringLiteral("'%1'").arg(v);
    };
    QStringList parts { QStringLiteral("dbname=") + quoted(db) };
    if (!host.isEmpty())
        parts << QStringLiteral("host=") + quoted(host);
    if (port)
        parts << QStringLiteral("port=") + quoted(QString::number(port));
    if (!user.isEmpty())
        parts << QStringLiteral("user=") + quoted(user);
    if (!passfile.isEmpty())
        parts << QStringLiteral("passfile=") + quoted(passfile);
    return parts.join(QLatin1Char(' '));
}

QString PostgresSourceSpec::describe() const
{
    QString where = host;
    if (port)
        where += QStringLiteral(":%1").arg(port);
    return where.isEmpty() ? QStringLiteral("database %1").arg(database)
                           : QStringLiteral("database %1 on %2").arg(database, where);
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

bool validDumpName(const QString &name)
{
    return !name.isEmpty() && name != QLatin1String(".") && name != QLatin1String("..")
        && !name.contains(QLatin1Char('/')) && !name.contains(QChar(0));
}

// `postgresql:` is a list of databases: a name (the local server's socket, libpq's defaults)
// or a mapping {database, host, port, user, passfile, name, pg_dump, lock_wait_timeout}.
void readPostgres(ConfigReader &r, const YAML::Node &n, const QString &key, BackupSetSpec *s)
{
    if (!n.IsDefined() || n.IsNull())
        return;
    if (!n.IsSequence()) {
        r.fail(n, key, QStringLiteral("expected a list of databases"));
        return;
    }
    for (std::size_t i = 0; i < n.size() && !r.failed(); ++i) {
        const YAML::Node item = n[i];
        const QString ip = QStringLiteral("%1[%2]").arg(key).arg(i);
        PostgresSourceSpec pg;
        if (item.IsScalar()) {
            pg.database = QString::fromStdString(item.Scalar());
        } else {
            if (item.IsMap()) {
                for (const char *secret : { "password", "pass", "pgpassword" }) {
                    if (item[secret].IsDefined()) {
                        r.fail(item[secret], ConfigReader::join(ip, QLatin1String(secret)),
                            QStringLiteral("a password never goes in the configuration: put it in "
                                           "a libpq password file (passfile:, PGPASSFILE or "
                                           "~/.pgpass) or let the server use peer "
                                           "authentication"));
                        return;
                    }
                }
            }
            if (!r.checkKeys(item, ip,
                    { QStringLiteral("database"), QStringLiteral("host"), QStringLiteral("port"),
                        QStringLiteral("user"), QStringLiteral("passfile"), QStringLiteral("name"),
                        QStringLiteral("pg_dump"), QStringLiteral("lock_wait_timeout") }))
                return;
            r.string(item, ip, "database", &pg.database);
            r.string(item, ip, "host", &pg.host);
            r.integer(item, ip, "port", &pg.port, 1, 65535);
            r.string(item, ip, "user", &pg.user);
            r.string(item, ip, "passfile", &pg.passfile);
            r.string(item, ip, "name", &pg.name);
            r.string(item, ip, "pg_dump", &pg.pgDump);
            // PostgreSQL's statement_timeout is an int of milliseconds, as a timer's is.
            r.timerDuration(item, ip, "lock_wait_timeout", &pg.lockWaitTimeoutMs, 1000);
            if (r.failed())
                return;
        }
        const YAML::Node at = item.IsMap() ? item["database"] : item;
        if (pg.database.isEmpty() || pg.database.contains(QChar(0))) {
            r.fail(at, ConfigReader::join(ip, QStringLiteral("database")),
                QStringLiteral("name the database"));
            return;
        }
        if (pg.host.contains(QLatin1Char('/')) && !QDir::isAbsolutePath(pg.host)) {
            r.fail(item["host"], ConfigReader::join(ip, QStringLiteral("host")),
                QStringLiteral("%1: a socket directory must be an absolute path").arg(pg.host));
            return;
        }
        if (!pg.passfile.isEmpty() && !QDir::isAbsolutePath(pg.passfile)) {
            r.fail(item["passfile"], ConfigReader::join(ip, QStringLiteral("passfile")),
                QStringLiteral("%1 is not an absolute path").arg(pg.passfile));
            return;
        }
        if (pg.pgDump.isEmpty()) {
            r.fail(item["pg_dump"], ConfigReader::join(ip, QStringLiteral("pg_dump")),
                QStringLiteral("name the pg_dump program"));
            return;
        }
        if (!validDumpName(pg.dumpName())) {
            const bool named = !pg.name.isEmpty();
            r.fail(named ? item["name"] : at,
                ConfigReader::join(ip, named ? QStringLiteral("name") : QStringLiteral("database")),
                QStringLiteral("%1 cannot be a file name (postgresql/NAME.dump in the snapshot)%2")
                    .arg(pg.dumpName(),
                        named ? QString() : QStringLiteral("; give the entry a name:")));
            return;
        }
        for (const PostgresSourceSpec &other : std::as_const(s->postgresql)) {
            if (other.dumpName() == pg.dumpName()) {
                r.fail(item, ip,
                    QStringLiteral("a second dump named %1 in the set; give one a different "
                                   "name:")
                        .arg(pg.dumpName()));
                return;
            }
        }
        s->postgresql.append(pg);
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
                    QStringLiteral("sqlite"), QStringLiteral("postgresql"),
                    QStringLiteral("retention"), QStringLiteral("schedule"),
                    QStringLiteral("drill") }))
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
        readPostgres(r, m["postgresql"], sp + QStringLiteral(".postgresql"), &s);
        if (r.failed())
            return;
        if (s.paths.isEmpty() && s.sqlite.isEmpty() && s.postgresql.isEmpty())
            r.fail(m, sp, QStringLiteral("a set needs paths, sqlite or postgresql databases"));
        if (!s.postgresql.isEmpty() && s.continuous)
            r.fail(m["schedule"], sp + QStringLiteral(".schedule"),
                QStringLiteral("continuous mode watches files; a set with postgresql databases "
                               "needs cron schedules"));
        for (const QString &p : s.paths + s.sqlite) {
            const QString clean = QDir::cleanPath(p);
            if (!s.postgresql.isEmpty()
                && (clean == QLatin1String("/postgresql")
                    || clean.startsWith(QLatin1String("/postgresql/"))))
                r.fail(m, sp,
                    QStringLiteral("%1: /postgresql is where the set's database dumps are in a "
                                   "snapshot; back it up in another set")
                        .arg(p));
        }
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
