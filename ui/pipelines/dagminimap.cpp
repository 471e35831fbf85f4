#include "pipelines/dagminimap.h"

#include <QEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QScrollBar>

namespace Shivx::Ui {

DagMinimap::DagMinimap(QGraphicsView *main, QWidget *parent)
    : QGraphicsView(main->scene(), parent)
    , m_main(main)
{
    setInteractive(false);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFocusPolicy(Qt::NoFocus);
    setFrameShape(QFrame::Box);
    setCursor(Qt::PointingHandCursor);
    setOptimizationFlag(QGraphicsView::DontAdjustForAntialiasing);
    // The rectangle moves with every scroll of the main view; repaint the minimap then.
    const auto follow = [this] { viewport()->update(); };
    connect(m_main->horizontalScrollBar(), &QScrollBar::valueChanged, this, follow);
    connect(m_main->verticalScrollBar(), &QScrollBar::valueChanged, this, follow);
    connect(m_main->horizontalScrollBar(), &QScrollBar::rangeChanged, this, follow);
    connect(m_main->verticalScrollBar(), &QScrollBar::rangeChanged, this, follow);
    retranslate();
}

QRectF DagMinimap::visibleSceneRect() const
{
    return m_main->mapToScene(m_main->viewport()->rect()).boundingRect().intersected(sceneRect());
}

void DagMinimap::refit()
{
    if (scene())
        setSceneRect(scene()->sceneRect());
    fitInView(sceneRect(), Qt::KeepAspectRatio);
    viewport()->update();
}

void DagMinimap::drawForeground(QPainter *painter, const QRectF & /*rect*/)
{
    const QRectF visible = visibleSceneRect();
    if (visible.isEmpty())
        return;
    QColor edge = palette().color(QPalette::Highlight);
    QColor fill = edge;
    fill.setAlphaF(0.18f);
    painter->setPen(QPen(edge, 0));
    painter->setBrush(fill);
    painter->drawRect(visible);
}

void DagMinimap::centreMainOn(const QPoint &viewportPos)
{
    m_main->centerOn(mapToScene(viewportPos));
    viewport()->update();
}

void DagMinimap::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QGraphicsView::mousePressEvent(event);
    m_dragging = true;
    centreMainOn(event->position().toPoint());
    event->accept();
}

void DagMinimap::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging)
        return QGraphicsView::mouseMoveEvent(event);
    centreMainOn(event->position().toPoint());
    event->accept();
}

void DagMinimap::mouseReleaseEvent(QMouseEvent *event)
{
    m_dragging = false;
    event->accept();
}

void DagMinimap::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    refit();
}

void DagMinimap::wheelEvent(QWheelEvent *event)
{
    // The overview always shows everything; the wheel belongs to the main view.
    event->ignore();
}

void DagMinimap::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QGraphicsView::changeEvent(event);
}

void DagMinimap::retranslate()
{
    setToolTip(tr("Overview of the whole graph: click or drag to move the view there"));
    setAccessibleName(tr("Graph overview"));
}

} // namespace Shivx::Ui
