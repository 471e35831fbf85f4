#pragma once

#include "backup/backupservice.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTableWidget;
class QThreadPool;

namespace Shivx::Ui {

class DrActivateDialog;
class ResultLabel;
class DrRunView;

// The DR plans of the Backup & DR page: the plans of `backup.dr_plans` (name, description,
// steps, last run and its measured recovery time, stored across engine runs), Activate (the typed
// confirmation of DrActivateDialog, optionally a dry run first), and the newest run live in a
// DrRunView with Abort and its report. Service calls run on `pool` (the page's, which the page
// drains before the service goes away); follows BackupService::drRunChanged. GUI thread.
class DrPlansPanel : public QWidget
{
    Q_OBJECT
public:
    enum Column { NameColumn, StepsColumn, LastRunColumn, RecoveryColumn, DescriptionColumn };

    DrPlansPanel(BackupService *service, QThreadPool *pool, QWidget *parent = nullptr);

    // Reads the plans from disk and this engine run's runs (the owner calls it first).
    void reload();
    // Opens the confirmation for the selected plan (what Activate does).
    DrActivateDialog *openActivateDialog();
    // Starts a run of `plan` without asking (after the confirmation, and for the tests).
    void activate(const QString &plan, bool dryRun);
    void abort(qint64 run);
    void retranslate();

    QTableWidget *plansView() const { return m_plans; }
    DrRunView *runView() const { return m_view; }
    QString selectedPlan() const;

Q_SIGNALS:
    void plansLoaded();
    // A command (activate, abort) was answered; `ok` false: refused, with the error shown.
    void commandAnswered(bool ok, const Shivx::DrRun &run);

private:
    void onRun(const DrRun &run);
    void showPlans();
    void showError(const QString &text);

    BackupService *m_service;
    QThreadPool *m_pool;
    QList<DrPlan> m_planList;
    QHash<QString, DrRun> m_lastRun; // per plan: its newest finished run that was not dry
    QString m_loadError;
    QString m_offerFor; // the plan whose next dry run was asked for "first"
    qint64 m_dryRunFirst = 0; // the dry run whose success offers the real run
    QPointer<DrActivateDialog> m_dialog;

    QLabel *m_intro = nullptr;
    QTableWidget *m_plans = nullptr;
    QPushButton *m_activate = nullptr;
    QPushButton *m_reload = nullptr;
    ResultLabel *m_error = nullptr;
    DrRunView *m_view = nullptr;
};

} // namespace Shivx::Ui
