#include "recovery/processesmodel.h"

#include "core/timeutil.h"
#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

#include <QDateTime>

namespace Shivx::Ui {

namespace {

QColor stateColor(ProcessState state)
{
    switch (state) {
    case ProcessState::Running:
        return StatusColors::ok();
    case ProcessState::Starting:
    case ProcessState::Stopping:
    case ProcessState::Backoff:
        return StatusColors::warning();
    case ProcessState::CrashLoop:
        return StatusColors::critical();
    case ProcessState::Stopped:
        return StatusColors::unknown();
    }
    return StatusColors::unknown();
}

} // namespace

ProcessesModel::ProcessesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

QString ProcessesModel::stateText(ProcessState state)
{
    switch (state) {
    case ProcessState::Stopped:
        return tr("Stopped");
    case ProcessState::Starting:
        return tr("Starting");
    case ProcessState::Running:
        return tr("Running");
    case ProcessState::Backoff:
        return tr("Waiting to restart");
    case ProcessState::CrashLoop:
        return tr("Crash loop");
    case ProcessState::Stopping:
        return tr("Stopping");
    }
    return {};
}

void ProcessesModel::update(const QList<ProcessSnapshot> &processes)
{
    bool sameSet = processes.size() == m_rows.size();
    for (qsizetype i = 0; sameSet && i < processes.size(); ++i)
        sameSet = processes.at(i).name == m_rows.at(i).name;
    if (!sameSet) {
        beginResetModel();
        m_rows = processes;
        endResetModel();
        return;
    }
    for (int i = 0; i < int(processes.size()); ++i) {
        const ProcessSnapshot &a = m_rows.at(i), &b = processes.at(i);
        const bool differs = a.state != b.state || a.pid != b.pid || a.startedAtMs != b.startedAtMs
            || a.restarts != b.restarts || a.hasExited != b.hasExited
            || a.lastExitCode != b.lastExitCode || a.lastExitSignal != b.lastExitSignal
            || a.nextStartAtMs != b.nextStartAtMs || a.lastError != b.lastError;
        m_rows[i] = b;
        if (differs)
            Q_EMIT dataChanged(index(i, 0), index(i, ColumnCount - 1));
    }
}

void ProcessesModel::refreshUptime()
{
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(
            index(0, UptimeColumn), index(rowCount() - 1, UptimeColumn), { Qt::DisplayRole });
}

void ProcessesModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int ProcessesModel::rowOf(const QString &name) const
{
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

int ProcessesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProcessesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProcessesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const ProcessSnapshot &p = m_rows.at(index.row());
    if (role == StateRole)
        return int(p.state);
    if (index.column() == StateColumn && role == Qt::BackgroundRole)
        return stateColor(p.state);
    if (index.column() == StateColumn && role == Qt::ForegroundRole)
        return StatusColors::textOn(stateColor(p.state));
    if (role == Qt::ToolTipRole && index.column() == StateColumn) {
        if (p.nextStartAtMs > 0)
            return tr("Next start at %1").arg(DisplayFormat::timeOfDay(p.nextStartAtMs));
        return p.lastError.isEmpty() ? QVariant() : QVariant(p.lastError);
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == PidColumn || index.column() == RestartsColumn
            || index.column() == UptimeColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case NameColumn:
        return p.name;
    case StateColumn:
        return stateText(p.state);
    case PidColumn:
        return p.pid > 0 ? QString::number(p.pid) : DisplayFormat::noValue();
    case UptimeColumn:
        if (p.state != ProcessState::Running || p.startedAtMs <= 0)
            return DisplayFormat::noValue();
        // Whole seconds: the table repaints once a second.
        return TimeUtil::formatDurationMs(
            (QDateTime::currentMSecsSinceEpoch() - p.startedAtMs) / 1000 * 1000);
    case RestartsColumn:
        return p.restarts;
    case LastExitColumn:
        if (!p.hasExited)
            return DisplayFormat::noValue();
        return p.lastExitSignal ? tr("signal %1").arg(p.lastExitSignal)
                                : tr("code %1").arg(p.lastExitCode);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant ProcessesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case NameColumn:
        return tr("Process");
    case StateColumn:
        return tr("State");
    case PidColumn:
        return tr("PID");
    case UptimeColumn:
        return tr("Uptime");
    case RestartsColumn:
        return tr("Restarts");
    case LastExitColumn:
        return tr("Last exit");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace Shivx::Ui
