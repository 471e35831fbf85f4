#include "backup/drplanspanel.h"

#include "backup/backupcall.h"
#include "backup/dractivatedialog.h"
#include "backup/drrunview.h"
#include "core/operatoridentity.h"
#include "drreport.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/resultlabel.h"
#include "widgets/tableactions.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace Shivx::Ui {

using Reports::DrReport;

DrPlansPanel::DrPlansPanel(BackupService *service, QThreadPool *pool, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_pool(pool)
{
    m_intro = new QLabel(this);
    m_intro->setWordWrap(true);
    m_plans = new QTableWidget(0, 5, this);
    m_plans->setObjectName(QStringLiteral("drPlansView"));
    TableActions::install(m_plans);
    m_plans->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_plans->setSelectionMode(QAbstractItemView::SingleSelection);
    m_plans->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_plans->verticalHeader()->hide();
    m_plans->horizontalHeader()->setStretchLastSection(true);
    m_plans->setColumnWidth(NameColumn, 170);
    m_plans->setColumnWidth(StepsColumn, 60);
    m_plans->setColumnWidth(LastRunColumn, 260);
    m_plans->setColumnWidth(RecoveryColumn, 190);
    m_activate = new QPushButton(this);
    m_activate->setObjectName(QStringLiteral("drActivateButton"));
    m_reload = new QPushButton(this);
    m_reload->setObjectName(QStringLiteral("drReloadButton"));
    m_error = new ResultLabel(this);
    m_error->setObjectName(QStringLiteral("drError"));
    m_view = new DrRunView(this);
    m_view->setObjectName(QStringLiteral("drRunView"));

    connect(m_activate, &QPushButton::clicked, this, &DrPlansPanel::openActivateDialog);
    connect(m_reload, &QPushButton::clicked, this, &DrPlansPanel::reload);
    connect(m_plans, &QTableWidget::itemSelectionChanged, this, &DrPlansPanel::showPlans);
    connect(m_view, &DrRunView::abortRequested, this, &DrPlansPanel::abort);
    connect(m_view, &DrRunView::realRunRequested, this,
        [this](const QString &plan) { activate(plan, false); });
    connect(m_service, &BackupService::drRunChanged, this, &DrPlansPanel::onRun);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_activate);
    buttons->addWidget(m_reload);
    buttons->addStretch(1);
    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_intro);
    topLayout->addWidget(m_plans, 1);
    topLayout->addLayout(buttons);
    topLayout->addWidget(m_error);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(top);
    split->addWidget(m_view);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split);
    retranslate();
}

void DrPlansPanel::retranslate()
{
    m_intro->setText(tr("Disaster recovery plans run their steps in order, each audited. "
                        "Activate asks for the plan's name and can dry-run it first."));
    m_plans->setHorizontalHeaderLabels(
        { tr("Plan"), tr("Steps"), tr("Last run"), tr("Recovery time"), tr("Description") });
    m_activate->setText(tr("&Activate…"));
    m_reload->setText(tr("Re&load plans"));
    m_view->retranslate();
    showPlans();
}

void DrPlansPanel::reload()
{
    BackupService *service = m_service;
    backupCall(
        m_pool, this, [service] { return std::make_pair(service->drPlans(), service->drRuns()); },
        [this](const std::pair<Result<QList<DrPlan>>, QList<DrRun>> &r) {
            m_planList = r.first ? *r.first : QList<DrPlan>();
            m_loadError = r.first ? QString() : EngineWording::error(r.first.error());
            // Newest first: the first finished real run of a plan is its last one.
            for (auto it = r.second.crbegin(); it != r.second.crend(); ++it)
                onRun(*it);
            showError(m_loadError);
            showPlans();
            Q_EMIT plansLoaded();
        });
}

QString DrPlansPanel::selectedPlan() const
{
    const QList<QTableWidgetItem *> items = m_plans->selectedItems();
    return items.isEmpty() ? QString() : m_plans->item(items.first()->row(), NameColumn)->text();
}

