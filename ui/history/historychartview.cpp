#include "history/historychartview.h"

#include <QApplication>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QWheelEvent>

#include <cmath>

namespace Shivx::Ui {

HistoryChartView::HistoryChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setFocusPolicy(Qt::StrongFocus);
}

void HistoryChartView::mousePressEvent(QMouseEvent *event)
{
    // QChartView zooms out on a right click when a rubber band is set; the right button
    // pans here instead, which is what the hint under the chart promises.
    if (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton) {
        m_panning = true;
        m_lastPanPos = event->position().toPoint();
        setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    if (event->button() == Qt::LeftButton)
        m_pressPos = event->position().toPoint();
    QChartView::mousePressEvent(event);
}

void HistoryChartView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint pos = event->position().toPoint();
        const QPoint delta = pos - m_lastPanPos;
        m_lastPanPos = pos;
        if (!delta.isNull()) {
            chart()->scroll(-delta.x(), delta.y());
            Q_EMIT userNavigated();
        }
        event->accept();
        return;
    }
    QChartView::mouseMoveEvent(event);
}

void HistoryChartView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning && (event->button() == Qt::RightButton || event->button() == Qt::MiddleButton)) {
        m_panning = false;
        unsetCursor();
        event->accept();
        return;
    }
    QChartView::mouseReleaseEvent(event);
    // A click is not a zoom: only a dragged rectangle moved the axes.
    if (event->button() == Qt::LeftButton
        && (event->position().toPoint() - m_pressPos).manhattanLength()
            >= QApplication::startDragDistance())
        Q_EMIT userNavigated();
}

void HistoryChartView::wheelEvent(QWheelEvent *event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps == 0) {
        QChartView::wheelEvent(event);
        return;
    }
    const QPointF anchor = chart()->mapFromScene(mapToScene(event->position().toPoint()));
    zoomAround(anchor, std::pow(1.25, steps));
    event->accept();
}

void HistoryChartView::keyPressEvent(QKeyEvent *event)
{
    const QRectF area = chart()->plotArea();
    const double stepX = area.width() / 10.0;
    const double stepY = area.height() / 10.0;
    switch (event->key()) {
    case Qt::Key_Left:
        chart()->scroll(-stepX, 0);
        break;
    case Qt::Key_Right:
        chart()->scroll(stepX, 0);
        break;
    case Qt::Key_Up:
        chart()->scroll(0, stepY);
        break;
    case Qt::Key_Down:
        chart()->scroll(0, -stepY);
        break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        zoomAround(area.center(), 1.25);
        break;
    case Qt::Key_Minus:
        zoomAround(area.center(), 0.8);
        break;
    default:
        QChartView::keyPressEvent(event);
        return;
    }
    Q_EMIT userNavigated();
    event->accept();
}

void HistoryChartView::zoomAround(const QPointF &anchor, double factor)
{
    const QRectF area = chart()->plotArea();
    if (!area.contains(anchor) || factor <= 0)
        return;
    // Only the time axis: the rectangle that will fill the plot area is narrowed (or widened)
    // by `factor` and placed so that the time under the anchor keeps its position. Values
    // keep their scale; the rubber band is there for zooming into them.
    const double width = area.width() / factor;
    const double left = anchor.x() - (anchor.x() - area.left()) / factor;
    chart()->zoomIn(QRectF(left, area.top(), width, area.height()));
    Q_EMIT userNavigated();
}

} // namespace Shivx::Ui
