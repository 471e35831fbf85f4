#include "pipelines/dagitems.h"

#include "widgets/statuscolors.h"

#include <QApplication>
#include <QFontMetricsF>
#include <QGraphicsScene>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <cmath>

namespace Shivx::Ui {

namespace {

constexpr double kRadius = 6;
constexpr double kPadding = 8;
constexpr double kSymbol = 10; // the state symbol's square
constexpr double kHalo = 4; // room around the box for the pulse ring and the selection
constexpr double kMinWidth = 96;
constexpr double kMaxWidth = 240;
constexpr double kHeight = 30;
constexpr double kArrow = 7;
// Below these zoom levels text, then antialiasing and arrow heads are skipped: at 45% an 8 pt
// label is about 5 px high and unreadable anyway; at 20% an arrow head is under 2 px.
constexpr double kTextDetail = DagNodeItem::detailedFrom;
constexpr double kEdgeDetail = 0.2;

enum class Fill { Outline, Tint, Solid };

struct Look
{
    QColor status;
    Fill fill;
    Qt::PenStyle border;
};

Look lookFor(DagNodeState state)
{
    switch (state) {
    case DagNodeState::Pending:
        return { StatusColors::unknown(), Fill::Outline, Qt::SolidLine };
    case DagNodeState::Queued:
        return { StatusColors::unknown(), Fill::Tint, Qt::DashLine };
    case DagNodeState::Running:
        return { StatusColors::warning(), Fill::Solid, Qt::SolidLine };
    case DagNodeState::Retrying:
        return { StatusColors::warning(), Fill::Tint, Qt::DashLine };
    case DagNodeState::Succeeded:
        return { StatusColors::ok(), Fill::Solid, Qt::SolidLine };
    case DagNodeState::Failed:
        return { StatusColors::critical(), Fill::Solid, Qt::SolidLine };
    case DagNodeState::Skipped:
        return { StatusColors::unknown(), Fill::Outline, Qt::DotLine };
    case DagNodeState::Cancelled:
        return { StatusColors::unknown(), Fill::Solid, Qt::SolidLine };
    }
    return { StatusColors::unknown(), Fill::Outline, Qt::SolidLine };
}

// The symbol of each state in a kSymbol square at `r`, in `color`.
void paintSymbol(QPainter *painter, DagNodeState state, const QRectF &r, const QColor &color)
{
    painter->save();
    QPen pen(color, 1.6);
    pen.setCapStyle(Qt::RoundCap);
    pen.setJoinStyle(Qt::RoundJoin);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    const QPointF c = r.center();
    const double h = r.width() / 2;
    switch (state) {
    case DagNodeState::Pending:
        painter->drawEllipse(c, h - 1, h - 1);
        break;
    case DagNodeState::Queued: // three dots: waiting in line
        painter->setBrush(color);
        painter->setPen(Qt::NoPen);
        for (const double dx : { -h + 1.2, 0.0, h - 1.2 })
            painter->drawEllipse(QPointF(c.x() + dx, c.y()), 1.3, 1.3);
        break;
    case DagNodeState::Running: { // play
        painter->setBrush(color);
        const QPointF play[3] = { { c.x() - h * 0.6, c.y() - h }, { c.x() + h, c.y() },
            { c.x() - h * 0.6, c.y() + h } };
        painter->drawPolygon(play, 3);
        break;
    }
    case DagNodeState::Succeeded: { // check
        const QPointF check[3] = { { c.x() - h, c.y() }, { c.x() - h * 0.3, c.y() + h * 0.7 },
            { c.x() + h, c.y() - h * 0.7 } };
        painter->drawPolyline(check, 3);
        break;
    }
    case DagNodeState::Failed: // cross
        painter->drawLine(
            QPointF(c.x() - h * 0.8, c.y() - h * 0.8), QPointF(c.x() + h * 0.8, c.y() + h * 0.8));
        painter->drawLine(
            QPointF(c.x() - h * 0.8, c.y() + h * 0.8), QPointF(c.x() + h * 0.8, c.y() - h * 0.8));
        break;
    case DagNodeState::Skipped: { // two chevrons: passed over
        for (const double dx : { -h * 0.6, h * 0.3 }) {
            const QPointF chevron[3] = { { c.x() + dx - h * 0.3, c.y() - h * 0.7 },
                { c.x() + dx + h * 0.3, c.y() }, { c.x() + dx - h * 0.3, c.y() + h * 0.7 } };
            painter->drawPolyline(chevron, 3);
        }
        break;
    }
    case DagNodeState::Cancelled: // no entry
        painter->drawEllipse(c, h - 1, h - 1);
        painter->drawLine(
            QPointF(c.x() - h * 0.6, c.y() + h * 0.6), QPointF(c.x() + h * 0.6, c.y() - h * 0.6));
        break;
    case DagNodeState::Retrying: { // circular arrow
        const QRectF ring(c.x() - h + 1, c.y() - h + 1, 2 * h - 2, 2 * h - 2);
        painter->drawArc(ring, 90 * 16, 270 * 16);
        const QPointF head[3] = { { c.x(), c.y() - h + 1 - 2.5 }, { c.x() + 2.5, c.y() - h + 1 },
            { c.x(), c.y() - h + 1 + 2.5 } };
        painter->drawPolyline(head, 3);
        break;
    }
    }
    painter->restore();
}

QColor over(const QColor &tint, const QColor &base)
{
    const double a = tint.alphaF();
    return QColor::fromRgbF(float(tint.redF() * a + base.redF() * (1 - a)),
        float(tint.greenF() * a + base.greenF() * (1 - a)),
        float(tint.blueF() * a + base.blueF() * (1 - a)));
}

} // namespace

DagNodeItem::DagNodeItem(int index, const QString &label, const QSizeF &size, DagNodeState state)
    : m_index(index)
    , m_label(label)
    , m_box(QPointF(0, 0), size)
    , m_state(state)
{
    setFlag(ItemIsSelectable);
    setCacheMode(DeviceCoordinateCache);
    setAcceptHoverEvents(false);
    setZValue(1);
}

QRectF DagNodeItem::boundingRect() const
{
    return m_box.adjusted(-kHalo, -kHalo, kHalo, kHalo);
}

QPainterPath DagNodeItem::shape() const
{
    QPainterPath path;
    path.addRoundedRect(m_box, kRadius, kRadius);
    return path;
}

void DagNodeItem::setState(DagNodeState state)
{
    if (state == m_state)
        return;
    m_state = state;
    m_pulse = 0;
    update();
}

bool DagNodeItem::pulses(DagNodeState state)
{
    return state == DagNodeState::Running || state == DagNodeState::Retrying;
}

void DagNodeItem::setPulse(double phase)
{
    m_pulse = phase;
    update();
}

QSizeF DagNodeItem::sizeFor(const QString &label, const QFont &font)
{
    const double text = QFontMetricsF(font).horizontalAdvance(label);
    const double width = std::clamp(std::ceil(text + kSymbol + 3 * kPadding), kMinWidth, kMaxWidth);
    return QSizeF(width, std::max(kHeight, std::ceil(QFontMetricsF(font).height() + 12)));
}

void DagNodeItem::paint(
    QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget * /*widget*/)
{
    const QPalette palette = QApplication::palette();
    const Look look = lookFor(m_state);
    const QColor base = palette.color(QPalette::Base);
    QColor fill = base;
    QColor text = palette.color(QPalette::Text);
    if (look.fill == Fill::Solid) {
        fill = look.status;
        text = StatusColors::textOn(fill);
    } else if (look.fill == Fill::Tint) {
        fill = over(StatusColors::tint(look.status), base);
    } else if (m_state == DagNodeState::Skipped) {
        text = look.status;
    }
    const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
    if (detail < kTextDetail) {
        painter->fillRect(m_box, look.fill == Fill::Outline ? look.status : fill);
        if (isSelected()) {
            painter->setPen(QPen(palette.color(QPalette::Highlight), 0));
            painter->setBrush(Qt::NoBrush);
            painter->drawRect(boundingRect());
        }
        return;
    }
    painter->setRenderHint(QPainter::Antialiasing);
    if (pulses(m_state)) {
        QColor ring = look.status;
        ring.setAlphaF(float(0.15 + 0.65 * std::sin(m_pulse * M_PI)));
        painter->setPen(QPen(ring, 3));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(m_box.adjusted(-2, -2, 2, 2), kRadius + 2, kRadius + 2);
    }
    QPen border(look.fill == Fill::Solid ? look.status.darker(115) : look.status, 1.5);
    border.setStyle(look.border);
    painter->setPen(border);
    painter->setBrush(fill);
    painter->drawRoundedRect(m_box.adjusted(0.75, 0.75, -0.75, -0.75), kRadius, kRadius);
    if (isSelected()) {
        painter->setPen(QPen(palette.color(QPalette::Highlight), 2.5));
        painter->setBrush(Qt::NoBrush);
        painter->drawRoundedRect(m_box.adjusted(-2.5, -2.5, 2.5, 2.5), kRadius + 2, kRadius + 2);
    }
    const QRectF symbol(
        m_box.left() + kPadding, m_box.center().y() - kSymbol / 2, kSymbol, kSymbol);
    paintSymbol(painter, m_state, symbol,
        look.fill == Fill::Solid || m_state == DagNodeState::Skipped ? text : look.status);
    const QRectF textRect = m_box.adjusted(2 * kPadding + kSymbol, 0, -kPadding, 0);
    const QFont font = scene() ? scene()->font() : QApplication::font();
    painter->setFont(font);
    painter->setPen(text);
    const QString shown
        = QFontMetricsF(font).elidedText(m_label, Qt::ElideMiddle, textRect.width());
    painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, shown);
}

