#include "audit/verifypanel.h"
#include "audit/verify/verifyreportjson.h"

#include "verifyreportpdf.h"
#include "verifywording.h"
#include "widgets/displayformat.h"
#include "widgets/selectabletext.h"

#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStandardPaths>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

namespace Shivx::Ui {

VerifyPanel::VerifyPanel(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_verifyButton = new QPushButton(this);
    m_verifyButton->setObjectName(QStringLiteral("verifyButton"));
    m_cancelButton = new QPushButton(this);
    m_cancelButton->setObjectName(QStringLiteral("cancelVerifyButton"));
    m_cancelButton->setVisible(false);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("verifyProgress"));
    m_progress->setRange(0, 1000);
    m_progress->setVisible(false);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("verifyStatus"));
    m_status->setWordWrap(true);
    SelectableText::apply(m_status);
    m_exportButton = new QPushButton(this);
    m_exportButton->setObjectName(QStringLiteral("exportReportButton"));
    m_exportButton->setEnabled(false);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_verifyButton, 1);
    buttons->addWidget(m_cancelButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 8, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(buttons);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(m_exportButton);

    connect(m_verifyButton, &QPushButton::clicked, this, &VerifyPanel::start);
    connect(m_cancelButton, &QPushButton::clicked, this, &VerifyPanel::cancel);
    connect(m_exportButton, &QPushButton::clicked, this, &VerifyPanel::exportInteractive);
    connect(&m_watcher, &QFutureWatcher<VerifyReport>::finished, this, &VerifyPanel::onFinished);
    retranslateUi();
    setVisible(false);
}

VerifyPanel::~VerifyPanel()
{
    // The worker's progress posts go to this object; waiting keeps them from outliving it.
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.disconnect(this);
    m_watcher.waitForFinished();
}

void VerifyPanel::setRunner(VerifyRunner runner)
{
    m_runner = std::move(runner);
    setVisible(bool(m_runner));
}

void VerifyPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void VerifyPanel::retranslateUi()
{
    m_title->setText(tr("Verification"));
    m_verifyButton->setText(tr("Verify &all streams"));
    m_verifyButton->setToolTip(
        tr("Recompute every entry's hash and link and check the signed checkpoints"));
    m_cancelButton->setText(tr("&Cancel"));
    m_exportButton->setText(tr("&Export report…"));
    if (m_hasReport && !isRunning())
        showLastResult();
}

void VerifyPanel::showLastResult()
{
    m_status->setText(tr("Last verified %1: %2")
                          .arg(DisplayFormat::dateTime(m_report.finishedAtMs),
                              Reports::VerifyWording::verdict(m_report.verdict)));
}

bool VerifyPanel::isRunning() const
{
    return m_watcher.isRunning();
}

void VerifyPanel::start()
{
    if (!m_runner || isRunning())
        return;
    const quint64 generation = ++m_generation;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const auto cancelFlag = m_cancel;
    const VerifyRunner runner = m_runner;
    m_verifyButton->setEnabled(false);
    m_cancelButton->setVisible(true);
    m_cancelButton->setEnabled(true);
    m_progress->setValue(0);
    m_progress->setVisible(true);
    m_status->setText(tr("Verifying…"));
    auto lastPermille = std::make_shared<std::atomic_int>(-1);
    // Runs on the worker: posts at most once per 0.1 % to this panel, which waits for the
    // worker in its destructor.
    VerifyProgress progress = [this, generation, lastPermille](qint64 done, qint64 total) {
        const int permille = total > 0 ? int(std::clamp<qint64>(done * 1000 / total, 0, 1000)) : 0;
        if (lastPermille->exchange(permille) == permille)
            return;
        QMetaObject::invokeMethod(
            this,
            [this, generation, permille] {
                if (generation == m_generation && isRunning())
                    m_progress->setValue(permille);
            },
            Qt::QueuedConnection);
    };
    m_watcher.setFuture(QtConcurrent::run(
        [runner, progress, cancelFlag] { return runner(progress, cancelFlag.get()); }));
}

void VerifyPanel::cancel()
{
    if (!m_cancel)
        return;
    m_cancel->store(true);
    m_cancelButton->setEnabled(false);
    m_status->setText(tr("Cancelling…"));
}

void VerifyPanel::onFinished()
{
    const bool cancelled = m_cancel && m_cancel->load();
    m_cancel.reset();
    m_verifyButton->setEnabled(true);
    m_cancelButton->setVisible(false);
    m_progress->setVisible(false);
    if (cancelled) {
        m_status->setText(tr("Cancelled."));
    } else {
        m_report = m_watcher.result();
        m_hasReport = true;
        m_exportButton->setEnabled(true);
        showLastResult();
    }
    Q_EMIT finished(cancelled);
}

Result<void> VerifyPanel::exportReport(const QString &path) const
{
    if (!m_hasReport)
        return makeError("report.none", tr("There is no verification to report yet."));
    if (path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive))
        return VerifyReportJson::writeFile(m_report, path);
    if (!path.endsWith(QLatin1String(".pdf"), Qt::CaseInsensitive))
        return makeError(
            "report.format", tr("%1: the report can be written as .pdf or .json").arg(path));
    return Reports::writeVerifyReportPdf(m_report, path);
}

void VerifyPanel::exportInteractive()
{
    const QString stamp = QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export verification report"),
        QDir(dir).filePath(QStringLiteral("audit-verification-%1.pdf").arg(stamp)),
        tr("PDF document (*.pdf);;JSON report (*.json)"));
    if (path.isEmpty())
        return;
    const auto written = exportReport(path);
    m_status->setText(written ? tr("Report written to %1").arg(QDir::toNativeSeparators(path))
                              : tr("Could not write the report: %1").arg(written.error().message));
}

} // namespace Shivx::Ui
