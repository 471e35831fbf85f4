#include "alerts/ruleeditor.h"

#include "alerting/alertingconfig.h"
#include "alerting/consolerulefile.h"
#include "alerting/prometheusrules.h"
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
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QProgressBar>
#include <QPushButton>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QTimer>
#include <QUuid>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace Shivx::Ui {

namespace {

constexpr qint64 HourMs = 3'600'000;
const qint64 Ranges[] = { HourMs, 6 * HourMs, 24 * HourMs, 7 * 24 * HourMs };
const WindowFunction Functions[] = { WindowFunction::Last, WindowFunction::Avg, WindowFunction::Min,
    WindowFunction::Max, WindowFunction::Rate, WindowFunction::Increase, WindowFunction::Quantile,
    WindowFunction::HoursLeft };
const char *const Ops[] = { ">", ">=", "<", "<=", "==", "!=" };
const char *const Severities[] = { "critical", "warning", "info", "none" };

QString quoted(const QString &s)
{
    QString v = s;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
        .replace(QLatin1Char('"'), QStringLiteral("\\\""));
    v.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return QLatin1Char('"') + v + QLatin1Char('"');
}

// A number as the operator typed it, in the UI locale or in C ("0,9" and "0.9").
QString numberText(const QString &text)
{
    bool ok = false;
    const double v = QLocale().toDouble(text.trimmed(), &ok);
    return ok ? QString::number(v, 'g', 17) : text.trimmed();
}

} // namespace

RuleEditor::RuleEditor(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
{
    m_fieldsBox = new QGroupBox(this);
    m_startFrom = new QComboBox(m_fieldsBox);
    m_startFrom->setObjectName(QStringLiteral("ruleStartFrom"));
    m_name = new QLineEdit(m_fieldsBox);
    m_name->setObjectName(QStringLiteral("ruleName"));
    m_series = new QLineEdit(m_fieldsBox);
    m_series->setObjectName(QStringLiteral("ruleSeries"));
    m_series->setPlaceholderText(QStringLiteral("shivx_target_up{type=\"http\"}"));
    m_function = new QComboBox(m_fieldsBox);
    m_function->setObjectName(QStringLiteral("ruleFunction"));
    for (WindowFunction f : Functions)
        m_function->addItem(toString(f), int(f));
    m_param = new QDoubleSpinBox(m_fieldsBox);
    m_param->setObjectName(QStringLiteral("ruleParam"));
    m_param->setDecimals(3);
    m_paramLabel = new QLabel(m_fieldsBox);
    m_window = new QLineEdit(QStringLiteral("5m"), m_fieldsBox);
    m_window->setObjectName(QStringLiteral("ruleWindow"));
    m_op = new QComboBox(m_fieldsBox);
    m_op->setObjectName(QStringLiteral("ruleOp"));
    for (const char *op : Ops)
        m_op->addItem(QLatin1String(op));
    m_threshold = new QLineEdit(m_fieldsBox);
    m_threshold->setObjectName(QStringLiteral("ruleThreshold"));
    m_for = new QLineEdit(QStringLiteral("5m"), m_fieldsBox);
    m_for->setObjectName(QStringLiteral("ruleFor"));
    m_severity = new QComboBox(m_fieldsBox);
    m_severity->setObjectName(QStringLiteral("ruleSeverity"));
    for (int i = 0; i < 4; ++i)
        m_severity->addItem(QString(), QLatin1String(Severities[i]));
    m_severity->setCurrentIndex(1);
    m_summary = new QLineEdit(m_fieldsBox);
    m_summary->setObjectName(QStringLiteral("ruleSummary"));

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto row = [&](QWidget *field) {
        auto *label = new QLabel(m_fieldsBox);
        label->setBuddy(field);
        m_labels.append(label);
        form->addRow(label, field);
    };
    m_startFromLabel = new QLabel(m_fieldsBox);
    m_startFromLabel->setBuddy(m_startFrom);
    form->addRow(m_startFromLabel, m_startFrom);
    row(m_name);
    row(m_series);
    auto *fnRow = new QHBoxLayout;
    fnRow->addWidget(m_function, 2);
    fnRow->addWidget(m_paramLabel);
    fnRow->addWidget(m_param, 1);
    auto *fnLabel = new QLabel(m_fieldsBox);
    fnLabel->setBuddy(m_function);
    m_labels.append(fnLabel);
    form->addRow(fnLabel, fnRow);
    row(m_window);
    auto *cmpRow = new QHBoxLayout;
    cmpRow->addWidget(m_op);
    cmpRow->addWidget(m_threshold, 1);
    auto *cmpLabel = new QLabel(m_fieldsBox);
    cmpLabel->setBuddy(m_op);
    m_labels.append(cmpLabel);
    form->addRow(cmpLabel, cmpRow);
    row(m_for);
    row(m_severity);
    row(m_summary);

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
    fieldsLayout->addLayout(form);
    fieldsLayout->addLayout(buttons);
    fieldsLayout->addWidget(m_status);
    fieldsLayout->addStretch(1);

    m_chart = new RulePreviewChart(this);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_fieldsBox, 2);
    layout->addWidget(m_chart, 3);

    connect(m_function, &QComboBox::currentIndexChanged, this, &RuleEditor::updateParamField);
    connect(m_previewButton, &QPushButton::clicked, this, &RuleEditor::preview);
    connect(m_cancelButton, &QPushButton::clicked, this, &RuleEditor::cancelPreview);
    connect(m_saveButton, &QPushButton::clicked, this, &RuleEditor::save);
    connect(m_startFrom, &QComboBox::activated, this, [this](int index) {
        if (index > 0 && index - 1 < m_rules.size())
            setRule(m_rules.at(index - 1));
    });
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
    updateParamField();
    reloadRules();
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
    m_startFromLabel->setText(tr("Start &from:"));
    m_startFrom->setItemText(0, tr("A new rule"));
    const QStringList labels { tr("&Name:"), tr("S&eries:"), tr("F&unction:"), tr("&Window:"),
        tr("&Condition:"), tr("Fo&r:"), tr("Se&verity:"), tr("Su&mmary:") };
    for (int i = 0; i < m_labels.size(); ++i)
        m_labels.at(i)->setText(labels.value(i));
    m_severity->setItemText(0, tr("critical"));
    m_severity->setItemText(1, tr("warning"));
    m_severity->setItemText(2, tr("info"));
    m_severity->setItemText(3, tr("none"));
    m_name->setPlaceholderText(tr("letters, digits and _"));
    m_window->setPlaceholderText(tr("e.g. 5m"));
    m_for->setPlaceholderText(tr("0s fires at once"));
    m_threshold->setPlaceholderText(tr("threshold"));
    m_summary->setPlaceholderText(tr("{{ $labels.target }} is at {{ $value }}"));
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
    updateParamField();
}

