#include "integrity/integritypage.h"

#include "core/engine.h"
#include "core/operatoridentity.h"
#include "integrity/integritydifferencesmodel.h"
#include "integrity/integrityrestorebutton.h"
#include "integrity/integrityservice.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/resultlabel.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QItemSelectionModel>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSet>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

IntegrityPage::IntegrityPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<IntegrityService>())
{
    m_statusBox = new QGroupBox(this);
    m_baselineLabel = new QLabel(m_statusBox);
    m_baselineLabel->setObjectName(QStringLiteral("baselineLabel"));
    m_baselineLabel->setWordWrap(true);
    SelectableText::apply(m_baselineLabel);
    m_lastCheckLabel = new QLabel(m_statusBox);
    m_lastCheckLabel->setObjectName(QStringLiteral("lastCheckLabel"));
    m_lastCheckLabel->setWordWrap(true);
    SelectableText::apply(m_lastCheckLabel);
    m_result = new ResultLabel(m_statusBox);
    m_fastButton = new QPushButton(m_statusBox);
    m_fastButton->setObjectName(QStringLiteral("fastCheckButton"));
    m_fullButton = new QPushButton(m_statusBox);
    m_fullButton->setObjectName(QStringLiteral("fullCheckButton"));
    m_initButton = new QPushButton(m_statusBox);
    m_initButton->setObjectName(QStringLiteral("initButton"));
    m_progressBar = new QProgressBar(m_statusBox);
    m_progressBar->setObjectName(QStringLiteral("checkProgress"));
    m_progressBar->setRange(0, 1000);
    m_progressLabel = new QLabel(m_statusBox);
    m_progressLabel->setObjectName(QStringLiteral("progressLabel"));
    m_cancelButton = new QPushButton(m_statusBox);
    m_cancelButton->setObjectName(QStringLiteral("cancelButton"));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_fastButton);
    buttons->addWidget(m_fullButton);
    buttons->addWidget(m_initButton);
    buttons->addStretch(1);
    auto *progress = new QHBoxLayout;
    progress->addWidget(m_progressBar, 1);
    progress->addWidget(m_progressLabel);
    progress->addWidget(m_cancelButton);
    auto *statusLayout = new QVBoxLayout(m_statusBox);
    statusLayout->addWidget(m_baselineLabel);
    statusLayout->addWidget(m_lastCheckLabel);
    statusLayout->addLayout(buttons);
    statusLayout->addLayout(progress);
    statusLayout->addWidget(m_result);
    connect(m_fastButton, &QPushButton::clicked, this, [this] { startCheck(IntegrityMode::Fast); });
    connect(m_fullButton, &QPushButton::clicked, this, [this] { startCheck(IntegrityMode::Full); });
    connect(m_initButton, &QPushButton::clicked, this, &IntegrityPage::askInit);
    connect(m_cancelButton, &QPushButton::clicked, this, &IntegrityPage::cancel);

    m_differencesBox = new QGroupBox(this);
    m_model = new IntegrityDifferencesModel(this);
    m_view = new QTableView(m_differencesBox);
    m_view->setObjectName(QStringLiteral("differencesView"));
    m_view->setModel(m_model);
    TableActions::install(m_view);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->setColumnWidth(IntegrityDifferencesModel::KindColumn, 90);
    m_view->setColumnWidth(IntegrityDifferencesModel::PathColumn, 320);
    m_view->setColumnWidth(IntegrityDifferencesModel::SetColumn, 70);
    m_view->setColumnWidth(IntegrityDifferencesModel::AttributesColumn, 200);
    m_view->setColumnWidth(IntegrityDifferencesModel::BeforeColumn, 300);
    m_acceptButton = new QPushButton(m_differencesBox);
    m_acceptButton->setObjectName(QStringLiteral("acceptButton"));
    m_acceptAllButton = new QPushButton(m_differencesBox);
    m_acceptAllButton->setObjectName(QStringLiteral("acceptAllButton"));
    m_restoreButton = new IntegrityRestoreButton(m_service, m_differencesBox);
    m_restoreButton->setSelection([this] {
        QList<IntegrityDifference> out;
        for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
            out.append(m_model->differences().value(i.row()));
        return out;
    });
    connect(m_restoreButton, &IntegrityRestoreButton::answered, this,
        [this](bool ok, const QString &text) {
            m_result->showResult(ok, text);
            refresh();
            Q_EMIT restoreAnswered(ok);
        });
    auto *acceptRow = new QHBoxLayout;
    acceptRow->addWidget(m_acceptButton);
    acceptRow->addWidget(m_acceptAllButton);
    acceptRow->addWidget(m_restoreButton);
    acceptRow->addStretch(1);
    auto *diffLayout = new QVBoxLayout(m_differencesBox);
    diffLayout->addWidget(m_view, 1);
    diffLayout->addLayout(acceptRow);
    connect(m_acceptButton, &QPushButton::clicked, this, &IntegrityPage::askAccept);
    connect(m_acceptAllButton, &QPushButton::clicked, this, [this] {
        m_view->clearSelection();
        askAccept();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &IntegrityPage::updateButtons);
    connect(&m_acceptWatcher, &QFutureWatcher<Result<IntegrityResult>>::finished, this,
        &IntegrityPage::onAccepted);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_statusBox);
    layout->addWidget(m_differencesBox, 1);

    connect(m_service, &IntegrityService::progressChanged, this, &IntegrityPage::updateProgress);
    connect(m_service, &IntegrityService::baselineChanged, this, &IntegrityPage::updateStatus);
    connect(m_service, &IntegrityService::differencesChanged, this, &IntegrityPage::refresh);
    connect(m_service, &IntegrityService::finished, this, [this](const IntegrityResult &r) {
        if (r.outcome == IntegrityResult::Outcome::Failed)
            m_result->showResult(false, EngineWording::error(r.error));
        else if (r.outcome == IntegrityResult::Outcome::Cancelled)
            m_result->showResult(false, EngineWording::error(r.error));
        else if (r.operation == QLatin1String("init"))
            m_result->showResult(
                true, tr("New baseline of %n file(s) recorded.", nullptr, int(r.filesChecked)));
        refresh();
    });
    connect(engine, &Engine::stateChanged, this, &IntegrityPage::updateButtons);
    retranslateUi();
    refresh();
}

