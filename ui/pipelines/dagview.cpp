#include "pipelines/dagview.h"

#include "pipelines/dagitems.h"
#include "pipelines/dagminimap.h"

#include <QEvent>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QMouseEvent>
#include <QScrollBar>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace Shivx::Ui {

namespace {

constexpr double kZoomStep = 1.25;
constexpr double kSceneMargin = 24;
constexpr int kPulseIntervalMs = 60;
constexpr int kPulsePeriodMs = 1400;

} // namespace

namespace Internal {

// The drawing itself: wheel zooms around the cursor, the background drags to pan, keys zoom
// and move the selection. Everything it decides goes back to its DagView.
class DagGraphicsView : public QGraphicsView
{
public:
    DagGraphicsView(QGraphicsScene *scene, DagView *owner)
        : QGraphicsView(scene, owner)
        , m_owner(owner)
    {
        setDragMode(QGraphicsView::ScrollHandDrag);
        setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
        setResizeAnchor(QGraphicsView::AnchorViewCenter);
        setRenderHint(QPainter::Antialiasing);
        setFocusPolicy(Qt::StrongFocus);
        // Items paint within their bounding rects, so the painter state need not be saved
        // around each; the BSP index (the default) finds the few items an update touches.
        setOptimizationFlag(QGraphicsView::DontSavePainterState);
    }

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        const int delta = event->angleDelta().y();
        if (delta == 0 || (event->modifiers() & Qt::ShiftModifier))
            return QGraphicsView::wheelEvent(event);
        m_owner->zoomBy(std::pow(kZoomStep, delta / 120.0));
        event->accept();
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        if (event->button() == Qt::LeftButton) {
            for (QGraphicsItem *item : items(event->position().toPoint())) {
                if (item->type() == DagNodeItem::Type) {
                    m_owner->nodeClicked(static_cast<DagNodeItem *>(item));
                    event->accept();
                    return;
                }
            }
        }
        QGraphicsView::mousePressEvent(event);
    }

    void keyPressEvent(QKeyEvent *event) override
    {
        const Qt::KeyboardModifiers mods
            = event->modifiers() & ~(Qt::KeypadModifier | Qt::ShiftModifier);
        if (event->matches(QKeySequence::ZoomIn)
            || (mods == Qt::NoModifier
                && (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal))) {
            m_owner->zoomIn();
        } else if (event->matches(QKeySequence::ZoomOut)
            || (mods == Qt::NoModifier && event->key() == Qt::Key_Minus)) {
            m_owner->zoomOut();
        } else if (mods == Qt::NoModifier && event->key() == Qt::Key_0) {
            m_owner->resetZoom();
        } else if (mods == Qt::NoModifier && event->key() == Qt::Key_F) {
            m_owner->fitToView();
        } else if (mods == Qt::NoModifier && event->key() == Qt::Key_Left) {
            m_owner->moveSelection(-1, 0);
        } else if (mods == Qt::NoModifier && event->key() == Qt::Key_Right) {
            m_owner->moveSelection(1, 0);
        } else if (mods == Qt::NoModifier && event->key() == Qt::Key_Up) {
            m_owner->moveSelection(0, -1);
        } else if (mods == Qt::NoModifier && event->key() == Qt::Key_Down) {
            m_owner->moveSelection(0, 1);
        } else if (mods == Qt::NoModifier
            && (event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter
                || event->key() == Qt::Key_Space)) {
            m_owner->activateSelected();
        } else {
            return QGraphicsView::keyPressEvent(event);
        }
        event->accept();
    }

    void resizeEvent(QResizeEvent *event) override
    {
        QGraphicsView::resizeEvent(event);
        if (m_owner->m_fitPending)
            m_owner->fitToView();
        m_owner->placeMinimap();
    }

    void scrollContentsBy(int dx, int dy) override
    {
        QGraphicsView::scrollContentsBy(dx, dy);
        m_owner->placeMinimap();
    }

private:
    DagView *m_owner;
};

} // namespace Internal

