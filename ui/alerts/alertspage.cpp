#include "alerts/alertspage.h"

#include "alerting/alertingconfig.h"
#include "alerting/alertingservice.h"
#include "alerts/alerthistorymodel.h"
#include "alerts/alerthistorypanel.h"
#include "alerts/alertsmodel.h"
#include "alerts/ruleeditor.h"
#include "alerts/silencedialog.h"
#include "alerts/silencespanel.h"
#include "core/engine.h"
#include "core/operatoridentity.h"
#include "degradation/degradationlevel.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"
#include "widgets/tableactions.h"

#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

namespace Shivx::Ui {

AlertsPage::AlertsPage(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
    , m_service(engine->service<AlertingService>())
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("alertsSummary"));
    QFont big = m_summary->font();
    big.setPointSizeF(big.pointSizeF() * 1.4);
    big.setBold(true);
    m_summary->setFont(big);
    m_forecast = new QLabel(this);
    m_forecast->setObjectName(QStringLiteral("alertsForecast"));
    m_forecast->setWordWrap(true);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("alertsTabs"));
    const char *names[] = { "firingTable", "pendingTable", "silencedTable" };
    for (int i = 0; i < 3; ++i) {
        m_models[i] = new AlertsModel(this);
        m_tables[i] = makeAlertTable(m_models[i], QLatin1String(names[i]));
    }
    m_tabs->addTab(m_tables[FiringTab], QString());
    m_tabs->addTab(m_tables[PendingTab], QString());

    // Silenced: the alerts, then the silences that hold them (and any that match nothing yet).
    auto *silencedTab = new QWidget(m_tabs);
    m_silences = new SilencesPanel(silencedTab);
    auto *silencedLayout = new QVBoxLayout(silencedTab);
    silencedLayout->setContentsMargins(0, 0, 0, 0);
    silencedLayout->addWidget(m_tables[SilencedTab], 3);
    silencedLayout->addWidget(m_silences, 2);
    m_tabs->addTab(silencedTab, QString());
    connect(m_silences, &SilencesPanel::expireRequested, this, &AlertsPage::expireSilence);

    m_history = new AlertHistoryPanel(m_service, m_tabs);
    m_tabs->addTab(m_history, QString());
    connect(m_history, &AlertHistoryPanel::loaded, this, &AlertsPage::historyLoaded);

    m_ruleEditor = new RuleEditor(engine, m_tabs);
    m_tabs->addTab(m_ruleEditor, QString());
    connect(m_ruleEditor, &RuleEditor::saved, this, &AlertsPage::updateRuleNames);

    m_ackButton = new QPushButton(this);
    m_ackButton->setObjectName(QStringLiteral("acknowledgeButton"));
    m_silenceButton = new QPushButton(this);
    m_silenceButton->setObjectName(QStringLiteral("silenceButton"));
    m_actionStatus = new QLabel(this);
    m_actionStatus->setObjectName(QStringLiteral("alertsActionStatus"));
    m_actionStatus->setWordWrap(true);
    SelectableText::apply(m_actionStatus);
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_ackButton);
    actions->addWidget(m_silenceButton);
    actions->addWidget(m_actionStatus, 1);
    connect(m_ackButton, &QPushButton::clicked, this, &AlertsPage::acknowledgeSelected);
    connect(m_silenceButton, &QPushButton::clicked, this, &AlertsPage::silenceSelected);
    connect(m_tabs, &QTabWidget::currentChanged, this, &AlertsPage::updateButtons);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_forecast);
    layout->addWidget(m_tabs, 1);
    layout->addLayout(actions);

    if (m_service) {
        connect(m_service, &AlertingService::changed, this, &AlertsPage::setSnapshot);
        connect(m_service, &AlertingService::transitioned, this, [this] {
            if (m_history->loadedOnce())
                m_history->reload();
        });
        m_snapshot = m_service->snapshot();
    }
    updateRuleNames();
    retranslateUi();
    setSnapshot(m_snapshot);
}

AlertsPage::~AlertsPage() = default;

QTableView *AlertsPage::makeAlertTable(AlertsModel *model, const QString &objectName)
{
    auto *proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(model);
    proxy->setSortRole(AlertsModel::SortRole);
    auto *view = new QTableView(m_tabs);
    view->setObjectName(objectName);
    view->setModel(proxy);
    TableActions::install(view);
    view->setSortingEnabled(true);
    view->sortByColumn(AlertsModel::SeverityColumn, Qt::DescendingOrder);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setWordWrap(false);
    connect(view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &AlertsPage::updateButtons);
    return view;
}

