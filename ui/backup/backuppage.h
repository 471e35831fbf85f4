#pragma once

#include "backup/backupservice.h"
#include "backup/restorewizard.h"

#include <QPointer>
#include <QThreadPool>
#include <QWidget>

class QComboBox;
class QGroupBox;
class QLabel;
class QPushButton;
class QTabWidget;
class QTableView;

namespace Shivx {
class Engine;
} // namespace Shivx

namespace Shivx::Ui {

class ResultLabel;
class BackupHistoryChart;
class BackupHistoryModel;
class BackupOperationsPanel;
class BackupSetsModel;
class DrPlansPanel;

// Backup & DR: the repository and why operations cannot run (if so), the sets with their last
// backup, size, type, duration, deduplication, verification and last drill; Back up now (full,
// incremental or differential), Verify (quick or full), Restore (a wizard with the point in
// time and a dry run) and a restore drill of the selected set; every queued or running
// operation with its progress, ETA and Cancel; and the history of operations with a chart of
// the last backups' sizes and durations; on a second tab the DR plans with Activate, the live
// run and its report (DrPlansPanel). Follows BackupService's signals; every service call
// runs off the GUI thread. The engine must outlive the page.
class BackupPage : public QWidget
{
    Q_OBJECT
public:
    BackupPage(Engine *engine, QWidget *parent = nullptr);
    ~BackupPage() override;

    // Reads the state and the history again (F5).
    void refresh();

    // The commands behind the buttons, for the wizard and the tests.
    void backupNow(const QString &set, const QString &type);
    void verify(bool quick);
    void drill(const QString &set);
    void restore(const BackupRestoreRequest &request);
    void cancelOperation(qint64 id);
    RestoreWizard *openRestoreWizard();

    BackupSetsModel *setsModel() const { return m_setsModel; }
    BackupHistoryModel *historyModel() const { return m_historyModel; }
    BackupHistoryChart *historyChart() const { return m_chart; }
    BackupOperationsPanel *operationsPanel() const { return m_operations; }
    RestoreWizard *restoreWizard() const { return m_wizard; }
    DrPlansPanel *drPlansPanel() const { return m_drPanel; }
    // Shows the Backups (0) or the DR plans (1) tab.
    void showTab(int index);
    // The set the commands act on: the selected row's, else the first.
    QString selectedSet() const;

Q_SIGNALS:
    // A command was answered (queued, or refused with the error shown).
    void commandAnswered(bool ok, const Shivx::BackupOperation &operation);
    void historyLoaded();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void applyState(const BackupState &state);
    void onOperation(const BackupOperation &operation);
    void reloadHistory();
    void updateButtons();
    // Runs a command off the GUI thread and shows its answer; a refused cancel of `cancelId`
    // enables its Cancel again.
    void command(std::function<Result<BackupOperation>(BackupService *, const QString &)> call,
        qint64 cancelId = 0);

    Engine *m_engine;
    BackupService *m_service;
    QThreadPool m_pool;
    BackupState m_state;
    bool m_historyLoading = false;
    bool m_historyAgain = false;

    QGroupBox *m_repoBox = nullptr;
    QLabel *m_repoLabel = nullptr;
    QLabel *m_problemLabel = nullptr;
    QComboBox *m_typeCombo = nullptr;
    QPushButton *m_backupButton = nullptr;
    QComboBox *m_verifyCombo = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_restoreButton = nullptr;
    QPushButton *m_drillButton = nullptr;
    ResultLabel *m_result = nullptr;

    QGroupBox *m_setsBox = nullptr;
    BackupSetsModel *m_setsModel = nullptr;
    QTableView *m_setsView = nullptr;

    QGroupBox *m_operationsBox = nullptr;
    BackupOperationsPanel *m_operations = nullptr;

    QGroupBox *m_historyBox = nullptr;
    BackupHistoryModel *m_historyModel = nullptr;
    QTableView *m_historyView = nullptr;
    BackupHistoryChart *m_chart = nullptr;

    QPointer<RestoreWizard> m_wizard;
    QTabWidget *m_tabs = nullptr;
    DrPlansPanel *m_drPanel = nullptr;
};

} // namespace Shivx::Ui
