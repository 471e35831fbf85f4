#pragma once

#include "core/result.h"
#include "pipelines/daggraph.h"
#include "pipelines/daglayout.h"

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

#include <optional>

class QGraphicsScene;
class QGraphicsView;
class QLabel;
class QTimer;
class QToolButton;

namespace Shivx::Ui {

class DagEdgeItem;
class DagMinimap;
class DagNodeItem;

namespace Internal {
class DagGraphicsView;
}

// A DAG of stages as a layered drawing (DagLayout, left to right): rounded boxes in their
// state's status colour (running and retrying ones pulse), arrows from each dependency to its
// dependent, zoom (wheel, + - 0, F to fit, the buttons), panning by dragging the background,
// and a minimap to move around once the graph does not fit. State updates repaint one box and
// never lay out again, so a 500-stage run stays smooth.
//
// Mouse: click a stage to select it and emit nodeActivated. Keyboard: arrows move the
// selection to the nearest stage that way, Enter or Space activates it.
//
// Knows nothing of the pipeline engine: the page maps its stages onto a DagGraph and its state
// changes onto setNodeState(). GUI thread only.
class DagView : public QWidget
{
    Q_OBJECT
public:
    explicit DagView(QWidget *parent = nullptr);
    ~DagView() override;

    // Lays out and shows `graph` in place of the one shown, then fits it into view (at most
    // 100%). Fails, showing the reason in the view and an empty graph, when two nodes share an
    // id ("dag.duplicate_id"), an edge names an unknown id ("dag.unknown_node") or the edges
    // form a cycle ("dag.cycle", the cycle named).
    Result<void> setGraph(const DagGraph &graph);
    void clear();
    int nodeCount() const;

    // Repaints that node in its new state's colours; no layout. False for an unknown id.
    bool setNodeState(const QString &id, DagNodeState state);
    std::optional<DagNodeState> nodeState(const QString &id) const;

    // The selected node's id (empty for none). selectNode() scrolls it into view and emits
    // selectedNodeChanged, but not nodeActivated; an empty id clears the selection.
    QString selectedNode() const;
    bool selectNode(const QString &id);

    // Scene coordinates of a node's box (empty for an unknown id), and the layout behind them.
    QRectF nodeSceneRect(const QString &id) const;
    const DagLayoutResult &layout() const { return m_layout; }

    // 1.0 is 100%; setZoom clamps into [minimumZoom, maximumZoom] and keeps the centre.
    double zoom() const;
    void setZoom(double zoom);
    static constexpr double minimumZoom = 0.02;
    static constexpr double maximumZoom = 4.0;

    QGraphicsView *graphicsView() const;
    DagMinimap *minimap() const { return m_minimap; }

    // The state's name in the console's language ("Running").
    static QString stateName(DagNodeState state);

public Q_SLOTS:
    void zoomIn();
    void zoomOut();
    void resetZoom();
    // The whole graph in view, never above 100%.
    void fitToView();

Q_SIGNALS:
    // A node was clicked, or Enter/Space was pressed on the selected one.
    void nodeActivated(const QString &id);
    void selectedNodeChanged(const QString &id);
    void zoomChanged(double zoom);

protected:
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    friend class Internal::DagGraphicsView;

    void retranslate();
    void showMessage(const QString &message);
    QString wording(const Error &error) const;
    void nodeClicked(DagNodeItem *item);
    void activateSelected();
    void moveSelection(int dx, int dy);
    void onSceneSelectionChanged();
    void zoomBy(double factor);
    void afterZoom();
    void placeMinimap();
    void updateNodeToolTip(DagNodeItem *item);
    void updatePulseTimer();
    void pulse();
    DagNodeItem *selectedItem() const;

    QGraphicsScene *m_scene;
    Internal::DagGraphicsView *m_view;
    DagMinimap *m_minimap;
    QLabel *m_message;
    QLabel *m_zoomLabel;
    QToolButton *m_zoomOut;
    QToolButton *m_zoomIn;
    QToolButton *m_zoomReset;
    QToolButton *m_fit;
    QTimer *m_pulseTimer;
    QElapsedTimer m_pulseClock;

    QList<QString> m_ids;
    QHash<QString, int> m_indexOf;
    QList<DagNodeItem *> m_nodes;
    QList<DagEdgeItem *> m_edges;
    QList<QList<int>> m_edgesOf; // per node, the edges it is an end of
    DagLayoutResult m_layout;
    Error m_error;
    int m_pulsing = 0; // nodes in a pulsing state
    bool m_fitPending = false;
    DagNodeItem *m_highlighted = nullptr;
};

} // namespace Shivx::Ui
