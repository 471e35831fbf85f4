#pragma once

#include <QChartView>
#include <QHash>
#include <QList>
#include <QPoint>
#include <QPointF>

class QLineSeries;

namespace Shivx::Ui {

// A chart view the operator can explore: drag a rectangle to zoom in, turn the wheel to
// zoom around the pointer, drag with the right or middle button (or use the arrow keys)
// to pan, +/- to zoom around the centre. It only moves the axes; the page decides what to
// load and when to return to the full range.
//
// It also owns the lines: one logical series (a metric) may be drawn as several QLineSeries
// pieces, because a QLineSeries always joins neighbouring points and would draw a straight
// line across an hour in which the engine was stopped. The pieces share a colour and one
// legend entry. Rejected alternative: NaN points as separators, which Qt Charts 6.4 draws
// unpredictably (and which CSV export and the axes would have to skip).
//
// The chart's background, text and grid follow the widget's palette (View > Theme).
class HistoryChartView : public QChartView
{
    Q_OBJECT
public:
    // `chart` must have its time (horizontal) and value (vertical) axes added already.
    explicit HistoryChartView(QChart *chart, QWidget *parent = nullptr);

    // Shows `points` (x = epoch milliseconds, ascending) as the line `name`, broken wherever
    // two neighbours are further apart than gapThresholdMs(). `stepMs` is the resolution of
    // the answer (1000 for raw samples). Reuses the pieces already shown for `name`.
    void setSeriesPoints(const QString &name, const QList<QPointF> &points, qint64 stepMs);
    // Removes (and deletes) every piece of `name`.
    void removeSeries(const QString &name);
    QStringList seriesNames() const { return m_segments.keys(); }
    // The pieces of `name`, oldest first; empty when it is not shown. Owned by the chart.
    QList<QLineSeries *> segments(const QString &name) const { return m_segments.value(name); }

    // Neighbours further apart than this are not joined: 3 × the larger of the resolution
    // step and the median spacing, so a sampler slower than the resolution does not
    // break every line.
    static double gapThresholdMs(const QList<QPointF> &points, qint64 stepMs);
    static QList<QList<QPointF>> splitAtGaps(const QList<QPointF> &points, qint64 stepMs);

Q_SIGNALS:
    // Emitted on the GUI thread after any zoom or pan the user made, so that the page stops
    // moving the axes back to the full range on its next refresh.
    void userNavigated();

protected:
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void followPalette();
    // Zooms the time axis by `factor` (> 1 zooms in) keeping the time under `anchor` in place.
    void zoomAround(const QPointF &anchor, double factor);
    QLineSeries *addSegment(const QString &name, QLineSeries *first);

    QHash<QString, QList<QLineSeries *>> m_segments;

    bool m_panning = false;
    QPoint m_lastPanPos;
    QPoint m_pressPos;
};

} // namespace Shivx::Ui
