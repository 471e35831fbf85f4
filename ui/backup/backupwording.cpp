#include "backup/backupwording.h"

#include "widgets/displayformat.h"
#include "widgets/enginewording.h"

#include <QJsonArray>

namespace Shivx::Ui {

QString BackupWording::kind(const QString &kind)
{
    if (kind == QLatin1String("backup"))
        return tr("Backup");
    if (kind == QLatin1String("verify"))
        return tr("Verify");
    if (kind == QLatin1String("restore"))
        return tr("Restore");
    if (kind == QLatin1String("prune"))
        return tr("Prune");
    if (kind == QLatin1String("drill"))
        return tr("Restore drill");
    return kind;
}

QString BackupWording::state(const QString &state)
{
    if (state == QLatin1String("queued"))
        return tr("queued");
    if (state == QLatin1String("running"))
        return tr("running");
    if (state == QLatin1String("succeeded"))
        return tr("succeeded");
    if (state == QLatin1String("failed"))
        return tr("failed");
    if (state == QLatin1String("cancelled"))
        return tr("cancelled");
    return state;
}

QString BackupWording::type(const QString &type)
{
    if (type == QLatin1String("full"))
        return tr("full");
    if (type == QLatin1String("incremental"))
        return tr("incremental");
    if (type == QLatin1String("differential"))
        return tr("differential");
    if (type == QLatin1String("quick"))
        return tr("quick");
    return type;
}

QString BackupWording::title(const BackupOperation &op)
{
    if (op.kind == QLatin1String("backup"))
        return tr("Backup of %1 (%2)").arg(op.set, type(op.type));
    if (op.kind == QLatin1String("verify"))
        return op.type == QLatin1String("quick") ? tr("Quick verify") : tr("Full verify");
    if (op.kind == QLatin1String("restore"))
        return op.set.isEmpty() ? tr("Restore") : tr("Restore of %1").arg(op.set);
    if (op.kind == QLatin1String("drill"))
        return tr("Restore drill of %1").arg(op.set);
    return kind(op.kind);
}

QString BackupWording::progress(const BackupOperation &op)
{
    if (op.state == QLatin1String("queued"))
        return tr("queued, waiting for the operation before it");
    if (op.totalBytes == 0)
        return op.doneBytes > 0 ? tr("%1 so far").arg(DisplayFormat::bytes(op.doneBytes))
                                : tr("starting");
    const QString done
        = tr("%1 of %2")
              .arg(DisplayFormat::bytes(op.doneBytes), DisplayFormat::bytes(op.totalBytes));
    return op.etaMs >= 0
        ? tr("%1, about %2 left").arg(done, DisplayFormat::duration(qMax<qint64>(1000, op.etaMs)))
        : done;
}

QString BackupWording::outcome(const BackupOperation &op)
{
    const QString what = title(op);
    if (op.state == QLatin1String("failed"))
        return tr("%1 failed: %2")
            .arg(what, EngineWording::error(Error { op.errorCode, op.errorMessage, {} }));
    if (op.state == QLatin1String("cancelled"))
        return tr("%1 was cancelled.").arg(what);
    if (op.state != QLatin1String("succeeded"))
        return tr("%1 is %2.").arg(what, state(op.state));
    const QJsonObject &r = op.result;
    const auto bytes = quint64(r.value(QStringLiteral("bytes")).toInteger());
    const auto files = int(r.value(QStringLiteral("files")).toInteger());
    if (op.kind == QLatin1String("backup"))
        return tr("%1 succeeded: snapshot %2, %n file(s), %3, %4 new.", nullptr, files)
            .arg(what, r.value(QStringLiteral("snapshot")).toString().left(8),
                DisplayFormat::bytes(bytes),
                DisplayFormat::bytes(quint64(r.value(QStringLiteral("new_bytes")).toInteger())));
    if (op.kind == QLatin1String("verify")) {
        const auto problems = int(r.value(QStringLiteral("problem_count")).toInteger());
        return problems == 0 ? tr("%1 found no problems in %n snapshot(s).", nullptr,
                   int(r.value(QStringLiteral("snapshots")).toInteger()))
                                   .arg(what)
                             : tr("%1 found %n problem(s).", nullptr, problems).arg(what);
    }
    if (op.kind == QLatin1String("restore")) {
        if (r.value(QStringLiteral("dry_run")).toBool())
            return tr("Dry run: %n file(s) or directories would change.", nullptr,
                int(r.value(QStringLiteral("changed")).toInteger()));
        return tr("%1 succeeded: %n file(s), %2 written to %3.", nullptr, files)
            .arg(what, DisplayFormat::bytes(bytes), r.value(QStringLiteral("target")).toString());
    }
    if (op.kind == QLatin1String("drill"))
        return tr("%1 succeeded: recovery time %2, recovery point %3 old.")
            .arg(what, DisplayFormat::duration(r.value(QStringLiteral("rto_ms")).toInteger()),
                DisplayFormat::duration(r.value(QStringLiteral("rpo_ms")).toInteger()));
    return tr("%1 succeeded.").arg(what);
}

} // namespace Shivx::Ui
