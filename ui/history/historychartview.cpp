#include "history/historychartview.h"

#include "widgets/displayformat.h"

#include <QAbstractAxis>
#include <QApplication>
#include <QKeyEvent>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QLocale>
#include <QMouseEvent>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <vector>

namespace {

// Below this many points a line is a few pixels long; markers make the points findable.
constexpr int kSparsePoints = 60;

} // namespace

namespace Shivx::Ui {

HistoryChartView::HistoryChartView(QChart *chart, QWidget *parent)
    : QChartView(chart, parent)
{
    setRenderHint(QPainter::Antialiasing);
    setRubberBand(QChartView::RectangleRubberBand);
    setFocusPolicy(Qt::StrongFocus);
    followPalette();
}

void HistoryChartView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        followPalette();
    QChartView::changeEvent(event);
}

void HistoryChartView::followPalette()
{
    // Qt Charts paints with its own theme (ChartThemeLight: white), not the palette.
    // QChart::setTheme(ChartThemeDark) was rejected: it gives every QLineSeries a new colour,
    // which splits the pieces of one metric into several colours. The theme's line colours
    // keep 3:1 on the dark Base, the WCAG figure for graphics.
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    QChart *c = chart();
    c->setBackgroundBrush(pal.brush(QPalette::Base));
    c->setTitleBrush(text);
    c->legend()->setLabelColor(text);
    for (QAbstractAxis *axis : c->axes()) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(pal.color(QPalette::Mid));
    }
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

double HistoryChartView::gapThresholdMs(const QList<QPointF> &points, qint64 stepMs)
{
    std::vector<double> spacings;
    spacings.reserve(points.size());
    for (qsizetype i = 1; i < points.size(); ++i)
        spacings.push_back(points.at(i).x() - points.at(i - 1).x());
    double median = 0;
    if (!spacings.empty()) {
        // The median rather than the mean: one long outage must not hide itself.
        const auto mid = spacings.begin() + spacings.size() / 2;
        std::nth_element(spacings.begin(), mid, spacings.end());
        median = *mid;
    }
    return 3.0 * std::max(double(stepMs), median);
}

QList<QList<QPointF>> HistoryChartView::splitAtGaps(const QList<QPointF> &points, qint64 stepMs)
{
    QList<QList<QPointF>> pieces;
    if (points.isEmpty())
        return pieces;
    const double threshold = gapThresholdMs(points, stepMs);
    pieces.append(QList<QPointF> { points.first() });
    for (qsizetype i = 1; i < points.size(); ++i) {
        if (points.at(i).x() - points.at(i - 1).x() > threshold)
            pieces.append(QList<QPointF>());
        pieces.last().append(points.at(i));
    }
    return pieces;
}

void HistoryChartView::setSeriesPoints(
    const QString &name, const QList<QPointF> &points, qint64 stepMs)
{
    QList<QLineSeries *> &lines = m_segments[name];
    QList<QList<QPointF>> pieces = splitAtGaps(points, stepMs);
    if (pieces.isEmpty())
        pieces.append(QList<QPointF>()); // keep one (empty) line: the legend entry stays
    while (lines.size() < pieces.size())
        lines.append(addSegment(name, lines.value(0)));
    while (lines.size() > pieces.size()) {
        QLineSeries *extra = lines.takeLast();
        chart()->removeSeries(extra);
        delete extra;
    }
    const bool sparse = points.size() < kSparsePoints;
    for (qsizetype i = 0; i < pieces.size(); ++i) {
        // replace() swaps the whole list in one go; clear()+append() would repaint per point.
        lines.at(i)->replace(pieces.at(i));
        // A piece of one point draws nothing as a line; it needs its marker.
        lines.at(i)->setPointsVisible(sparse || pieces.at(i).size() == 1);
    }
}

void HistoryChartView::removeSeries(const QString &name)
{
    const QList<QLineSeries *> lines = m_segments.take(name);
    for (QLineSeries *line : lines) {
        chart()->removeSeries(line);
        delete line;
    }
}

QLineSeries *HistoryChartView::addSegment(const QString &name, QLineSeries *first)
{
    auto *line = new QLineSeries(chart());
    line->setName(name);
    chart()->addSeries(line);
    const QList<QAbstractAxis *> horizontal = chart()->axes(Qt::Horizontal);
    const QList<QAbstractAxis *> vertical = chart()->axes(Qt::Vertical);
    if (!horizontal.isEmpty())
        line->attachAxis(horizontal.first());
    if (!vertical.isEmpty())
        line->attachAxis(vertical.first());
    if (first) {
        // A continuation of `first`: its colour (the theme gave this piece a new one after
        // addSeries), and no legend entry of its own.
        line->setPen(first->pen());
        for (QLegendMarker *marker : chart()->legend()->markers(line))
            marker->setVisible(false);
    }
    connect(line, &QLineSeries::hovered, this, [this, line](const QPointF &point, bool state) {
        if (!state) {
            QToolTip::hideText();
            return;
        }
        QToolTip::showText(QCursor::pos(),
            tr("%1\n%2\n%3")
                .arg(line->name(), DisplayFormat::dateTime(qint64(point.x())),
                    QLocale().toString(point.y(), 'g', 6)),
            this);
    });
    return line;
}

} // namespace Shivx::Ui
