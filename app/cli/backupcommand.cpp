#include "backupcommand.h"

#include "backupenginecommands.h"
#include "commandcontext.h"

#include "backup/backupconfig.h"
#include "backup/backupjob.h"
#include "backup/backupoperations.h"
#include "backup/credentialsource.h"
#include "backup/keyslots.h"
#include "backup/offsitecopy.h"
#include "backup/postgresdump.h"
#include "backup/pruner.h"
#include "backup/repository.h"
#include "backup/restorejob.h"
#include "backup/verifier.h"
#include "core/timeutil.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QLocale>

#include <atomic>
#include <csignal>
#include <thread>
#include <unistd.h>

namespace Shivx::Cli {

using namespace Shivx::Backup;

namespace {

const char HelpText[]
    = "Usage: shivx backup init [--key-file FILE]\n"
      "       shivx backup run SET [--type full|incremental|differential]\n"
      "       shivx backup list [--set SET] [--format text|json]\n"
      "       shivx backup verify [--quick]\n"
      "       shivx backup restore [SNAPSHOT] [--at TIME] [--set SET] [--path P] [--target DIR]\n"
      "                            [--dry-run | --pg-restore-into DB]\n"
      "       shivx backup prune [--keep-last N] [--keep-hourly N] [--keep-daily N]\n"
      "                          [--keep-weekly N] [--keep-monthly N] [--dry-run]\n"
      "       shivx backup offsite [--remote NAME]\n"
      "       shivx backup key list | key add [--new-password-file F | --new-key-file F |\n"
      "                          --new-keyring] [--label TEXT] | key remove SLOT [--force]\n"
      "Through the running engine ([--url URL]):\n"
      "       shivx backup status | history [--kind K] | cancel ID\n"
      "       shivx backup now SET [--type T] [--wait] | drill SET [--wait]\n"
      "The repository subcommands take [--repo DIR]\n"
      "                                [--password-file FILE | --key-file FILE | --keyring].\n"
      "\n"
      "Deduplicated, compressed and encrypted backups of the sets of the configuration's\n"
      "`backup:` section into a repository directory (docs/backup.md; its byte layout:\n"
      "docs/backup-format.md). The repository alone is enough to list, verify and restore.\n"
      "\n"
      "  init            creates the repository with one key slot (passphrase or key file)\n"
      "  run SET         backs up SET; incremental (the default) reads only files changed\n"
      "                  since the set's last backup, differential since its last full one\n"
      "  list            the snapshots, oldest first\n"
      "  verify          reads back every object and checks its authentication and hash;\n"
      "                  --quick checks the structure and a random tenth of the packs\n"
      "  restore         SNAPSHOT (an id prefix or `latest`) or the newest snapshot at or\n"
      "                  before --at TIME; everything or --path P, at the original place or\n"
      "                  below --target DIR; --dry-run lists what would change;\n"
      "                  --pg-restore-into DB streams a PostgreSQL dump of the snapshot\n"
      "                  (--path /postgresql/NAME.dump when it has several) into pg_restore\n"
      "                  of the existing database DB, in one transaction\n"
      "  prune           forgets snapshots by the --keep options (else each set's retention\n"
      "                  from the configuration), then deletes data no snapshot needs\n"
      "  offsite         copies the repository to the remotes of backup.offsite (or --remote\n"
      "                  NAME) through rclone, only what is new, and verifies each copy\n"
      "  key             lists, adds or removes key slots; data is never re-encrypted;\n"
      "                  removing the slot you unlocked with needs --force\n"
      "  status          the engine's sets (last backup, size, dedup, schedule) and operations\n"
      "  now SET         queues a backup of SET in the engine (--type as for run); --wait\n"
      "                  follows it with progress and an ETA until it ends\n"
      "  drill SET       a restore drill in the engine: the newest snapshot restored to a\n"
      "                  temporary directory, compared with its manifest, RTO and RPO audited\n"
      "  cancel ID       cancels a queued or running engine operation\n"
      "  history         the engine's finished operations, newest first (--kind backup|drill|...)\n"
      "\n"
      "Options:\n"
      "  --repo DIR            the repository (default: backup.repository, else\n"
      "                        DATA_DIR/backup-repo)\n"
      "  --password-file FILE  the passphrase is the file's first line (default: the\n"
      "                        SHIVX_BACKUP_PASSWORD environment variable)\n"
      "  --key-file FILE       unlock with a key file instead (init: create one)\n"
      "  --keyring             unlock with a keyring slot through the desktop keyring (the\n"
      "                        Secret Service; default when backup.keyring is on and it answers)\n"
      "  --new-password-file F key add: the new slot's passphrase (else\n"
      "                        SHIVX_BACKUP_NEW_PASSWORD)\n"
      "  --new-key-file F      key add: create a key file F and a slot for it\n"
      "  --new-keyring         key add: a slot whose random secret lives in the desktop keyring\n";

const char ExitText[]
    = "Exit status: 0 ok; 1 failure (verify: problems found; wrong key; damaged data);\n"
      "2 usage error.\n";

// Ctrl-C and SIGTERM are blocked in every thread (TerminationSignals); a watcher thread takes
// them with sigtimedwait and raises the cancel flag the operation polls.
class CancelOnSignal
{
public:
    CancelOnSignal()
        : m_thread([this] {
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, SIGINT);
            sigaddset(&set, SIGTERM);
            const timespec step { 0, 100'000'000 };
            while (!m_done.load()) {
                if (sigtimedwait(&set, nullptr, &step) > 0)
                    cancel = true;
            }
        })
    {
    }
    ~CancelOnSignal()
    {
        m_done = true;
        m_thread.join();
    }
    std::atomic<bool> cancel { false };

private:
    std::atomic<bool> m_done { false };
    std::thread m_thread;
};

QString bytesText(std::uint64_t b)
{
    return QLocale::c().formattedDataSize(qint64(b), 1, QLocale::DataSizeTraditionalFormat);
}

// A progress line with an ETA on a terminal; nothing when stderr is not one.
std::function<void(const Progress &)> progressLine(QTextStream &err, const QString &what)
{
    if (!::isatty(STDERR_FILENO))
        return {};
    auto started = std::make_shared<QElapsedTimer>();
    started->start();
    return [&err, what, started](const Progress &p) {
        const double secs = std::max(0.001, started->elapsed() / 1000.0);
        QString line = QStringLiteral("\r%1: %2").arg(what, bytesText(p.doneBytes));
        if (p.totalBytes) {
            const double rate = double(p.doneBytes) / secs;
            const double left
                = rate > 0 ? double(p.totalBytes - std::min(p.doneBytes, p.totalBytes)) / rate : 0;
            line += QStringLiteral(" of %1 (%2%), %3/s, ETA %4")
                        .arg(bytesText(p.totalBytes))
                        .arg(int(100.0 * double(p.doneBytes) / double(p.totalBytes)))
                        .arg(bytesText(std::uint64_t(rate)))
                        .arg(TimeUtil::formatDurationMs(qint64(left * 1000)));
        } else if (p.totalItems) {
            line += QStringLiteral(", %1 of %2").arg(p.doneItems).arg(p.totalItems);
        }
        err << line << QStringLiteral("   ") << Qt::flush;
    };
}

void endProgress(QTextStream &err)
{
    if (::isatty(STDERR_FILENO))
        err << "\n" << Qt::flush;
}

struct Session
{
    CommandContext &c;
    QString repoPath;
    const BackupConfig &config;

