#include "recovery/recoverypage.h"
#include "core/operatoridentity.h"

#include "core/engine.h"
#include "recovery/breakersmodel.h"
#include "recovery/processespanel.h"
#include "recovery/recoveryservice.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLoggingCategory>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

Q_LOGGING_CATEGORY(lcRecoveryPage, "shivx.ui.recovery")

namespace Shivx::Ui {

namespace {
constexpr int RefreshIntervalMs = 1000;
}

RecoveryPage::RecoveryPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<RecoveryService>())
{
    m_model = new BreakersModel(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("breakersView"));
    m_view->setModel(m_model);
    TableActions::install(m_view);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->verticalHeader()->hide();
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setMinimumSectionSize(90);
    m_view->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_view->horizontalHeader()->setSectionResizeMode(
        BreakersModel::ReasonColumn, QHeaderView::Stretch);

    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("breakersSummary"));
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("recoveryMessage"));
    m_message->setWordWrap(true);
    SelectableText::apply(m_message);
    m_forceOpen = new QPushButton(this);
    m_forceOpen->setObjectName(QStringLiteral("forceOpenButton"));
    m_forceClosed = new QPushButton(this);
    m_forceClosed->setObjectName(QStringLiteral("forceClosedButton"));
    m_automatic = new QPushButton(this);
    m_automatic->setObjectName(QStringLiteral("automaticButton"));
    m_reload = new QPushButton(this);
    m_reload->setObjectName(QStringLiteral("reloadConfigurationButton"));

    auto *header = new QHBoxLayout;
    header->addWidget(m_summary, 1);
    header->addWidget(m_reload);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_forceOpen);
    actions->addWidget(m_forceClosed);
    actions->addWidget(m_automatic);
    actions->addWidget(m_message, 1);

    m_breakersBox = new QGroupBox(this);
    m_breakersBox->setObjectName(QStringLiteral("breakersBox"));
    auto *boxLayout = new QVBoxLayout(m_breakersBox);
    boxLayout->addLayout(header);
    boxLayout->addWidget(m_view, 1);
    boxLayout->addLayout(actions);

    m_splitter = new QSplitter(Qt::Vertical, this);
    m_splitter->setObjectName(QStringLiteral("recoverySplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(m_breakersBox);
    m_processes = new ProcessesPanel(engine, m_splitter);
    m_splitter->addWidget(m_processes);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_splitter);
    // Tab follows the reading order: the header's Reload button sits above the table but was
    // made after the table and the buttons below it.
    setTabOrder(m_reload, m_view);
    setTabOrder(m_view, m_forceOpen);
    setTabOrder(m_forceOpen, m_forceClosed);
    setTabOrder(m_forceClosed, m_automatic);

    connect(
        m_forceOpen, &QPushButton::clicked, this, [this] { forceSelected(BreakerForce::Open); });
    connect(m_forceClosed, &QPushButton::clicked, this,
        [this] { forceSelected(BreakerForce::Closed); });
    connect(
        m_automatic, &QPushButton::clicked, this, [this] { forceSelected(BreakerForce::Auto); });
    connect(m_reload, &QPushButton::clicked, this, &RecoveryPage::reloadConfiguration);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &RecoveryPage::updateButtons);
    // The selected breaker's force state shows in its row; the buttons follow it.
    connect(m_model, &QAbstractItemModel::dataChanged, this, &RecoveryPage::updateButtons);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &RecoveryPage::updateButtons);
    connect(m_service, &RecoveryService::breakersChanged, this, &RecoveryPage::refresh);
    connect(engine, &Engine::configurationReloaded, this, &RecoveryPage::refresh);

    m_refreshTimer = new QTimer(this);
    m_refreshTimer->setInterval(RefreshIntervalMs);
    connect(m_refreshTimer, &QTimer::timeout, this, &RecoveryPage::refresh);
    m_refreshTimer->start();

    retranslateUi();
    refresh();
}

