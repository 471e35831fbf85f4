#pragma once

#include "pipelines/pipelinerunner.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTableWidget;
class QTimer;

namespace Shivx::Ui {

// One stage of one run, as the operator clicked it in the DAG: its attempts (state, start,
// duration, exit, error), the log of the selected attempt (standard output or error, read
// from the attempt's files and followed live while it runs), and the artifacts it recorded
// with their sizes and SHA-256 hashes. The page hands it the run's detail again whenever
// the stage changes; the panel itself reads only the log files. GUI thread only.
class StageDetailsPanel : public QWidget
{
    Q_OBJECT
public:
    // The log shown starts at most this far from a file's end (the whole log is on disk).
    static constexpr qint64 MaxLogBytes = 1 << 20;

    explicit StageDetailsPanel(QWidget *parent = nullptr);

    // Shows `stage` of the run in `detail`; keeps the attempt selected while the same stage
    // is shown again (unless it was the latest and a newer one came).
    void showStage(const RunDetail &detail, const QString &stage);
    // Nothing selected: `hint` says what to click.
    void clear(const QString &hint);

    qint64 runId() const { return m_runId; }
    QString stage() const { return m_stage; }
    QString logText() const;
    QTableWidget *attemptsTable() const { return m_attempts; }
    QTableWidget *artifactsTable() const { return m_artifacts; }

    void retranslate();

private:
    void fillAttempts(const RunDetail &detail);
    void fillArtifacts(const RunDetail &detail);
    void selectedAttemptChanged();
    void openLog();
    void readLog();
    const AttemptRecord *selectedAttempt() const;

    QLabel *m_title;
    QTableWidget *m_attempts;
    QTabWidget *m_tabs;
    QWidget *m_logPage;
    QComboBox *m_stream;
    QPlainTextEdit *m_log;
    QTableWidget *m_artifacts;
    QTimer *m_tail;

    qint64 m_runId = 0;
    QString m_stage;
    QString m_hint;
    QList<AttemptRecord> m_stageAttempts; // oldest first
    QString m_logPath;
    qint64 m_logOffset = 0;
    bool m_followLatest = true;
};

} // namespace Shivx::Ui
