#pragma once

#include "recovery/processsnapshot.h"

#include "core/result.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace Shivx {
class Engine;
class RecoveryService;
}

namespace Shivx::Ui {

class ProcessesModel;

// The supervised processes of an engine: a table (state colour-coded, uptime ticking), Start,
// Stop and Restart for the selected process, and a live tail of its log that follows new
// lines as the engine reports them (bounded to the last MaxTailLines). The engine must
// outlive the panel; all slots run on the GUI thread.
class ProcessesPanel : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxTailLines = 1000;

    explicit ProcessesPanel(Engine *engine, QWidget *parent = nullptr);

    // Name of the selected process, empty when none.
    QString selectedProcess() const;
    void selectProcess(const QString &name);

    QTableView *table() const { return m_table; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QPushButton *restartButton() const { return m_restart; }
    QPlainTextEdit *logView() const { return m_log; }
    QLabel *messageLabel() const { return m_message; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onProcessesChanged(const QList<Shivx::ProcessSnapshot> &processes);
    void onLogLines(const QString &name, const QStringList &lines);
    void onSelectionChanged();
    void updateButtons();
    // Sends `request` (start, stop or restart) for the selected process, if any; a refusal
    // (engine not running, no such process) shows beside the buttons.
    using Request = Result<void> (RecoveryService::*)(const QString &, const QString &);
    void onSelected(Request request);
    QString actor() const;

    RecoveryService *m_service;
    ProcessesModel *m_model;
    QTableView *m_table;
    QPushButton *m_start;
    QPushButton *m_stop;
    QPushButton *m_restart;
    QLabel *m_logTitle;
    QLabel *m_message; // why the last request was refused
    QPlainTextEdit *m_log;
    QTimer *m_uptimeTimer;
    QString m_tailing; // the process whose log m_log shows
};

} // namespace Shivx::Ui