DagView::DagView(QWidget *parent)
    : QWidget(parent)
    , m_scene(new QGraphicsScene(this))
    , m_view(new Internal::DagGraphicsView(m_scene, this))
    , m_minimap(new DagMinimap(m_view, m_view))
    , m_message(new QLabel(this))
    , m_zoomLabel(new QLabel(this))
    , m_zoomOut(new QToolButton(this))
    , m_zoomIn(new QToolButton(this))
    , m_zoomReset(new QToolButton(this))
    , m_fit(new QToolButton(this))
    , m_pulseTimer(new QTimer(this))
{
    m_scene->setFont(font());
    m_message->setWordWrap(true);
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();
    m_minimap->hide();

    auto *tools = new QHBoxLayout;
    tools->setContentsMargins(0, 0, 0, 0);
    // Named for the page's keyboard walk and its tests.
    m_view->setObjectName(QStringLiteral("dagGraphicsView"));
    m_zoomOut->setObjectName(QStringLiteral("dagZoomOut"));
    m_zoomIn->setObjectName(QStringLiteral("dagZoomIn"));
    m_zoomReset->setObjectName(QStringLiteral("dagZoomReset"));
    m_fit->setObjectName(QStringLiteral("dagFit"));
    for (QToolButton *button : { m_zoomOut, m_zoomIn, m_zoomReset, m_fit }) {
        button->setAutoRaise(true);
        button->setFocusPolicy(Qt::TabFocus);
        tools->addWidget(button);
    }
    tools->addWidget(m_zoomLabel);
    tools->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(tools);
    layout->addWidget(m_message);
    layout->addWidget(m_view, 1);

    connect(m_zoomOut, &QToolButton::clicked, this, &DagView::zoomOut);
    connect(m_zoomIn, &QToolButton::clicked, this, &DagView::zoomIn);
    connect(m_zoomReset, &QToolButton::clicked, this, &DagView::resetZoom);
    connect(m_fit, &QToolButton::clicked, this, &DagView::fitToView);
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &DagView::onSceneSelectionChanged);
    m_pulseTimer->setInterval(kPulseIntervalMs);
    connect(m_pulseTimer, &QTimer::timeout, this, &DagView::pulse);
    setFocusProxy(m_view);
    retranslate();
    afterZoom();
}

DagView::~DagView()
{
    // The scene is deleted after this object's members; its items must not report their
    // deselection to a half-destroyed view, and the views must be gone before it detaches
    // them (detaching scrolls them, and the view calls back into this object on a scroll).
    disconnect(m_scene, nullptr, this, nullptr);
    delete m_minimap;
    delete m_view;
}

QGraphicsView *DagView::graphicsView() const
{
    return m_view;
}

QString DagView::stateName(DagNodeState state)
{
    switch (state) {
    case DagNodeState::Pending:
        return tr("Pending");
    case DagNodeState::Queued:
        return tr("Queued");
    case DagNodeState::Running:
        return tr("Running");
    case DagNodeState::Succeeded:
        return tr("Succeeded");
    case DagNodeState::Failed:
        return tr("Failed");
    case DagNodeState::Skipped:
        return tr("Skipped");
    case DagNodeState::Cancelled:
        return tr("Cancelled");
    case DagNodeState::Retrying:
        return tr("Retrying");
    }
    return QString();
}

QString DagView::wording(const Error &error) const
{
    if (error.code == QLatin1String("dag.cycle")) {
        QStringList names;
        for (const QVariant &name : error.args)
            names.append(name.toString());
        return tr("The graph cannot be shown: its stages depend on each other in a cycle (%1).")
            .arg(names.join(QStringLiteral(" → ")));
    }
    if (error.code == QLatin1String("dag.duplicate_id"))
        return tr("The graph cannot be shown: two stages are named “%1”.")
            .arg(error.args.value(0).toString());
    if (error.code == QLatin1String("dag.unknown_node"))
        return tr("The graph cannot be shown: the dependency %1 → %2 names the stage “%3”, "
                  "which does not exist.")
            .arg(error.args.value(0).toString(), error.args.value(1).toString(),
                error.args.value(2).toString());
    return tr("The graph cannot be shown: %1").arg(error.message);
}

void DagView::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
}

void DagView::clear()
{
    m_pulseTimer->stop();
    const bool hadSelection = m_highlighted != nullptr;
    m_highlighted = nullptr;
    {
        // Deleting the items deselects them one by one; one signal afterwards is enough.
        const QSignalBlocker blocker(m_scene);
        m_scene->clear();
    }
    m_nodes.clear();
    m_edges.clear();
    m_edgesOf.clear();
    m_ids.clear();
    m_indexOf.clear();
    m_layout = DagLayoutResult();
    m_pulsing = 0;
    m_scene->setSceneRect(QRectF());
    m_minimap->hide();
    if (hadSelection)
        Q_EMIT selectedNodeChanged(QString());
}

int DagView::nodeCount() const
{
    return int(m_nodes.size());
}

