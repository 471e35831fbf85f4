#include "pipelines/pipelinespage.h"

#include "core/engine.h"
#include "core/operatoridentity.h"
#include "pipelines/confirmaction.h"
#include "pipelines/dagview.h"
#include "pipelines/deadletterpanel.h"
#include "pipelines/pipelineservice.h"
#include "pipelines/pipelinesmodel.h"
#include "pipelines/pipelinetables.h"
#include "pipelines/pipelinewording.h"
#include "pipelines/runestimate.h"
#include "pipelines/runparamsdialog.h"
#include "pipelines/runsmodel.h"
#include "pipelines/runspanel.h"
#include "pipelines/stagedetailspanel.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"

#include <QDateTime>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {

// Recent runs read for the table; dead-lettered ones are read besides, however old.
constexpr int RecentRuns = 500;
constexpr int DeadLetterRuns = 1000;

} // namespace

PipelinesPage::PipelinesPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<PipelineService>())
{
    // Pipelines.
    m_pipelinesBox = new QGroupBox(this);
    m_pipelines = new PipelinesModel(this);
    m_pipelinesView = new QTableView(m_pipelinesBox);
    setUpTable(m_pipelinesView, QStringLiteral("pipelinesTable"));
    m_pipelinesView->setModel(m_pipelines);
    m_definitionErrors = new QLabel(m_pipelinesBox);
    m_definitionErrors->setObjectName(QStringLiteral("definitionErrors"));
    m_definitionErrors->setWordWrap(true);
    SelectableText::apply(m_definitionErrors);
    m_definitionErrors->hide();
    m_runButton = new QPushButton(m_pipelinesBox);
    m_runButton->setObjectName(QStringLiteral("runButton"));
    m_actionStatus = new QLabel(m_pipelinesBox);
    m_actionStatus->setObjectName(QStringLiteral("actionStatus"));
    m_actionStatus->setWordWrap(true);
    SelectableText::apply(m_actionStatus);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_runButton, 0, Qt::AlignTop);
    actions->addWidget(m_actionStatus, 1);
    auto *pipelinesLayout = new QVBoxLayout(m_pipelinesBox);
    pipelinesLayout->addWidget(m_pipelinesView, 1);
    pipelinesLayout->addWidget(m_definitionErrors);
    pipelinesLayout->addLayout(actions);
    connect(m_runButton, &QPushButton::clicked, this, &PipelinesPage::runSelected);
    connect(m_pipelinesView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &PipelinesPage::pipelineSelectionChanged);
    connect(m_pipelinesView, &QTableView::doubleClicked, this, &PipelinesPage::runSelected);

    // The graph of the shown run, with its progress.
    m_graphBox = new QGroupBox(this);
    m_runLabel = new QLabel(m_graphBox);
    m_runLabel->setObjectName(QStringLiteral("runLabel"));
    m_runLabel->setWordWrap(true);
    SelectableText::apply(m_runLabel);
    m_progressBar = new QProgressBar(m_graphBox);
    m_progressBar->setObjectName(QStringLiteral("runProgress"));
    m_progressBar->setTextVisible(false);
    m_progressLabel = new QLabel(m_graphBox);
    m_progressLabel->setObjectName(QStringLiteral("progressLabel"));
    m_cancelButton = new QPushButton(m_graphBox);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    auto *progress = new QHBoxLayout;
    progress->addWidget(m_progressBar, 1);
    progress->addWidget(m_progressLabel);
    progress->addWidget(m_cancelButton);
    m_dag = new DagView(m_graphBox);
    m_dag->setObjectName(QStringLiteral("pipelineDag"));
    auto *graphLayout = new QVBoxLayout(m_graphBox);
    graphLayout->addWidget(m_runLabel);
    graphLayout->addLayout(progress);
    graphLayout->addWidget(m_dag, 1);
    connect(m_cancelButton, &QPushButton::clicked, this, &PipelinesPage::cancelShownRun);
    connect(m_dag, &DagView::nodeActivated, this, &PipelinesPage::stageActivated);

    m_stageBox = new QGroupBox(this);
    m_stagePanel = new StageDetailsPanel(m_stageBox);
    auto *stageLayout = new QVBoxLayout(m_stageBox);
    stageLayout->addWidget(m_stagePanel);

    // Runs and the dead-letter queue.
    m_runs = new RunsModel(this);
    m_runsPanel = new RunsPanel(m_runs, this);
    m_runsPanel->setObjectName(QStringLiteral("runsPanel"));
    connect(m_runsPanel, &RunsPanel::runSelected, this, &PipelinesPage::showRun);

    m_deadLetter = new DeadLetterPanel(m_service, m_runs, this);
    m_deadLetter->setObjectName(QStringLiteral("deadLetterPanel"));
    connect(m_deadLetter, &DeadLetterPanel::runSelected, this, &PipelinesPage::showRun);
    connect(
        m_deadLetter, &DeadLetterPanel::actionFinished, this, [this](bool ok, const QString &text) {
            showActionResult(ok, text);
            reloadRuns();
            reloadPipelines();
            if (m_detail.run.id > 0)
                loadRun(m_detail.run.id);
        });

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("runsTabs"));
    m_tabs->addTab(m_runsPanel, QString());
    m_tabs->addTab(m_deadLetter, QString());
    m_tabs->findChild<QTabBar *>()->setObjectName(QStringLiteral("runsTabBar"));
    connect(m_deadLetter, &DeadLetterPanel::countChanged, this,
        [this](int count) { m_tabs->setTabText(1, tr("Dead-letter queue (%1)").arg(count)); });

    auto *middle = new QSplitter(Qt::Horizontal, this);
    middle->setObjectName(QStringLiteral("graphSplitter"));
    middle->addWidget(m_graphBox);
    middle->addWidget(m_stageBox);
    middle->setStretchFactor(0, 3);
    middle->setStretchFactor(1, 2);
    middle->setChildrenCollapsible(false);
    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("pipelinesSplitter"));
    m_splitter->addWidget(m_pipelinesBox);
    m_splitter->addWidget(middle);
    m_splitter->addWidget(m_tabs);
    m_splitter->setStretchFactor(0, 2);
    m_splitter->setStretchFactor(1, 5);
    m_splitter->setStretchFactor(2, 3);
    m_splitter->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);

    m_ticker = new QTimer(this);
    m_ticker->setInterval(1000);
    connect(m_ticker, &QTimer::timeout, this, [this] {
        m_runs->tick();
        if (m_detail.run.id > 0 && !isFinished(m_detail.run.state))
            updateProgress();
    });
    m_ticker->start();

    connect(m_service, &PipelineService::pipelinesChanged, this, &PipelinesPage::reloadPipelines);
    connect(m_service, &PipelineService::runChanged, this, &PipelinesPage::onRunChanged);
    connect(m_service, &PipelineService::stageChanged, this, &PipelinesPage::onStageChanged);
    connect(m_service, &PipelineService::attemptChanged, this, &PipelinesPage::onAttemptChanged);
    retranslateUi();
    updateRunHeader();
    updateButtons();
}