void DrPlansPanel::showPlans()
{
    const QString selected = selectedPlan();
    const QSignalBlocker block(m_plans);
    m_plans->setRowCount(int(m_planList.size()));
    for (int row = 0; row < m_planList.size(); ++row) {
        const DrPlan &p = m_planList.at(row);
        const auto set = [this, row](int column, const QString &text) {
            QTableWidgetItem *item = m_plans->item(row, column);
            if (!item)
                m_plans->setItem(row, column, item = new QTableWidgetItem);
            item->setText(text);
            item->setToolTip(text);
        };
        set(NameColumn, p.name);
        set(StepsColumn, QString::number(p.steps.size()));
        const auto last = m_lastRun.constFind(p.name);
        set(LastRunColumn,
            last == m_lastRun.cend()
                ? tr("never")
                // An interrupted run never ended: when it started is what is known.
                : tr("%1, %2").arg(DisplayFormat::dateTime(
                                       last->finishedMs > 0 ? last->finishedMs : last->startedMs),
                    DrReport::state(last->state)));
        set(RecoveryColumn,
            last == m_lastRun.cend() || last->recoveryMs <= 0
                ? DisplayFormat::noValue()
                : DrReport::duration(last->recoveryMs));
        set(DescriptionColumn, p.description);
        if (p.name == selected)
            m_plans->selectRow(row);
    }
    if (m_plans->selectedItems().isEmpty() && m_plans->rowCount() > 0)
        m_plans->selectRow(0);
    const bool running = m_view->hasRun() && !m_view->run().finished();
    m_activate->setEnabled(!selectedPlan().isEmpty() && !running);
    m_activate->setToolTip(
        running ? tr("A DR run is in progress; one plan runs at a time") : QString());
}

void DrPlansPanel::showError(const QString &text)
{
    m_error->setVisible(!text.isEmpty());
    m_error->showResult(text.isEmpty(), text);
}

DrActivateDialog *DrPlansPanel::openActivateDialog()
{
    const QString plan = selectedPlan();
    if (plan.isEmpty())
        return nullptr;
    if (m_dialog)
        m_dialog->close();
    QStringList steps;
    for (const DrPlan &p : std::as_const(m_planList))
        if (p.name == plan)
            for (const DrStep &s : p.steps)
                steps << QStringLiteral("%1 (%2)").arg(s.name, DrReport::action(s.action));
    m_dialog = new DrActivateDialog(plan, steps, this);
    m_dialog->setAttribute(Qt::WA_DeleteOnClose);
    DrActivateDialog *dialog = m_dialog;
    connect(dialog, &QDialog::accepted, this, [this, dialog] {
        if (dialog->dryRunFirst())
            m_offerFor = dialog->plan();
        activate(dialog->plan(), dialog->dryRunFirst());
    });
    dialog->open();
    return dialog;
}

void DrPlansPanel::activate(const QString &plan, bool dryRun)
{
    BackupService *service = m_service;
    const QString actor = OperatorIdentity::actor(QStringLiteral("console"));
    const bool offer = dryRun && m_offerFor == plan;
    m_offerFor.clear();
    showError(QString());
    backupCall(
        m_pool, this,
        [service, plan, dryRun, actor] { return service->activateDr(plan, dryRun, actor); },
        [this, offer](const Result<DrRun> &r) {
            if (!r) {
                showError(EngineWording::error(r.error()));
                Q_EMIT commandAnswered(false, DrRun {});
                return;
            }
            if (offer)
                m_dryRunFirst = r->id;
            // The run's own signals may have come first and be newer than this answer.
            if (m_view->run().id != r->id)
                onRun(*r);
            else
                onRun(m_view->run());
            Q_EMIT commandAnswered(true, *r);
        });
}

void DrPlansPanel::abort(qint64 run)
{
    BackupService *service = m_service;
    const QString actor = OperatorIdentity::actor(QStringLiteral("console"));
    backupCall(
        m_pool, this, [service, run, actor] { return service->abortDr(run, actor); },
        [this](const Result<DrRun> &r) {
            if (!r) {
                showError(EngineWording::error(r.error()));
                // Refused (it had just ended, say): the view's state decides the button.
                m_view->setRun(m_view->run());
            }
            Q_EMIT commandAnswered(bool(r), r ? *r : DrRun {});
        });
}

void DrPlansPanel::onRun(const DrRun &run)
{
    const auto last = m_lastRun.constFind(run.plan);
    if (run.finished() && !run.dryRun && (last == m_lastRun.cend() || last->id < run.id))
        m_lastRun.insert(run.plan, run);
    if (run.id < m_view->run().id) {
        showPlans();
        return; // an older run's late update: the view shows the newest
    }
    if (run.id != m_view->run().id) {
        // The last real run's length is the ETA's guess; a dry run changes nothing and is far
        // quicker than the real one, so it gets the extrapolation instead.
        const auto previous = m_lastRun.constFind(run.plan);
        m_view->setExpectedMs(
            !run.dryRun && previous != m_lastRun.cend() ? previous->recoveryMs : 0);
    }
    m_view->setRun(run);
    if (run.finished() && run.id == m_dryRunFirst && run.state == QLatin1String("succeeded"))
        m_view->setOfferRealRun(true);
    showPlans();
}

} // namespace Shivx::Ui
