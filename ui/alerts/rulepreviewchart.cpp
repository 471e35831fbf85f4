#include "alerts/rulepreviewchart.h"

#include "alerting/prometheusrules.h"
#include "history/historychartview.h"
#include "widgets/statuscolors.h"

#include <QAreaSeries>
#include <QChart>
#include <QDateTimeAxis>
#include <QEvent>
#include <QLabel>
#include <QLegendMarker>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

#include <cmath>

namespace Shivx::Ui {

RulePreviewChart::RulePreviewChart(QWidget *parent)
    : QWidget(parent)
{
    m_chart = new QChart;
    m_chart->setMargins(QMargins(4, 4, 4, 4));
    m_chart->legend()->setAlignment(Qt::AlignBottom);
    m_timeAxis = new QDateTimeAxis(m_chart);
    m_timeAxis->setTickCount(5);
    m_valueAxis = new QValueAxis(m_chart);
    m_valueAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_valueAxis, Qt::AlignLeft);
    // Added after the value axis: HistoryChartView attaches lines to the first vertical axis.
    m_ruleAxis = new QValueAxis(m_chart);
    m_ruleAxis->setLabelFormat(QStringLiteral("%.4g"));
    m_chart->addAxis(m_ruleAxis, Qt::AlignRight);
    m_ruleAxis->setVisible(false);
    m_shadeAxis = new QValueAxis(m_chart);
    m_shadeAxis->setRange(0, 1);
    m_chart->addAxis(m_shadeAxis, Qt::AlignRight);
    m_shadeAxis->setVisible(false);
    m_view = new HistoryChartView(m_chart, this);
    m_view->setObjectName(QStringLiteral("rulePreviewChart"));
    m_view->setMinimumHeight(220);
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("rulePreviewCaption"));
    m_caption->setWordWrap(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_caption);
    updateCaption();
}

void RulePreviewChart::clear()
{
    for (const QString &name : m_view->seriesNames())
        m_view->removeSeries(name);
    for (QLineSeries *l : std::as_const(m_ruleLines)) {
        m_chart->removeSeries(l);
        delete l;
    }
    m_ruleLines.clear();
    for (QAreaSeries *a : std::as_const(m_shades)) {
        m_chart->removeSeries(a);
        delete a;
    }
    m_shades.clear();
    m_threshold = nullptr;
    m_pendingShade = m_firingShade = nullptr;
    m_firing.clear();
    m_pending.clear();
    m_shown = 0;
    m_matched = -1;
    m_ruleAxis->setVisible(false);
    updateCaption();
}

QAreaSeries *RulePreviewChart::makeShade(
    const QList<BacktestSeries::Span> &spans, const QColor &color)
{
    // A step function between 0 and 1 on the hidden axis: one area for all spans.
    auto *upper = new QLineSeries;
    auto *lower = new QLineSeries;
    for (const BacktestSeries::Span &s : spans) {
        // A span of one evaluation still gets a visible sliver.
        const qreal to = qreal(qMax(s.toMs, s.fromMs + 1000));
        upper->append(qreal(s.fromMs), 0);
        upper->append(qreal(s.fromMs), 1);
        upper->append(to, 1);
        upper->append(to, 0);
    }
    if (!spans.isEmpty()) {
        lower->append(qreal(spans.first().fromMs), 0);
        lower->append(qreal(qMax(spans.last().toMs, spans.last().fromMs + 1000)), 0);
    }
    auto *area = new QAreaSeries(upper, lower);
    upper->setParent(area);
    lower->setParent(area);
    QColor fill = color;
    fill.setAlphaF(0.22);
    area->setBrush(fill);
    area->setPen(Qt::NoPen);
    m_chart->addSeries(area);
    area->attachAxis(m_timeAxis);
    area->attachAxis(m_shadeAxis);
    m_shades.append(area);
    return area;
}