void RuleEditor::updateParamField()
{
    const auto f = WindowFunction(m_function->currentData().toInt());
    const bool quantile = f == WindowFunction::Quantile;
    const bool hours = f == WindowFunction::HoursLeft;
    m_param->setVisible(quantile || hours);
    m_paramLabel->setVisible(quantile || hours);
    m_paramLabel->setText(quantile ? tr("quantile:") : tr("target:"));
    if (quantile)
        m_param->setRange(0, 1);
    else
        m_param->setRange(-1e12, 1e12);
    m_param->setSingleStep(quantile ? 0.05 : 1);
    m_window->setEnabled(f != WindowFunction::Last);
}

void RuleEditor::reloadRules()
{
    m_rules = m_engine->config().section<AlertingConfig>().rules;
    const QSignalBlocker block(m_startFrom);
    m_startFrom->clear();
    m_startFrom->addItem(tr("A new rule"));
    for (const AlertRule &r : std::as_const(m_rules))
        m_startFrom->addItem(
            r.name + QStringLiteral(" — ") + (r.always ? QStringLiteral("always") : promqlOf(r)));
}

void RuleEditor::setRule(const AlertRule &rule)
{
    m_name->setText(rule.name);
    m_series->setText(rule.series.toString());
    m_function->setCurrentIndex(qMax(0, m_function->findData(int(rule.function))));
    m_param->setValue(rule.param);
    m_window->setText(ruleDuration(rule.windowMs));
    m_op->setCurrentIndex(int(rule.op));
    m_threshold->setText(QLocale().toString(rule.threshold, 'g', 12));
    m_for->setText(ruleDuration(rule.forMs));
    m_severity->setCurrentIndex(qMax(0, m_severity->findData(rule.severity)));
    m_summary->setText(rule.summary);
}

Result<AlertRule> RuleEditor::rule() const
{
    const auto f = WindowFunction(m_function->currentData().toInt());
    QStringList y { QStringLiteral("groups:"), QStringLiteral("  - name: console"),
        QStringLiteral("    rules:"),
        QStringLiteral("      - alert: ") + quoted(m_name->text().trimmed()),
        QStringLiteral("        series: ") + quoted(m_series->text().trimmed()),
        QStringLiteral("        function: ") + toString(f) };
    if (f == WindowFunction::Quantile)
        y << QStringLiteral("        quantile: %1").arg(m_param->value());
    if (f == WindowFunction::HoursLeft)
        y << QStringLiteral("        target: %1").arg(m_param->value());
    if (f != WindowFunction::Last || !m_window->text().trimmed().isEmpty())
        y << QStringLiteral("        window: ") + quoted(m_window->text().trimmed());
    y << QStringLiteral("        op: ") + quoted(m_op->currentText());
    if (!m_threshold->text().trimmed().isEmpty())
        y << QStringLiteral("        threshold: ") + quoted(numberText(m_threshold->text()));
    if (!m_for->text().trimmed().isEmpty())
        y << QStringLiteral("        for: ") + quoted(m_for->text().trimmed());
    y << QStringLiteral("        severity: ") + m_severity->currentData().toString();
    if (!m_summary->text().trimmed().isEmpty())
        y << QStringLiteral("        annotations: { summary: %1 }")
                 .arg(quoted(m_summary->text().trimmed()));
    auto rules = parseAlertRules(y.join(QLatin1Char('\n')).toUtf8(), QStringLiteral("editor"));
    if (!rules) {
        // "editor:5: groups[0].rules[0].series: selector ..." -> "series: selector ...": the
        // field is what the operator knows, not the line of text built from it.
        QString text = rules.error().message;
        static const QRegularExpression prefix(
            QStringLiteral("^editor:\\d+: (groups\\[0\\]\\.rules\\[0\\]\\.?)?"));
        text.remove(prefix);
        Error e = rules.error();
        e.message = text;
        return e;
    }
    return rules->first();
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
    const Result<AlertRule> r = rule();
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
    const Result<AlertRule> r = rule();
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
    reloadRules();
    setStatus(true,
        tr("Saved %1 to %2; the engine evaluates it from now on.").arg(r->name, written->path));
    Q_EMIT saved(r->name);
}

} // namespace Shivx::Ui