    // `keyring` false: a passphrase or key file only (init, whose first slot must not depend
    // on one desktop's keyring).
    Result<Credential> credential(bool keyring = true) const
    {
        if (c.isSet(QStringLiteral("keyring")))
            return keyringCredential();
        if (c.isSet(QStringLiteral("key-file")))
            return KeySlots::readKeyFile(c.value(QStringLiteral("key-file")));
        if (keyring && config.keyring && !c.isSet(QStringLiteral("password-file")))
            return configuredCredential(config, repoPath); // the engine's order, with its warning
        QString file = c.value(QStringLiteral("password-file"));
        if (file.isEmpty() && qEnvironmentVariableIsEmpty("SHIVX_BACKUP_PASSWORD"))
            file = config.passwordFile;
        return passphraseFrom(file, "SHIVX_BACKUP_PASSWORD", QStringLiteral("--password-file"));
    }

    Result<std::unique_ptr<Repository>> open(bool withIndex = true) const
    {
        const auto cred = credential();
        if (!cred)
            return cred.error();
        return openRepository(repoPath, *cred, withIndex);
    }
};

int initRepo(Session &s)
{
    CommandContext &c = s.c;
    Result<Credential> cred = makeError("", QString());
    if (c.isSet(QStringLiteral("key-file"))) {
        const QString file = c.value(QStringLiteral("key-file"));
        cred = QFile::exists(file) ? KeySlots::readKeyFile(file) : KeySlots::createKeyFile(file);
    } else if (c.isSet(QStringLiteral("keyring"))) {
        return c.fail(ExitUsage,
            QStringLiteral("init makes the first slot from a passphrase or a key file, which "
                           "outlive a desktop's keyring; add a keyring slot after it with "
                           "`key add --new-keyring`"));
    } else {
        cred = s.credential(false);
    }
    if (!cred)
        return c.fail(ExitFailure, cred.error().message);
    const auto repo = Repository::init(s.repoPath, *cred, Repository::InitOptions());
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    c.out() << "created repository " << (*repo)->path() << " (id "
            << (*repo)->repositoryId().left(12) << ", key slot " << (*repo)->slotId() << ")\n"
            << Qt::flush;
    return ExitOk;
}

int run(Session &s)
{
    CommandContext &c = s.c;
    if (c.arguments().isEmpty())
        return c.fail(ExitUsage, QStringLiteral("name the set to back up (sets: %1)").arg([&] {
            QStringList names;
            for (const auto &set : s.config.sets)
                names << set.name;
            return names.isEmpty() ? QStringLiteral("none configured")
                                   : names.join(QStringLiteral(", "));
        }()));
    const QString name = c.arguments().first();
    const BackupSetSpec *set = s.config.set(name);
    if (!set)
        return c.fail(ExitUsage,
            QStringLiteral("no backup set %1 in the configuration's backup.sets").arg(name));
    BackupOptions options;
    if (c.isSet(QStringLiteral("type"))
        && !parseBackupType(c.value(QStringLiteral("type")), &options.type))
        return c.fail(ExitUsage,
            QStringLiteral("--type %1: expected full, incremental or differential")
                .arg(c.value(QStringLiteral("type"))));
    const auto repo = s.open(false);
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    CancelOnSignal interrupt;
    options.control.cancel = &interrupt.cancel;
    options.control.progress = progressLine(c.err(), QStringLiteral("backup ") + name);
    const auto stats = runBackup(**repo, *set, options);
    endProgress(c.err());
    if (!stats)
        return c.fail(ExitFailure, stats.error().message);
    c.out() << "snapshot " << QString::fromStdString(stats->snapshot.hex()).left(12) << " of "
            << name << " (" << stats->type;
    if (!stats->parent.isNull())
        c.out() << " since " << QString::fromStdString(stats->parent.hex()).left(12);
    c.out() << "): " << stats->files << " files, " << bytesText(stats->bytes) << "; read "
            << bytesText(stats->readBytes) << ", new " << bytesText(stats->newBytes) << ", stored "
            << bytesText(stats->storedBytes) << " in "
            << TimeUtil::formatDurationMs(stats->durationMs) << "\n";
    if (stats->skipped)
        c.out() << "skipped " << stats->skipped << " special files (sockets, fifos, devices)\n";
    c.out() << Qt::flush;
    return ExitOk;
}

int list(Session &s)
{
    CommandContext &c = s.c;
    const auto format = c.format({ CommandContext::Format::Text, CommandContext::Format::Json });
    if (!format)
        return c.fail(ExitUsage, format.error().message);
    const auto repo = s.open(false);
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    const auto snaps = (*repo)->snapshots();
    if (!snaps)
        return c.fail(ExitFailure, snaps.error().message);
    const QString only = c.value(QStringLiteral("set"));
    QJsonArray rows;
    for (const SnapshotInfo &sn : *snaps) {
        if (!only.isEmpty() && sn.set != only)
            continue;
        QJsonObject o = sn.json;
        o.insert(QStringLiteral("id"), QString::fromStdString(sn.id.hex()));
        rows.append(o);
        if (*format == CommandContext::Format::Text)
            c.out() << QString::fromStdString(sn.id.hex()).left(12) << "  "
                    << sn.time.toUTC().toString(Qt::ISODate) << "  " << sn.set.leftJustified(12)
                    << " " << sn.type.leftJustified(12) << " "
                    << QString::number(sn.stats.value(QStringLiteral("files")).toInteger())
                           .rightJustified(7)
                    << " files "
                    << bytesText(std::uint64_t(sn.stats.value(QStringLiteral("bytes")).toInteger()))
                           .rightJustified(10)
                    << "  " << sn.paths.join(QStringLiteral(" ")) << "\n";
    }
    if (*format == CommandContext::Format::Json)
        c.printJson(QJsonObject { { QStringLiteral("repository"), (*repo)->path() },
            { QStringLiteral("snapshots"), rows } });
    else if (rows.isEmpty())
        c.out() << "no snapshots\n";
    c.out() << Qt::flush;
    return ExitOk;
}

int verify(Session &s)
{
    CommandContext &c = s.c;
    const auto repo = s.open();
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    CancelOnSignal interrupt;
    VerifyOptions options;
    options.quick = c.isSet(QStringLiteral("quick"));
    options.control.cancel = &interrupt.cancel;
    options.control.progress = progressLine(c.err(), QStringLiteral("verify"));
    const auto report = runVerify(**repo, options);
    endProgress(c.err());
    if (!report)
        return c.fail(ExitFailure, report.error().message);
    for (const QString &n : report->notes)
        c.out() << "note: " << n << "\n";
    for (const Error &e : report->problems)
        c.out() << "problem: " << e.code << ": " << e.message << "\n";
    c.out() << (report->ok() ? "ok" : "FAILED") << ": " << report->snapshots << " snapshots, "
            << report->trees << " trees, " << report->dataObjects << " data objects; "
            << report->packsRead << " of " << report->packs << " packs read ("
            << bytesText(report->bytesRead) << ", " << report->objectsRead << " objects) in "
            << TimeUtil::formatDurationMs(report->durationMs) << "\n"
            << Qt::flush;
    if (!report->ok())
        return c.fail(ExitFailure,
            QStringLiteral("%1 problem(s) found; the first: %2")
                .arg(report->problems.size())
                .arg(report->problems.first().message));
    return ExitOk;
}

int offsite(Session &s)
{
    CommandContext &c = s.c;
    const QString only = c.value(QStringLiteral("remote"));
    QList<Backup::OffsiteRemote> remotes;
    for (const Backup::OffsiteRemote &r : s.config.offsite)
        if (only.isEmpty() || r.name == only)
            remotes.append(r);
    if (remotes.isEmpty())
        return c.fail(ExitUsage,
            only.isEmpty() ? QStringLiteral("no remotes in backup.offsite")
                           : QStringLiteral("no remote named %1 in backup.offsite").arg(only));
    CancelOnSignal interrupt;
    for (const Backup::OffsiteRemote &r : std::as_const(remotes)) {
        Control control;
        control.cancel = &interrupt.cancel;
        control.progress = progressLine(c.err(), QStringLiteral("offsite ") + r.name);
        const auto report = Backup::OffsiteCopy::run(s.repoPath, r, control);
        endProgress(c.err());
        if (!report)
            return c.fail(ExitFailure, report.error().message);
        c.out() << r.name << ": " << report->filesCopied << " files copied ("
                << bytesText(report->bytesCopied) << "), " << report->filesDeleted << " deleted, "
                << report->filesVerified << " verified in "
                << TimeUtil::formatDurationMs(report->durationMs) << "\n"
                << Qt::flush;
    }
    return ExitOk;
}

// --pg-restore-into DB: the dump goes from the repository straight into pg_restore, connected
// as the set's configuration says for that database (else libpq's defaults and PG* variables).
int restoreIntoDatabase(Session &s, const Repository &repo, const SnapshotInfo &snap)
{
    CommandContext &c = s.c;
    const QString database = c.value(QStringLiteral("pg-restore-into"));
    if (database.isEmpty())
        return c.fail(ExitUsage, QStringLiteral("--pg-restore-into: name the database"));
    if (c.isSet(QStringLiteral("dry-run")) || c.isSet(QStringLiteral("target")))
        return c.fail(ExitUsage,
            QStringLiteral("--pg-restore-into loads a dump into a database; it takes neither "
                           "--target nor --dry-run"));
    const auto dumps = postgresDumps(repo, snap);
    if (!dumps)
        return c.fail(ExitFailure, dumps.error().message);
    const QString id = QString::fromStdString(snap.id.hex()).left(12);
    QString dump = c.value(QStringLiteral("path"));
    if (dump.isEmpty() && dumps->size() == 1)
        dump = dumps->first();
    if (dump.isEmpty() || !dumps->contains(QDir::cleanPath(dump)))
        return c.fail(dumps->isEmpty() ? ExitFailure : ExitUsage,
            dumps->isEmpty()
                ? QStringLiteral("snapshot %1 holds no PostgreSQL dump").arg(id)
                : QStringLiteral("%1snapshot %2 holds %3; choose one with --path")
                      .arg(dump.isEmpty() ? QString() : dump + QStringLiteral(" is not a dump: "),
                          id, dumps->join(QStringLiteral(", "))));
    dump = QDir::cleanPath(dump);
    PostgresSourceSpec connection;
    if (const BackupSetSpec *set = s.config.set(snap.set)) {
        for (const PostgresSourceSpec &pg : set->postgresql) {
            if (pg.entryPath() == dump)
                connection = pg;
        }
    }
    CancelOnSignal interrupt;
    Control control;
    control.cancel = &interrupt.cancel;
    control.progress = progressLine(c.err(), QStringLiteral("pg_restore"));
    const auto stats = restoreIntoPostgres(repo, snap, dump, connection, database, control);
    endProgress(c.err());
    if (!stats)
        return c.fail(ExitFailure, stats.error().message);
    c.out() << "restored " << dump << " of snapshot " << id << " ("
            << snap.time.toUTC().toString(Qt::ISODate) << ") into PostgreSQL database " << database
            << ": " << bytesText(stats->bytes) << " in "
            << TimeUtil::formatDurationMs(stats->durationMs) << "\n"
            << Qt::flush;
    return ExitOk;
}

int restore(Session &s)
{
    CommandContext &c = s.c;
    const auto repo = s.open();
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    Result<SnapshotInfo> snap = makeError("", QString());
    if (c.isSet(QStringLiteral("at"))) {
        if (!c.arguments().isEmpty())
            return c.fail(ExitUsage, QStringLiteral("give a SNAPSHOT or --at TIME, not both"));
        const auto at = TimeUtil::parseTimePoint(
            c.value(QStringLiteral("at")), QDateTime::currentMSecsSinceEpoch());
        if (!at)
            return c.fail(ExitUsage, QStringLiteral("--at: %1").arg(at.error().message));
        snap = snapshotAt(
            **repo, QDateTime::fromMSecsSinceEpoch(*at, Qt::UTC), c.value(QStringLiteral("set")));
    } else {
        if (c.arguments().isEmpty())
            return c.fail(ExitUsage,
                QStringLiteral("name the SNAPSHOT (an id from `shivx backup list`, or latest) "
                               "or give --at TIME"));
        snap = (*repo)->findSnapshot(c.arguments().first());
    }
    if (!snap)
        return c.fail(ExitFailure, snap.error().message);
    if (c.isSet(QStringLiteral("pg-restore-into")))
        return restoreIntoDatabase(s, **repo, *snap);
    RestoreOptions options;
    options.path = c.value(QStringLiteral("path"));
    if (!options.path.isEmpty() && !QDir::isAbsolutePath(options.path))
        return c.fail(ExitUsage,
            QStringLiteral("--path %1: give the absolute path as backed up").arg(options.path));
    if (c.isSet(QStringLiteral("target")))
        options.target = QDir(c.value(QStringLiteral("target"))).absolutePath();
    options.dryRun = c.isSet(QStringLiteral("dry-run"));
    options.owners = ::geteuid() == 0;
    CancelOnSignal interrupt;
    options.control.cancel = &interrupt.cancel;
    options.control.progress = progressLine(c.err(), QStringLiteral("restore"));
    const auto stats = runRestore(**repo, *snap, options);
    endProgress(c.err());
    if (!stats)
        return c.fail(ExitFailure, stats.error().message);
    const QString id = QString::fromStdString(snap->id.hex()).left(12);
    if (options.dryRun) {
        int changing = 0;
        for (const RestoreChange &ch : stats->changes) {
            if (ch.kind == RestoreChange::Kind::Unchanged)
                continue;
            ++changing;
            c.out() << (ch.kind == RestoreChange::Kind::Create ? "create " : "update ")
                    << ch.type.leftJustified(8) << ch.path << "\n";
        }
        c.out() << "dry run of snapshot " << id << ": " << changing << " of "
                << stats->changes.size() << " entries would change; nothing was written\n"
                << Qt::flush;
        return ExitOk;
    }
    c.out() << "restored snapshot " << id << " (" << snap->time.toUTC().toString(Qt::ISODate)
            << ") to " << options.target << ": " << stats->files << " files, " << stats->dirs
            << " directories, " << bytesText(stats->bytes) << " in "
            << TimeUtil::formatDurationMs(stats->durationMs) << "\n"
            << Qt::flush;
    return ExitOk;
}

int prune(Session &s)
{
    CommandContext &c = s.c;
    const auto repo = s.open();
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    BackupRetention cli;
    bool anyKeep = false;
    const std::pair<const char *, int *> keeps[] = { { "keep-last", &cli.last },
        { "keep-hourly", &cli.hourly }, { "keep-daily", &cli.daily },
        { "keep-weekly", &cli.weekly }, { "keep-monthly", &cli.monthly } };
    for (const auto &[name, field] : keeps) {
        if (!c.isSet(QLatin1String(name)))
            continue;
        bool ok = false;
        *field = c.value(QLatin1String(name)).toInt(&ok);
        if (!ok || *field < 0)
            return c.fail(ExitUsage,
                QStringLiteral("--%1 %2: expected a count")
                    .arg(QLatin1String(name), c.value(QLatin1String(name))));
        anyKeep = true;
    }
    const auto snaps = (*repo)->snapshots();
    if (!snaps)
        return c.fail(ExitFailure, snaps.error().message);
    const BackupConfig &config = s.config;
    const QList<Id> forget = snapshotsToForget(*snaps, [&](const QString &set) {
        if (anyKeep)
            return cli;
        const BackupSetSpec *spec = config.set(set);
        return spec ? spec->retention : BackupRetention();
    });
    CancelOnSignal interrupt;
    PruneOptions options;
    options.dryRun = c.isSet(QStringLiteral("dry-run"));
    options.control.cancel = &interrupt.cancel;
    const auto stats = runPrune(**repo, forget, options);
    if (!stats)
        return c.fail(ExitFailure, stats.error().message);
    c.out() << (options.dryRun ? "dry run: would forget " : "forgot ") << stats->forgotten
            << " snapshots; " << (options.dryRun ? "would delete " : "deleted ")
            << stats->packsDeleted << " packs, rewrote " << stats->packsRewritten << ", removed "
            << stats->orphansDeleted << " leftovers; freed " << bytesText(stats->bytesFreed)
            << " in " << TimeUtil::formatDurationMs(stats->durationMs) << " (backups held back "
            << TimeUtil::formatDurationMs(stats->exclusiveMs) << ")\n"
            << Qt::flush;
    return ExitOk;
}

int key(Session &s)
{
    CommandContext &c = s.c;
    const QString sub = c.subcommand();
    if (sub == QLatin1String("key list")) {
        const auto slotList = KeySlots::list(s.repoPath);
        if (!slotList)
            return c.fail(ExitFailure, slotList.error().message);
        for (const KeySlotInfo &k : *slotList)
            c.out() << k.id << "  " << k.kind.leftJustified(10) << "  "
                    << k.created.toUTC().toString(Qt::ISODate) << "  " << k.label << "\n";
        c.out() << Qt::flush;
        return ExitOk;
    }
    const auto repo = s.open(false);
    if (!repo)
        return c.fail(ExitFailure, repo.error().message);
    if (sub == QLatin1String("key remove")) {
        if (c.arguments().size() != 1)
            return c.fail(ExitUsage, QStringLiteral("name the SLOT to remove (key list)"));
        const QString slot = c.arguments().first();
        if (slot == (*repo)->slotId() && !c.isSet(QStringLiteral("force")))
            return c.fail(ExitFailure,
                QStringLiteral("slot %1 is the one you unlocked with; unlock with another slot "
                               "to remove it")
                    .arg(slot));
        if (auto r = KeySlots::remove(s.repoPath, slot); !r)
            return c.fail(ExitFailure, r.error().message);
        c.out() << "removed key slot " << slot << "\n" << Qt::flush;
        return ExitOk;
    }
    Result<Credential> fresh = makeError("", QString());
    if (c.isSet(QStringLiteral("new-keyring")))
        fresh = Credential { Credential::Kind::Keyring, {}, QStringLiteral("--new-keyring") };
    else if (c.isSet(QStringLiteral("new-key-file")))
        fresh = KeySlots::createKeyFile(c.value(QStringLiteral("new-key-file")));
    else
        fresh = passphraseFrom(c.value(QStringLiteral("new-password-file")),
            "SHIVX_BACKUP_NEW_PASSWORD", QStringLiteral("--new-password-file"));
    if (!fresh)
        return c.fail(ExitFailure, fresh.error().message);
    const auto added
        = KeySlots::add(s.repoPath, (*repo)->key(), *fresh, c.value(QStringLiteral("label")));
    if (!added)
        return c.fail(ExitFailure, added.error().message);
    c.out() << "added key slot " << added->id << " (" << added->kind << ")\n" << Qt::flush;
    return ExitOk;
}

} // namespace

