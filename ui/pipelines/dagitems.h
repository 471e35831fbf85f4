#pragma once

#include "pipelines/daggraph.h"

#include <QGraphicsItem>
#include <QList>
#include <QPainterPath>
#include <QPointF>
#include <QString>

namespace Shivx::Ui {

// A stage as a rounded box: its state's status colour (filled for the states that say how a
// stage ended or that it runs, outlined or tinted for the waiting ones), a small painted
// symbol for the state so that colour is not the only cue, and the label, elided to the box.
// Far out (under ~45% zoom) it paints the box alone. Cached per view
// (DeviceCoordinateCache): a state change or a pulse step repaints this item only. Colours
// are read from StatusColors and the application palette when painting, so a theme change
// needs only update(). GUI thread.
class DagNodeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 0x44a1 };

    DagNodeItem(int index, const QString &label, const QSizeF &size, DagNodeState state);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    int index() const { return m_index; }
    QString label() const { return m_label; }
    // The box within the item's coordinates (the bounding rect adds room for the pulse).
    QRectF box() const { return m_box; }

    DagNodeState state() const { return m_state; }
    void setState(DagNodeState state);
    // Running and retrying stages pulse: a ring whose opacity follows `phase` (0..1), painted
    // only from this zoom level up (below it the box is painted plain, without text or ring).
    static bool pulses(DagNodeState state);
    static constexpr double detailedFrom = 0.45;
    void setPulse(double phase);

    // The box for `label` in `font`: the text plus room for the symbol and padding, between
    // a minimum and a maximum width (longer labels are elided).
    static QSizeF sizeFor(const QString &label, const QFont &font);

private:
    int m_index;
    QString m_label;
    QRectF m_box;
    DagNodeState m_state;
    double m_pulse = 0;
};

// A dependency: the route of DagLayout drawn with straight runs along the layer axis and
// S-curves in the gaps between layers (each curve stays inside its gap, so it passes through
// no node either), ending in an arrow head at the dependent. Highlighted while either end is
// selected. Far out it drops antialiasing and the arrow head. GUI thread.
class DagEdgeItem : public QGraphicsItem
{
public:
    enum { Type = UserType + 0x44a2 };

    DagEdgeItem(const QList<QPointF> &route, bool leftToRight);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    const QPainterPath &path() const { return m_path; }
    void setHighlighted(bool highlighted);
    bool isHighlighted() const { return m_highlighted; }

private:
    QPainterPath m_path;
    QList<QPainterPath> m_pieces; // one per route segment, for drawing only what is exposed
    QList<QRectF> m_pieceBounds;
    QPointF m_tip;
    bool m_leftToRight;
    bool m_highlighted = false;
    QRectF m_bounds;
};

} // namespace Shivx::Ui