Result<void> DagView::setGraph(const DagGraph &graph)
{
    const QString previousSelection = selectedNode();
    clear();
    m_error = Error();
    DagLayoutInput input;
    QHash<QString, int> indexOf;
    QList<QString> labels;
    for (const DagNode &node : graph.nodes) {
        if (indexOf.contains(node.id)) {
            m_error = makeError("dag.duplicate_id",
                QStringLiteral("two nodes have the id \"%1\"").arg(node.id), { node.id });
            break;
        }
        indexOf.insert(node.id, int(input.ids.size()));
        input.ids.append(node.id);
        labels.append(node.label.isEmpty() ? node.id : node.label);
        input.sizes.append(DagNodeItem::sizeFor(labels.constLast(), m_scene->font()));
    }
    for (const DagEdge &edge : graph.edges) {
        if (!m_error.code.isEmpty())
            break;
        const int from = indexOf.value(edge.from, -1);
        const int to = indexOf.value(edge.to, -1);
        if (from < 0 || to < 0) {
            const QString unknown = from < 0 ? edge.from : edge.to;
            m_error = makeError("dag.unknown_node",
                QStringLiteral("the edge %1 -> %2 names \"%3\", which is not a node")
                    .arg(edge.from, edge.to, unknown),
                { edge.from, edge.to, unknown });
            break;
        }
        input.edges.append({ from, to });
    }
    DagLayoutOptions options;
    if (m_error.code.isEmpty()) {
        auto laidOut = DagLayout::compute(input, options);
        if (laidOut.ok())
            m_layout = std::move(laidOut).value();
        else
            m_error = laidOut.error();
    }
    if (!m_error.code.isEmpty()) {
        showMessage(wording(m_error));
        return m_error;
    }
    showMessage(QString());

    m_ids = input.ids;
    m_indexOf = indexOf;
    m_edgesOf.resize(m_ids.size());
    m_nodes.reserve(m_ids.size());
    for (int i = 0; i < int(m_ids.size()); ++i) {
        auto *item = new DagNodeItem(i, labels[i], input.sizes[i], graph.nodes[i].state);
        item->setPos(m_layout.nodeRects[i].topLeft());
        m_scene->addItem(item);
        m_nodes.append(item);
        updateNodeToolTip(item);
        if (DagNodeItem::pulses(item->state()))
            ++m_pulsing;
    }
    const bool leftToRight = options.direction == DagLayoutOptions::Direction::LeftToRight;
    for (int e = 0; e < int(input.edges.size()); ++e) {
        auto *item = new DagEdgeItem(m_layout.edgeRoutes[e], leftToRight);
        m_scene->addItem(item);
        m_edges.append(item);
        m_edgesOf[input.edges[e].first].append(e);
        m_edgesOf[input.edges[e].second].append(e);
    }
    m_scene->setSceneRect(QRectF(QPointF(0, 0), m_layout.size)
                              .adjusted(-kSceneMargin, -kSceneMargin, kSceneMargin, kSceneMargin));
    m_minimap->refit();
    if (!previousSelection.isEmpty())
        selectNode(previousSelection);
    m_fitPending = true;
    if (isVisible())
        fitToView();
    updatePulseTimer();
    return {};
}

bool DagView::setNodeState(const QString &id, DagNodeState state)
{
    const int index = m_indexOf.value(id, -1);
    if (index < 0)
        return false;
    DagNodeItem *item = m_nodes[index];
    if (item->state() == state)
        return true;
    m_pulsing += int(DagNodeItem::pulses(state)) - int(DagNodeItem::pulses(item->state()));
    item->setState(state);
    updateNodeToolTip(item);
    if (item->isSelected())
        onSceneSelectionChanged();
    updatePulseTimer();
    return true;
}

std::optional<DagNodeState> DagView::nodeState(const QString &id) const
{
    const int index = m_indexOf.value(id, -1);
    if (index < 0)
        return std::nullopt;
    return m_nodes[index]->state();
}

void DagView::updateNodeToolTip(DagNodeItem *item)
{
    item->setToolTip(
        tr("%1: %2", "stage name: state").arg(item->label(), stateName(item->state())));
}

DagNodeItem *DagView::selectedItem() const
{
    for (QGraphicsItem *item : m_scene->selectedItems()) {
        if (item->type() == DagNodeItem::Type)
            return static_cast<DagNodeItem *>(item);
    }
    return nullptr;
}

QString DagView::selectedNode() const
{
    const DagNodeItem *item = selectedItem();
    return item ? m_ids[item->index()] : QString();
}

