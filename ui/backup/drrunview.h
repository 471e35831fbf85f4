#pragma once

#include "backup/drrun.h"
#include "core/result.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QTreeWidget;

namespace Shivx::Ui {

// One DR run, live and then as its report: a line per step (state, duration, outcome), the
// steps' log lines, an overall progress bar with the elapsed time and an ETA, Abort while it
// runs, and once it ended the measured recovery time, the audit references and Export PDF
// (the audit report's writer, Reports::DrReport). After a successful dry run that the operator
// asked for first, "Activate for real" starts the real run without asking again. Fed every
// BackupService::drRunChanged of the run it shows. GUI thread.
class DrRunView : public QWidget
{
    Q_OBJECT
public:
    explicit DrRunView(QWidget *parent = nullptr);

    // Shows `run` (a newer state of the same run, or another run).
    void setRun(const DrRun &run);
    const DrRun &run() const { return m_run; }
    bool hasRun() const { return m_run.id > 0; }
    // How long the whole run took last time (ms; 0: unknown, the ETA extrapolates from the
    // steps done so far instead).
    void setExpectedMs(qint64 ms) { m_expectedMs = ms; }
    // Offers "Activate for real" once this dry run has succeeded.
    void setOfferRealRun(bool offer);
    // Writes the report as PDF; errors are worded for the operator.
    Result<void> exportPdf(const QString &path) const;
    void retranslate();

    QPushButton *abortButton() const { return m_abort; }
    QPushButton *exportButton() const { return m_export; }
    QPushButton *realRunButton() const { return m_realRun; }
    QTreeWidget *stepsView() const { return m_steps; }

Q_SIGNALS:
    void abortRequested(qint64 run);
    void realRunRequested(const QString &plan);

private:
    void showRun();
    void showProgress();
    void chooseExportFile();

    DrRun m_run;
    qint64 m_expectedMs = 0;
    bool m_offerRealRun = false;
    QLabel *m_title = nullptr;
    QProgressBar *m_bar = nullptr;
    QLabel *m_progress = nullptr;
    QPushButton *m_abort = nullptr;
    QPushButton *m_realRun = nullptr;
    QPushButton *m_export = nullptr;
    QTreeWidget *m_steps = nullptr;
    QPlainTextEdit *m_log = nullptr;
    QLabel *m_report = nullptr;
    QTimer *m_clock = nullptr;
};

} // namespace Shivx::Ui