AlertsModel *AlertsPage::model(Tab tab) const
{
    return tab <= SilencedTab ? m_models[tab] : nullptr;
}

void AlertsPage::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AlertsPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_history->loadedOnce())
        m_history->reload();
}

void AlertsPage::retranslateUi()
{
    for (AlertsModel *m : m_models)
        m->retranslate();
    m_tabs->setTabText(HistoryTab, tr("History"));
    m_tabs->setTabText(RulesTab, tr("Rule editor"));
    m_ackButton->setText(tr("&Acknowledge"));
    m_silenceButton->setText(tr("S&ilence…"));
    // Fixed widths from the font, the header words and a typical cell (not
    // resizeColumnsToContents, which would change as values move); Acknowledged, the last, takes
    // the rest.
    const QFontMetrics fm = fontMetrics();
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QStringList samples { QStringLiteral("ProbeErrorRate"),
        AlertsModel::severityText(QStringLiteral("critical")),
        QStringLiteral("mountpoint=/var, target=web"), QLocale().toString(1.797e9, 'g', 4),
        DisplayFormat::relativeAge(now - 3'540'000, now),
        QStringLiteral("Probes of web fail 0.25 times a second") };
    for (QTableView *t : m_tables) {
        QHeaderView *h = t->horizontalHeader();
        for (int c = 0; c < samples.size(); ++c)
            h->resizeSection(c,
                qMax(fm.horizontalAdvance(samples.at(c)),
                    fm.horizontalAdvance(t->model()->headerData(c, Qt::Horizontal).toString())
                        + pad)
                    + pad);
    }
    updateSummary();
    m_silences->setSilences(m_snapshot.silences, m_snapshot.running);
    updateButtons();
}

void AlertsPage::setSnapshot(const AlertingSnapshot &snapshot)
{
    m_snapshot = snapshot;
    QList<AlertInstance> firing, pending, silenced;
    for (const AlertInstance &a : snapshot.alerts) {
        if (!a.silencedBy.isEmpty())
            silenced << a;
        else if (a.state == AlertState::Firing)
            firing << a;
        else if (a.state == AlertState::Pending)
            pending << a;
    }
    m_models[FiringTab]->setAlerts(firing);
    m_models[PendingTab]->setAlerts(pending);
    m_models[SilencedTab]->setAlerts(silenced);
    updateSummary();
    m_silences->setSilences(m_snapshot.silences, m_snapshot.running);
    updateButtons();
}

void AlertsPage::updateSummary()
{
    const int firing = m_models[FiringTab]->rowCount();
    const int pending = m_models[PendingTab]->rowCount();
    const int silenced = m_models[SilencedTab]->rowCount();
    m_tabs->setTabText(FiringTab, tr("Firing (%1)").arg(firing));
    m_tabs->setTabText(PendingTab, tr("Pending (%1)").arg(pending));
    m_tabs->setTabText(SilencedTab, tr("Silenced (%1)").arg(silenced));
    int critical = 0;
    for (int r = 0; r < firing; ++r)
        critical += m_models[FiringTab]->alertAt(r).severity == QLatin1String("critical")
            && !m_models[FiringTab]->alertAt(r).inhibited;
    QPalette pal = m_summary->palette();
    pal.setColor(QPalette::WindowText,
        critical > 0     ? StatusColors::critical()
            : firing > 0 ? StatusColors::warning()
                         : palette().color(QPalette::WindowText));
    m_summary->setPalette(pal);
    if (!m_snapshot.running) {
        m_summary->setText(tr("Alerting is not running"));
        m_forecast->setText(
            m_service ? tr("Set alerting.enabled: true and start the engine.") : QString());
        return;
    }
    m_summary->setText(firing == 0
            ? tr("No alert firing")
            : (firing == 1 ? tr("1 alert firing") : tr("%1 alerts firing").arg(firing))
                + (critical > 0 ? QStringLiteral(" — ") + tr("%1 critical").arg(critical)
                                : QString()));
    QStringList lines;
    lines << (m_snapshot.rules == 1 ? tr("1 rule, evaluated at %1")
                                    : tr("%1 rules, evaluated at %2").arg(m_snapshot.rules))
                 .arg(DisplayFormat::timeOfDay(m_snapshot.evaluatedAtMs));
    if (const QString f = forecastText(m_snapshot.forecast); !f.isEmpty())
        lines << f;
    m_forecast->setText(lines.join(QStringLiteral(" · ")));
}