void RulePreviewChart::setResult(const BacktestResult &result, const AlertRule &rule)
{
    clear();
    m_matched = result.matched;
    m_ruleText = promqlOf(rule);
    m_selector = rule.series.toString();
    const bool ruleLine = rule.function != WindowFunction::Last;
    double lo = qInf(), hi = -qInf(), rlo = rule.threshold, rhi = rule.threshold;
    const int shown = int(qMin<qsizetype>(result.series.size(), MaxLines));
    for (int i = 0; i < shown; ++i) {
        const BacktestSeries &s = result.series.at(i);
        QList<QPointF> points;
        points.reserve(s.samples.size());
        for (const auto &[ts, v] : s.samples) {
            if (!std::isfinite(v))
                continue;
            points.append(QPointF(qreal(ts), v));
            lo = qMin(lo, v);
            hi = qMax(hi, v);
        }
        // The legend has room for the labels that tell the series apart, not whole names.
        QStringList labels;
        for (auto it = s.labels.cbegin(); it != s.labels.cend(); ++it)
            labels << it.key() + QLatin1Char('=') + it.value();
        m_view->setSeriesPoints(
            labels.isEmpty() ? s.name : labels.join(QLatin1Char(',')), points, 1000);
        if (ruleLine) {
            auto *line = new QLineSeries;
            QPen pen = line->pen();
            pen.setStyle(Qt::DashLine);
            line->setPen(pen);
            for (const auto &[ts, v] : s.values)
                if (std::isfinite(v)) {
                    line->append(qreal(ts), v);
                    rlo = qMin(rlo, v);
                    rhi = qMax(rhi, v);
                }
            m_chart->addSeries(line);
            line->attachAxis(m_timeAxis);
            line->attachAxis(m_ruleAxis);
            m_ruleLines.append(line);
            if (i > 0) // one legend entry for the rule's lines
                for (QLegendMarker *m : m_chart->legend()->markers(line))
                    m->setVisible(false);
        }
        m_firing += s.firing;
        m_pending += s.pending;
    }
    m_shown = shown;
    // The threshold, on the axis the rule's value is read against.
    auto *threshold = new QLineSeries;
    QPen pen(StatusColors::critical());
    pen.setStyle(Qt::DotLine);
    pen.setWidthF(1.5);
    threshold->setPen(pen);
    threshold->append(qreal(result.fromMs), rule.threshold);
    threshold->append(qreal(result.toMs), rule.threshold);
    m_chart->addSeries(threshold);
    threshold->attachAxis(m_timeAxis);
    threshold->attachAxis(ruleLine ? m_ruleAxis : m_valueAxis);
    m_ruleLines.append(threshold);
    if (!ruleLine) {
        lo = qMin(lo, rule.threshold);
        hi = qMax(hi, rule.threshold);
    }
    std::sort(m_firing.begin(), m_firing.end(),
        [](const auto &a, const auto &b) { return a.fromMs < b.fromMs; });
    std::sort(m_pending.begin(), m_pending.end(),
        [](const auto &a, const auto &b) { return a.fromMs < b.fromMs; });
    m_threshold = threshold;
    m_function = toString(rule.function);
    m_thresholdText
        = toString(rule.op) + QLatin1Char(' ') + QString::number(rule.threshold, 'g', 6);
    m_pendingShade = m_pending.isEmpty() ? nullptr : makeShade(m_pending, StatusColors::warning());
    m_firingShade = m_firing.isEmpty() ? nullptr : makeShade(m_firing, StatusColors::critical());
    // Short labels: Qt Charts drops the time labels altogether when they overlap.
    m_timeAxis->setFormat(result.toMs - result.fromMs <= 24 * 3'600'000 ? QStringLiteral("HH:mm")
                                                                        : QStringLiteral("MMM d"));
    m_timeAxis->setRange(
        QDateTime::fromMSecsSinceEpoch(result.fromMs), QDateTime::fromMSecsSinceEpoch(result.toMs));
    const auto fit = [](QValueAxis *axis, double a, double b) {
        if (!std::isfinite(a) || !std::isfinite(b)) {
            axis->setRange(0, 1);
            return;
        }
        const double pad = qMax((b - a) * 0.08, qMax(std::abs(b) * 0.05, 1e-9));
        axis->setRange(a - pad, b + pad);
        axis->applyNiceNumbers();
    };
    fit(m_valueAxis, lo, hi);
    m_ruleAxis->setVisible(ruleLine);
    if (ruleLine)
        fit(m_ruleAxis, rlo, rhi);
    retranslate();
}

QString RulePreviewChart::caption() const
{
    return m_caption->text();
}

void RulePreviewChart::retranslate()
{
    // The rule's lines: the first carries the legend entry (the others hide theirs).
    for (QLineSeries *l : std::as_const(m_ruleLines))
        l->setName(l == m_threshold ? tr("threshold %1").arg(m_thresholdText)
                                    : tr("%1 over the window").arg(m_function));
    if (m_pendingShade)
        m_pendingShade->setName(tr("pending"));
    if (m_firingShade)
        m_firingShade->setName(tr("firing"));
    updateCaption();
}

void RulePreviewChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void RulePreviewChart::updateCaption()
{
    if (m_matched < 0) {
        m_caption->setText(tr("Preview a rule to see where it would have fired on the stored "
                              "history."));
        return;
    }
    if (m_matched == 0) {
        m_caption->setText(tr("No stored series matches %1 in this range.").arg(m_selector));
        return;
    }
    QString text = m_firing.size() == 1
        ? tr("%1: would have fired once").arg(m_ruleText)
        : tr("%1: would have fired %2 times").arg(m_ruleText).arg(m_firing.size());
    // Pending spans that end where a firing one starts led to it; the others cleared first.
    int cleared = 0;
    for (const BacktestSeries::Span &p : m_pending)
        cleared += std::none_of(m_firing.cbegin(), m_firing.cend(),
            [&p](const BacktestSeries::Span &f) { return f.fromMs == p.toMs; });
    if (cleared > 0)
        text += tr(", pending without firing: %1").arg(cleared);
    if (m_matched > m_shown)
        text += QLatin1String(" · ")
            + tr("%1 of %2 matching series shown").arg(m_shown).arg(m_matched);
    m_caption->setText(text + QLatin1Char('.'));
}

} // namespace Shivx::Ui
