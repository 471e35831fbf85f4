#include "backup/backuphistorymodel.h"

#include "backup/backupwording.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/statuscolors.h"

namespace Shivx::Ui {

BackupHistoryModel::BackupHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void BackupHistoryModel::setOperations(QList<BackupOperation> operations)
{
    beginResetModel();
    m_rows = std::move(operations);
    endResetModel();
}

void BackupHistoryModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int BackupHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BackupHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BackupHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const BackupOperation &op = m_rows.at(index.row());
    if (role == IdRole)
        return op.id;
    if (role == Qt::ForegroundRole && index.column() == StateColumn) {
        if (op.state == QLatin1String("failed"))
            return StatusColors::critical();
        if (op.state == QLatin1String("cancelled"))
            return StatusColors::warning();
        return {};
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == DurationColumn || index.column() == BytesColumn))
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case StartedColumn:
        return DisplayFormat::dateTime(op.startedMs > 0 ? op.startedMs : op.queuedMs);
    case KindColumn:
        return BackupWording::kind(op.kind);
    case SetColumn:
        return op.set.isEmpty() ? DisplayFormat::noValue() : op.set;
    case TypeColumn:
        return op.type.isEmpty() ? DisplayFormat::noValue() : BackupWording::type(op.type);
    case StateColumn:
        return BackupWording::state(op.state);
    case DurationColumn:
        return op.startedMs > 0 && op.finishedMs >= op.startedMs
            ? DisplayFormat::duration(op.finishedMs - op.startedMs)
            : DisplayFormat::noValue();
    case BytesColumn:
        return DisplayFormat::bytes(op.doneBytes);
    case ActorColumn:
        return op.actor;
    case DetailsColumn:
        return op.state == QLatin1String("failed")
            ? EngineWording::error(Error { op.errorCode, op.errorMessage, {} })
            : BackupWording::outcome(op);
    default:
        return {};
    }
}

QVariant BackupHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StartedColumn:
        return tr("Started");
    case KindColumn:
        return tr("Operation");
    case SetColumn:
        return tr("Set");
    case TypeColumn:
        return tr("Type");
    case StateColumn:
        return tr("Outcome");
    case DurationColumn:
        return tr("Duration");
    case BytesColumn:
        return tr("Bytes");
    case ActorColumn:
        return tr("By");
    case DetailsColumn:
        return tr("Details");
    default:
        return {};
    }
}

} // namespace Shivx::Ui
