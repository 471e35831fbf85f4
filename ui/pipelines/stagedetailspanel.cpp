#include "pipelines/stagedetailspanel.h"

#include "pipelines/pipelinetables.h"
#include "pipelines/pipelinewording.h"
#include "widgets/displayformat.h"
#include "widgets/tableactions.h"

#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

namespace Shivx::Ui {

namespace {

QTableWidget *makeTable(int columns, const QString &name, QWidget *parent)
{
    auto *t = new QTableWidget(0, columns, parent);
    t->setObjectName(name);
    TableActions::install(t);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setSelectionMode(QAbstractItemView::SingleSelection);
    t->verticalHeader()->hide();
    t->setWordWrap(false);
    t->horizontalHeader()->setStretchLastSection(true);
    return t;
}

QTableWidgetItem *item(const QString &text, const QString &toolTip = QString())
{
    auto *i = new QTableWidgetItem(text);
    if (!toolTip.isEmpty())
        i->setToolTip(toolTip);
    return i;
}

} // namespace

StageDetailsPanel::StageDetailsPanel(QWidget *parent)
    : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("stageTitle"));
    m_title->setWordWrap(true);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);

    m_attempts = makeTable(6, QStringLiteral("attemptsTable"), this);
    m_attempts->setMinimumHeight(80);
    connect(m_attempts, &QTableWidget::itemSelectionChanged, this,
        &StageDetailsPanel::selectedAttemptChanged);

    m_logPage = new QWidget(this);
    m_stream = new QComboBox(m_logPage);
    m_stream->setObjectName(QStringLiteral("logStream"));
    m_stream->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_stream->addItem(QString());
    m_stream->addItem(QString());
    connect(m_stream, &QComboBox::currentIndexChanged, this, &StageDetailsPanel::openLog);
    m_log = new QPlainTextEdit(m_logPage);
    m_log->setObjectName(QStringLiteral("stageLog"));
    m_log->setReadOnly(true);
    m_log->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_log->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *logLayout = new QVBoxLayout(m_logPage);
    logLayout->setContentsMargins(0, 4, 0, 0);
    auto *streamRow = new QHBoxLayout;
    streamRow->addWidget(m_stream);
    streamRow->addStretch(1);
    logLayout->addLayout(streamRow);
    logLayout->addWidget(m_log, 1);

    m_artifacts = makeTable(3, QStringLiteral("artifactsTable"), this);
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("stageTabs"));
    m_tabs->addTab(m_logPage, QString());
    m_tabs->addTab(m_artifacts, QString());
    m_tabs->findChild<QTabBar *>()->setObjectName(QStringLiteral("stageTabBar"));

    m_tail = new QTimer(this);
    m_tail->setInterval(500);
    connect(m_tail, &QTimer::timeout, this, &StageDetailsPanel::readLog);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_attempts, 1);
    layout->addWidget(m_tabs, 3);
    retranslate();
    clear(QString());
}

void StageDetailsPanel::retranslate()
{
    m_attempts->setHorizontalHeaderLabels(
        { tr("Attempt"), tr("State"), tr("Started"), tr("Duration"), tr("Exit"), tr("Error") });
    m_artifacts->setHorizontalHeaderLabels({ tr("Artifact"), tr("Size"), tr("SHA-256") });
    m_stream->setItemText(0, tr("Standard output"));
    m_stream->setItemText(1, tr("Standard error"));
    fitColumnsToContents(m_attempts);
    fitColumnsToContents(m_artifacts);
    m_tabs->setTabText(0, tr("Log"));
    m_tabs->setTabText(1, tr("Artifacts (%1)").arg(m_artifacts->rowCount()));
    if (m_stage.isEmpty())
        m_title->setText(m_hint.isEmpty() ? tr("Click a stage in the graph for its attempts, "
                                               "log and artifacts.")
                                          : m_hint);
}

void StageDetailsPanel::clear(const QString &hint)
{
    m_runId = 0;
    m_stage.clear();
    m_hint = hint;
    m_stageAttempts.clear();
    m_attempts->setRowCount(0);
    m_artifacts->setRowCount(0);
    m_log->clear();
    m_logPath.clear();
    m_logOffset = 0;
    m_tail->stop();
    retranslate();
}

void StageDetailsPanel::showStage(const RunDetail &detail, const QString &stage)
{
    const bool same = detail.run.id == m_runId && stage == m_stage;
    if (!same)
        m_followLatest = true;
    m_runId = detail.run.id;
    m_stage = stage;
    StageState state = StageState::Pending;
    for (const StageRecord &s : detail.stages)
        if (s.stage == stage)
            state = s.state;
    m_title->setText(detail.run.id > 0 ? tr("Stage %1 of run %2: %3")
                                             .arg(stage)
                                             .arg(detail.run.id)
                                             .arg(PipelineWording::stageState(state))
                                       : tr("Stage %1: no run yet").arg(stage));
    fillArtifacts(detail);
    fillAttempts(detail);
}