int backupCommand(const QStringList &args, QTextStream &out, QTextStream &err)
{
    CommandContext c(QStringLiteral("backup"), out, err);
    c.setHelp(HelpText, ExitText);
    c.setSubcommands({ QStringLiteral("init"), QStringLiteral("run"), QStringLiteral("list"),
        QStringLiteral("verify"), QStringLiteral("restore"), QStringLiteral("prune"),
        QStringLiteral("key list"), QStringLiteral("key add"), QStringLiteral("key remove"),
        QStringLiteral("status"), QStringLiteral("now"), QStringLiteral("drill"),
        QStringLiteral("cancel"), QStringLiteral("history"), QStringLiteral("offsite") });
    c.addDataDirOptions(QStringLiteral("backup.repository and backup.sets"));
    c.addEngineOptions();
    c.addFormatOption({ CommandContext::Format::Text, CommandContext::Format::Json },
        QStringLiteral("list, status, history, now, drill: text (default) or json"));
    for (const char *name :
        { "repo", "password-file", "key-file", "new-password-file", "new-key-file", "label", "type",
            "set", "path", "target", "at", "keep-last", "keep-hourly", "keep-daily", "keep-weekly",
            "keep-monthly", "kind", "remote", "pg-restore-into" })
        c.addOption(QCommandLineOption(QLatin1String(name), QString(), QStringLiteral("VALUE")));
    for (const char *name : { "quick", "dry-run", "force", "wait", "keyring", "new-keyring" })
        c.addOption(QCommandLineOption(QLatin1String(name)));
    if (const auto done = c.parse(args))
        return *done;
    if (isBackupEngineSubcommand(c.subcommand()))
        return backupEngineCommand(c);
    const BackupConfig &config = c.config().section<BackupConfig>();
    QString repoPath = c.value(QStringLiteral("repo"));
    if (repoPath.isEmpty())
        repoPath = config.repository;
    if (repoPath.isEmpty())
        repoPath = c.dataDir() + QStringLiteral("/backup-repo");
    Session s { c, QDir(repoPath).absolutePath(), config };
    const QString sub = c.subcommand();
    if (sub == QLatin1String("init"))
        return initRepo(s);
    if (sub == QLatin1String("run"))
        return run(s);
    if (sub == QLatin1String("list"))
        return list(s);
    if (sub == QLatin1String("verify"))
        return verify(s);
    if (sub == QLatin1String("restore"))
        return restore(s);
    if (sub == QLatin1String("prune"))
        return prune(s);
    if (sub == QLatin1String("offsite"))
        return offsite(s);
    return key(s);
}

} // namespace Shivx::Cli
