#include "alerts/ruleeditor.h"

#include "alerting/alertingconfig.h"
#include "alerting/consolerulefile.h"
#include "alerts/ruleform.h"
#include "alerts/rulepreviewchart.h"
#include "core/engine.h"
#include "telemetry/historystore.h"
#include "widgets/displayformat.h"
#include "widgets/enginewording.h"
#include "widgets/selectabletext.h"
#include "widgets/statuscolors.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QEvent>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSqlDatabase>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

namespace {

constexpr qint64 HourMs = 3'600'000;
const qint64 Ranges[] = { HourMs, 6 * HourMs, 24 * HourMs, 7 * 24 * HourMs };

} // namespace

RuleEditor::RuleEditor(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
{
    m_fieldsBox = new QGroupBox(this);
    m_form = new RuleForm(engine, m_fieldsBox);

    m_range = new QComboBox(this);
    m_range->setObjectName(QStringLiteral("previewRange"));
    for (qint64 r : Ranges)
        m_range->addItem(QString(), r);
    m_range->setCurrentIndex(2);
    m_previewButton = new QPushButton(this);
    m_previewButton->setObjectName(QStringLiteral("previewButton"));
    m_cancelButton = new QPushButton(this);
    m_cancelButton->setObjectName(QStringLiteral("cancelPreviewButton"));
    m_cancelButton->hide();
    m_saveButton = new QPushButton(this);
    m_saveButton->setObjectName(QStringLiteral("saveRuleButton"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("previewProgress"));
    m_progress->hide();
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("ruleStatus"));
    m_status->setWordWrap(true);
    SelectableText::apply(m_status);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_range);
    buttons->addWidget(m_previewButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_progress, 1);
    buttons->addStretch();
    buttons->addWidget(m_saveButton);
    auto *fieldsLayout = new QVBoxLayout(m_fieldsBox);
    fieldsLayout->addWidget(m_form);
    fieldsLayout->addLayout(buttons);
    fieldsLayout->addWidget(m_status);
    fieldsLayout->addStretch(1);

    m_chart = new RulePreviewChart(this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_fieldsBox, 2);
    layout->addWidget(m_chart, 3);

    connect(m_previewButton, &QPushButton::clicked, this, &RuleEditor::preview);
    connect(m_cancelButton, &QPushButton::clicked, this, &RuleEditor::cancelPreview);
    connect(m_saveButton, &QPushButton::clicked, this, &RuleEditor::save);
    connect(&m_watcher, &QFutureWatcher<PreviewAnswer>::finished, this, &RuleEditor::onPreviewDone);
    auto *ticker = new QTimer(this);
    ticker->setInterval(200);
    connect(ticker, &QTimer::timeout, this, [this] {
        if (!m_watcher.isRunning() || !m_done)
            return;
        const int done = m_done->load(), total = m_total->load();
        m_progress->setRange(0, qMax(1, total));
        m_progress->setValue(done);
        const qint64 elapsed = m_previewClock.elapsed();
        // Per series: the remaining ones take as long as the ones done so far did.
        m_progress->setFormat(done > 0 && total > done
                ? tr("%1 of %2 series, about %3 left")
                      .arg(done)
                      .arg(total)
                      .arg(DisplayFormat::duration(
                          elapsed * (total - done) / done / 1000 * 1000 + 1000))
                : tr("%1 of %2 series").arg(done).arg(total));
    });
    ticker->start();
    retranslateUi();
}

RuleEditor::~RuleEditor()
{
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished();
}

void RuleEditor::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RuleEditor::retranslateUi()
{
    m_fieldsBox->setTitle(tr("Rule"));
    m_range->setItemText(0, tr("Last hour"));
    m_range->setItemText(1, tr("Last 6 hours"));
    m_range->setItemText(2, tr("Last 24 hours"));
    m_range->setItemText(3, tr("Last 7 days"));
    m_previewButton->setText(tr("&Preview"));
    m_cancelButton->setText(tr("Ca&ncel"));
    m_saveButton->setText(tr("&Save rule"));
    const QString rulesDir = m_engine->config().section<AlertingConfig>().rulesLocation;
    m_saveButton->setToolTip(rulesDir.isEmpty()
            ? tr("Set alerting.rules to a directory for the console to save rules into.")
            : tr("Writes the rule to %1 and applies it.")
                  .arg(QDir(rulesDir).filePath(QLatin1String(ConsoleRuleFile::FileName))));
}

