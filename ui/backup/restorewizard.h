#pragma once

#include "backup/backupservice.h"

#include <QHash>
#include <QWizard>

class QButtonGroup;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTableWidget;
class QThreadPool;
class QTreeWidget;

namespace Shivx::Ui {

class RestoreWizardPage;

// The Restore wizard: (1) which set and which point in time, the newest snapshot not after a
// time or one picked from the set's snapshots; (2) everything, a directory or one file, to
// the original place or into another directory; (3) a dry run of exactly that restore, its
// listed changes shown; Restore (Finish) is offered once the dry run succeeded, and request()
// is then what the page sends for the real restore. Service calls run on `pool`; the wizard
// follows the dry run through operationChanged. GUI thread; the service outlives the wizard.
class RestoreWizard : public QWizard
{
    Q_OBJECT
public:
    enum PageId { SourcePage, ScopePage, DryRunPage };

    RestoreWizard(
        BackupService *service, QThreadPool *pool, const QString &set, QWidget *parent = nullptr);

    // The restore the wizard describes (dryRun false).
    BackupRestoreRequest request() const;
    // The dry run's finished operation (id 0 until it ended).
    const BackupOperation &dryRun() const { return m_dryRunResult; }

Q_SIGNALS:
    void snapshotsLoaded(int count);
    void dryRunFinished(const Shivx::BackupOperation &operation);

protected:
    void initializePage(int id) override;

private:
    void buildSourcePage();
    void buildScopePage();
    void buildDryRunPage();
    void loadSnapshots();
    void startDryRun();
    void onOperation(const BackupOperation &operation);
    void showDryRun(const BackupOperation &operation);
    QString scopeProblem() const;

    BackupService *m_service;
    QThreadPool *m_pool;

    RestoreWizardPage *m_source = nullptr;
    QComboBox *m_set = nullptr;
    QRadioButton *m_atRadio = nullptr;
    QDateTimeEdit *m_at = nullptr;
    QRadioButton *m_snapshotRadio = nullptr;
    QTableWidget *m_snapshots = nullptr;
    QLabel *m_snapshotsNote = nullptr;

    RestoreWizardPage *m_scope = nullptr;
    QButtonGroup *m_what = nullptr;
    QLineEdit *m_path = nullptr;
    QRadioButton *m_originalRadio = nullptr;
    QRadioButton *m_otherRadio = nullptr;
    QLineEdit *m_target = nullptr;
    QPushButton *m_browse = nullptr;
    QLabel *m_scopeProblem = nullptr;

    RestoreWizardPage *m_dry = nullptr;
    QLabel *m_dryStatus = nullptr;
    QTreeWidget *m_changes = nullptr;
    qint64 m_dryRunId = 0;
    BackupOperation m_dryRunResult;
    // Operations that ended before their id came back from the backup thread.
    QHash<qint64, BackupOperation> m_finishedEarly;
};

} // namespace Shivx::Ui
