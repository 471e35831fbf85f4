#include "backup/backuppage.h"

#include "backup/backupcall.h"
#include "backup/backuphistorychart.h"
#include "backup/backuphistorymodel.h"
#include "backup/backupoperationspanel.h"
#include "backup/backupsetsmodel.h"
#include "backup/backupwording.h"
#include "backup/drplanspanel.h"
#include "backup/restorewizard.h"
#include "core/engine.h"
#include "core/operatoridentity.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/resultlabel.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QComboBox>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {

QTableView *makeTable(QAbstractItemModel *model, const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->setModel(model);
    TableActions::install(view);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->setWordWrap(false);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

} // namespace

BackupPage::BackupPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<BackupService>())
{
    // Service calls wait for the backup thread; two at a time is plenty for one page.
    m_pool.setMaxThreadCount(2);

    m_repoBox = new QGroupBox(this);
    m_repoLabel = new QLabel(m_repoBox);
    m_repoLabel->setObjectName(QStringLiteral("repositoryLabel"));
    m_repoLabel->setWordWrap(true);
    SelectableText::apply(m_repoLabel);
    m_problemLabel = new QLabel(m_repoBox);
    m_problemLabel->setObjectName(QStringLiteral("problemLabel"));
    m_problemLabel->setWordWrap(true);
    SelectableText::apply(m_problemLabel);
    m_typeCombo = new QComboBox(m_repoBox);
    m_typeCombo->setObjectName(QStringLiteral("backupType"));
    m_backupButton = new QPushButton(m_repoBox);
    m_backupButton->setObjectName(QStringLiteral("backupNowButton"));
    m_verifyCombo = new QComboBox(m_repoBox);
    m_verifyCombo->setObjectName(QStringLiteral("verifyMode"));
    m_verifyButton = new QPushButton(m_repoBox);
    m_verifyButton->setObjectName(QStringLiteral("verifyButton"));
    m_restoreButton = new QPushButton(m_repoBox);
    m_restoreButton->setObjectName(QStringLiteral("restoreButton"));
    m_drillButton = new QPushButton(m_repoBox);
    m_drillButton->setObjectName(QStringLiteral("drillButton"));
    m_result = new ResultLabel(m_repoBox);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_typeCombo);
    buttons->addWidget(m_backupButton);
    buttons->addSpacing(12);
    buttons->addWidget(m_verifyCombo);
    buttons->addWidget(m_verifyButton);
    buttons->addSpacing(12);
    buttons->addWidget(m_restoreButton);
    buttons->addWidget(m_drillButton);
    buttons->addStretch(1);
    auto *repoLayout = new QVBoxLayout(m_repoBox);
    repoLayout->addWidget(m_repoLabel);
    repoLayout->addWidget(m_problemLabel);
    repoLayout->addLayout(buttons);
    repoLayout->addWidget(m_result);
    connect(m_backupButton, &QPushButton::clicked, this,
        [this] { backupNow(selectedSet(), m_typeCombo->currentData().toString()); });
    connect(m_verifyButton, &QPushButton::clicked, this,
        [this] { verify(m_verifyCombo->currentIndex() == 0); });
    connect(m_restoreButton, &QPushButton::clicked, this, &BackupPage::openRestoreWizard);
    connect(m_drillButton, &QPushButton::clicked, this, [this] { drill(selectedSet()); });

    m_setsBox = new QGroupBox(this);
    m_setsModel = new BackupSetsModel(this);
    m_setsView = makeTable(m_setsModel, QStringLiteral("setsView"), m_setsBox);
    m_setsView->setColumnWidth(BackupSetsModel::NameColumn, 90);
    m_setsView->setColumnWidth(BackupSetsModel::ScheduleColumn, 110);
    m_setsView->setColumnWidth(BackupSetsModel::NextRunColumn, 140);
    m_setsView->setColumnWidth(BackupSetsModel::LastBackupColumn, 140);
    m_setsView->setColumnWidth(BackupSetsModel::SizeColumn, 80);
    m_setsView->setColumnWidth(BackupSetsModel::TypeColumn, 90);
    m_setsView->setColumnWidth(BackupSetsModel::DurationColumn, 70);
    m_setsView->setColumnWidth(BackupSetsModel::DedupColumn, 95);
    m_setsView->setColumnWidth(BackupSetsModel::VerifiedColumn, 180);
    auto *setsLayout = new QVBoxLayout(m_setsBox);
    setsLayout->addWidget(m_setsView);
    connect(m_setsView->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &BackupPage::updateButtons);

    m_operationsBox = new QGroupBox(this);
    m_operations = new BackupOperationsPanel(m_operationsBox);
    auto *opsLayout = new QVBoxLayout(m_operationsBox);
    opsLayout->addWidget(m_operations);
    connect(
        m_operations, &BackupOperationsPanel::cancelRequested, this, &BackupPage::cancelOperation);

    m_historyBox = new QGroupBox(this);
    m_historyModel = new BackupHistoryModel(this);
    m_historyView = makeTable(m_historyModel, QStringLiteral("historyView"), m_historyBox);
    m_historyView->setColumnWidth(BackupHistoryModel::StartedColumn, 140);
    m_historyView->setColumnWidth(BackupHistoryModel::KindColumn, 100);
    m_historyView->setColumnWidth(BackupHistoryModel::SetColumn, 70);
    m_historyView->setColumnWidth(BackupHistoryModel::TypeColumn, 90);
    m_historyView->setColumnWidth(BackupHistoryModel::StateColumn, 90);
    m_historyView->setColumnWidth(BackupHistoryModel::DurationColumn, 70);
    m_historyView->setColumnWidth(BackupHistoryModel::BytesColumn, 80);
    m_historyView->setColumnWidth(BackupHistoryModel::ActorColumn, 110);
    m_chart = new BackupHistoryChart(m_historyBox);
    m_chart->setObjectName(QStringLiteral("historyChart"));
    auto *split = new QSplitter(Qt::Horizontal, m_historyBox);
    split->addWidget(m_historyView);
    split->addWidget(m_chart);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto *historyLayout = new QVBoxLayout(m_historyBox);
    historyLayout->addWidget(split);

    // Backups and DR plans as two tabs: each needs the page's height for its tables.
    auto *backups = new QWidget(this);
    auto *backupsLayout = new QVBoxLayout(backups);
    backupsLayout->addWidget(m_repoBox);
    backupsLayout->addWidget(m_setsBox, 2);
    backupsLayout->addWidget(m_operationsBox);
    backupsLayout->addWidget(m_historyBox, 3);
    m_drPanel = new DrPlansPanel(m_service, &m_pool, this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("backupTabs"));
    m_tabs->addTab(backups, QString());
    m_tabs->addTab(m_drPanel, QString());
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    connect(m_service, &BackupService::operationChanged, this, &BackupPage::onOperation);
    connect(m_service, &BackupService::stateChanged, this, &BackupPage::applyState);
    connect(engine, &Engine::stateChanged, this, &BackupPage::refresh);
    retranslateUi();
    refresh();
}

