#include "backup/backupoperations.h"

#include "backup/backupjob.h"
#include "backup/pruner.h"
#include "backup/restoredrill.h"
#include "backup/restorejob.h"
#include "backup/verifier.h"

#include <QJsonArray>

#include <unistd.h>

namespace Shivx::Backup {

namespace {

QString hex(const Id &id)
{
    return QString::fromStdString(id.hex());
}

Result<OperationOutcome> backup(Repository &repo, const OperationRequest &r, const Control &c)
{
    BackupOptions options;
    parseBackupType(r.type, &options.type);
    options.touched = r.touched;
    options.control = c;
    const auto stats = runBackup(repo, r.set, options);
    if (!stats)
        return stats.error();
    OperationOutcome out;
    out.bytes = stats->bytes;
    out.result = { { QStringLiteral("snapshot"), hex(stats->snapshot) },
        { QStringLiteral("parent"), stats->parent.isNull() ? QString() : hex(stats->parent) },
        { QStringLiteral("type"), stats->type }, { QStringLiteral("files"), qint64(stats->files) },
        { QStringLiteral("bytes"), qint64(stats->bytes) },
        { QStringLiteral("read_bytes"), qint64(stats->readBytes) },
        { QStringLiteral("new_bytes"), qint64(stats->newBytes) },
        { QStringLiteral("stored_bytes"), qint64(stats->storedBytes) },
        { QStringLiteral("skipped"), qint64(stats->skipped) },
        { QStringLiteral("duration_ms"), stats->durationMs } };
    const auto info = repo.readSnapshot(stats->snapshot);
    if (!info)
        return info.error();
    out.snapshot = *info;
    return out;
}

Result<OperationOutcome> verify(const Repository &repo, const OperationRequest &r, const Control &c)
{
    VerifyOptions options;
    options.quick = r.quick;
    options.control = c;
    const auto report = runVerify(repo, options);
    if (!report)
        return report.error();
    OperationOutcome out;
    out.bytes = report->bytesRead;
    out.problems = !report->ok();
    QJsonArray problems;
    for (const Error &e : report->problems.mid(0, 100))
        problems.append(QJsonObject {
            { QStringLiteral("code"), e.code }, { QStringLiteral("message"), e.message } });
    out.result
        = { { QStringLiteral("mode"), r.quick ? QStringLiteral("quick") : QStringLiteral("full") },
              { QStringLiteral("snapshots"), report->snapshots },
              { QStringLiteral("packs"), report->packs },
              { QStringLiteral("packs_read"), report->packsRead },
              { QStringLiteral("bytes_read"), qint64(report->bytesRead) },
              { QStringLiteral("problem_count"), qint64(report->problems.size()) },
              { QStringLiteral("problems"), problems },
              { QStringLiteral("notes"), QJsonArray::fromStringList(report->notes) },
              { QStringLiteral("duration_ms"), report->durationMs } };
    return out;
}

// The snapshot a restore or compare names: by id (or "latest"), else the newest of the set
// not after atMs.
Result<SnapshotInfo> chosenSnapshot(const Repository &repo, const OperationRequest &r)
{
    // "latest" of a named set is that set's newest, not the repository's.
    if (!r.snapshot.isEmpty() && !(r.snapshot == QLatin1String("latest") && !r.set.name.isEmpty()))
        return repo.findSnapshot(r.snapshot);
    return snapshotAt(repo,
        r.atMs ? QDateTime::fromMSecsSinceEpoch(r.atMs, Qt::UTC) : QDateTime::currentDateTimeUtc(),
        r.set.name);
}

Result<OperationOutcome> compare(const Repository &repo, const OperationRequest &r)
{
    const auto snapshot = chosenSnapshot(repo, r);
    if (!snapshot)
        return snapshot.error();
    const auto report = compareRestored(repo, *snapshot, r.path, r.target);
    if (!report)
        return report.error();
    OperationOutcome out;
    out.bytes = report->bytes;
    out.problems = !report->ok();
    out.result = { { QStringLiteral("snapshot"), hex(snapshot->id) },
        { QStringLiteral("path"), r.path }, { QStringLiteral("target"), r.target },
        { QStringLiteral("entries"), qint64(report->entries) },
        { QStringLiteral("mismatch_count"), qint64(report->mismatchCount) },
        { QStringLiteral("mismatches"), QJsonArray::fromStringList(report->mismatches) } };
    return out;
}

Result<OperationOutcome> restore(
    const Repository &repo, const OperationRequest &r, const Control &c)
{
    const auto snapshot = chosenSnapshot(repo, r);
    if (!snapshot)
        return snapshot.error();
    RestoreOptions options;
    options.path = r.path;
    options.target = r.target;
    options.dryRun = r.dryRun;
    options.owners = ::geteuid() == 0;
    options.control = c;
    const auto stats = runRestore(repo, *snapshot, options);
    if (!stats)
        return stats.error();
    OperationOutcome out;
    out.bytes = stats->bytes;
    QJsonArray changes;
    int changed = 0;
    for (const RestoreChange &ch : stats->changes) {
        if (ch.kind == RestoreChange::Kind::Unchanged)
            continue;
        ++changed;
        if (changes.size() < 1000)
            changes.append(QJsonObject { { QStringLiteral("path"), ch.path },
                { QStringLiteral("type"), ch.type },
                { QStringLiteral("change"),
                    ch.kind == RestoreChange::Kind::Create ? QStringLiteral("create")
                                                           : QStringLiteral("update") } });
    }
    out.result = { { QStringLiteral("snapshot"), hex(snapshot->id) },
        { QStringLiteral("snapshot_time"), snapshot->time.toUTC().toString(Qt::ISODateWithMs) },
        { QStringLiteral("path"), r.path }, { QStringLiteral("target"), r.target },
        { QStringLiteral("dry_run"), r.dryRun }, { QStringLiteral("files"), qint64(stats->files) },
        { QStringLiteral("dirs"), qint64(stats->dirs) },
        { QStringLiteral("bytes"), qint64(stats->bytes) },
        { QStringLiteral("duration_ms"), stats->durationMs } };
    if (r.dryRun) {
        out.result.insert(QStringLiteral("changed"), changed);
        out.result.insert(QStringLiteral("changes"), changes);
    }
    return out;
}

Result<OperationOutcome> prune(Repository &repo, const OperationRequest &r, const Control &c)
{
    const auto all = repo.snapshots();
    if (!all)
        return all.error();
    const QList<BackupSetSpec> sets = r.sets;
    const QList<Id> forget = snapshotsToForget(*all, [&sets](const QString &name) {
        for (const BackupSetSpec &s : sets)
            if (s.name == name)
                return s.retention;
        return BackupRetention {};
    });
    PruneOptions options;
    options.dryRun = r.dryRun;
    options.control = c;
    const auto stats = runPrune(repo, forget, options);
    if (!stats)
        return stats.error();
    OperationOutcome out;
    out.bytes = stats->bytesFreed;
    out.result = { { QStringLiteral("dry_run"), r.dryRun },
        { QStringLiteral("forgotten"), stats->forgotten },
        { QStringLiteral("packs_deleted"), stats->packsDeleted },
        { QStringLiteral("packs_rewritten"), stats->packsRewritten },
        { QStringLiteral("bytes_freed"), qint64(stats->bytesFreed) },
        { QStringLiteral("exclusive_ms"), stats->exclusiveMs },
        { QStringLiteral("duration_ms"), stats->durationMs } };
    const auto after = repo.snapshots();
    if (!after)
        return after.error();
    out.snapshots = *after;
    return out;
}

Result<OperationOutcome> drill(const Repository &repo, const OperationRequest &r, const Control &c)
{
    const auto report = runDrill(repo, r.set.name, r.scratch, c);
    if (!report)
        return report.error();
    OperationOutcome out;
    out.bytes = report->bytes;
    out.problems = !report->compare.ok();
    out.result = { { QStringLiteral("snapshot"), report->snapshot },
        { QStringLiteral("snapshot_time"),
            QDateTime::fromMSecsSinceEpoch(report->snapshotMs, Qt::UTC)
                .toString(Qt::ISODateWithMs) },
        { QStringLiteral("files"), qint64(report->files) },
        { QStringLiteral("bytes"), qint64(report->bytes) },
        { QStringLiteral("restore_ms"), report->restoreMs },
        { QStringLiteral("compare_ms"), report->compareMs },
        { QStringLiteral("rto_ms"), report->rtoMs }, { QStringLiteral("rpo_ms"), report->rpoMs },
        { QStringLiteral("entries"), qint64(report->compare.entries) },
        { QStringLiteral("mismatch_count"), qint64(report->compare.mismatchCount) },
        { QStringLiteral("mismatches"), QJsonArray::fromStringList(report->compare.mismatches) } };
    return out;
}

} // namespace

Result<std::unique_ptr<Repository>> openRepository(
    const QString &path, const Credential &credential, bool withIndex)
{
    auto repo = Repository::open(path, credential);
    if (!repo)
        return repo.error();
    if (withIndex) {
        if (auto r = (*repo)->loadIndex(); !r)
            return r.error();
    }
    return repo;
}

Result<OperationOutcome> runOperation(const QString &repoPath, const Credential &credential,
    const OperationRequest &request, const Control &control)
{
    const QString &k = request.kind;
    if (k == QLatin1String("offsite")) {
        // The repository's files as they are; no key needed (everything stays encrypted).
        const auto copy = OffsiteCopy::run(repoPath, request.remote, control);
        if (!copy)
            return copy.error();
        OperationOutcome out;
        out.bytes = copy->bytesCopied;
        out.result = { { QStringLiteral("remote"), request.remote.name },
            { QStringLiteral("files_copied"), qint64(copy->filesCopied) },
            { QStringLiteral("bytes_copied"), qint64(copy->bytesCopied) },
            { QStringLiteral("files_deleted"), qint64(copy->filesDeleted) },
            { QStringLiteral("files_verified"), qint64(copy->filesVerified) },
            { QStringLiteral("duration_ms"), copy->durationMs } };
        return out;
    }
    // A backup (re)loads the index itself under its lock; the others need it loaded.
    const bool index = k == QLatin1String("verify") || k == QLatin1String("restore")
        || k == QLatin1String("drill") || k == QLatin1String("compare");
    auto repo = openRepository(repoPath, credential, index);
    if (!repo)
        return repo.error();
    if (k == QLatin1String("backup"))
        return backup(**repo, request, control);
    if (k == QLatin1String("verify"))
        return verify(**repo, request, control);
    if (k == QLatin1String("restore"))
        return restore(**repo, request, control);
    if (k == QLatin1String("prune"))
        return prune(**repo, request, control);
    if (k == QLatin1String("drill"))
        return drill(**repo, request, control);
    if (k == QLatin1String("compare"))
        return compare(**repo, request);
    if (k == QLatin1String("catalogue")) {
        const auto all = (*repo)->snapshots();
        if (!all)
            return all.error();
        OperationOutcome out;
        out.snapshots = *all;
        out.result = { { QStringLiteral("snapshots"), qint64(all->size()) } };
        return out;
    }
    return makeError("backup.bad_kind", QStringLiteral("no operation named %1").arg(k));
}

} // namespace Shivx::Backup