PipelinesPage::~PipelinesPage() = default;

void PipelinesPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void PipelinesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_loaded) {
        // The graph takes what the lists leave; the lists show a few rows each.
        const int h = m_splitter->height();
        m_splitter->setSizes({ h * 27 / 100, h * 42 / 100, h * 31 / 100 });
        refresh();
    }
}

void PipelinesPage::retranslateUi()
{
    m_pipelinesBox->setTitle(tr("Pipelines"));
    m_runButton->setText(tr("&Run…"));
    m_runButton->setToolTip(tr("Start a run of the selected pipeline, with its parameters."));
    m_graphBox->setTitle(tr("Graph"));
    m_stageBox->setTitle(tr("Stage"));
    m_cancelButton->setText(tr("&Cancel run…"));
    m_cancelButton->setToolTip(
        tr("Stop the run: running stages get SIGTERM, then SIGKILL; pending ones do not start."));
    m_tabs->setTabText(0, tr("Runs"));
    m_tabs->setTabText(1, tr("Dead-letter queue (%1)").arg(m_deadLetter->count()));
    m_pipelines->retranslate();
    m_runs->retranslate();
    m_stagePanel->retranslate();
    m_runsPanel->retranslate();
    m_deadLetter->retranslate();
    if (!m_stagePanel->stage().isEmpty())
        m_stagePanel->showStage(m_detail, m_stagePanel->stage());
    fitColumnsToContents(m_pipelinesView);
    fitColumnsToContents(m_deadLetter->view());
    updateRunHeader();
    updateProgress();
}

