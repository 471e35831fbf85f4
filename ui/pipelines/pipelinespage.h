#pragma once

#include "pipelines/pipelinerunner.h"

#include <QHash>
#include <QWidget>

class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QSplitter;
class QTabWidget;
class QTableView;
class QTimer;

namespace Shivx {
class Engine;
class PipelineService;
}

namespace Shivx::Ui {

class DagView;
class DeadLetterPanel;
class PipelinesModel;
class RunsModel;
class RunsPanel;
class StageDetailsPanel;

// Pipelines: the pipelines the engine loaded (schedule, next fire time, last run, state) with
// Run (a parameters dialog first); the DAG of the selected pipeline's latest run (or of the
// run picked in a table), stages coloured by state and following the run live; a clicked
// stage's attempts, log and artifacts; the runs with filters by pipeline, state and text;
// the dead-letter queue with Retry and Discard. A run in progress shows its stages done, an
// estimate of the time left (from an earlier run's stage durations, along the DAG's longest
// path) and Cancel. Everything comes from PipelineService (its queries are one job-store
// read each, done on the GUI thread) and its signals. The engine must outlive the page.
class PipelinesPage : public QWidget
{
    Q_OBJECT
public:
    PipelinesPage(Engine *engine, QWidget *parent = nullptr);
    ~PipelinesPage() override;

    // Reads the pipelines, the runs and the shown run again (F5).
    void refresh();

    // The pipeline selected in the list (its latest run is shown while `following`).
    QString selectedPipeline() const;
    bool selectPipeline(const QString &name);
    // Shows run `runId` in the graph and stops following the pipeline's newest run.
    bool showRun(qint64 runId);
    // The run in the graph (0: the definition of a pipeline that never ran).
    qint64 shownRun() const { return m_detail.run.id; }
    const RunDetail &shownDetail() const { return m_detail; }

    // Starts a run of the selected pipeline: the parameters dialog, then the engine.
    void runSelected();
    // Cancels the shown run, after the operator confirms.
    void cancelShownRun();

    DagView *dagView() const { return m_dag; }
    StageDetailsPanel *stagePanel() const { return m_stagePanel; }
    DeadLetterPanel *deadLetterPanel() const { return m_deadLetter; }
    PipelinesModel *pipelinesModel() const { return m_pipelines; }
    RunsModel *runsModel() const { return m_runs; }
    RunsPanel *runsPanel() const { return m_runsPanel; }
    QString actionStatus() const;
    QString progressText() const;

Q_SIGNALS:
    // A run was started from the page (after the dialog), with its id.
    void runStarted(qint64 runId);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void retranslateUi();
    void reloadPipelines();
    void reloadRuns();
    void pipelineSelectionChanged();
    void showPipelineDefinition(const PipelineInfo &info);
    void loadRun(qint64 runId);
    void setGraph(
        const PipelineDefinition &definition, const QList<StageRecord> &stages, bool queued);
    void loadPreviousDurations();
    void stageActivated(const QString &stage);
    void onRunChanged(const RunRecord &run);
    void onStageChanged(const StageRecord &stage);
    void onAttemptChanged(const AttemptRecord &attempt);
    void updateRunHeader();
    void updateProgress();
    void updateButtons();
    void showActionResult(bool ok, const QString &text);
    QString actor() const;

    Engine *m_engine;
    PipelineService *m_service;
    bool m_loaded = false;
    bool m_syncingSelection = false;
    bool m_following = true; // the graph follows the selected pipeline's newest run
    QString m_shownPipeline;
    RunDetail m_detail; // the run in the graph (id 0: a definition only)
    QHash<QString, qint64> m_previousMs; // stage durations of an earlier run of it
    qint64 m_previousFor = -1; // the run m_previousMs was read for

    QSplitter *m_splitter = nullptr;
    QGroupBox *m_pipelinesBox = nullptr;
    QTableView *m_pipelinesView = nullptr;
    PipelinesModel *m_pipelines = nullptr;
    QLabel *m_definitionErrors = nullptr;
    QPushButton *m_runButton = nullptr;
    QLabel *m_actionStatus = nullptr;
    bool m_readErrorShown = false; // the action status shows a failed read, not an action

    QGroupBox *m_graphBox = nullptr;
    QLabel *m_runLabel = nullptr;
    QProgressBar *m_progressBar = nullptr;
    QLabel *m_progressLabel = nullptr;
    QPushButton *m_cancelButton = nullptr;
    DagView *m_dag = nullptr;
    QGroupBox *m_stageBox = nullptr;
    StageDetailsPanel *m_stagePanel = nullptr;

    QTabWidget *m_tabs = nullptr;
    RunsModel *m_runs = nullptr;
    RunsPanel *m_runsPanel = nullptr;
    DeadLetterPanel *m_deadLetter = nullptr;
    QTimer *m_ticker = nullptr;
};

} // namespace Shivx::Ui
