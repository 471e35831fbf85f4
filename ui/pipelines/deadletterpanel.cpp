#include "pipelines/deadletterpanel.h"

#include "core/operatoridentity.h"
#include "pipelines/confirmaction.h"
#include "pipelines/pipelineservice.h"
#include "pipelines/pipelinetables.h"
#include "pipelines/runsfilter.h"
#include "pipelines/runsmodel.h"
#include "widgets/enginewording.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace Shivx::Ui {

DeadLetterPanel::DeadLetterPanel(PipelineService *service, RunsModel *runs, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_runs(runs)
{
    m_filter = new RunsFilter(this);
    m_filter->setSourceModel(runs);
    m_filter->setState(RunState::DeadLetter);
    m_view = new QTableView(this);
    setUpTable(m_view, QStringLiteral("deadLetterTable"));
    m_view->setModel(m_filter);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(RunsModel::Id, Qt::DescendingOrder);
    for (int c : { RunsModel::State, RunsModel::Trigger, RunsModel::Duration })
        m_view->hideColumn(c);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_retry = new QPushButton(this);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_discard = new QPushButton(this);
    m_discard->setObjectName(QStringLiteral("discardButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_retry);
    buttons->addWidget(m_discard);
    buttons->addWidget(m_hint, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(buttons);

    connect(m_retry, &QPushButton::clicked, this, [this] { retryRun(selectedRun()); });
    connect(m_discard, &QPushButton::clicked, this, [this] { discardRun(selectedRun()); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateButtons();
        if (const qint64 id = selectedRun())
            Q_EMIT runSelected(id);
    });
    auto counted = [this] {
        updateButtons();
        Q_EMIT countChanged(count());
    };
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, counted);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, counted);
    connect(m_filter, &QAbstractItemModel::modelReset, this, counted);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, counted);
    retranslate();
    updateButtons();
}

int DeadLetterPanel::count() const
{
    return m_filter->rowCount();
}

qint64 DeadLetterPanel::selectedRun() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : rows.first().data(RunsModel::RunIdRole).toLongLong();
}

bool DeadLetterPanel::selectRun(qint64 runId)
{
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        if (m_filter->index(row, 0).data(RunsModel::RunIdRole).toLongLong() == runId) {
            m_view->selectRow(row);
            return true;
        }
    }
    return false;
}

void DeadLetterPanel::retranslate()
{
    m_retry->setText(tr("R&etry…"));
    m_retry->setToolTip(
        tr("Run it again from its failed stage; the stages that succeeded stay done."));
    m_discard->setText(tr("&Discard…"));
    m_discard->setToolTip(tr("Take it out of the dead-letter queue for good."));
    m_hint->setText(tr("Runs whose stage failed after its retries wait here for a decision."));
}

void DeadLetterPanel::updateButtons()
{
    const bool selected = selectedRun() > 0;
    m_retry->setEnabled(selected);
    m_discard->setEnabled(selected);
}

void DeadLetterPanel::retryRun(qint64 runId)
{
    const int row = m_runs->rowOfRun(runId);
    if (runId <= 0 || row < 0)
        return;
    const RunRecord run = m_runs->run(row);
    act(runId, tr("Retry run %1").arg(runId),
        tr("Run %1 of %2 goes on from its failed stage %3 with fresh retries. Stages that "
           "succeeded are not run again.")
            .arg(runId)
            .arg(run.pipeline, run.failedStage),
        tr("Retry"), &PipelineService::retryDeadLetter,
        tr("Run %1 is running again from stage %2.").arg(runId).arg(run.failedStage));
}

void DeadLetterPanel::discardRun(qint64 runId)
{
    const int row = m_runs->rowOfRun(runId);
    if (runId <= 0 || row < 0)
        return;
    const RunRecord run = m_runs->run(row);
    act(runId, tr("Discard run %1").arg(runId),
        tr("Run %1 of %2 leaves the dead-letter queue for good; it will not run again. Its "
           "logs and artifacts are kept until retention deletes them.")
            .arg(runId)
            .arg(run.pipeline),
        tr("Discard"), &PipelineService::discardDeadLetter, tr("Run %1 discarded.").arg(runId));
}

void DeadLetterPanel::act(qint64 runId, const QString &title, const QString &question,
    const QString &button, Command command, const QString &done)
{
    if (!confirmAction(this, QStringLiteral("deadLetterConfirm"), title, question, button))
        return;
    const Result<void> r
        = (m_service->*command)(runId, OperatorIdentity::actor(QStringLiteral("console")));
    Q_EMIT actionFinished(r.ok(), r ? done : EngineWording::error(r.error()));
}

} // namespace Shivx::Ui