DagEdgeItem::DagEdgeItem(const QList<QPointF> &route, bool leftToRight)
    : m_leftToRight(leftToRight)
{
    setZValue(0);
    setCacheMode(NoCache);
    if (route.isEmpty())
        return;
    m_tip = route.constLast();
    // The line runs to the tip under the arrow head; a flat cap keeps it from poking out.
    const QList<QPointF> &points = route;
    m_path.moveTo(points.first());
    for (int i = 1; i < points.size(); ++i) {
        const QPointF a = points[i - 1];
        const QPointF b = points[i];
        QPainterPath piece(a);
        const bool alongAxis = leftToRight ? a.y() == b.y() : a.x() == b.x();
        if (alongAxis) {
            piece.lineTo(b);
        } else {
            // Control points halfway across the gap keep the curve inside it and leave and
            // enter along the layer axis.
            const QPointF mid = (a + b) / 2;
            const QPointF c1 = leftToRight ? QPointF(mid.x(), a.y()) : QPointF(a.x(), mid.y());
            const QPointF c2 = leftToRight ? QPointF(mid.x(), b.y()) : QPointF(b.x(), mid.y());
            piece.cubicTo(c1, c2, b);
        }
        m_path.connectPath(piece);
        m_pieces.append(piece);
        m_pieceBounds.append(piece.boundingRect().adjusted(-2, -2, 2, 2));
    }
    m_bounds = m_path.boundingRect()
                   .united(QRectF(m_tip, m_tip))
                   .adjusted(-kArrow, -kArrow, kArrow, kArrow);
    // paint() needs the exposed rectangle to skip the pieces outside it.
    setFlag(ItemUsesExtendedStyleOption);
}

