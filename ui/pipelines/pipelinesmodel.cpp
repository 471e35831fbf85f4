#include "pipelines/pipelinesmodel.h"

#include "pipelines/pipelinewording.h"
#include "widgets/displayformat.h"
#include "widgets/statuscolors.h"

namespace Shivx::Ui {

PipelinesModel::PipelinesModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

void PipelinesModel::setPipelines(const QList<PipelineInfo> &pipelines)
{
    // Few rows: keep the order of the catalog, reset only when the set of names changes.
    bool sameNames = pipelines.size() == m_rows.size();
    for (int i = 0; sameNames && i < pipelines.size(); ++i)
        sameNames = pipelines.at(i).definition.name == m_rows.at(i).definition.name;
    if (!sameNames) {
        beginResetModel();
        m_rows = pipelines;
        endResetModel();
        return;
    }
    for (int i = 0; i < pipelines.size(); ++i) {
        bool differs = false;
        for (int c = 0; c < ColumnCount && !differs; ++c)
            differs = cellText(c, pipelines.at(i)) != cellText(c, m_rows.at(i));
        m_rows[i] = pipelines.at(i);
        if (differs)
            emitRowChanged(i);
    }
}

void PipelinesModel::noteRun(const RunRecord &run)
{
    const int row = rowOf(run.pipeline);
    if (row < 0 || run.id < m_rows.at(row).lastRunId)
        return;
    PipelineInfo &p = m_rows[row];
    p.lastRunId = run.id;
    p.lastRunState = run.state;
    p.lastRunMs = run.createdMs;
    emitRowChanged(row);
}

int PipelinesModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).definition.name == name)
            return i;
    return -1;
}

int PipelinesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PipelinesModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString PipelinesModel::cellText(int column, const PipelineInfo &p) const
{
    switch (Column(column)) {
    case Name:
        return p.definition.name;
    case Stages:
        return QLocale().toString(p.definition.stages.size());
    case Schedule:
        return p.definition.schedule.isEmpty() ? tr("by hand") : p.definition.schedule;
    case NextRun:
        return p.nextFireMs > 0 ? DisplayFormat::dateTime(p.nextFireMs) : DisplayFormat::noValue();
    case LastRun:
        return p.lastRunId > 0
            ? tr("#%1, %2").arg(p.lastRunId).arg(DisplayFormat::dateTime(p.lastRunMs))
            : tr("never");
    case State:
        if (p.paused)
            return tr("Paused");
        return p.lastRunId > 0 ? PipelineWording::runState(p.lastRunState) : tr("Idle");
    case Description:
        return p.definition.description;
    case ColumnCount:
        break;
    }
    return QString();
}

QVariant PipelinesModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const PipelineInfo &p = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return cellText(index.column(), p);
    case NameRole:
        return p.definition.name;
    case Qt::ToolTipRole:
        if (index.column() == Name)
            return p.definition.description.isEmpty()
                ? p.definition.file
                : tr("%1\n%2").arg(p.definition.description, p.definition.file);
        return {};
    case Qt::ForegroundRole:
        if (index.column() == State && !p.paused && p.lastRunId > 0)
            return PipelineWording::runStateColor(p.lastRunState);
        if (index.column() == State && p.paused)
            return StatusColors::warning();
        return {};
    default:
        return {};
    }
}

QVariant PipelinesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (Column(section)) {
    case Name:
        return tr("Pipeline");
    case Stages:
        return tr("Stages");
    case Schedule:
        return tr("Schedule");
    case NextRun:
        return tr("Next run");
    case LastRun:
        return tr("Last run");
    case State:
        return tr("State");
    case Description:
        return tr("Description");
    case ColumnCount:
        break;
    }
    return {};
}

void PipelinesModel::retranslate()
{
    Q_EMIT headerDataChanged(Qt::Horizontal, 0, ColumnCount - 1);
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1));
}

void PipelinesModel::emitRowChanged(int row)
{
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

} // namespace Shivx::Ui
