#include "recovery/breakersmodel.h"

#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/statuscolors.h"
#include "widgets/tableexport.h"

namespace Shivx::Ui {

namespace {

// Relative to the snapshot's own time (lastTransitionMs + timeInStateMs), so that the age
// moves with the page's once-a-second refresh and the model reads no clock.
QString lastTransitionAge(const BreakerSnapshot &b)
{
    return DisplayFormat::relativeAge(b.lastTransitionMs, b.lastTransitionMs + b.timeInStateMs);
}

} // namespace

bool BreakersModel::cellDiffers(
    int column, const BreakerSnapshot &a, const BreakerSnapshot &b) const
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
        return lastTransitionAge(a) != lastTransitionAge(b);
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

QList<int> BreakersModel::rolesFor(int column) const
{
    QList<int> roles { Qt::DisplayRole, Qt::ToolTipRole };
    if (column == LastTransitionColumn)
        roles << TableExport::ExportRole;
    if (column == StateColumn)
        roles << Qt::BackgroundRole << Qt::ForegroundRole << StateRole;
    return roles;
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
    if (column == LastTransitionColumn
        && (role == Qt::ToolTipRole || role == TableExport::ExportRole))
        return DisplayFormat::utcTime(b.lastTransitionMs);

    if (role == Qt::DisplayRole) {
        switch (column) {
        case NameColumn:
            return b.name;
        case StateColumn:
            return b.force == BreakerForce::Auto
                ? DisplayFormat::breakerState(b.state)
                : tr("%1 (%2)").arg(
                    DisplayFormat::breakerState(b.state), DisplayFormat::breakerForce(b.force));
        case CallsColumn:
            return QString::number(b.calls);
        case FailuresColumn:
            return QString::number(b.failures);
        case RejectionsColumn:
            return QString::number(b.rejections);
        case LastTransitionColumn:
            return lastTransitionAge(b);
        case TimeInStateColumn:
            return DisplayFormat::duration(b.timeInStateMs);
        case ReasonColumn:
            return EngineWording::message(b.lastReason);
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
            return b.lastReason.isEmpty() ? QVariant() : EngineWording::message(b.lastReason);
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

QVariant BreakersModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case StateColumn:
        return tr("State");
    case CallsColumn:
        return tr("Calls");
    case FailuresColumn:
        return tr("Failures");
    case RejectionsColumn:
        return tr("Rejected");
    case LastTransitionColumn:
        return tr("Last transition");
    case TimeInStateColumn:
        return tr("Time in state");
    case ReasonColumn:
        return tr("Reason");
    default:
        break;
    }
    return {};
}

} // namespace Shivx::Ui