bool DagView::selectNode(const QString &id)
{
    if (id.isEmpty()) {
        m_scene->clearSelection();
        return true;
    }
    const int index = m_indexOf.value(id, -1);
    if (index < 0)
        return false;
    DagNodeItem *item = m_nodes[index];
    if (!item->isSelected()) {
        // One signal for the change: clearSelection() alone would announce an empty one.
        const QSignalBlocker blocker(m_scene);
        m_scene->clearSelection();
        item->setSelected(true);
    }
    onSceneSelectionChanged();
    m_view->ensureVisible(item, 48, 48);
    return true;
}

QRectF DagView::nodeSceneRect(const QString &id) const
{
    const int index = m_indexOf.value(id, -1);
    return index < 0 ? QRectF() : m_nodes[index]->mapRectToScene(m_nodes[index]->box());
}

void DagView::nodeClicked(DagNodeItem *item)
{
    const QString id = m_ids[item->index()];
    selectNode(id);
    m_view->setFocus(Qt::MouseFocusReason);
    Q_EMIT nodeActivated(id);
}

void DagView::activateSelected()
{
    if (const DagNodeItem *item = selectedItem())
        Q_EMIT nodeActivated(m_ids[item->index()]);
}

// The nearest node whose centre lies in the direction (dx, dy) from the selected one, the
// distance across that direction weighing three times as much as along it; with nothing
// selected, the first node of the first layer.
void DagView::moveSelection(int dx, int dy)
{
    if (m_nodes.isEmpty())
        return;
    const DagNodeItem *current = selectedItem();
    if (!current) {
        const int first
            = m_layout.layers.isEmpty() || m_layout.layers[0].isEmpty() ? 0 : m_layout.layers[0][0];
        selectNode(m_ids[first]);
        return;
    }
    const QPointF from = m_layout.nodeRects[current->index()].center();
    int best = -1;
    double bestScore = 0;
    for (int i = 0; i < int(m_nodes.size()); ++i) {
        const QPointF d = m_layout.nodeRects[i].center() - from;
        const double along = d.x() * dx + d.y() * dy;
        const double across = std::abs(d.x() * dy) + std::abs(d.y() * dx);
        if (along <= 1)
            continue;
        const double score = along + 3 * across;
        if (best < 0 || score < bestScore) {
            best = i;
            bestScore = score;
        }
    }
    if (best >= 0)
        selectNode(m_ids[best]);
}

void DagView::onSceneSelectionChanged()
{
    DagNodeItem *item = selectedItem();
    if (item != m_highlighted) {
        if (m_highlighted) {
            for (const int e : m_edgesOf[m_highlighted->index()])
                m_edges[e]->setHighlighted(false);
        }
        m_highlighted = item;
        if (item) {
            for (const int e : m_edgesOf[item->index()])
                m_edges[e]->setHighlighted(true);
        }
        Q_EMIT selectedNodeChanged(item ? m_ids[item->index()] : QString());
    }
    m_view->setAccessibleDescription(item
            ? tr("Selected stage: %1, %2").arg(item->label(), stateName(item->state()))
            : QString());
}

double DagView::zoom() const
{
    return m_view->transform().m11();
}

void DagView::setZoom(double zoom)
{
    const double clamped = std::clamp(zoom, minimumZoom, maximumZoom);
    const QGraphicsView::ViewportAnchor anchor = m_view->transformationAnchor();
    m_view->setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    m_view->setTransform(QTransform::fromScale(clamped, clamped));
    m_view->setTransformationAnchor(anchor);
    m_fitPending = false;
    afterZoom();
}

void DagView::zoomBy(double factor)
{
    const double target = std::clamp(zoom() * factor, minimumZoom, maximumZoom);
    if (target == zoom())
        return;
    // scale() keeps the transformation anchor (the cursor for the wheel) in place.
    m_view->scale(target / zoom(), target / zoom());
    m_fitPending = false;
    afterZoom();
}

void DagView::zoomIn()
{
    const QGraphicsView::ViewportAnchor anchor = m_view->transformationAnchor();
    m_view->setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    zoomBy(kZoomStep);
    m_view->setTransformationAnchor(anchor);
}

void DagView::zoomOut()
{
    const QGraphicsView::ViewportAnchor anchor = m_view->transformationAnchor();
    m_view->setTransformationAnchor(QGraphicsView::AnchorViewCenter);
    zoomBy(1 / kZoomStep);
    m_view->setTransformationAnchor(anchor);
}

void DagView::resetZoom()
{
    setZoom(1.0);
}

void DagView::fitToView()
{
    const QRectF scene = m_scene->sceneRect();
    const QSize viewport = m_view->viewport()->size();
    if (scene.isEmpty() || viewport.isEmpty())
        return;
    const double fit
        = std::min(viewport.width() / scene.width(), viewport.height() / scene.height());
    setZoom(std::min(1.0, fit));
    m_view->centerOn(scene.center());
    m_fitPending = !isVisible();
    afterZoom();
}

