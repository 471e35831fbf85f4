#pragma once

#include "core/result.h"

#include <QWidget>

class QLabel;
class QPushButton;
class QTableView;

namespace Shivx {
class PipelineService;
}

namespace Shivx::Ui {

class RunsFilter;
class RunsModel;

// The dead-letter queue: runs whose stage failed after its retries, with the failed stage and
// its error, and the operator's two ways out, each confirmed first: Retry (the run goes on
// from its failed stage; stages that succeeded stay done) and Discard (out of the queue for
// good). Reads the page's RunsModel through its own filter. GUI thread only; the service
// must outlive the panel.
class DeadLetterPanel : public QWidget
{
    Q_OBJECT
public:
    DeadLetterPanel(PipelineService *service, RunsModel *runs, QWidget *parent = nullptr);

    int count() const;
    // The selected run's id, 0 for none.
    qint64 selectedRun() const;
    bool selectRun(qint64 runId);
    QTableView *view() const { return m_view; }

    void retryRun(qint64 runId);
    void discardRun(qint64 runId);
    void retranslate();

Q_SIGNALS:
    // The operator selected a run (to show it in the graph).
    void runSelected(qint64 runId);
    // A Retry or Discard was done or refused; `text` says which, in the console's language.
    void actionFinished(bool ok, const QString &text);
    void countChanged(int count);

private:
    using Command = Result<void> (PipelineService::*)(qint64, const QString &);
    // Confirms, then runs `command` on the run and reports `done` or the engine's error.
    void act(qint64 runId, const QString &title, const QString &question, const QString &button,
        Command command, const QString &done);
    void updateButtons();

    PipelineService *m_service;
    RunsModel *m_runs;
    RunsFilter *m_filter;
    QTableView *m_view;
    QLabel *m_hint;
    QPushButton *m_retry;
    QPushButton *m_discard;
};

} // namespace Shivx::Ui