BackupPage::~BackupPage()
{
    // Calls in flight hold the service; it must not go away under them.
    m_pool.waitForDone();
}

void BackupPage::changeEvent(QEvent *event)
{
    // The result line clears and re-colours itself (ResultLabel).
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void BackupPage::retranslateUi()
{
    m_repoBox->setTitle(tr("Repository"));
    const int type = qMax(0, m_typeCombo->currentIndex());
    m_typeCombo->clear();
    m_typeCombo->addItem(tr("Incremental"), QStringLiteral("incremental"));
    m_typeCombo->addItem(tr("Differential"), QStringLiteral("differential"));
    m_typeCombo->addItem(tr("Full"), QStringLiteral("full"));
    m_typeCombo->setCurrentIndex(type);
    m_typeCombo->setToolTip(tr("Incremental reads only files changed since the last snapshot; "
                               "differential since the last full one; full reads everything"));
    m_backupButton->setText(tr("&Back up now"));
    const int mode = qMax(0, m_verifyCombo->currentIndex());
    m_verifyCombo->clear();
    m_verifyCombo->addItem(tr("Quick (indexes and snapshots)"));
    m_verifyCombo->addItem(tr("Full (reads every pack)"));
    m_verifyCombo->setCurrentIndex(mode);
    m_verifyButton->setText(tr("V&erify"));
    m_restoreButton->setText(tr("&Restore…"));
    m_drillButton->setText(tr("Restore &drill"));
    m_drillButton->setToolTip(tr("Restores the selected set's newest snapshot into a scratch "
                                 "directory, compares it and records RTO and RPO"));
    m_setsBox->setTitle(tr("Backup sets"));
    m_operationsBox->setTitle(tr("Operations"));
    m_historyBox->setTitle(tr("History"));
    m_tabs->setTabText(0, tr("Backups"));
    m_tabs->setTabText(1, tr("DR plans"));
    m_drPanel->retranslate();
    m_setsModel->retranslate();
    m_historyModel->retranslate();
    m_operations->retranslate();
    m_chart->retranslate();
    applyState(m_state);
}

void BackupPage::refresh()
{
    applyState(m_service->state());
    reloadHistory();
    m_drPanel->reload();
}

void BackupPage::applyState(const BackupState &state)
{
    m_state = state;
    if (!state.running) {
        m_repoLabel->setText(tr("The engine is not running: backups are unavailable."));
    } else {
        QString verify = state.lastVerifyOk < 0
            ? tr("never verified")
            : (state.lastVerifyOk == 1 ? tr("last verified %1 (%2): no problems")
                                       : tr("last verified %1 (%2): PROBLEMS FOUND"))
                  .arg(DisplayFormat::dateTime(state.lastVerifyMs),
                      BackupWording::type(state.lastVerifyMode));
        m_repoLabel->setText(tr("Repository %1 — %2").arg(state.repository, verify));
    }
    m_problemLabel->setVisible(!state.problem.isEmpty());
    m_problemLabel->setText(tr("Operations cannot run: %1").arg(state.problem));
    m_problemLabel->setStyleSheet(
        QStringLiteral("color: %1; font-weight: bold;").arg(StatusColors::critical().name()));
    m_setsModel->setVerify(state.lastVerifyMs, state.lastVerifyOk, state.lastVerifyMode);
    m_setsModel->update(state.sets);
    if (!m_setsView->selectionModel()->hasSelection() && m_setsModel->rowCount() > 0)
        m_setsView->selectRow(0);
    m_operations->setOperations(state.operations, state.running);
    updateButtons();
}

void BackupPage::onOperation(const BackupOperation &op)
{
    m_operations->update(op);
    if (op.finished()) {
        m_result->showResult(op.state == QLatin1String("succeeded"), BackupWording::outcome(op));
        reloadHistory();
    }
}

void BackupPage::reloadHistory()
{
    if (m_historyLoading) {
        m_historyAgain = true;
        return;
    }
    m_historyLoading = true;
    BackupService *service = m_service;
    backupCall(
        &m_pool, this, [service] { return service->history(100, QString()); },
        [this](const Result<QList<BackupOperation>> &r) {
            m_historyLoading = false;
            if (r) {
                m_historyModel->setOperations(*r);
                m_chart->setOperations(*r);
            }
            if (m_historyAgain) {
                m_historyAgain = false;
                reloadHistory();
                return;
            }
            Q_EMIT historyLoaded();
        });
}

void BackupPage::updateButtons()
{
    const bool usable = m_state.running && m_state.problem.isEmpty();
    const bool set = usable && !selectedSet().isEmpty();
    m_backupButton->setEnabled(set);
    m_typeCombo->setEnabled(set);
    m_verifyButton->setEnabled(usable);
    m_verifyCombo->setEnabled(usable);
    m_restoreButton->setEnabled(usable && !m_state.sets.isEmpty());
    m_drillButton->setEnabled(set);
}

QString BackupPage::selectedSet() const
{
    const QModelIndexList rows = m_setsView->selectionModel()->selectedRows();
    if (!rows.isEmpty())
        return rows.first().data(BackupSetsModel::NameRole).toString();
    return m_setsModel->rowCount() > 0
        ? m_setsModel->index(0, 0).data(BackupSetsModel::NameRole).toString()
        : QString();
}

void BackupPage::command(
    std::function<Result<BackupOperation>(BackupService *, const QString &)> call, qint64 cancelId)
{
    BackupService *service = m_service;
    const QString actor = OperatorIdentity::actor(QStringLiteral("console"));
    backupCall(
        &m_pool, this, [service, actor, call] { return call(service, actor); },
        [this, cancelId](const Result<BackupOperation> &r) {
            if (!r) {
                m_result->showResult(false, EngineWording::error(r.error()));
                if (QPushButton *b = m_operations->cancelButton(cancelId))
                    b->setEnabled(true);
                Q_EMIT commandAnswered(false, BackupOperation {});
                return;
            }
            m_result->showResult(true, QString());
            // The operation's own signals may have come first: add() keeps what they showed.
            if (!r->finished())
                m_operations->add(*r);
            Q_EMIT commandAnswered(true, *r);
        });
}

void BackupPage::backupNow(const QString &set, const QString &type)
{
    command([set, type](BackupService *s, const QString &actor) {
        return s->backupNow(set, type, actor, QStringLiteral("manual"));
    });
}

void BackupPage::verify(bool quick)
{
    command([quick](BackupService *s, const QString &actor) { return s->verify(quick, actor); });
}

void BackupPage::drill(const QString &set)
{
    command([set](BackupService *s, const QString &actor) { return s->drill(set, actor); });
}

void BackupPage::restore(const BackupRestoreRequest &request)
{
    command(
        [request](BackupService *s, const QString &actor) { return s->restore(request, actor); });
}

void BackupPage::cancelOperation(qint64 id)
{
    command([id](BackupService *s, const QString &actor) { return s->cancel(id, actor); }, id);
}

void BackupPage::showTab(int index)
{
    m_tabs->setCurrentIndex(index);
}

RestoreWizard *BackupPage::openRestoreWizard()
{
    if (m_wizard) {
        m_wizard->raise();
        return m_wizard;
    }
    m_wizard = new RestoreWizard(m_service, &m_pool, selectedSet(), this);
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    RestoreWizard *wizard = m_wizard;
    connect(wizard, &QDialog::accepted, this, [this, wizard] { restore(wizard->request()); });
    wizard->open();
    return wizard;
}

} // namespace Shivx::Ui