QString PipelinesPage::actor() const
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

QString PipelinesPage::actionStatus() const
{
    return m_actionStatus->text();
}

QString PipelinesPage::progressText() const
{
    return m_progressLabel->text();
}

void PipelinesPage::showActionResult(bool ok, const QString &text)
{
    m_readErrorShown = false;
    QPalette pal = m_actionStatus->palette();
    pal.setColor(QPalette::WindowText,
        ok ? palette().color(QPalette::WindowText) : StatusColors::critical());
    m_actionStatus->setPalette(pal);
    m_actionStatus->setText(text);
}

void PipelinesPage::refresh()
{
    m_loaded = true;
    reloadPipelines();
    reloadRuns();
    if (m_detail.run.id > 0)
        loadRun(m_detail.run.id);
}

void PipelinesPage::reloadPipelines()
{
    const auto list = m_service->pipelines();
    if (!list) {
        showActionResult(false, EngineWording::error(list.error()));
        m_readErrorShown = true;
        return;
    }
    if (m_readErrorShown) { // the engine answers again: its earlier error is stale
        m_readErrorShown = false;
        showActionResult(true, QString());
    }
    const QString selected = selectedPipeline();
    {
        const QSignalBlocker block(m_pipelinesView->selectionModel());
        m_pipelines->setPipelines(*list);
    }
    if (const auto errors = m_service->definitionErrors(); errors && !errors->isEmpty()) {
        QStringList lines;
        for (const Error &e : *errors)
            lines << EngineWording::error(e);
        m_definitionErrors->setText(tr("Pipeline files that did not load:") + QLatin1Char('\n')
            + lines.join(QLatin1Char('\n')));
        m_definitionErrors->show();
    } else {
        m_definitionErrors->hide();
    }
    fitColumnsToContents(m_pipelinesView);
    QStringList names;
    for (int i = 0; i < m_pipelines->rowCount(); ++i)
        names << m_pipelines->pipeline(i).definition.name;
    m_runsPanel->setPipelines(names);
    // Keep the selection by name; select the first pipeline when none was.
    const int row = m_pipelines->rowOf(selected);
    if (row >= 0) {
        const QSignalBlocker block(m_pipelinesView->selectionModel());
        m_pipelinesView->selectRow(row);
    } else if (m_pipelines->rowCount() > 0) {
        m_pipelinesView->selectRow(0);
    } else {
        m_shownPipeline.clear();
        m_detail = RunDetail();
        m_dag->clear();
        m_stagePanel->clear(tr("No pipelines: put pipeline files into the folder "
                               "pipelines.directory names."));
        updateRunHeader();
    }
    // A pipeline whose definition changed and never ran shows its new graph.
    if (row >= 0 && m_detail.run.id == 0 && m_shownPipeline == selected)
        showPipelineDefinition(m_pipelines->pipeline(row));
    updateButtons();
}

void PipelinesPage::reloadRuns()
{
    RunFilter recent;
    recent.limit = RecentRuns;
    const auto runs = m_service->runs(recent);
    if (!runs) {
        m_runsPanel->showError(EngineWording::error(runs.error()));
        return;
    }
    QList<RunRecord> all = *runs;
    RunFilter dead;
    dead.states = { RunState::DeadLetter };
    dead.limit = DeadLetterRuns;
    if (const auto d = m_service->runs(dead))
        all += *d;
    const qint64 selected = m_runsPanel->selectedRun();
    m_runs->setRuns(all);
    if (selected > 0)
        m_runsPanel->selectRun(selected);
    m_runsPanel->fitColumns();
    fitColumnsToContents(m_deadLetter->view());
}

