#include "recovery/processespanel.h"
#include "core/operatoridentity.h"

#include "core/engine.h"
#include "recovery/processesmodel.h"
#include "recovery/processlog.h"
#include "recovery/recoveryservice.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/tableactions.h"

#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace Shivx::Ui {

ProcessesPanel::ProcessesPanel(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_service(engine->service<RecoveryService>())
    , m_model(new ProcessesModel(this))
    , m_table(new QTableView(this))
    , m_start(new QPushButton(this))
    , m_stop(new QPushButton(this))
    , m_restart(new QPushButton(this))
    , m_logTitle(new QLabel(this))
    , m_message(new QLabel(this))
    , m_log(new QPlainTextEdit(this))
    , m_uptimeTimer(new QTimer(this))
{
    m_table->setModel(m_model);
    TableActions::install(m_table);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setObjectName(QStringLiteral("processesTable"));
    m_start->setObjectName(QStringLiteral("startProcess"));
    m_stop->setObjectName(QStringLiteral("stopProcess"));
    m_restart->setObjectName(QStringLiteral("restartProcess"));
    m_log->setObjectName(QStringLiteral("processLog"));
    m_message->setObjectName(QStringLiteral("processMessage"));
    SelectableText::apply(m_message);
    m_message->setWordWrap(true);
    m_log->setReadOnly(true);
    m_log->setMaximumBlockCount(MaxTailLines);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_restart);
    buttons->addWidget(m_message, 1);

    auto *top = new QWidget(this);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table);
    topLayout->addLayout(buttons);
    auto *bottom = new QWidget(this);
    auto *bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_logTitle);
    bottomLayout->addWidget(m_log);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(bottom);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_start, &QPushButton::clicked, this,
        [this] { onSelected(&RecoveryService::startProcess); });
    connect(
        m_stop, &QPushButton::clicked, this, [this] { onSelected(&RecoveryService::stopProcess); });
    connect(m_restart, &QPushButton::clicked, this,
        [this] { onSelected(&RecoveryService::restartProcess); });
    connect(
        m_service, &RecoveryService::processesChanged, this, &ProcessesPanel::onProcessesChanged);
    connect(m_service, &RecoveryService::processLogLines, this, &ProcessesPanel::onLogLines);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &ProcessesPanel::onSelectionChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ProcessesPanel::onSelectionChanged);
    m_uptimeTimer->setInterval(1000);
    connect(m_uptimeTimer, &QTimer::timeout, m_model, &ProcessesModel::refreshUptime);
    m_uptimeTimer->start();

    retranslateUi();
    onProcessesChanged(m_service->processes());
}

void ProcessesPanel::onSelected(Request request)
{
    const QString name = selectedProcess();
    if (name.isEmpty())
        return;
    // Accepted requests show their outcome in the table; only a refusal needs words.
    const Result<void> r = (m_service->*request)(name, actor());
    m_message->setText(r ? QString() : EngineWording::error(r.error()));
}

QString ProcessesPanel::actor() const
{
    return OperatorIdentity::actor(QStringLiteral("console"));
}

QString ProcessesPanel::selectedProcess() const
{
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return {};
    return m_model->processes().value(rows.first().row()).name;
}

void ProcessesPanel::selectProcess(const QString &name)
{
    const int row = m_model->rowOf(name);
    if (row >= 0)
        m_table->selectRow(row);
}

void ProcessesPanel::onProcessesChanged(const QList<ProcessSnapshot> &processes)
{
    const QString selected = selectedProcess();
    m_model->update(processes);
    if (selectedProcess().isEmpty() && !processes.isEmpty())
        selectProcess(selected.isEmpty() ? processes.constFirst().name : selected);
    updateButtons();
}

void ProcessesPanel::onSelectionChanged()
{
    const QString name = selectedProcess();
    updateButtons();
    if (name == m_tailing)
        return;
    m_tailing = name;
    m_log->clear();
    m_logTitle->setText(name.isEmpty() ? tr("Log") : tr("Log of %1").arg(name));
    if (name.isEmpty())
        return;
    const ProcessSnapshot p = m_model->processes().value(m_model->rowOf(name));
    // Start from what the file holds already; new lines then arrive through processLogLines.
    const QStringList lines = ProcessLog::tail(p.logPath, 200);
    if (!lines.isEmpty())
        m_log->appendPlainText(lines.join(QLatin1Char('\n')));
}

void ProcessesPanel::onLogLines(const QString &name, const QStringList &lines)
{
    if (name != m_tailing || lines.isEmpty())
        return;
    m_log->appendPlainText(lines.join(QLatin1Char('\n')));
}

void ProcessesPanel::updateButtons()
{
    const QString name = selectedProcess();
    const int row = m_model->rowOf(name);
    const ProcessState state
        = row >= 0 ? m_model->processes().at(row).state : ProcessState::Stopped;
    const bool live = state == ProcessState::Running || state == ProcessState::Starting;
    m_start->setEnabled(row >= 0 && !live && state != ProcessState::Stopping);
    m_stop->setEnabled(row >= 0 && state != ProcessState::Stopped);
    m_restart->setEnabled(row >= 0);
}

void ProcessesPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslateUi();
        m_model->retranslate();
    }
    QWidget::changeEvent(event);
}

void ProcessesPanel::retranslateUi()
{
    m_start->setText(tr("&Start"));
    m_stop->setText(tr("S&top"));
    m_restart->setText(tr("R&estart"));
    m_start->setToolTip(tr("Start the selected process now, ending a restart pause"));
    m_stop->setToolTip(tr("Stop the selected process and keep it stopped"));
    m_restart->setToolTip(tr("Stop and start the selected process (not counted as a crash)"));
    m_logTitle->setText(m_tailing.isEmpty() ? tr("Log") : tr("Log of %1").arg(m_tailing));
}

} // namespace Shivx::Ui
