#pragma once

#include "audit/verify/verifyreport.h"
#include "audit/verifyrunner.h"
#include "core/result.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;

namespace Shivx::Ui {

// The Audit page's verification controls: Verify, Cancel, a progress bar, the last result in
// one line and "Export report…". Runs the injected VerifyRunner on a worker thread; each run
// has a generation number, so progress of an earlier run is never shown. Hidden while no
// runner is set. The destructor cancels and waits for a running verification.
class VerifyPanel : public QWidget
{
    Q_OBJECT
public:
    explicit VerifyPanel(QWidget *parent = nullptr);
    ~VerifyPanel() override;

    void setRunner(VerifyRunner runner);
    void start();
    void cancel();
    bool isRunning() const;

    bool hasReport() const { return m_hasReport; }
    VerifyReport report() const { return m_report; }
    // Writes the last report; the format follows the suffix (.pdf).
    Result<void> exportReport(const QString &path) const;

    QPushButton *verifyButton() const { return m_verifyButton; }
    QProgressBar *progressBar() const { return m_progress; }

Q_SIGNALS:
    // GUI thread: a run ended. Unless `cancelled`, report() is its report.
    void finished(bool cancelled);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslateUi();
    void onFinished();
    void exportInteractive();
    void showLastResult();

    QLabel *m_title = nullptr;
    QPushButton *m_verifyButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_exportButton = nullptr;

    VerifyRunner m_runner;
    quint64 m_generation = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
    QFutureWatcher<VerifyReport> m_watcher;
    VerifyReport m_report;
    bool m_hasReport = false;
};

} // namespace Shivx::Ui
