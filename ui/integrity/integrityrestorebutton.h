#pragma once

#include "core/result.h"
#include "integrity/integritysnapshot.h"

#include <QFutureWatcher>
#include <QPushButton>

namespace Shivx {
class IntegrityService;
}

namespace Shivx::Ui {

// "Restore selected…" under the Integrity page's differences: asks for the reason (it goes
// into the audit chain) and restores the selected files from their safe snapshots off the GUI
// thread (IntegrityService::restore). Enabled by the page (setAvailable) when the engine runs
// idle and a selected difference can be restored (isRestorable: changed or removed, with a
// snapshot, so its set is `protect: restore`). The service must outlive the button.
class IntegrityRestoreButton : public QPushButton
{
    Q_OBJECT
public:
    IntegrityRestoreButton(IntegrityService *service, QWidget *parent = nullptr);
    ~IntegrityRestoreButton() override; // waits for a running restore

    // The selection it would restore, asked for at each click.
    void setSelection(std::function<QList<IntegrityDifference>()> selection);
    void setAvailable(bool engineIdle);
    bool isRunning() const { return m_watcher.isRunning(); }

    // Restores `paths` with `reason` (what the dialog's OK does; for the tests too).
    void restorePaths(const QStringList &paths, const QString &reason);

Q_SIGNALS:
    // A restore's answer, worded for the page's result line.
    void answered(bool ok, const QString &text);

protected:
    void changeEvent(QEvent *event) override;

private:
    void ask();
    void onFinished();
    QStringList restorablePaths() const;

    IntegrityService *m_service;
    std::function<QList<IntegrityDifference>()> m_selection;
    QFutureWatcher<Result<IntegrityResult>> m_watcher;
};

} // namespace Shivx::Ui
