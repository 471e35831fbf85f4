#include "overview/targetsmodel.h"

#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/statuscolors.h"
#include "widgets/tableexport.h"

#include <QDateTime>

namespace Shivx::Ui {

bool TargetsModel::cellDiffers(int column, const TargetStatus &a, const TargetStatus &b) const
{
    switch (column) {
    case NameColumn:
        return a.name != b.name || a.critical != b.critical;
    case KindColumn:
        return a.kind != b.kind;
    case StateColumn:
        return a.state != b.state || a.transitionsLastMinutes != b.transitionsLastMinutes;
    case LatencyColumn:
        return a.latencyMs != b.latencyMs;
    case FailuresColumn:
        return a.consecutiveFailures != b.consecutiveFailures;
    case LastCheckColumn:
        return a.lastCheckMs != b.lastCheckMs;
    case LastErrorColumn:
        return a.lastError != b.lastError;
    default:
        break;
    }
    return false;
}

QList<int> TargetsModel::rolesFor(int column) const
{
    QList<int> roles { Qt::DisplayRole, Qt::ToolTipRole, SortRole };
    if (column == StateColumn)
        roles << Qt::BackgroundRole << Qt::ForegroundRole << StateRole;
    if (column == LastErrorColumn)
        roles << Qt::ForegroundRole;
    return roles;
}

void TargetsModel::refreshAges()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(
            index(0, LastCheckColumn), index(rowCount() - 1, LastCheckColumn), { Qt::DisplayRole });
}

int TargetsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TargetsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TargetStatus &t = m_rows.at(index.row());
    const int column = index.column();
    const bool checked = t.lastCheckMs > 0;

    if (role == StateRole)
        return int(t.state);

    if (role == Qt::DisplayRole) {
        switch (column) {
        case NameColumn:
            return t.critical ? tr("%1 (critical)").arg(t.name) : t.name;
        case KindColumn:
            return DisplayFormat::targetKind(t.kind);
        case StateColumn:
            return DisplayFormat::targetState(t.state);
        case LatencyColumn:
            return checked ? DisplayFormat::latencyMs(t.latencyMs) : DisplayFormat::noValue();
        case FailuresColumn:
            return t.consecutiveFailures;
        case LastCheckColumn:
            return DisplayFormat::relativeAge(t.lastCheckMs, QDateTime::currentMSecsSinceEpoch());
        case LastErrorColumn:
            return EngineWording::message(t.lastError);
        default:
            break;
        }
        return {};
    }

    if (role == TableExport::ExportRole && column == LastCheckColumn)
        return DisplayFormat::utcTime(t.lastCheckMs);

    if (role == SortRole) {
        switch (column) {
        case NameColumn:
            return t.name;
        case KindColumn:
            return DisplayFormat::targetKind(t.kind);
        // Worst first when sorted descending: Down > Degraded > Up > Unknown.
        case StateColumn:
            return int(t.state);
        case LatencyColumn:
            return t.latencyMs;
        case FailuresColumn:
            return t.consecutiveFailures;
        case LastCheckColumn:
            return t.lastCheckMs;
        case LastErrorColumn:
            return EngineWording::message(t.lastError);
        default:
            break;
        }
        return {};
    }

    if (role == Qt::ToolTipRole) {
        switch (column) {
        case StateColumn:
            if (t.transitionsLastMinutes > 1)
                return tr("%1, %n state change(s) recently", nullptr, t.transitionsLastMinutes)
                    .arg(DisplayFormat::targetState(t.state));
            return DisplayFormat::targetState(t.state);
        case FailuresColumn:
            return tr("%1 consecutive failure(s); %2 of %3 checks failed since start")
                .arg(t.consecutiveFailures)
                .arg(t.failures)
                .arg(t.checks);
        case LastCheckColumn:
            return DisplayFormat::utcTime(t.lastCheckMs);
        case LastErrorColumn:
            return t.lastError.isEmpty() ? QVariant() : EngineWording::message(t.lastError);
        default:
            break;
        }
        return {};
    }

    if (column == StateColumn) {
        if (role == Qt::BackgroundRole)
            return StatusColors::forTargetState(t.state);
        if (role == Qt::ForegroundRole)
            return StatusColors::textOn(StatusColors::forTargetState(t.state));
    }
    if (role == Qt::ForegroundRole && column == LastErrorColumn && !t.lastError.isEmpty())
        return StatusColors::critical();

    if (role == Qt::TextAlignmentRole) {
        switch (column) {
        case LatencyColumn:
        case FailuresColumn:
            return int(Qt::AlignRight | Qt::AlignVCenter);
        case StateColumn:
            return int(Qt::AlignCenter);
        default:
            break;
        }
    }
    return {};
}

QVariant TargetsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case KindColumn:
        return tr("Type");
    case StateColumn:
        return tr("State");
    case LatencyColumn:
        return tr("Latency");
    case FailuresColumn:
        return tr("Failures");
    case LastCheckColumn:
        return tr("Last check");
    case LastErrorColumn:
        return tr("Last error");
    default:
        break;
    }
    return {};
}

} // namespace Shivx::Ui