QString AlertsPage::forecastText(const HealthForecast &f)
{
    if (!f.likely)
        return QString();
    const auto level = parseDegradationLevel(f.level);
    return tr("Health score trend: likely %1 in ~%2 (%3 points an hour)")
        .arg(level ? DisplayFormat::degradationLevel(*level) : f.level,
            DisplayFormat::duration(qMax<qint64>(f.etaMs / 60'000, 1) * 60'000),
            QLocale().toString(f.slopePerHour, 'f', 1));
}

QTableView *AlertsPage::currentAlertTable() const
{
    const int tab = m_tabs->currentIndex();
    return tab <= SilencedTab ? m_tables[tab] : nullptr;
}

void AlertsPage::updateButtons()
{
    QTableView *table = currentAlertTable();
    const bool alertTab = table != nullptr;
    const bool any = alertTab && table->selectionModel()->hasSelection();
    m_ackButton->setVisible(alertTab);
    m_silenceButton->setVisible(alertTab);
    m_ackButton->setEnabled(any && m_snapshot.running);
    // One alert at a time: the dialog offers its labels.
    m_silenceButton->setEnabled(
        any && m_snapshot.running && table->selectionModel()->selectedRows().size() == 1);
}

QString AlertsPage::actor() const
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

void AlertsPage::acknowledgeSelected()
{
    QTableView *table = currentAlertTable();
    if (!table || !m_service)
        return;
    QStringList done, failed;
    for (const QModelIndex &i : table->selectionModel()->selectedRows()) {
        const QString fp = i.data(AlertsModel::FingerprintRole).toString();
        const auto r = m_service->acknowledge(fp, actor());
        if (r)
            done << r->rule;
        else
            failed << EngineWording::error(r.error());
    }
    if (!failed.isEmpty())
        showActionResult(false, failed.join(QLatin1Char('\n')));
    else
        showActionResult(true, tr("Acknowledged: %1.").arg(done.join(QStringLiteral(", "))));
}

void AlertsPage::silenceSelected()
{
    QTableView *table = currentAlertTable();
    if (!table || !m_service || table->selectionModel()->selectedRows().size() != 1)
        return;
    const QModelIndex index = table->selectionModel()->selectedRows().first();
    const QString fp = index.data(AlertsModel::FingerprintRole).toString();
    QMap<QString, QString> labels;
    for (const AlertInstance &a : std::as_const(m_snapshot.alerts))
        if (a.fingerprint == fp)
            labels = a.labels;
    SilenceDialog dialog(labels, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto r
        = m_service->silence(dialog.matchers(), dialog.durationMs(), dialog.comment(), actor());
    if (!r) {
        showActionResult(false, EngineWording::error(r.error()));
        return;
    }
    showActionResult(true, tr("Silenced until %1.").arg(DisplayFormat::dateTime(r->endsAtMs)));
}

void AlertsPage::expireSilence(const QString &id)
{
    if (!m_service)
        return;
    const auto r = m_service->expireSilence(id, actor());
    if (!r)
        showActionResult(false, EngineWording::error(r.error()));
    else
        showActionResult(true, tr("Silence expired: its alerts notify again."));
}

void AlertsPage::showActionResult(bool ok, const QString &text)
{
    m_actionOk = ok;
    QPalette pal = m_actionStatus->palette();
    pal.setColor(QPalette::WindowText,
        ok ? palette().color(QPalette::WindowText) : StatusColors::critical());
    m_actionStatus->setPalette(pal);
    m_actionStatus->setText(text);
}

QString AlertsPage::actionStatus() const
{
    return m_actionStatus->text();
}

bool AlertsPage::showAlert(const QString &fingerprint)
{
    for (int tab = FiringTab; tab <= SilencedTab; ++tab) {
        QTableView *view = m_tables[tab];
        auto *proxy = static_cast<QSortFilterProxyModel *>(view->model());
        const int row = m_models[tab]->rowOf(fingerprint);
        if (row < 0)
            continue;
        m_tabs->setCurrentIndex(tab);
        const QModelIndex index = proxy->mapFromSource(m_models[tab]->index(row, 0));
        view->selectRow(index.row());
        view->scrollTo(index);
        view->setFocus();
        return true;
    }
    m_tabs->setCurrentIndex(HistoryTab);
    return false;
}

void AlertsPage::refresh()
{
    if (m_service)
        setSnapshot(m_service->snapshot());
    reloadHistory();
}

void AlertsPage::reloadHistory()
{
    m_history->reload();
}

AlertHistoryModel *AlertsPage::historyModel() const
{
    return m_history->model();
}

void AlertsPage::updateRuleNames()
{
    QStringList rules;
    for (const AlertRule &r : m_engine->config().section<AlertingConfig>().rules)
        rules << r.name;
    m_history->setRules(rules);
}

} // namespace Shivx::Ui