QString PipelinesPage::selectedPipeline() const
{
    const QModelIndexList rows = m_pipelinesView->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.first().data(PipelinesModel::NameRole).toString();
}

bool PipelinesPage::selectPipeline(const QString &name)
{
    const int row = m_pipelines->rowOf(name);
    if (row < 0)
        return false;
    m_pipelinesView->selectRow(row);
    return true;
}

void PipelinesPage::pipelineSelectionChanged()
{
    updateButtons();
    if (m_syncingSelection)
        return;
    const QString name = selectedPipeline();
    const int row = m_pipelines->rowOf(name);
    if (row < 0)
        return;
    m_following = true;
    const PipelineInfo &info = m_pipelines->pipeline(row);
    if (info.lastRunId > 0)
        loadRun(info.lastRunId);
    else
        showPipelineDefinition(info);
}

bool PipelinesPage::showRun(qint64 runId)
{
    if (runId <= 0)
        return false;
    m_following = false;
    loadRun(runId);
    return m_detail.run.id == runId;
}

void PipelinesPage::showPipelineDefinition(const PipelineInfo &info)
{
    const bool samePipeline = m_shownPipeline == info.definition.name && m_detail.run.id == 0;
    m_shownPipeline = info.definition.name;
    m_detail = RunDetail();
    m_detail.definition = info.definition;
    m_previousMs.clear();
    m_previousFor = -1;
    setGraph(info.definition, {}, false);
    if (!samePipeline)
        m_stagePanel->clear(tr("%1 has not run yet: Run starts it.").arg(info.definition.name));
    updateRunHeader();
    updateProgress();
    updateButtons();
}

void PipelinesPage::loadRun(qint64 runId)
{
    auto detail = m_service->runDetail(runId);
    if (!detail) {
        showActionResult(false, EngineWording::error(detail.error()));
        return;
    }
    const bool sameRun = m_detail.run.id == runId;
    m_detail = std::move(*detail);
    m_shownPipeline = m_detail.run.pipeline;
    const bool queued = m_detail.run.state == RunState::Queued;
    if (sameRun && m_dag->nodeCount() == m_detail.definition.stages.size() && !queued) {
        // The same run read again: repaint the states, keep the operator's zoom and scroll.
        for (const StageRecord &st : std::as_const(m_detail.stages))
            m_dag->setNodeState(st.stage, PipelineWording::dagState(st.state));
    } else {
        setGraph(m_detail.definition, m_detail.stages, queued);
    }
    if (!sameRun || m_previousFor != runId)
        loadPreviousDurations();
    // The pipeline's row, without following its newest run again.
    if (selectedPipeline() != m_shownPipeline) {
        m_syncingSelection = true;
        selectPipeline(m_shownPipeline);
        m_syncingSelection = false;
    }
    const QString stage = m_stagePanel->stage();
    if (!stage.isEmpty() && m_detail.definition.indexOf(stage) >= 0) {
        m_dag->selectNode(stage);
        m_stagePanel->showStage(m_detail, stage);
    } else {
        m_stagePanel->clear(QString());
    }
    updateRunHeader();
    updateProgress();
    updateButtons();
}

void PipelinesPage::setGraph(
    const PipelineDefinition &definition, const QList<StageRecord> &stages, bool queued)
{
    QHash<QString, StageState> states;
    for (const StageRecord &s : stages)
        states.insert(s.stage, s.state);
    DagGraph graph;
    for (const StageDefinition &s : definition.stages) {
        DagNodeState state = PipelineWording::dagState(states.value(s.name, StageState::Pending));
        if (queued && state == DagNodeState::Pending)
            state = DagNodeState::Queued;
        graph.nodes.append({ s.name, s.name, state });
    }
    for (const StageDefinition &s : definition.stages)
        for (const QString &dep : s.needs)
            graph.edges.append({ dep, s.name });
    // The engine refuses cycles at load; the view shows its own reason if one got through.
    (void)m_dag->setGraph(graph);
}