IntegrityPage::~IntegrityPage()
{
    m_acceptWatcher.waitForFinished();
}

void IntegrityPage::changeEvent(QEvent *event)
{
    // The result line clears and re-colours itself (ResultLabel).
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void IntegrityPage::retranslateUi()
{
    m_statusBox->setTitle(tr("Baseline and checks"));
    m_fastButton->setText(tr("Fast &check"));
    m_fastButton->setToolTip(
        tr("Reads only files whose size, inode or change time differ from the baseline"));
    m_fullButton->setText(tr("F&ull check"));
    m_fullButton->setToolTip(tr("Reads and hashes every file"));
    m_initButton->setText(tr("New &baseline…"));
    m_cancelButton->setText(tr("Ca&ncel"));
    m_differencesBox->setTitle(tr("Differences from the baseline"));
    m_acceptButton->setText(tr("&Accept selected…"));
    m_acceptAllButton->setText(tr("Accept a&ll…"));
    m_model->retranslate();
    updateStatus();
    updateProgress(m_service->progress());
}

void IntegrityPage::refresh()
{
    const auto last = m_service->lastCheck();
    m_model->setDifferences(last ? last->differences : QList<IntegrityDifference>());
    updateStatus();
    updateProgress(m_service->progress());
}

void IntegrityPage::updateStatus()
{
    const IntegrityBaselineStatus b = m_service->baselineStatus();
    if (m_service->config().sets.isEmpty())
        m_baselineLabel->setText(
            tr("No path sets are configured (integrity.sets in the configuration file)."));
    else if (!b.exists && b.error.code != QLatin1String("integrity.baseline_missing"))
        m_baselineLabel->setText(tr("No baseline yet: record one with New baseline."));
    else if (!b.verified)
        m_baselineLabel->setText(
            tr("Baseline NOT verified: %1").arg(EngineWording::error(b.error)));
    else
        m_baselineLabel->setText(
            tr("Baseline: %n file(s), recorded %1, verified against the audit chain (SHA-256 %2…)",
                nullptr, int(b.files))
                .arg(DisplayFormat::dateTime(b.updatedMs), QString::fromLatin1(b.digest.left(16))));
    const QColor warn = StatusColors::critical();
    m_baselineLabel->setStyleSheet(b.exists && !b.verified
            ? QStringLiteral("color: %1; font-weight: bold;").arg(warn.name())
            : QString());
    const auto last = m_service->lastCheck();
    if (!last) {
        m_lastCheckLabel->setText(tr("Last check: none since the baseline was recorded."));
    } else {
        const QString mode = last->mode == IntegrityMode::Fast ? tr("fast") : tr("full");
        const QString when = DisplayFormat::dateTime(last->finishedMs);
        const QString counts = tr("%1 added, %2 removed, %3 changed")
                                   .arg(last->count(IntegrityDifference::Kind::Added))
                                   .arg(last->count(IntegrityDifference::Kind::Removed))
                                   .arg(last->count(IntegrityDifference::Kind::Changed));
        m_lastCheckLabel->setText(last->realtime
                ? tr("Real-time re-checks of critical files: %1").arg(counts)
                : tr("Last check: %1, %2 (%n file(s) read) — %3", nullptr, int(last->filesHashed))
                      .arg(when, mode, counts));
    }
    updateButtons();
}

void IntegrityPage::updateProgress(const IntegrityProgress &p)
{
    m_progress = p;
    const bool busy = p.running || m_service->isBusy();
    m_progressBar->setVisible(busy);
    m_progressLabel->setVisible(busy);
    m_cancelButton->setVisible(busy);
    if (busy) {
        const double done = p.bytesTotal > 0 ? double(p.bytesDone) / double(p.bytesTotal)
            : p.filesTotal > 0               ? double(p.filesDone) / double(p.filesTotal)
                                             : 0.0;
        m_progressBar->setValue(int(done * 1000));
        QString phase;
        if (p.phase == QLatin1String("verifying"))
            phase = tr("verifying the baseline");
        else if (p.phase == QLatin1String("walking"))
            phase = tr("listing files");
        else if (p.phase == QLatin1String("hashing"))
            phase = tr("reading %1 of %2")
                        .arg(DisplayFormat::bytes(quint64(p.bytesDone)),
                            DisplayFormat::bytes(quint64(p.bytesTotal)));
        else if (p.phase == QLatin1String("comparing"))
            phase = tr("comparing");
        else if (p.phase == QLatin1String("writing"))
            phase = tr("writing the baseline");
        else if (p.phase == QLatin1String("restoring"))
            phase = tr("restoring files from their snapshots");
        else
            phase = tr("starting");
        m_progressLabel->setText(p.etaMs >= 0 && p.phase == QLatin1String("hashing")
                ? tr("%1, about %2 left")
                      .arg(phase, DisplayFormat::duration(qMax<qint64>(1000, p.etaMs)))
                : phase);
    }
    updateButtons();
}

void IntegrityPage::updateButtons()
{
    const bool running = m_engine->state() == EngineState::Running;
    const bool configured = !m_service->config().sets.isEmpty();
    const bool busy = m_progress.running || m_service->isBusy() || m_acceptWatcher.isRunning()
        || m_restoreButton->isRunning();
    const bool baseline = m_service->baselineStatus().exists;
    m_fastButton->setEnabled(running && configured && baseline && !busy);
    m_fullButton->setEnabled(running && configured && baseline && !busy);
    m_initButton->setEnabled(running && configured && !busy);
    m_cancelButton->setEnabled(running && m_progress.running);
    m_acceptButton->setEnabled(running && !busy && m_view->selectionModel()->hasSelection());
    m_acceptAllButton->setEnabled(running && !busy && m_model->rowCount() > 0);
    m_restoreButton->setAvailable(running && !busy);
}

QString IntegrityPage::actor() const
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

void IntegrityPage::startCheck(IntegrityMode mode)
{
    const auto r = m_service->check(mode, actor());
    if (!r)
        m_result->showResult(false, EngineWording::error(r.error()));
    else
        m_result->showResult(true, QString());
    updateProgress(m_service->progress());
}

void IntegrityPage::startInit(const QString &reason)
{
    const auto r = m_service->init(actor(), reason);
    if (!r)
        m_result->showResult(false, EngineWording::error(r.error()));
    else
        m_result->showResult(true, QString());
    updateProgress(m_service->progress());
}

void IntegrityPage::cancel()
{
    const auto r = m_service->cancel(actor());
    if (!r)
        m_result->showResult(false, EngineWording::error(r.error()));
}

QStringList IntegrityPage::selectedPaths() const
{
    QStringList paths;
    for (const QModelIndex &i : m_view->selectionModel()->selectedRows())
        paths << i.data(IntegrityDifferencesModel::PathRole).toString();
    return paths;
}

void IntegrityPage::askAccept()
{
    const QStringList paths = selectedPaths();
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("acceptReasonDialog"));
    dialog.setWindowTitle(tr("Accept changes"));
    dialog.setLabelText(paths.isEmpty()
            ? tr("Accept all %n difference(s) into the baseline. Why are they legitimate? "
                 "(recorded in the audit chain)",
                nullptr, m_model->rowCount())
            : tr("Accept %n selected difference(s) into the baseline. Why are they legitimate? "
                 "(recorded in the audit chain)",
                nullptr, int(paths.size())));
    dialog.setOkButtonText(tr("Accept"));
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.textValue().trimmed().isEmpty()) {
        m_result->showResult(false, tr("An accept needs a reason: it goes into the audit chain."));
        return;
    }
    acceptPaths(paths, dialog.textValue().trimmed());
}

