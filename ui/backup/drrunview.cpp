#include "backup/drrunview.h"

#include "drreport.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"

#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QStandardPaths>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace Shivx::Ui {

using Reports::DrReport;

namespace {

enum Column { StepColumn, ActionColumn, StateColumn, DurationColumn, MessageColumn };

} // namespace

DrRunView::DrRunView(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("drRunTitle"));
    m_title->setWordWrap(true);
    m_bar = new QProgressBar(this);
    m_bar->setObjectName(QStringLiteral("drRunProgress"));
    m_progress = new QLabel(this);
    m_progress->setObjectName(QStringLiteral("drRunDetail"));
    m_progress->setMinimumWidth(280);
    m_abort = new QPushButton(this);
    m_abort->setObjectName(QStringLiteral("drAbortButton"));
    m_realRun = new QPushButton(this);
    m_realRun->setObjectName(QStringLiteral("drRealRunButton"));
    m_export = new QPushButton(this);
    m_export->setObjectName(QStringLiteral("drExportButton"));
    connect(m_abort, &QPushButton::clicked, this, [this] {
        m_abort->setEnabled(false); // until the run ends (or the abort is refused)
        Q_EMIT abortRequested(m_run.id);
    });
    connect(m_realRun, &QPushButton::clicked, this, [this] {
        setOfferRealRun(false);
        Q_EMIT realRunRequested(m_run.plan);
    });
    connect(m_export, &QPushButton::clicked, this, &DrRunView::chooseExportFile);

    m_steps = new QTreeWidget(this);
    m_steps->setObjectName(QStringLiteral("drSteps"));
    m_steps->setRootIsDecorated(false);
    m_steps->setColumnCount(5);
    m_steps->header()->resizeSection(StepColumn, 170);
    m_steps->header()->resizeSection(ActionColumn, 120);
    m_steps->header()->resizeSection(StateColumn, 100);
    m_steps->header()->resizeSection(DurationColumn, 80);
    m_log = new QPlainTextEdit(this);
    m_log->setObjectName(QStringLiteral("drLog"));
    m_log->setReadOnly(true);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report = new QLabel(this);
    m_report->setObjectName(QStringLiteral("drReport"));
    m_report->setWordWrap(true);
    SelectableText::apply(m_report);

    auto *line = new QHBoxLayout;
    line->addWidget(m_bar, 1);
    line->addWidget(m_progress);
    line->addWidget(m_abort);
    line->addWidget(m_realRun);
    line->addWidget(m_export);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_steps);
    split->addWidget(m_log);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addLayout(line);
    layout->addWidget(split, 1);
    layout->addWidget(m_report);

    // The running step's duration, the elapsed time and the ETA move on between the run's
    // updates.
    m_clock = new QTimer(this);
    m_clock->setInterval(1000);
    connect(m_clock, &QTimer::timeout, this, &DrRunView::showRun);
    retranslate();
}

void DrRunView::retranslate()
{
    m_abort->setText(tr("Ab&ort"));
    m_abort->setToolTip(tr("Stops the running step (cancels its operation, kills its command) "
                           "and ends the run; nothing is rolled back"));
    m_realRun->setText(tr("Ac&tivate for real"));
    m_export->setText(tr("E&xport PDF…"));
    m_steps->setHeaderLabels(
        { tr("Step"), tr("Action"), tr("State"), tr("Duration"), tr("Outcome") });
    showRun();
}

void DrRunView::setOfferRealRun(bool offer)
{
    m_offerRealRun = offer;
    showRun();
}

void DrRunView::setRun(const DrRun &run)
{
    if (run.id != m_run.id)
        m_offerRealRun = false;
    m_run = run;
    showRun();
}

