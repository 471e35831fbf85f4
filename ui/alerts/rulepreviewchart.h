#pragma once

#include "alerting/rulebacktest.h"

#include <QWidget>

class QAreaSeries;
class QChart;
class QDateTimeAxis;
class QLabel;
class QLineSeries;
class QValueAxis;

namespace Shivx::Ui {

class HistoryChartView;

// The rule editor's preview: the matching series as stored (left axis), the rule's value when
// its function is not `last` (dashed, right axis, where the threshold is drawn), and shading
// where the alert would have been firing (red) or pending (amber). At most MaxLines series
// are drawn; the legend line says how many matched. GUI thread only.
class RulePreviewChart : public QWidget
{
    Q_OBJECT
public:
    static constexpr int MaxLines = 8;

    explicit RulePreviewChart(QWidget *parent = nullptr);

    void setResult(const BacktestResult &result, const AlertRule &rule);
    void clear();

    // For tests: the shaded spans as drawn (epoch ms), over every series shown.
    QList<BacktestSeries::Span> firingSpans() const { return m_firing; }
    QList<BacktestSeries::Span> pendingSpans() const { return m_pending; }
    QString caption() const;
    void retranslate();

protected:
    void changeEvent(QEvent *event) override;

private:
    QAreaSeries *makeShade(const QList<BacktestSeries::Span> &spans, const QColor &color);
    void updateCaption();

    QChart *m_chart = nullptr;
    HistoryChartView *m_view = nullptr;
    QDateTimeAxis *m_timeAxis = nullptr;
    QValueAxis *m_valueAxis = nullptr;
    QValueAxis *m_ruleAxis = nullptr;
    QValueAxis *m_shadeAxis = nullptr;
    QLabel *m_caption = nullptr;
    QList<QLineSeries *> m_ruleLines;
    QList<QAreaSeries *> m_shades;
    QLineSeries *m_threshold = nullptr; // in m_ruleLines
    QAreaSeries *m_pendingShade = nullptr; // in m_shades
    QAreaSeries *m_firingShade = nullptr;
    QString m_function;
    QString m_thresholdText;
    QList<BacktestSeries::Span> m_firing;
    QList<BacktestSeries::Span> m_pending;
    int m_shown = 0;
    int m_matched = -1; // -1: nothing previewed yet
    QString m_ruleText;
    QString m_selector;
};

} // namespace Shivx::Ui
