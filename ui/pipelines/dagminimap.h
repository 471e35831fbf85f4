#pragma once

#include <QGraphicsView>

namespace Shivx::Ui {

// An overview of another view's whole scene with the part that view shows as a rectangle.
// Pressing or dragging anywhere in it centres the other view there. It shares the scene (no
// copy to keep in step) and draws at a scale where the items skip their text. The other view
// must outlive it. GUI thread.
class DagMinimap : public QGraphicsView
{
    Q_OBJECT
public:
    explicit DagMinimap(QGraphicsView *main, QWidget *parent = nullptr);

    // The main view's visible part of the scene, as the rectangle shows it.
    QRectF visibleSceneRect() const;
    // Fits the whole scene again (after the scene rect changed).
    void refit();

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void centreMainOn(const QPoint &viewportPos);
    void retranslate();

    QGraphicsView *m_main;
    bool m_dragging = false;
};

} // namespace Shivx::Ui
