#include "backup/restoredrill.h"

#include "backup/restorejob.h"

#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryDir>

namespace Shivx::Backup {

namespace {

constexpr int ListedMismatches = 100;

void addMismatch(CompareReport *report, const QString &path, const char *what)
{
    if (report->mismatches.size() < ListedMismatches)
        report->mismatches.append(QStringLiteral("%1: %2").arg(path, QLatin1String(what)));
    ++report->mismatchCount;
}

} // namespace

Result<CompareReport> compareRestored(const Repository &repo, const SnapshotInfo &snapshot,
    const QString &path, const QString &target)
{
    // The dry run of a restore onto the restored tree is the comparison: it stats every entry
    // and hashes every file whose size matches, against the manifest.
    RestoreOptions options;
    options.path = path;
    options.target = target;
    options.dryRun = true;
    const auto stats = runRestore(repo, snapshot, options);
    if (!stats)
        return stats.error();
    CompareReport report;
    report.bytes = stats->bytes;
    for (const RestoreChange &c : stats->changes) {
        ++report.entries;
        if (c.kind == RestoreChange::Kind::Create)
            addMismatch(&report, c.path, "missing");
        else if (c.kind == RestoreChange::Kind::Update)
            addMismatch(&report, c.path, "differs");
    }
    return report;
}

Result<DrillReport> runDrill(
    const Repository &repo, const QString &set, const QString &scratch, const Control &control)
{
    const auto snapshot = snapshotAt(repo, QDateTime::currentDateTimeUtc(), set);
    if (!snapshot)
        return snapshot.error();
    DrillReport report;
    report.snapshot = QString::fromStdString(snapshot->id.hex());
    report.set = set;
    report.snapshotMs = snapshot->time.toMSecsSinceEpoch();
    report.rpoMs = qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - report.snapshotMs);

    QDir().mkpath(scratch);
    QTemporaryDir dir(scratch + QStringLiteral("/shivx-drill-XXXXXX"));
    if (!dir.isValid())
        return makeError("backup.restore_io",
            QStringLiteral("cannot create a drill directory under %1: %2")
                .arg(scratch, dir.errorString()));
    QElapsedTimer clock;
    clock.start();
    RestoreOptions options;
    options.target = dir.path();
    options.control = control;
    const auto restored = runRestore(repo, *snapshot, options);
    if (!restored)
        return restored.error();
    report.restoreMs = clock.elapsed();
    report.files = restored->files;
    report.bytes = restored->bytes;
    if (control.cancelled())
        return makeError("backup.cancelled", QStringLiteral("the drill was cancelled"));
    const auto compared = compareRestored(repo, *snapshot, QString(), dir.path());
    if (!compared)
        return compared.error();
    report.compare = *compared;
    report.rtoMs = clock.elapsed();
    report.compareMs = report.rtoMs - report.restoreMs;
    return report;
}

} // namespace Shivx::Backup