void PipelinesPage::loadPreviousDurations()
{
    m_previousMs.clear();
    m_previousFor = m_detail.run.id;
    if (m_detail.run.id <= 0 || isFinished(m_detail.run.state))
        return;
    // The newest earlier runs first; a stage that did not succeed in the latest takes its
    // duration from the one before.
    RunFilter f;
    f.pipeline = m_detail.run.pipeline;
    f.limit = 10;
    const auto runs = m_service->runs(f);
    if (!runs)
        return;
    int read = 0;
    for (const RunRecord &r : *runs) {
        if (r.id >= m_detail.run.id || !isFinished(r.state) || r.version != m_detail.run.version)
            continue;
        const auto earlier = m_service->runDetail(r.id);
        if (!earlier)
            continue;
        const QHash<QString, qint64> ms = RunEstimate::durationsOf(earlier->attempts);
        for (auto it = ms.begin(); it != ms.end(); ++it)
            if (!m_previousMs.contains(it.key()))
                m_previousMs.insert(it.key(), it.value());
        if (m_previousMs.size() >= m_detail.definition.stages.size() || ++read >= 3)
            break;
    }
}

void PipelinesPage::stageActivated(const QString &stage)
{
    m_stagePanel->showStage(m_detail, stage);
}

void PipelinesPage::onRunChanged(const RunRecord &run)
{
    m_runs->upsert(run);
    m_pipelines->noteRun(run);
    if (run.id == m_detail.run.id) {
        const bool wasQueued = m_detail.run.state == RunState::Queued;
        const QByteArray definition = m_detail.run.definition;
        m_detail.run = run;
        m_detail.run.definition = definition;
        if (wasQueued && run.state != RunState::Queued)
            setGraph(m_detail.definition, m_detail.stages, false);
        if (isFinished(run.state))
            loadRun(run.id); // the final attempts and artifacts, in one read
        updateRunHeader();
        updateProgress();
        updateButtons();
    } else if (m_following && run.pipeline == m_shownPipeline && run.id > m_detail.run.id) {
        loadRun(run.id);
    }
}

void PipelinesPage::onStageChanged(const StageRecord &stage)
{
    if (stage.runId != m_detail.run.id || m_detail.run.id == 0)
        return;
    bool found = false;
    for (StageRecord &s : m_detail.stages) {
        if (s.stage == stage.stage) {
            s = stage;
            found = true;
        }
    }
    if (!found)
        m_detail.stages.append(stage);
    m_dag->setNodeState(stage.stage, PipelineWording::dagState(stage.state));
    if (stage.stage == m_stagePanel->stage() && m_stagePanel->runId() == stage.runId) {
        if (stage.state == StageState::Succeeded) {
            // Its artifacts were recorded with the attempt's end: read them.
            if (const auto detail = m_service->runDetail(stage.runId)) {
                m_detail.attempts = detail->attempts;
                m_detail.artifacts = detail->artifacts;
            }
        }
        m_stagePanel->showStage(m_detail, stage.stage);
    }
    updateProgress();
}

void PipelinesPage::onAttemptChanged(const AttemptRecord &attempt)
{
    if (attempt.runId != m_detail.run.id || m_detail.run.id == 0)
        return;
    bool found = false;
    for (AttemptRecord &a : m_detail.attempts) {
        if (a.id == attempt.id) {
            a = attempt;
            found = true;
        }
    }
    if (!found)
        m_detail.attempts.append(attempt);
    if (attempt.stage == m_stagePanel->stage() && m_stagePanel->runId() == attempt.runId)
        m_stagePanel->showStage(m_detail, attempt.stage);
    updateProgress();
}

void PipelinesPage::updateRunHeader()
{
    const RunRecord &r = m_detail.run;
    if (m_shownPipeline.isEmpty()) {
        m_runLabel->setText(tr("Select a pipeline to see its stages."));
        return;
    }
    if (r.id == 0) {
        m_runLabel->setText(
            tr("%1: not run yet (the graph of its current definition)").arg(m_shownPipeline));
        return;
    }
    QStringList params;
    for (auto it = r.params.begin(); it != r.params.end(); ++it)
        params << it.key() + QLatin1Char('=') + it.value();
    QString text = tr("Run %1 of %2: %3, %4 by %5, created %6")
                       .arg(r.id)
                       .arg(r.pipeline, PipelineWording::runState(r.state),
                           PipelineWording::trigger(r.trigger), r.actor,
                           DisplayFormat::dateTime(r.createdMs));
    if (!params.isEmpty())
        text += QLatin1Char('\n') + tr("Parameters: %1").arg(params.join(QLatin1String(", ")));
    if (!r.error.isEmpty())
        text += QLatin1Char('\n') + r.error;
    m_runLabel->setText(text);
    m_runLabel->setToolTip(tr("Version %1").arg(r.version));
}