void DrRunView::showRun()
{
    const DrRun &r = m_run;
    if (!hasRun()) {
        m_title->setText(tr("No DR plan has run since the engine started. Select a plan and "
                            "click Activate."));
        m_bar->setValue(0);
        m_progress->clear();
        m_abort->setEnabled(false);
        m_export->setEnabled(false);
        m_realRun->hide();
        m_report->hide();
        return;
    }
    m_title->setText(
        (r.dryRun ? tr("Run %1 of plan %2 (dry run): %3") : tr("Run %1 of plan %2: %3"))
            .arg(r.id)
            .arg(r.plan, DrReport::state(r.state)));
    m_title->setStyleSheet(r.state == QLatin1String("running")
            ? QString()
            : QStringLiteral("font-weight: bold; color: %1;")
                  .arg((r.state == QLatin1String("succeeded") ? StatusColors::ok()
                                                              : StatusColors::critical())
                           .name()));
    while (m_steps->topLevelItemCount() > r.steps.size())
        delete m_steps->takeTopLevelItem(m_steps->topLevelItemCount() - 1);
    QString log;
    for (int i = 0; i < r.steps.size(); ++i) {
        const DrStepRun &s = r.steps.at(i);
        QTreeWidgetItem *item = m_steps->topLevelItem(i);
        if (!item)
            item = new QTreeWidgetItem(m_steps);
        item->setText(StepColumn, QStringLiteral("%1. %2").arg(i + 1).arg(s.name));
        item->setText(ActionColumn, DrReport::action(s.action));
        item->setToolTip(ActionColumn, s.action);
        item->setText(StateColumn, DrReport::state(s.state));
        item->setForeground(StateColumn,
            s.state == QLatin1String("succeeded")
                ? StatusColors::ok()
                : (s.state == QLatin1String("failed") || s.state == QLatin1String("rolled_back")
                            || s.state == QLatin1String("interrupted")
                        ? StatusColors::critical()
                        : palette().color(QPalette::Text)));
        const qint64 end = s.finishedMs > 0
            ? s.finishedMs
            : (s.state == QLatin1String("running") ? QDateTime::currentMSecsSinceEpoch() : 0);
        item->setText(DurationColumn,
            s.startedMs > 0 && end >= s.startedMs ? DrReport::duration(end - s.startedMs)
                                                  : QString());
        const QString message = EngineWording::message(s.message);
        item->setText(MessageColumn, message);
        item->setToolTip(MessageColumn, message);
        for (const QString &l : s.log)
            log += QStringLiteral("[%1] %2\n").arg(s.name, l);
    }
    if (log != m_log->toPlainText()) {
        m_log->setPlainText(log);
        m_log->verticalScrollBar()->setValue(m_log->verticalScrollBar()->maximum());
    }
    const bool running = !r.finished();
    m_abort->setEnabled(running);
    m_abort->setVisible(running);
    m_export->setEnabled(!running);
    m_realRun->setVisible(
        !running && m_offerRealRun && r.dryRun && r.state == QLatin1String("succeeded"));
    m_report->setVisible(!running);
    if (!running)
        m_report->setText(tr("Measured recovery time: %1. %2")
                              .arg(DrReport::duration(r.recoveryMs), DrReport::auditReference(r)));
    if (running && !m_clock->isActive())
        m_clock->start();
    else if (!running)
        m_clock->stop();
    showProgress();
}

void DrRunView::showProgress()
{
    const DrRun &r = m_run;
    if (!hasRun())
        return;
    const int total = qMax(1, int(r.steps.size()));
    int done = 0;
    for (const DrStepRun &s : r.steps)
        done += s.state != QLatin1String("pending") && s.state != QLatin1String("running");
    m_bar->setRange(0, total);
    m_bar->setValue(r.finished() ? total : done);
    if (r.finished()) {
        const auto ok = std::count_if(r.steps.cbegin(), r.steps.cend(),
            [](const DrStepRun &s) { return s.state == QLatin1String("succeeded"); });
        m_progress->setText(tr("%1 of %2 steps succeeded in %3")
                                .arg(ok)
                                .arg(r.steps.size())
                                .arg(DrReport::duration(r.recoveryMs)));
        return;
    }
    const qint64 elapsed = qMax<qint64>(0, QDateTime::currentMSecsSinceEpoch() - r.startedMs);
    // The last run of this plan is the best guess; without one, the steps so far tell the pace
    // (rough: a restore step takes far longer than a notify, so it is only a hint).
    qint64 eta = -1;
    if (m_expectedMs > 0)
        eta = qMax<qint64>(0, m_expectedMs - elapsed);
    else if (done > 0)
        eta = elapsed * (total - done) / done;
    m_progress->setText(eta < 0
            ? tr("%1 of %2 steps, %3 elapsed, ETA unknown")
                  .arg(done)
                  .arg(total)
                  .arg(DisplayFormat::duration(elapsed))
            : tr("%1 of %2 steps, %3 elapsed, ETA %4")
                  .arg(done)
                  .arg(total)
                  .arg(DisplayFormat::duration(elapsed), DisplayFormat::duration(eta)));
}

Result<void> DrRunView::exportPdf(const QString &path) const
{
    if (!hasRun() || !m_run.finished())
        return makeError("dr.running", tr("the report is ready once the run has ended"));
    return DrReport::writePdf(m_run, path, &EngineWording::message);
}

void DrRunView::chooseExportFile()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getSaveFileName(this, tr("Export DR report"),
        QDir(dir).filePath(QStringLiteral("dr-%1-run-%2.pdf").arg(m_run.plan).arg(m_run.id)),
        tr("PDF document (*.pdf)"));
    if (path.isEmpty())
        return;
    const auto written = exportPdf(path);
    m_report->setText(m_report->text() + QLatin1Char('\n')
        + (written ? tr("Report written to %1").arg(QDir::toNativeSeparators(path))
                   : tr("Could not write the report: %1").arg(written.error().message)));
}

} // namespace Shivx::Ui