void StageDetailsPanel::fillAttempts(const RunDetail &detail)
{
    const AttemptRecord *before = selectedAttempt();
    const qint64 selectedId = before ? before->id : 0;
    m_stageAttempts.clear();
    for (const AttemptRecord &a : detail.attempts)
        if (a.stage == m_stage)
            m_stageAttempts.append(a);
    const QSignalBlocker block(m_attempts);
    m_attempts->setRowCount(int(m_stageAttempts.size()));
    int select = int(m_stageAttempts.size()) - 1;
    for (int row = 0; row < m_stageAttempts.size(); ++row) {
        const AttemptRecord &a = m_stageAttempts.at(row);
        if (!m_followLatest && a.id == selectedId)
            select = row;
        const qint64 end = a.finishedMs > 0 ? a.finishedMs : QDateTime::currentMSecsSinceEpoch();
        QString exit;
        if (a.state != AttemptState::Running)
            exit = a.signal > 0 ? tr("signal %1").arg(a.signal) : QString::number(a.exitCode);
        m_attempts->setItem(row, 0, item(QString::number(a.attempt)));
        m_attempts->setItem(row, 1, item(PipelineWording::attemptState(a.state)));
        m_attempts->item(row, 1)->setForeground(a.state == AttemptState::Succeeded
                ? PipelineWording::runStateColor(RunState::Succeeded)
                : a.state == AttemptState::Running
                ? PipelineWording::runStateColor(RunState::Running)
                : a.state == AttemptState::Failed || a.state == AttemptState::TimedOut
                ? PipelineWording::runStateColor(RunState::DeadLetter)
                : PipelineWording::runStateColor(RunState::Cancelled));
        m_attempts->setItem(row, 2,
            item(DisplayFormat::timeOfDay(a.startedMs), DisplayFormat::utcTime(a.startedMs)));
        m_attempts->setItem(row, 3,
            item(a.startedMs > 0 ? DisplayFormat::duration(qMax<qint64>(0, end - a.startedMs))
                                 : DisplayFormat::noValue()));
        m_attempts->setItem(row, 4, item(exit));
        m_attempts->setItem(row, 5, item(a.error, a.error));
    }
    fitColumnsToContents(m_attempts);
    if (select >= 0)
        m_attempts->selectRow(select);
    selectedAttemptChanged();
}

void StageDetailsPanel::fillArtifacts(const RunDetail &detail)
{
    QList<ArtifactRecord> mine;
    for (const ArtifactRecord &a : detail.artifacts)
        if (a.stage == m_stage)
            mine.append(a);
    m_artifacts->setRowCount(int(mine.size()));
    for (int row = 0; row < mine.size(); ++row) {
        const ArtifactRecord &a = mine.at(row);
        m_artifacts->setItem(row, 0, item(a.path));
        m_artifacts->setItem(row, 1, item(DisplayFormat::bytes(quint64(a.size))));
        auto *hash = item(a.sha256, a.sha256);
        hash->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        m_artifacts->setItem(row, 2, hash);
    }
    fitColumnsToContents(m_artifacts);
    m_tabs->setTabText(1, tr("Artifacts (%1)").arg(mine.size()));
}

const AttemptRecord *StageDetailsPanel::selectedAttempt() const
{
    const int row = m_attempts->currentRow();
    if (row < 0 || row >= m_stageAttempts.size())
        return nullptr;
    return &m_stageAttempts.at(row);
}

void StageDetailsPanel::selectedAttemptChanged()
{
    const int row = m_attempts->currentRow();
    m_followLatest = row < 0 || row == m_stageAttempts.size() - 1;
    openLog();
}

void StageDetailsPanel::openLog()
{
    const AttemptRecord *a = selectedAttempt();
    const QString path = !a             ? QString()
        : m_stream->currentIndex() == 1 ? a->stderrPath
                                        : a->stdoutPath;
    if (path != m_logPath || path.isEmpty()) {
        m_logPath = path;
        m_logOffset = 0;
        m_log->clear();
        if (!a)
            m_log->setPlaceholderText(tr("No attempt yet."));
        else if (path.isEmpty())
            m_log->setPlaceholderText(tr("This attempt has no log file."));
        else
            m_log->setPlaceholderText(tr("Nothing written."));
    }
    // The timer's state first: while it runs, readLog() leaves a partial last line for later.
    if (a && a->state == AttemptState::Running)
        m_tail->start();
    else
        m_tail->stop();
    readLog();
}

void StageDetailsPanel::readLog()
{
    if (m_logPath.isEmpty())
        return;
    QFile f(m_logPath);
    if (!f.open(QIODevice::ReadOnly)) {
        // Not there yet (the attempt is starting) or pruned by retention.
        if (m_logOffset == 0)
            m_log->setPlaceholderText(f.exists()
                    ? tr("The log cannot be read: %1").arg(f.errorString())
                    : tr("No log file (yet)."));
        return;
    }
    const qint64 size = f.size();
    if (size < m_logOffset) { // replaced: read again from the start
        m_log->clear();
        m_logOffset = 0;
    }
    if (size == m_logOffset)
        return;
    QString prefix;
    if (m_logOffset == 0 && size > MaxLogBytes) {
        m_logOffset = size - MaxLogBytes;
        prefix = tr("[%1 of earlier output not shown]\n")
                     .arg(DisplayFormat::bytes(quint64(m_logOffset)));
    }
    f.seek(m_logOffset);
    const QByteArray bytes = f.read(size - m_logOffset);
    // Keep a partial UTF-8 sequence or line for the next read.
    int keep = int(bytes.size());
    if (m_tail->isActive()) {
        const int nl = int(bytes.lastIndexOf('\n'));
        keep = nl + 1;
    }
    if (keep <= 0)
        return;
    m_logOffset += keep;
    QScrollBar *bar = m_log->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QString text = prefix + QString::fromUtf8(bytes.left(keep));
    if (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    m_log->appendPlainText(text);
    if (atEnd)
        bar->setValue(bar->maximum());
}

QString StageDetailsPanel::logText() const
{
    return m_log->toPlainText();
}

} // namespace Shivx::Ui
