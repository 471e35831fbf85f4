#include "integrity/integrityrestorebutton.h"

#include "core/operatoridentity.h"
#include "integrity/integrityservice.h"
#include "widgets/enginewording.h"

#include <QEvent>
#include <QInputDialog>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

IntegrityRestoreButton::IntegrityRestoreButton(IntegrityService *service, QWidget *parent)
    : QPushButton(parent)
    , m_service(service)
{
    setObjectName(QStringLiteral("restoreButton"));
    setText(tr("&Restore selected…"));
    setToolTip(tr("Puts the selected files back as the baseline recorded them, from their safe "
                  "snapshots (sets with protect: restore), verified by SHA-256"));
    connect(this, &QPushButton::clicked, this, &IntegrityRestoreButton::ask);
    connect(&m_watcher, &QFutureWatcher<Result<IntegrityResult>>::finished, this,
        &IntegrityRestoreButton::onFinished);
}

IntegrityRestoreButton::~IntegrityRestoreButton()
{
    m_watcher.waitForFinished();
}

void IntegrityRestoreButton::setSelection(std::function<QList<IntegrityDifference>()> selection)
{
    m_selection = std::move(selection);
}

QStringList IntegrityRestoreButton::restorablePaths() const
{
    QStringList paths;
    if (m_selection)
        for (const IntegrityDifference &d : m_selection())
            if (isRestorable(d))
                paths.append(d.path);
    return paths;
}

void IntegrityRestoreButton::setAvailable(bool engineIdle)
{
    setEnabled(engineIdle && !isRunning() && !restorablePaths().isEmpty());
}

void IntegrityRestoreButton::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        setText(tr("&Restore selected…"));
        setToolTip(tr("Puts the selected files back as the baseline recorded them, from their "
                      "safe snapshots (sets with protect: restore), verified by SHA-256"));
    }
    QPushButton::changeEvent(event);
}

void IntegrityRestoreButton::ask()
{
    const QStringList paths = restorablePaths();
    if (paths.isEmpty())
        return;
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("restoreReasonDialog"));
    dialog.setWindowTitle(tr("Restore files"));
    dialog.setLabelText(
        tr("Restore %n file(s) from their safe snapshots, replacing what is there now. Why? "
           "(recorded in the audit chain)",
            nullptr, int(paths.size())));
    dialog.setOkButtonText(tr("Restore"));
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.textValue().trimmed().isEmpty()) {
        Q_EMIT answered(false, tr("A restore needs a reason: it goes into the audit chain."));
        return;
    }
    restorePaths(paths, dialog.textValue().trimmed());
}

void IntegrityRestoreButton::restorePaths(const QStringList &paths, const QString &reason)
{
    IntegrityService *service = m_service;
    const QString who = OperatorIdentity::actor(QStringLiteral("console"));
    // A restore reads the store, writes files and the baseline: never on the GUI thread.
    m_watcher.setFuture(QtConcurrent::run(
        [service, paths, reason, who] { return service->restore(paths, reason, who); }));
    setEnabled(false);
}

void IntegrityRestoreButton::onFinished()
{
    const Result<IntegrityResult> r = m_watcher.result();
    if (r)
        Q_EMIT answered(true,
            tr("%n file(s) restored and verified by SHA-256.", nullptr,
                int(r->differences.size())));
    else
        Q_EMIT answered(false, EngineWording::error(r.error()));
}

} // namespace Shivx::Ui