qint64 RuleEditor::rangeMs() const
{
    return m_range->currentData().toLongLong();
}

void RuleEditor::setStatus(bool ok, const QString &text)
{
    m_statusOk = ok;
    QPalette pal = m_status->palette();
    pal.setColor(QPalette::WindowText,
        ok ? palette().color(QPalette::WindowText) : StatusColors::critical());
    m_status->setPalette(pal);
    m_status->setText(text);
}

QString RuleEditor::statusText() const
{
    return m_status->text();
}

void RuleEditor::preview()
{
    const Result<AlertRule> r = m_form->rule();
    if (!r) {
        setStatus(false, r.error().message);
        return;
    }
    if (m_watcher.isRunning())
        cancelPreview();
    m_watcher.waitForFinished();
    const quint64 generation = ++m_generation;
    const QString dbPath = m_engine->databasePath();
    const qint64 to = QDateTime::currentMSecsSinceEpoch();
    const qint64 from = to - rangeMs();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    m_done = std::make_shared<std::atomic<int>>(0);
    m_total = std::make_shared<std::atomic<int>>(0);
    auto cancel = m_cancel;
    auto done = m_done;
    auto total = m_total;
    const AlertRule ruleCopy = *r;
    m_previewClock.start();
    m_progress->setRange(0, 0);
    m_progress->setFormat(QString());
    m_progress->show();
    m_cancelButton->show();
    m_previewButton->setEnabled(false);
    setStatus(true, tr("Reading the history…"));
    m_watcher.setFuture(QtConcurrent::run([=] {
        PreviewAnswer answer;
        answer.generation = generation;
        answer.rule = ruleCopy;
        // Its own connection: connections belong to the thread that opened them.
        const QString connection = QStringLiteral("shivx.rulepreview.")
            + QUuid::createUuid().toString(QUuid::WithoutBraces);
        {
            auto store = HistoryStore::open(dbPath, connection);
            if (!store) {
                answer.result = store.error();
            } else {
                answer.result = RuleBacktest::run(**store, ruleCopy, from, to, [=](int d, int t) {
                    done->store(d);
                    total->store(t);
                    return !cancel->load();
                });
            }
        }
        QSqlDatabase::removeDatabase(connection);
        return answer;
    }));
}

void RuleEditor::cancelPreview()
{
    if (m_cancel)
        m_cancel->store(true);
}

void RuleEditor::onPreviewDone()
{
    const PreviewAnswer answer = m_watcher.result();
    m_progress->hide();
    m_cancelButton->hide();
    m_previewButton->setEnabled(true);
    if (answer.generation != m_generation)
        return;
    if (!answer.result) {
        if (answer.result.error().code == QLatin1String("alerting.cancelled"))
            setStatus(true, tr("Preview cancelled."));
        else
            setStatus(false, EngineWording::error(answer.result.error()));
    } else {
        m_chart->setResult(*answer.result, answer.rule);
        setStatus(true,
            tr("Previewed over %1 in %2.")
                .arg(DisplayFormat::duration(answer.result->toMs - answer.result->fromMs),
                    DisplayFormat::duration(qMax<qint64>(m_previewClock.elapsed(), 1))));
    }
    Q_EMIT previewFinished();
}

void RuleEditor::save()
{
    const Result<AlertRule> r = m_form->rule();
    if (!r) {
        setStatus(false, r.error().message);
        return;
    }
    const QString rulesDir = m_engine->config().section<AlertingConfig>().rulesLocation;
    auto written = ConsoleRuleFile::save(rulesDir, *r);
    if (!written) {
        setStatus(false, EngineWording::error(written.error()));
        return;
    }
    const Result<void> applied = m_engine->reloadConfiguration();
    if (!applied) {
        const Result<void> restored = ConsoleRuleFile::restore(*written);
        setStatus(false,
            tr("Not saved: %1").arg(EngineWording::error(applied.error()))
                + (restored ? QString()
                            : QLatin1Char('\n') + EngineWording::error(restored.error())));
        return;
    }
    m_form->reloadRules();
    setStatus(true,
        tr("Saved %1 to %2; the engine evaluates it from now on.").arg(r->name, written->path));
    Q_EMIT saved(r->name);
}

} // namespace Shivx::Ui
