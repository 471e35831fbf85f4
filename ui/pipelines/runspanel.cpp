#include "pipelines/runspanel.h"

#include "pipelines/pipelinetables.h"
#include "pipelines/pipelinewording.h"
#include "pipelines/runsfilter.h"
#include "pipelines/runsmodel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {

const RunState FilterStates[] = { RunState::Queued, RunState::Running, RunState::Succeeded,
    RunState::DeadLetter, RunState::Cancelled, RunState::Discarded };

} // namespace

RunsPanel::RunsPanel(RunsModel *runs, QWidget *parent)
    : QWidget(parent)
    , m_runs(runs)
{
    m_filter = new RunsFilter(this);
    m_filter->setSourceModel(runs);
    m_pipelineFilter = new QComboBox(this);
    m_pipelineFilter->setObjectName(QStringLiteral("runPipelineFilter"));
    m_pipelineFilter->addItem(QString());
    m_stateFilter = new QComboBox(this);
    m_stateFilter->setObjectName(QStringLiteral("runStateFilter"));
    m_stateFilter->addItem(QString(), -1);
    for (RunState s : FilterStates)
        m_stateFilter->addItem(QString(), int(s));
    m_searchEdit = new QLineEdit(this);
    m_searchEdit->setObjectName(QStringLiteral("runSearch"));
    m_searchEdit->setClearButtonEnabled(true);
    m_view = new QTableView(this);
    setUpTable(m_view, QStringLiteral("runsTable"));
    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunsModel::Id, Qt::DescendingOrder);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("runsStatus"));
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_pipelineFilter, 2);
    filters->addWidget(m_stateFilter, 1);
    filters->addWidget(m_searchEdit, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    connect(m_pipelineFilter, &QComboBox::currentIndexChanged, this, &RunsPanel::applyFilters);
    connect(m_stateFilter, &QComboBox::currentIndexChanged, this, &RunsPanel::applyFilters);
    connect(m_searchEdit, &QLineEdit::textChanged, this, &RunsPanel::applyFilters);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        if (const qint64 id = selectedRun())
            Q_EMIT runSelected(id);
    });
    for (auto signal : { &QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved })
        connect(m_filter, signal, this, &RunsPanel::updateStatus);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &RunsPanel::updateStatus);
    retranslate();
}

void RunsPanel::retranslate()
{
    m_pipelineFilter->setItemText(0, tr("All pipelines"));
    m_stateFilter->setItemText(0, tr("Any state"));
    for (int i = 0; i < int(std::size(FilterStates)); ++i)
        m_stateFilter->setItemText(i + 1, PipelineWording::runState(FilterStates[i]));
    m_searchEdit->setPlaceholderText(tr("Search runs: id, parameter, actor, error"));
    fitColumns();
    updateStatus();
}

void RunsPanel::setPipelines(const QStringList &names)
{
    QStringList shown;
    for (int i = 1; i < m_pipelineFilter->count(); ++i)
        shown << m_pipelineFilter->itemText(i);
    if (shown == names)
        return;
    const QString current
        = m_pipelineFilter->currentIndex() > 0 ? m_pipelineFilter->currentText() : QString();
    const QSignalBlocker block(m_pipelineFilter);
    while (m_pipelineFilter->count() > 1)
        m_pipelineFilter->removeItem(1);
    m_pipelineFilter->addItems(names);
    m_pipelineFilter->setCurrentIndex(qMax(0, m_pipelineFilter->findText(current)));
    applyFilters();
}

qint64 RunsPanel::selectedRun() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(RunsModel::RunIdRole).toLongLong();
}

void RunsPanel::selectRun(qint64 runId)
{
    const QSignalBlocker block(m_view->selectionModel());
    for (int row = 0; row < m_filter->rowCount(); ++row)
        if (m_filter->index(row, 0).data(RunsModel::RunIdRole).toLongLong() == runId)
            m_view->selectRow(row);
}

void RunsPanel::showError(const QString &text)
{
    m_status->setText(text);
}

void RunsPanel::fitColumns()
{
    fitColumnsToContents(m_view);
}

void RunsPanel::applyFilters()
{
    m_filter->setPipeline(
        m_pipelineFilter->currentIndex() > 0 ? m_pipelineFilter->currentText() : QString());
    const int state = m_stateFilter->currentData().toInt();
    m_filter->setState(state >= 0 ? std::optional(RunState(state)) : std::nullopt);
    m_filter->setText(m_searchEdit->text().trimmed());
    updateStatus();
}

void RunsPanel::updateStatus()
{
    m_status->setText(
        tr("%1 of %2 runs shown")
            .arg(QLocale().toString(m_filter->rowCount()), QLocale().toString(m_runs->rowCount())));
}

} // namespace Shivx::Ui
