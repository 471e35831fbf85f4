#include "alerts/alerthistorypanel.h"

#include "alerting/alertingservice.h"
#include "alerts/alerthistorymodel.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/tableactions.h"

#include <QComboBox>
#include <QDateTime>
#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

AlertHistoryPanel::AlertHistoryPanel(AlertingService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
{
    m_rule = new QComboBox(this);
    m_rule->setObjectName(QStringLiteral("historyRuleFilter"));
    m_rule->addItem(QString());
    m_reload = new QPushButton(this);
    m_reload->setObjectName(QStringLiteral("historyReloadButton"));
    m_model = new AlertHistoryModel(this);
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("historyTable"));
    m_view->setModel(m_model);
    TableActions::install(m_view);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("historyStatus"));
    auto *bar = new QHBoxLayout;
    bar->addWidget(m_rule, 1);
    bar->addWidget(m_reload);
    bar->addStretch(2);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_status);
    connect(m_reload, &QPushButton::clicked, this, &AlertHistoryPanel::reload);
    connect(m_rule, &QComboBox::activated, this, &AlertHistoryPanel::reload);
    connect(&m_watcher, &QFutureWatcher<Result<QList<AlertHistoryEntry>>>::finished, this,
        &AlertHistoryPanel::onRead);
    retranslateUi();
}

AlertHistoryPanel::~AlertHistoryPanel()
{
    // A read in flight holds only copies; waiting keeps it from outliving the process.
    m_watcher.waitForFinished();
}

void AlertHistoryPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void AlertHistoryPanel::retranslateUi()
{
    m_model->retranslate();
    m_reload->setText(tr("Re&load"));
    m_rule->setItemText(0, tr("All rules"));
    const QFontMetrics fm = fontMetrics();
    const int pad = fm.horizontalAdvance(QLatin1Char('M')) * 2;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QHeaderView *h = m_view->horizontalHeader();
    h->resizeSection(
        AlertHistoryModel::TimeColumn, fm.horizontalAdvance(DisplayFormat::dateTime(now)) + pad);
    h->resizeSection(AlertHistoryModel::AlertColumn,
        fm.horizontalAdvance(QStringLiteral("ProbeErrorRate")) + pad);
    h->resizeSection(AlertHistoryModel::LabelsColumn,
        fm.horizontalAdvance(QStringLiteral("mountpoint=/var, target=web, type=http")) + pad);
    h->resizeSection(AlertHistoryModel::TransitionColumn,
        fm.horizontalAdvance(AlertHistoryModel::stateWord(QStringLiteral("inactive"))
            + QStringLiteral(" → ") + AlertHistoryModel::stateWord(QStringLiteral("resolved")))
            + pad);
}

void AlertHistoryPanel::setRules(const QStringList &rules)
{
    const QString current = m_rule->currentIndex() > 0 ? m_rule->currentText() : QString();
    while (m_rule->count() > 1)
        m_rule->removeItem(1);
    m_rule->addItems(rules);
    m_rule->setCurrentIndex(qMax(0, m_rule->findText(current)));
}

void AlertHistoryPanel::reload()
{
    if (!m_service)
        return;
    if (m_watcher.isRunning()) {
        m_pending = true;
        return;
    }
    m_loadedOnce = true;
    AlertingService *service = m_service;
    const QString rule = m_rule->currentIndex() > 0 ? m_rule->currentText() : QString();
    m_watcher.setFuture(
        QtConcurrent::run([service, rule] { return service->history(MaxRows, rule); }));
}

void AlertHistoryPanel::onRead()
{
    const auto rows = m_watcher.result();
    if (rows) {
        m_model->setEntries(*rows);
        m_status->setText(tr("Transitions: %1, newest first").arg(rows->size()));
    } else {
        m_status->setText(EngineWording::error(rows.error()));
    }
    Q_EMIT loaded();
    if (m_pending) {
        m_pending = false;
        reload();
    }
}

} // namespace Shivx::Ui
