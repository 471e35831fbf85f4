#pragma once

#include "core/result.h"
#include "integrity/integritysnapshot.h"

#include <QFutureWatcher>
#include <QWidget>

class QGroupBox;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;

namespace Shivx {
class Engine;
class IntegrityService;
} // namespace Shivx

namespace Shivx::Ui {

class ResultLabel;
class IntegrityDifferencesModel;
class IntegrityRestoreButton;

// File integrity: the baseline's state, the last check (mode, when, what it found), the
// differences with what changed in each, and the operator's commands: check now (fast or
// full), accept the selected differences (or all) or restore them from their safe snapshots
// with a reason, record a new baseline, and
// a progress bar with the ETA and Cancel while an operation runs. Follows the
// IntegrityService's signals; the engine must outlive the page.
class IntegrityPage : public QWidget
{
    Q_OBJECT
public:
    IntegrityPage(Engine *engine, QWidget *parent = nullptr);
    ~IntegrityPage() override;

    // Reads the service's state again (F5).
    void refresh();

    // The commands behind the buttons, for the dialogs and the tests.
    void startCheck(IntegrityMode mode);
    void startInit(const QString &reason);
    // Accepts `paths` (every difference when empty) with `reason`, off the GUI thread.
    void acceptPaths(const QStringList &paths, const QString &reason);
    void cancel();

    IntegrityDifferencesModel *differencesModel() const { return m_model; }
    QTableView *differencesView() const { return m_view; }
    IntegrityRestoreButton *restoreButton() const { return m_restoreButton; }

Q_SIGNALS:
    // An accept's answer was shown.
    void acceptAnswered(bool ok);
    // A restore's answer was shown.
    void restoreAnswered(bool ok);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void updateStatus();
    void updateProgress(const IntegrityProgress &progress);
    void updateButtons();
    void askAccept();
    void askInit();
    void onAccepted();
    QString actor() const;
    QStringList selectedPaths() const;

    Engine *m_engine;
    IntegrityService *m_service;
    IntegrityProgress m_progress;

    QGroupBox *m_statusBox = nullptr;
    QLabel *m_baselineLabel = nullptr;
    QLabel *m_lastCheckLabel = nullptr;
    ResultLabel *m_result = nullptr;
    QPushButton *m_fastButton = nullptr;
    QPushButton *m_fullButton = nullptr;
    QPushButton *m_initButton = nullptr;
    QProgressBar *m_progressBar = nullptr;
    QLabel *m_progressLabel = nullptr;
    QPushButton *m_cancelButton = nullptr;

    QGroupBox *m_differencesBox = nullptr;
    IntegrityDifferencesModel *m_model = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_acceptButton = nullptr;
    QPushButton *m_acceptAllButton = nullptr;
    IntegrityRestoreButton *m_restoreButton = nullptr;
    QFutureWatcher<Result<IntegrityResult>> m_acceptWatcher;
};

} // namespace Shivx::Ui
