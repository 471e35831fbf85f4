#include "alerts/alerthistorymodel.h"

#include "alerts/alertsmodel.h"
#include "widgets/displayformat.h"

#include <QLocale>

namespace Shivx::Ui {

void AlertHistoryModel::setEntries(const QList<AlertHistoryEntry> &entries)
{
    beginResetModel();
    m_entries = entries;
    endResetModel();
}

void AlertHistoryModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_entries.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_entries.size()) - 1, ColumnCount - 1));
}

int AlertHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int AlertHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString AlertHistoryModel::stateWord(const QString &state)
{
    if (state == QLatin1String("inactive"))
        return tr("inactive");
    AlertState s;
    if (parseAlertState(state, &s))
        return AlertsModel::stateText(s);
    return state;
}

QVariant AlertHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_entries.size())
        return {};
    const AlertHistoryEntry &e = m_entries.at(index.row());
    if (role == TimeRole)
        return e.tsMs;
    if (role == ToStateRole)
        return e.to;
    if (role == Qt::ToolTipRole && index.column() == TimeColumn)
        return DisplayFormat::utcTime(e.tsMs);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case TimeColumn:
        return DisplayFormat::dateTime(e.tsMs);
    case AlertColumn:
        return e.rule;
    case LabelsColumn:
        return AlertsModel::labelsText(e.labels);
    case TransitionColumn:
        return tr("%1 → %2").arg(stateWord(e.from), stateWord(e.to));
    case ValueColumn:
        return QLocale().toString(e.value, 'g', 4);
    }
    return {};
}

QVariant AlertHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case AlertColumn:
        return tr("Alert");
    case LabelsColumn:
        return tr("Labels");
    case TransitionColumn:
        return tr("Transition");
    case ValueColumn:
        return tr("Value");
    }
    return {};
}

} // namespace Shivx::Ui