void DagView::afterZoom()
{
    m_zoomLabel->setText(tr("%1%", "zoom level").arg(QLocale().toString(qRound(zoom() * 100))));
    m_zoomIn->setEnabled(zoom() < maximumZoom);
    m_zoomOut->setEnabled(zoom() > minimumZoom);
    placeMinimap();
    Q_EMIT zoomChanged(zoom());
}

// The minimap sits in the viewport's bottom right corner, shaped like the scene, and shows
// only while part of the graph is out of view.
void DagView::placeMinimap()
{
    const QRectF scene = m_scene->sceneRect();
    const QWidget *viewport = m_view->viewport();
    // Compared in viewport pixels: a fitted view may miss the scene by a rounding pixel, which
    // is many scene pixels far out.
    const QRect shown = m_view->mapFromScene(scene).boundingRect();
    const bool needed = !m_nodes.isEmpty() && !scene.isEmpty()
        && !viewport->rect().adjusted(-2, -2, 2, 2).contains(shown) && viewport->width() > 240
        && viewport->height() > 160;
    if (!needed) {
        m_minimap->hide();
        return;
    }
    // Long pipelines are much wider than high: let those use more width than tall ones.
    const double maxWidth = std::min(360.0, viewport->width() * 0.4);
    const double maxHeight = std::min(160.0, viewport->height() * 0.3);
    const double scale = std::min(maxWidth / scene.width(), maxHeight / scene.height());
    const QSize size(std::max(48, qRound(scene.width() * scale) + 4),
        std::max(32, qRound(scene.height() * scale) + 4));
    const QPoint corner = viewport->geometry().bottomRight() - QPoint(8, 8);
    m_minimap->setGeometry(QRect(corner - QPoint(size.width(), size.height()), size));
    m_minimap->show();
    m_minimap->raise();
    m_minimap->viewport()->update();
}

void DagView::updatePulseTimer()
{
    const bool wanted = m_pulsing > 0 && isVisible();
    if (wanted && !m_pulseTimer->isActive()) {
        m_pulseClock.start();
        m_pulseTimer->start();
    } else if (!wanted) {
        m_pulseTimer->stop();
    }
}

void DagView::pulse()
{
    // Far out the boxes are painted without their ring: repainting them would show nothing.
    if (zoom() < DagNodeItem::detailedFrom)
        return;
    const double phase = double(m_pulseClock.elapsed() % kPulsePeriodMs) / kPulsePeriodMs;
    for (DagNodeItem *item : std::as_const(m_nodes)) {
        if (DagNodeItem::pulses(item->state()))
            item->setPulse(phase);
    }
}

void DagView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_fitPending)
        fitToView();
    updatePulseTimer();
}

void DagView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updatePulseTimer();
}

void DagView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        retranslate();
    } else if (event->type() == QEvent::PaletteChange) {
        // Items read their colours when painting; update() also drops their cached pixmaps.
        for (QGraphicsItem *item : m_scene->items())
            item->update();
    } else if (event->type() == QEvent::FontChange) {
        m_scene->setFont(font());
    }
    QWidget::changeEvent(event);
}

void DagView::retranslate()
{
    m_zoomOut->setText(tr("−", "zoom out button"));
    m_zoomOut->setToolTip(tr("Zoom out (-)"));
    m_zoomOut->setAccessibleName(tr("Zoom out"));
    m_zoomIn->setText(tr("+", "zoom in button"));
    m_zoomIn->setToolTip(tr("Zoom in (+)"));
    m_zoomIn->setAccessibleName(tr("Zoom in"));
    m_zoomReset->setText(tr("1:1", "zoom to actual size button"));
    m_zoomReset->setToolTip(tr("Actual size (0)"));
    m_zoomReset->setAccessibleName(tr("Actual size"));
    m_fit->setText(tr("Fit"));
    m_fit->setToolTip(tr("Fit the whole graph into view (F)"));
    m_fit->setAccessibleName(tr("Fit to view"));
    m_zoomLabel->setToolTip(tr("Zoom level; the mouse wheel zooms, dragging the background "
                               "moves the view"));
    m_view->setAccessibleName(tr("Pipeline graph"));
    m_view->setToolTip(QString());
    for (DagNodeItem *item : std::as_const(m_nodes))
        updateNodeToolTip(item);
    if (!m_error.code.isEmpty())
        showMessage(wording(m_error));
    afterZoom();
}

} // namespace Shivx::Ui
