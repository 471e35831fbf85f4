#include "pipelines/runsfilter.h"

#include "pipelines/runsmodel.h"

namespace Shivx::Ui {

RunsFilter::RunsFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(RunsModel::SortRole);
    setDynamicSortFilter(true);
}

void RunsFilter::setPipeline(const QString &pipeline)
{
    if (pipeline == m_pipeline)
        return;
    m_pipeline = pipeline;
    invalidateFilter();
}

void RunsFilter::setState(std::optional<RunState> state)
{
    if (state == m_state)
        return;
    m_state = state;
    invalidateFilter();
}

void RunsFilter::setText(const QString &text)
{
    if (text == m_text)
        return;
    m_text = text;
    invalidateFilter();
}

bool RunsFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex idx = sourceModel()->index(sourceRow, RunsModel::Pipeline, sourceParent);
    if (!m_pipeline.isEmpty() && idx.data(Qt::DisplayRole).toString() != m_pipeline)
        return false;
    if (m_state && idx.data(RunsModel::StateRole).toInt() != int(*m_state))
        return false;
    if (!m_text.isEmpty()
        && !idx.data(RunsModel::SearchRole).toString().contains(m_text, Qt::CaseInsensitive))
        return false;
    return true;
}

} // namespace Shivx::Ui