QString RecoveryPage::actor()
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

void RecoveryPage::refresh()
{
    m_model->update(m_service->breakers());
    updateSummary();
}

QString RecoveryPage::selectedName() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    return rows.isEmpty() ? QString() : rows.constFirst().data(BreakersModel::NameRole).toString();
}

void RecoveryPage::forceSelected(BreakerForce force)
{
    const QString name = selectedName();
    if (name.isEmpty())
        return;
    const Result<BreakerSnapshot> result = m_service->forceBreaker(name, force, actor());
    if (!result) {
        showMessage(
            tr("Could not change breaker %1: %2").arg(name, EngineWording::error(result.error())),
            true);
    } else if (force == BreakerForce::Auto) {
        showMessage(tr("Breaker %1 is automatic again.").arg(name), false);
    } else {
        showMessage(force == BreakerForce::Open ? tr("Breaker %1 forced open.").arg(name)
                                                : tr("Breaker %1 forced closed.").arg(name),
            false);
    }
    refresh();
}

void RecoveryPage::reloadConfiguration()
{
    if (const Result<void> r = m_engine->reloadConfiguration(); !r) {
        qCWarning(lcRecoveryPage).noquote() << "configuration not reloaded:" << r.error().message;
        showMessage(tr("Configuration not reloaded; the running configuration stays active. %1")
                        .arg(EngineWording::error(r.error())),
            true);
        return;
    }
    showMessage(tr("Configuration reloaded from %1.").arg(m_engine->config().sourceFile), false);
    refresh();
}

void RecoveryPage::showMessage(const QString &text, bool error)
{
    m_message->setText(text);
    m_messageError = error;
    // Plain messages inherit the page's text colour, so that they follow a theme change.
    QPalette pal;
    if (error)
        pal.setColor(QPalette::WindowText, StatusColors::critical());
    m_message->setPalette(pal);
}

void RecoveryPage::updateButtons()
{
    const QString name = selectedName();
    const int row = m_model->rowOf(name);
    const bool selected = row >= 0;
    const BreakerForce force = selected ? m_model->breakers().at(row).force : BreakerForce::Auto;
    m_forceOpen->setEnabled(selected && force != BreakerForce::Open);
    m_forceClosed->setEnabled(selected && force != BreakerForce::Closed);
    m_automatic->setEnabled(selected && force != BreakerForce::Auto);
}

void RecoveryPage::updateSummary()
{
    const QList<BreakerSnapshot> &rows = m_model->breakers();
    int open = 0;
    for (const BreakerSnapshot &b : rows)
        open += b.state == BreakerState::Open ? 1 : 0;
    if (rows.isEmpty())
        m_summary->setText(tr("No circuit breakers: the configuration has no targets."));
    else
        m_summary->setText(tr("%n breaker(s)", nullptr, int(rows.size())) + QStringLiteral(", ")
            + tr("%n open", nullptr, open));
}

void RecoveryPage::retranslateUi()
{
    m_breakersBox->setTitle(tr("Circuit breakers"));
    m_forceOpen->setText(tr("Force &open"));
    m_forceOpen->setToolTip(
        tr("Reject every call to the selected target until set back to automatic"));
    m_forceClosed->setText(tr("Force c&losed"));
    m_forceClosed->setToolTip(tr("Let every call to the selected target through, whatever fails"));
    m_automatic->setText(tr("&Automatic"));
    m_automatic->setToolTip(tr("Let the breaker decide again, starting closed"));
    m_reload->setText(tr("&Reload configuration"));
    m_reload->setToolTip(tr("Read %1 again and apply its targets and recovery settings")
                             .arg(m_engine->config().sourceFile));
    m_model->retranslate();
    updateSummary();
    updateButtons();
}

void RecoveryPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    else if (event->type() == QEvent::PaletteChange) // status colours follow the Theme
        showMessage(m_message->text(), m_messageError);
    QWidget::changeEvent(event);
}

} // namespace Shivx::Ui
