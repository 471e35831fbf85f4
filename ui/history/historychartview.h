#pragma once

#include <QChartView>
#include <QPoint>

namespace Shivx::Ui {

// A chart view the operator can explore: drag a rectangle to zoom in, turn the wheel to
// zoom around the pointer, drag with the right or middle button (or use the arrow keys)
// to pan, +/- to zoom around the centre. It only moves the axes; the page decides what to
// load and when to return to the full range.
class HistoryChartView : public QChartView
{
    Q_OBJECT
public:
    explicit HistoryChartView(QChart *chart, QWidget *parent = nullptr);

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

private:
    // Zooms the time axis by `factor` (> 1 zooms in) keeping the time under `anchor` in place.
    void zoomAround(const QPointF &anchor, double factor);

    bool m_panning = false;
    QPoint m_lastPanPos;
    QPoint m_pressPos;
};

} // namespace Shivx::Ui
