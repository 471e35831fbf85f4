#include "backup/backupsetsmodel.h"

#include "backup/backupwording.h"
#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

namespace Shivx::Ui {

void BackupSetsModel::setVerify(qint64 lastVerifyMs, int lastVerifyOk, const QString &mode)
{
    if (m_verifyMs == lastVerifyMs && m_verifyOk == lastVerifyOk && m_verifyMode == mode)
        return;
    m_verifyMs = lastVerifyMs;
    m_verifyOk = lastVerifyOk;
    m_verifyMode = mode;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, VerifiedColumn), index(rowCount() - 1, VerifiedColumn));
}

int BackupSetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BackupSetsModel::verifiedText() const
{
    if (m_verifyOk < 0)
        return tr("never verified");
    const QString when = DisplayFormat::dateTime(m_verifyMs);
    const QString mode = BackupWording::type(m_verifyMode);
    return m_verifyOk == 1 ? tr("OK (%1, %2)").arg(mode, when)
                           : tr("PROBLEMS (%1, %2)").arg(mode, when);
}

QString BackupSetsModel::cellText(int column, const BackupSetState &s) const
{
    switch (column) {
    case NameColumn:
        return s.name;
    case ScheduleColumn:
        return s.schedule.isEmpty()                     ? tr("manual only")
            : s.schedule == QLatin1String("continuous") ? tr("continuous")
                                                        : s.schedule;
    case NextRunColumn:
        return s.nextRunMs > 0 ? DisplayFormat::dateTime(s.nextRunMs) : DisplayFormat::noValue();
    case LastBackupColumn:
        if (!s.lastError.isEmpty())
            return tr("%1 (the last attempt failed)").arg(DisplayFormat::dateTime(s.lastSuccessMs));
        return s.lastSuccessMs > 0 ? DisplayFormat::dateTime(s.lastSuccessMs) : tr("never");
    case SizeColumn:
        return s.lastSuccessMs > 0 ? DisplayFormat::bytes(s.lastBytes) : DisplayFormat::noValue();
    case TypeColumn:
        return s.lastType.isEmpty() ? DisplayFormat::noValue() : BackupWording::type(s.lastType);
    case DurationColumn:
        return s.lastSuccessMs > 0 ? DisplayFormat::duration(s.lastDurationMs)
                                   : DisplayFormat::noValue();
    case DedupColumn:
        return s.lastSuccessMs > 0 ? DisplayFormat::percent(s.lastDedupRatio * 100)
                                   : DisplayFormat::noValue();
    case VerifiedColumn:
        return verifiedText();
    case DrillColumn:
        if (s.lastDrillMs == 0)
            return tr("no drill yet");
        return (s.lastDrillOk ? tr("OK, RTO %1, RPO %2") : tr("FAILED, RTO %1, RPO %2"))
                   .arg(DisplayFormat::duration(s.lastDrillRtoMs),
                       DisplayFormat::duration(s.lastDrillRpoMs))
            + QStringLiteral(" (%1)").arg(DisplayFormat::dateTime(s.lastDrillMs));
    default:
        return {};
    }
}

QVariant BackupSetsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const BackupSetState &s = m_rows.at(index.row());
    if (role == Qt::DisplayRole)
        return cellText(index.column(), s);
    if (role == NameRole)
        return s.name;
    if (role == Qt::ToolTipRole) {
        if (index.column() == LastBackupColumn && !s.lastError.isEmpty())
            return s.lastError;
        if (index.column() == DedupColumn)
            return tr("Share of the newest snapshot's data the repository already held; %1 were "
                      "new")
                .arg(DisplayFormat::bytes(s.lastAddedBytes));
        return {};
    }
    if (role == Qt::ForegroundRole) {
        if (index.column() == VerifiedColumn && m_verifyOk == 0)
            return StatusColors::critical();
        if (index.column() == DrillColumn && s.lastDrillMs > 0 && !s.lastDrillOk)
            return StatusColors::critical();
        if (index.column() == LastBackupColumn && !s.lastError.isEmpty())
            return StatusColors::critical();
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == SizeColumn || index.column() == DedupColumn
            || index.column() == DurationColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant BackupSetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Set");
    case ScheduleColumn:
        return tr("Schedule");
    case NextRunColumn:
        return tr("Next run");
    case LastBackupColumn:
        return tr("Last backup");
    case SizeColumn:
        return tr("Size");
    case TypeColumn:
        return tr("Type");
    case DurationColumn:
        return tr("Duration");
    case DedupColumn:
        return tr("Deduplicated");
    case VerifiedColumn:
        return tr("Verified");
    case DrillColumn:
        return tr("Last drill");
    default:
        return {};
    }
}

bool BackupSetsModel::cellDiffers(
    int column, const BackupSetState &a, const BackupSetState &b) const
{
    return cellText(column, a) != cellText(column, b) || a.lastError != b.lastError
        || a.lastDrillOk != b.lastDrillOk;
}

QList<int> BackupSetsModel::rolesFor(int) const
{
    return { Qt::DisplayRole, Qt::ToolTipRole, Qt::ForegroundRole };
}

} // namespace Shivx::Ui
