#include "recovery/breakersmodel.h"
#include "widgets/changedcells.h"

#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

#include <QHash>

namespace Shivx::Ui {

BreakersModel::BreakersModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int BreakersModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

void BreakersModel::update(const QList<BreakerSnapshot> &breakers)
{
    QHash<QString, int> incoming;
    incoming.reserve(breakers.size());
    for (int i = 0; i < breakers.size(); ++i)
        incoming.insert(breakers.at(i).name, i);

    // Vanished breakers go first, bottom up, so the rows still to visit keep their numbers.
    for (int row = int(m_rows.size()) - 1; row >= 0; --row) {
        if (incoming.contains(m_rows.at(row).name))
            continue;
        beginRemoveRows({}, row, row);
        m_rows.removeAt(row);
        endRemoveRows();
    }

    for (int row = 0; row < m_rows.size(); ++row) {
        const BreakerSnapshot previous = m_rows.at(row);
        const BreakerSnapshot &next = breakers.at(incoming.value(previous.name));
        incoming.remove(previous.name);
        m_rows[row] = next;
        // Adjacent changed cells of a row go out as one range; unchanged ones not at all.
        forEachChangedRun(
            ColumnCount, [&](int column) { return cellDiffers(column, previous, next); },
            [](int column) { return rolesFor(column); },
            [&](int first, int last, const QList<int> &roles) {
                Q_EMIT dataChanged(index(row, first), index(row, last), roles);
            });
    }

    // New breakers are appended in one batch, in the engine's (name) order.
    QList<BreakerSnapshot> added;
    for (const BreakerSnapshot &b : breakers) {
        if (incoming.contains(b.name))
            added.append(b);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
}

bool BreakersModel::cellDiffers(int column, const BreakerSnapshot &a, const BreakerSnapshot &b)
{
    switch (column) {
    case NameColumn:
        return a.name != b.name || a.force != b.force;
    case StateColumn:
        return a.state != b.state || a.force != b.force;
    case CallsColumn:
        return a.calls != b.calls;
    case FailuresColumn:
        return a.failures != b.failures || a.consecutiveFailures != b.consecutiveFailures;
    case RejectionsColumn:
        return a.rejections != b.rejections;
    case LastTransitionColumn:
        return a.lastTransitionMs != b.lastTransitionMs;
    case TimeInStateColumn:
        // Shown to the second: a refresh within the same second changes nothing.
        return a.timeInStateMs / 1000 != b.timeInStateMs / 1000;
    case ReasonColumn:
        return a.lastReason != b.lastReason;
    default:
        break;
    }
    return false;
}

QList<int> BreakersModel::rolesFor(int column)
{
    QList<int> roles{Qt::DisplayRole, Qt::ToolTipRole};
    if (column == StateColumn)
        roles << Qt::BackgroundRole << Qt::ForegroundRole << StateRole;
    return roles;
}

int BreakersModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int BreakersModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BreakersModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BreakerSnapshot &b = m_rows.at(index.row());
    const int column = index.column();
    if (role == StateRole)
        return int(b.state);
    if (role == NameRole)
        return b.name;

    if (role == Qt::DisplayRole) {
        switch (column) {
        case NameColumn:
            return b.name;
        case StateColumn:
            return b.force == BreakerForce::Auto
                ? DisplayFormat::breakerState(b.state)
                : tr("%1 (%2)").arg(DisplayFormat::breakerState(b.state),
                                    DisplayFormat::breakerForce(b.force));
        case CallsColumn:
            return QString::number(b.calls);
        case FailuresColumn:
            return QString::number(b.failures);
        case RejectionsColumn:
            return QString::number(b.rejections);
        case LastTransitionColumn:
            return DisplayFormat::dateTime(b.lastTransitionMs);
        case TimeInStateColumn:
            return DisplayFormat::duration(b.timeInStateMs);
        case ReasonColumn:
            return b.lastReason;
        default:
            break;
        }
        return {};
    }

    if (role == Qt::ToolTipRole) {
        switch (column) {
        case StateColumn:
            return tr("Opens after %1 consecutive failures or %2% failed of the last %3 calls; "
                      "tries again after %4 with %5 trial call(s)")
                .arg(b.config.failureThreshold)
                .arg(b.config.failureRatePercent)
                .arg(b.config.windowSize)
                .arg(DisplayFormat::duration(b.config.recoveryTimeoutMs))
                .arg(b.config.halfOpenMaxCalls);
        case FailuresColumn:
            return tr("%1 failure(s) in a row now").arg(b.consecutiveFailures);
        case ReasonColumn:
            return b.lastReason.isEmpty() ? QVariant() : b.lastReason;
        default:
            break;
        }
        return {};
    }

    if (column == StateColumn) {
        if (role == Qt::BackgroundRole)
            return StatusColors::forBreakerState(b.state);
        if (role == Qt::ForegroundRole)
            return StatusColors::textOn(StatusColors::forBreakerState(b.state));
        if (role == Qt::TextAlignmentRole)
            return int(Qt::AlignCenter);
    }
    if (role == Qt::TextAlignmentRole
        && (column == CallsColumn || column == FailuresColumn || column == RejectionsColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

void BreakersModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1),
                           {Qt::DisplayRole, Qt::ToolTipRole});
}

QVariant BreakersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn: return tr("Name");
    case StateColumn: return tr("State");
    case CallsColumn: return tr("Calls");
    case FailuresColumn: return tr("Failures");
    case RejectionsColumn: return tr("Rejected");
    case LastTransitionColumn: return tr("Last transition");
    case TimeInStateColumn: return tr("Time in state");
    case ReasonColumn: return tr("Reason");
    default: break;
    }
    return {};
}

} // namespace Shivx::Ui