void IntegrityPage::askInit()
{
    QInputDialog dialog(this);
    dialog.setObjectName(QStringLiteral("initReasonDialog"));
    dialog.setWindowTitle(tr("New baseline"));
    dialog.setLabelText(
        tr("Record the current state of every set as the new baseline, replacing the old one. Why? "
           "(recorded in the audit chain)"));
    dialog.setOkButtonText(tr("Record baseline"));
    if (dialog.exec() != QDialog::Accepted)
        return;
    startInit(dialog.textValue().trimmed().isEmpty() ? QStringLiteral("console")
                                                     : dialog.textValue().trimmed());
}

void IntegrityPage::acceptPaths(const QStringList &paths, const QString &reason)
{
    IntegrityService *service = m_service;
    const QString who = actor();
    // Accept hashes the accepted files and writes the baseline: never on the GUI thread.
    m_acceptWatcher.setFuture(QtConcurrent::run(
        [service, paths, reason, who] { return service->accept(paths, reason, who); }));
    updateButtons();
}

void IntegrityPage::onAccepted()
{
    const Result<IntegrityResult> r = m_acceptWatcher.result();
    if (r)
        m_result->showResult(true,
            tr("%n change(s) accepted into the baseline.", nullptr, int(r->differences.size())));
    else
        m_result->showResult(false, EngineWording::error(r.error()));
    refresh();
    Q_EMIT acceptAnswered(r.ok());
}

} // namespace Shivx::Ui