void PipelinesPage::updateProgress()
{
    const RunRecord &r = m_detail.run;
    const bool active = r.id > 0 && !isFinished(r.state);
    m_progressBar->setVisible(active);
    m_progressLabel->setVisible(active);
    m_cancelButton->setVisible(active);
    if (!active)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const RunEstimate e = RunEstimate::compute(
        m_detail.definition, m_detail.stages, m_detail.attempts, m_previousMs, now);
    m_progressBar->setRange(0, qMax(1, e.stagesTotal));
    m_progressBar->setValue(e.stagesDone);
    if (r.state == RunState::Queued) {
        m_progressLabel->setText(tr("Queued: waiting for an earlier run of %1").arg(r.pipeline));
        return;
    }
    const QString done = tr("Stages done: %1 of %2").arg(e.stagesDone).arg(e.stagesTotal);
    const QString running = tr("running for %1")
                                .arg(DisplayFormat::duration(
                                    r.startedMs > 0 ? qMax<qint64>(0, now - r.startedMs) : 0));
    if (e.stagesDone == e.stagesTotal)
        m_progressLabel->setText(tr("%1, %2, finishing").arg(done, running));
    else if (e.remainingMs < 0)
        m_progressLabel->setText(
            tr("%1, %2; no earlier run to estimate the time left from").arg(done, running));
    else
        m_progressLabel->setText(
            tr("%1, %2, about %3 left")
                .arg(done, running, DisplayFormat::duration(qMax<qint64>(1000, e.remainingMs))));
}

void PipelinesPage::updateButtons()
{
    m_runButton->setEnabled(!selectedPipeline().isEmpty());
    m_cancelButton->setEnabled(m_detail.run.id > 0 && !isFinished(m_detail.run.state));
}

void PipelinesPage::runSelected()
{
    const int row = m_pipelines->rowOf(selectedPipeline());
    if (row < 0)
        return;
    const PipelineDefinition def = m_pipelines->pipeline(row).definition;
    RunParamsDialog dialog(def.name, def.params, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    // Only what differs from the defaults goes with the run, so that the run's parameters
    // say what the operator chose.
    QMap<QString, QString> params;
    const QMap<QString, QString> given = dialog.params();
    for (auto it = given.begin(); it != given.end(); ++it)
        if (!def.params.contains(it.key()) || def.params.value(it.key()) != it.value())
            params.insert(it.key(), it.value());
    const auto id = m_service->run(def.name, params, actor());
    if (!id) {
        showActionResult(false, EngineWording::error(id.error()));
        return;
    }
    showActionResult(true, tr("Run %1 of %2 started.").arg(*id).arg(def.name));
    m_following = true;
    loadRun(*id);
    if (const auto detail = m_service->runDetail(*id))
        m_runs->upsert(detail->run);
    Q_EMIT runStarted(*id);
}

void PipelinesPage::cancelShownRun()
{
    const RunRecord run = m_detail.run;
    if (run.id <= 0 || isFinished(run.state))
        return;
    if (!confirmAction(this, QStringLiteral("cancelConfirm"), tr("Cancel run %1").arg(run.id),
            tr("Run %1 of %2 stops: its running stages are terminated and the rest do not "
               "start. A cancelled run cannot be resumed.")
                .arg(run.id)
                .arg(run.pipeline),
            tr("Cancel run")))
        return;
    const auto r = m_service->cancel(run.id, actor());
    if (!r) {
        showActionResult(false, EngineWording::error(r.error()));
        return;
    }
    showActionResult(true, tr("Run %1 is being cancelled.").arg(run.id));
}

} // namespace Shivx::Ui
