#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace Shivx::Ui {

class RunsFilter;
class RunsModel;

// The runs table of the Pipelines page over its RunsModel, with filters by pipeline, state
// and free text (RunsFilter) and a count of the rows shown. GUI thread only.
class RunsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(RunsModel *runs, QWidget *parent = nullptr);

    // The pipeline filter's choices, in the catalog's order; the choice made stays if it can.
    void setPipelines(const QStringList &names);
    // The selected run, 0 for none; selectRun() selects it without emitting runSelected.
    qint64 selectedRun() const;
    void selectRun(qint64 runId);
    // In place of the count: why the runs could not be read.
    void showError(const QString &text);
    void fitColumns();
    void retranslate();

    RunsFilter *filter() const { return m_filter; }
    QTableView *view() const { return m_view; }

Q_SIGNALS:
    // The operator selected a run (to show it in the graph).
    void runSelected(qint64 runId);

private:
    void applyFilters();
    void updateStatus();

    RunsModel *m_runs;
    RunsFilter *m_filter;
    QComboBox *m_pipelineFilter;
    QComboBox *m_stateFilter;
    QLineEdit *m_searchEdit;
    QTableView *m_view;
    QLabel *m_status;
};

} // namespace Shivx::Ui