QRectF DagEdgeItem::boundingRect() const
{
    return m_bounds;
}

void DagEdgeItem::setHighlighted(bool highlighted)
{
    if (highlighted == m_highlighted)
        return;
    m_highlighted = highlighted;
    setZValue(highlighted ? 0.5 : 0);
    update();
}

void DagEdgeItem::paint(
    QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget * /*widget*/)
{
    const QPalette palette = QApplication::palette();
    // Text at half strength on Base: a neutral line in both palettes without a colour of its
    // own (60% looked heavy on the dark palette, where 500 stages have thousands of lines).
    QColor color
        = m_highlighted ? palette.color(QPalette::Highlight) : palette.color(QPalette::Text);
    if (!m_highlighted)
        color.setAlphaF(0.5f);
    const double detail = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setBrush(Qt::NoBrush);
    const bool far = detail < kEdgeDetail;
    if (far) {
        // Far out hundreds of edges share each pixel column; at full strength they hide the
        // boxes' colours, which are what the overview is for.
        if (!m_highlighted)
            color.setAlphaF(0.25f);
        painter->setPen(QPen(color, 0));
    } else {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(color, m_highlighted ? 2.2 : 1.3, Qt::SolidLine, Qt::FlatCap));
    }
    // A long edge spans many layers, and stroking all of it for the few pixels being repainted
    // (a pulsing box, the part in view at 100%) was most of a frame: draw only the pieces
    // that meet the exposed rectangle.
    // Widened by two device pixels: a cosmetic pen just outside may still touch pixels inside.
    const double slack = 2.0 / std::max(detail, 1e-3);
    const QRectF exposed = option->exposedRect.adjusted(-slack, -slack, slack, slack);
    if (exposed.contains(m_bounds)) {
        painter->drawPath(m_path);
    } else {
        for (int i = 0; i < int(m_pieces.size()); ++i) {
            if (m_pieceBounds[i].intersects(exposed))
                painter->drawPath(m_pieces[i]);
        }
    }
    if (far || !exposed.intersects(QRectF(m_tip, m_tip).adjusted(-kArrow, -kArrow, kArrow, kArrow)))
        return;
    const QPointF back = m_leftToRight ? QPointF(-kArrow, 0) : QPointF(0, -kArrow);
    const QPointF side = m_leftToRight ? QPointF(0, kArrow * 0.5) : QPointF(kArrow * 0.5, 0);
    const QPointF head[3] = { m_tip, m_tip + back + side, m_tip + back - side };
    painter->setPen(Qt::NoPen);
    painter->setBrush(color);
    painter->drawPolygon(head, 3);
}

} // namespace Shivx::Ui
