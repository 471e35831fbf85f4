#include "alerts/ruleform.h"

#include "alerting/alertingconfig.h"
#include "alerting/prometheusrules.h"
#include "core/engine.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QRegularExpression>

namespace Shivx::Ui {

namespace {

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

RuleForm::RuleForm(Engine *engine, QWidget *parent)
    : QWidget(parent)
    , m_engine(engine)
{
    m_startFrom = new QComboBox(this);
    m_startFrom->setObjectName(QStringLiteral("ruleStartFrom"));
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("ruleName"));
    m_series = new QLineEdit(this);
    m_series->setObjectName(QStringLiteral("ruleSeries"));
    m_series->setPlaceholderText(QStringLiteral("shivx_target_up{type=\"http\"}"));
    m_function = new QComboBox(this);
    m_function->setObjectName(QStringLiteral("ruleFunction"));
    for (WindowFunction f : Functions)
        m_function->addItem(toString(f), int(f));
    m_param = new QDoubleSpinBox(this);
    m_param->setObjectName(QStringLiteral("ruleParam"));
    m_param->setDecimals(3);
    m_paramLabel = new QLabel(this);
    m_window = new QLineEdit(QStringLiteral("5m"), this);
    m_window->setObjectName(QStringLiteral("ruleWindow"));
    m_op = new QComboBox(this);
    m_op->setObjectName(QStringLiteral("ruleOp"));
    for (const char *op : Ops)
        m_op->addItem(QLatin1String(op));
    m_threshold = new QLineEdit(this);
    m_threshold->setObjectName(QStringLiteral("ruleThreshold"));
    m_for = new QLineEdit(QStringLiteral("5m"), this);
    m_for->setObjectName(QStringLiteral("ruleFor"));
    m_severity = new QComboBox(this);
    m_severity->setObjectName(QStringLiteral("ruleSeverity"));
    for (int i = 0; i < 4; ++i)
        m_severity->addItem(QString(), QLatin1String(Severities[i]));
    m_severity->setCurrentIndex(1);
    m_summary = new QLineEdit(this);
    m_summary->setObjectName(QStringLiteral("ruleSummary"));

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto row = [&](QWidget *field) {
        auto *label = new QLabel(this);
        label->setBuddy(field);
        m_labels.append(label);
        form->addRow(label, field);
    };
    m_startFromLabel = new QLabel(this);
    m_startFromLabel->setBuddy(m_startFrom);
    form->addRow(m_startFromLabel, m_startFrom);
    row(m_name);
    row(m_series);
    auto *fnRow = new QHBoxLayout;
    fnRow->addWidget(m_function, 2);
    fnRow->addWidget(m_paramLabel);
    fnRow->addWidget(m_param, 1);
    auto *fnLabel = new QLabel(this);
    fnLabel->setBuddy(m_function);
    m_labels.append(fnLabel);
    form->addRow(fnLabel, fnRow);
    row(m_window);
    auto *cmpRow = new QHBoxLayout;
    cmpRow->addWidget(m_op);
    cmpRow->addWidget(m_threshold, 1);
    auto *cmpLabel = new QLabel(this);
    cmpLabel->setBuddy(m_op);
    m_labels.append(cmpLabel);
    form->addRow(cmpLabel, cmpRow);
    row(m_for);
    row(m_severity);
    row(m_summary);

    connect(m_function, &QComboBox::currentIndexChanged, this, &RuleForm::updateParamField);
    connect(m_startFrom, &QComboBox::activated, this, [this](int index) {
        if (index > 0 && index - 1 < m_rules.size())
            setRule(m_rules.at(index - 1));
    });
    reloadRules();
    retranslateUi();
}

void RuleForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslateUi();
    QWidget::changeEvent(event);
}

void RuleForm::retranslateUi()
{
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
    updateParamField();
}

void RuleForm::updateParamField()
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

void RuleForm::reloadRules()
{
    m_rules = m_engine->config().section<AlertingConfig>().rules;
    const QSignalBlocker block(m_startFrom);
    m_startFrom->clear();
    m_startFrom->addItem(tr("A new rule"));
    for (const AlertRule &r : std::as_const(m_rules))
        m_startFrom->addItem(
            r.name + QStringLiteral(" — ") + (r.always ? QStringLiteral("always") : promqlOf(r)));
}

void RuleForm::setRule(const AlertRule &rule)
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

Result<AlertRule> RuleForm::rule() const
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

} // namespace Shivx::Ui
