// DagView on the offscreen platform: boxes where the layout put them, the state's status colour
// in the painted pixels (light and dark palette), state updates without moving anything, clicks
// and keys that select and activate stages, zoom by buttons, keys and wheel, fit, the minimap
// moving the view, refused graphs with the reason shown, German wording; and the 500-stage
// demo photographed into build/screenshots/dagview-*.png in both themes.

#include "pipelines/dagitems.h"
#include "pipelines/dagminimap.h"
#include "pipelines/dagview.h"
#include "randomdag.h"
#include "widgets/statuscolors.h"
#include "widgets/theme.h"

#include <QApplication>
#include <QDir>
#include <QGraphicsScene>
#include <QGraphicsView>
#include <QLabel>
#include <QRandomGenerator>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>
#include <QTranslator>
#include <QWheelEvent>

using namespace Shivx;
using namespace Shivx::Ui;

namespace {

QString screenshotPath(const QString &name)
{
    const QString dir = QStringLiteral(SHIVX_BINARY_DIR "/screenshots");
    QDir().mkpath(dir);
    return dir + QLatin1Char('/') + name + QStringLiteral(".png");
}

// The sample pipeline of the issue, one stage in each state.
DagGraph samplePipeline()
{
    DagGraph g;
    g.nodes = {
        { QStringLiteral("collect"), QStringLiteral("data collection"), DagNodeState::Succeeded },
        { QStringLiteral("clean"), QStringLiteral("cleaning"), DagNodeState::Succeeded },
        { QStringLiteral("features"), QStringLiteral("feature engineering"),
            DagNodeState::Running },
        { QStringLiteral("train"), QStringLiteral("model training"), DagNodeState::Retrying },
        { QStringLiteral("baseline"), QStringLiteral("baseline model"), DagNodeState::Failed },
        { QStringLiteral("evaluate"), QStringLiteral("evaluation"), DagNodeState::Queued },
        { QStringLiteral("report"), QStringLiteral("report"), DagNodeState::Skipped },
        { QStringLiteral("deploy"), QStringLiteral("deployment"), DagNodeState::Pending },
        { QStringLiteral("notify"), QStringLiteral("notify on-call"), DagNodeState::Cancelled },
    };
    auto edge = [](const char *a, const char *b) {
        return DagEdge { QString::fromLatin1(a), QString::fromLatin1(b) };
    };
    g.edges = { edge("collect", "clean"), edge("clean", "features"), edge("features", "train"),
        edge("features", "baseline"), edge("train", "evaluate"), edge("baseline", "evaluate"),
        edge("evaluate", "deploy"), edge("evaluate", "report"), edge("collect", "report"),
        edge("deploy", "notify") };
    return g;
}

DagGraph randomGraph(int stages, quint32 seed)
{
    const ShivxTest::RandomDag dag = ShivxTest::randomDag(stages, seed);
    DagGraph g;
    for (const QString &id : dag.ids)
        g.nodes.append({ id, id, DagNodeState::Pending });
    for (const auto &[from, to] : dag.edges)
        g.edges.append({ dag.ids[from], dag.ids[to] });
    return g;
}

const QList<DagNodeState> kStates { DagNodeState::Pending, DagNodeState::Queued,
    DagNodeState::Running, DagNodeState::Succeeded, DagNodeState::Failed, DagNodeState::Skipped,
    DagNodeState::Cancelled, DagNodeState::Retrying };

// A pixel inside the box, right of the label and clear of the border.
QColor fillPixel(DagView &view, const QString &id)
{
    const QRectF box = view.nodeSceneRect(id);
    const QPoint at = view.graphicsView()->mapFromScene(QPointF(box.right() - 4, box.center().y()));
    return view.graphicsView()->viewport()->grab().toImage().pixelColor(at);
}

QPoint viewportPoint(DagView &view, const QString &id)
{
    return view.graphicsView()->mapFromScene(view.nodeSceneRect(id).center());
}

QRectF visibleScene(DagView &view)
{
    QGraphicsView *g = view.graphicsView();
    return g->mapToScene(g->viewport()->rect()).boundingRect();
}

} // namespace

class TstDagView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void cleanup();
    void boxesSitWhereTheLayoutPutThem();
    void stateColoursArePainted_data();
    void stateColoursArePainted();
    void stateUpdatesDoNotMoveAnything();
    void clickActivatesTheStage();
    void keyboardSelectsActivatesAndZooms();
    void wheelZoomsAndFitShowsEverything();
    void minimapMovesTheView();
    void refusedGraphsSayWhy_data();
    void refusedGraphsSayWhy();
    void germanWording();
    void demoScreenshots_data();
    void demoScreenshots();
};

void TstDagView::initTestCase()
{
    Theme::apply(Theme::Choice::Light);
}

void TstDagView::cleanup()
{
    Theme::apply(Theme::Choice::Light);
}

void TstDagView::boxesSitWhereTheLayoutPutThem()
{
    DagView view;
    view.resize(1000, 600);
    view.show();
    const DagGraph graph = samplePipeline();
    QVERIFY(view.setGraph(graph).ok());
    QCOMPARE(view.nodeCount(), int(graph.nodes.size()));
    int nodes = 0;
    int edges = 0;
    for (QGraphicsItem *item : view.graphicsView()->scene()->items()) {
        nodes += item->type() == DagNodeItem::Type;
        edges += item->type() == DagEdgeItem::Type;
    }
    QCOMPARE(nodes, int(graph.nodes.size()));
    QCOMPARE(edges, int(graph.edges.size()));
    for (int i = 0; i < graph.nodes.size(); ++i)
        QCOMPARE(view.nodeSceneRect(graph.nodes[i].id), view.layout().nodeRects[i]);
    // Dependencies left of dependents, and the label fits in its box.
    QVERIFY(view.nodeSceneRect(QStringLiteral("train")).left()
        > view.nodeSceneRect(QStringLiteral("features")).right());
    QCOMPARE(view.layout().crossings, 0);
    QVERIFY(view.nodeSceneRect(QStringLiteral("features")).width()
        > QFontMetricsF(view.font()).horizontalAdvance(QStringLiteral("feature engineering")));
}

void TstDagView::stateColoursArePainted_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light palette") << false;
    QTest::newRow("dark palette") << true;
}

void TstDagView::stateColoursArePainted()
{
    QFETCH(bool, dark);
    Theme::apply(dark ? Theme::Choice::Dark : Theme::Choice::Light);
    DagView view;
    view.resize(1100, 500);
    view.show();
    QVERIFY(view.setGraph(samplePipeline()).ok());
    view.resetZoom();
    view.graphicsView()->centerOn(view.nodeSceneRect(QStringLiteral("features")).center());
    const QString id = QStringLiteral("features");
    const struct
    {
        DagNodeState state;
        QColor colour;
    } cases[] = {
        { DagNodeState::Succeeded, StatusColors::ok() },
        { DagNodeState::Failed, StatusColors::critical() },
        { DagNodeState::Running, StatusColors::warning() },
        { DagNodeState::Cancelled, StatusColors::unknown() },
        { DagNodeState::Pending, QApplication::palette().color(QPalette::Base) },
    };
    for (const auto &c : cases) {
        QVERIFY(view.setNodeState(id, c.state));
        QCOMPARE(view.nodeState(id), c.state);
        QCOMPARE(fillPixel(view, id).rgb(), c.colour.rgb());
    }
    QVERIFY(!view.setNodeState(QStringLiteral("no such stage"), DagNodeState::Failed));
}

void TstDagView::stateUpdatesDoNotMoveAnything()
{
    DagView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(view.setGraph(randomGraph(500, 21)).ok());
    QList<QPointF> before;
    const QList<QGraphicsItem *> items = view.graphicsView()->scene()->items(Qt::AscendingOrder);
    for (QGraphicsItem *item : items)
        before.append(item->pos());
    const QRectF sceneRect = view.graphicsView()->scene()->sceneRect();
    const double zoom = view.zoom();
    QRandomGenerator random(3);
    for (int i = 0; i < 500; ++i)
        QVERIFY(view.setNodeState(QStringLiteral("stage-%1").arg(i, 3, 10, QLatin1Char('0')),
            kStates[int(random.bounded(kStates.size()))]));
    QCoreApplication::processEvents();
    QList<QPointF> after;
    for (QGraphicsItem *item : view.graphicsView()->scene()->items(Qt::AscendingOrder))
        after.append(item->pos());
    QCOMPARE(after, before);
    QCOMPARE(view.graphicsView()->scene()->sceneRect(), sceneRect);
    QCOMPARE(view.zoom(), zoom);
}

void TstDagView::clickActivatesTheStage()
{
    DagView view;
    view.resize(1100, 500);
    view.show();
    QVERIFY(view.setGraph(samplePipeline()).ok());
    view.resetZoom();
    QSignalSpy activated(&view, &DagView::nodeActivated);
    QSignalSpy selected(&view, &DagView::selectedNodeChanged);
    QWidget *viewport = view.graphicsView()->viewport();
    view.graphicsView()->centerOn(view.nodeSceneRect(QStringLiteral("evaluate")).center());
    QTest::mouseClick(
        viewport, Qt::LeftButton, {}, viewportPoint(view, QStringLiteral("evaluate")));
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("evaluate"));
    QCOMPARE(view.selectedNode(), QStringLiteral("evaluate"));
    QCOMPARE(selected.size(), 1);
    // The selected stage's dependencies and dependents are highlighted, the others not.
    int highlighted = 0;
    for (QGraphicsItem *item : view.graphicsView()->scene()->items()) {
        if (item->type() == DagEdgeItem::Type)
            highlighted += static_cast<DagEdgeItem *>(item)->isHighlighted();
    }
    QCOMPARE(highlighted, 4); // train, baseline -> evaluate -> deploy, report

    // A click between boxes activates nothing (it starts a pan).
    const QRectF box = view.nodeSceneRect(QStringLiteral("evaluate"));
    const QPoint empty = view.graphicsView()->mapFromScene(box.topLeft() - QPointF(30, 30));
    QVERIFY(view.graphicsView()->itemAt(empty) == nullptr);
    QTest::mouseClick(viewport, Qt::LeftButton, {}, empty);
    QCOMPARE(activated.size(), 1);
}

void TstDagView::keyboardSelectsActivatesAndZooms()
{
    DagView view;
    view.resize(1100, 500);
    view.show();
    QVERIFY(view.setGraph(samplePipeline()).ok());
    QWidget *g = view.graphicsView();
    g->setFocus();
    QSignalSpy activated(&view, &DagView::nodeActivated);
    QTest::keyClick(g, Qt::Key_Right); // nothing selected: the first stage
    QCOMPARE(view.selectedNode(), QStringLiteral("collect"));
    QTest::keyClick(g, Qt::Key_Right);
    QCOMPARE(view.selectedNode(), QStringLiteral("clean"));
    QTest::keyClick(g, Qt::Key_Right);
    QCOMPARE(view.selectedNode(), QStringLiteral("features"));
    QTest::keyClick(g, Qt::Key_Left);
    QCOMPARE(view.selectedNode(), QStringLiteral("clean"));
    QTest::keyClick(g, Qt::Key_Return);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("clean"));

    view.resetZoom();
    QCOMPARE(view.zoom(), 1.0);
    QTest::keyClick(g, Qt::Key_Plus);
    QCOMPARE(view.zoom(), 1.25);
    QTest::keyClick(g, Qt::Key_Minus);
    QTest::keyClick(g, Qt::Key_Minus);
    QCOMPARE(view.zoom(), 0.8);
    QTest::keyClick(g, Qt::Key_0);
    QCOMPARE(view.zoom(), 1.0);
    // The buttons do the same, and say so in their tooltips.
    auto *zoomIn = view.findChildren<QToolButton *>().at(1);
    QVERIFY(zoomIn->toolTip().contains(QLatin1String("(+)")));
    zoomIn->click();
    QCOMPARE(view.zoom(), 1.25);
}

void TstDagView::wheelZoomsAndFitShowsEverything()
{
    DagView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(view.setGraph(randomGraph(500, 22)).ok());
    // Shown after setGraph: fitted, every box in view.
    const QRectF visible = visibleScene(view);
    for (const QRectF &r : view.layout().nodeRects)
        QVERIFY(visible.contains(r));
    QVERIFY(view.zoom() < 0.5);
    QVERIFY(view.minimap()->isHidden());

    const double before = view.zoom();
    QWidget *viewport = view.graphicsView()->viewport();
    const QPointF at(viewport->width() / 2.0, viewport->height() / 2.0);
    QWheelEvent wheel(at, viewport->mapToGlobal(at), QPoint(), QPoint(0, 240), Qt::NoButton,
        Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &wheel);
    QCOMPARE(view.zoom(), before * 1.25 * 1.25);
    QVERIFY(!visibleScene(view).contains(view.graphicsView()->scene()->sceneRect()));

    QTest::keyClick(view.graphicsView(), Qt::Key_F);
    QCOMPARE(view.zoom(), before);
}

void TstDagView::minimapMovesTheView()
{
    DagView view;
    view.resize(900, 600);
    view.show();
    QVERIFY(view.setGraph(randomGraph(500, 23)).ok());
    view.resetZoom();
    DagMinimap *minimap = view.minimap();
    QVERIFY(minimap->isVisible());
    QCOMPARE(minimap->visibleSceneRect(),
        visibleScene(view).intersected(view.graphicsView()->scene()->sceneRect()));

    // Drag across the minimap: the main view follows to where the mouse is.
    const QRectF scene = view.graphicsView()->scene()->sceneRect();
    const QPointF start = scene.center() - QPointF(scene.width() / 5, 0);
    const QPointF end = scene.center() + QPointF(scene.width() / 5, scene.height() / 8);
    QWidget *mv = minimap->viewport();
    // One minimap pixel is this many scene pixels: the precision a click there can have.
    const double pixel = 1.5 / minimap->transform().m11();
    const QPointF initial = visibleScene(view).center();
    QVERIFY(QLineF(initial, start).length() > 10 * pixel);
    QTest::mousePress(mv, Qt::LeftButton, {}, minimap->mapFromScene(start));
    QVERIFY(QLineF(visibleScene(view).center(), start).length() < pixel);
    QMouseEvent move(QEvent::MouseMove, minimap->mapFromScene(end),
        mv->mapToGlobal(minimap->mapFromScene(end)), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(mv, &move);
    QTest::mouseRelease(mv, Qt::LeftButton, {}, minimap->mapFromScene(end));
    QVERIFY2(QLineF(visibleScene(view).center(), end).length() < pixel,
        qPrintable(QStringLiteral("view centred at %1,%2, wanted %3,%4")
                       .arg(visibleScene(view).center().x())
                       .arg(visibleScene(view).center().y())
                       .arg(end.x())
                       .arg(end.y())));
    QCOMPARE(minimap->visibleSceneRect().center(), visibleScene(view).center());

    view.fitToView();
    QVERIFY(minimap->isHidden());
}

void TstDagView::refusedGraphsSayWhy_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<QString>("shown");
    QTest::newRow("cycle") << QStringLiteral("dag.cycle")
                           << QStringLiteral("in a cycle (clean → features → clean)");
    QTest::newRow("duplicate id") << QStringLiteral("dag.duplicate_id")
                                  << QStringLiteral("two stages are named “train”");
    QTest::newRow("unknown stage")
        << QStringLiteral("dag.unknown_node") << QStringLiteral("names the stage “ghost”");
}

void TstDagView::refusedGraphsSayWhy()
{
    QFETCH(QString, code);
    QFETCH(QString, shown);
    DagView view;
    view.resize(800, 400);
    view.show();
    QVERIFY(view.setGraph(samplePipeline()).ok());
    DagGraph bad = samplePipeline();
    if (code == QLatin1String("dag.cycle"))
        bad.edges.append({ QStringLiteral("features"), QStringLiteral("clean") });
    else if (code == QLatin1String("dag.duplicate_id"))
        bad.nodes.append({ QStringLiteral("train"), QString(), DagNodeState::Pending });
    else
        bad.edges.append({ QStringLiteral("ghost"), QStringLiteral("deploy") });
    const Result<void> result = view.setGraph(bad);
    QVERIFY(!result.ok());
    QCOMPARE(result.error().code, code);
    QCOMPARE(view.nodeCount(), 0);
    QLabel *message = nullptr;
    for (QLabel *label : view.findChildren<QLabel *>()) {
        if (label->isVisible() && label->text().startsWith(QLatin1String("The graph cannot")))
            message = label;
    }
    QVERIFY(message);
    QVERIFY2(message->text().contains(shown), qPrintable(message->text()));
    // A good graph afterwards shows again and drops the message.
    QVERIFY(view.setGraph(samplePipeline()).ok());
    QVERIFY(message->isHidden());
}

void TstDagView::germanWording()
{
    QTranslator german;
    QVERIFY(german.load(QStringLiteral(":/i18n/shivx_de.qm")));
    QCoreApplication::installTranslator(&german);
    DagView view;
    view.resize(800, 400);
    view.show();
    QVERIFY(view.setGraph(samplePipeline()).ok());
    const auto buttons = view.findChildren<QToolButton *>();
    QCOMPARE(buttons.at(3)->text(), QStringLiteral("Einpassen"));
    QVERIFY(buttons.at(1)->toolTip().startsWith(QStringLiteral("Vergrößern")));
    QCOMPARE(DagView::stateName(DagNodeState::Succeeded), QStringLiteral("Erfolgreich"));
    QVERIFY(view.grab().save(screenshotPath(QStringLiteral("dagview-states-de"))));
    DagGraph cyclic = samplePipeline();
    cyclic.edges.append({ QStringLiteral("deploy"), QStringLiteral("features") });
    QVERIFY(!view.setGraph(cyclic).ok());
    QVERIFY(view.grab().save(screenshotPath(QStringLiteral("dagview-cycle-de"))));
    QCoreApplication::removeTranslator(&german);
    QTRY_COMPARE(buttons.at(3)->text(), QStringLiteral("Fit"));
    QVERIFY(view.setGraph(samplePipeline()).ok());
}

void TstDagView::demoScreenshots_data()
{
    QTest::addColumn<bool>("dark");
    QTest::newRow("light") << false;
    QTest::newRow("dark") << true;
}

// The page-independent demo: a 500-stage random pipeline mid-run, and the sample pipeline with
// one stage in each state, photographed fitted and at 100% with the minimap.
void TstDagView::demoScreenshots()
{
    QFETCH(bool, dark);
    Theme::apply(dark ? Theme::Choice::Dark : Theme::Choice::Light);
    const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");

    DagView sample;
    sample.resize(1400, 330);
    sample.show();
    QVERIFY(sample.setGraph(samplePipeline()).ok());
    sample.selectNode(QStringLiteral("evaluate"));
    QVERIFY(sample.grab().save(screenshotPath(QStringLiteral("dagview-states-") + theme)));

    DagView view;
    view.resize(1280, 800);
    view.show();
    QVERIFY(view.setGraph(randomGraph(500, 5)).ok());
    QRandomGenerator random(8);
    // A run in progress: the early stages done, a front running, the rest waiting.
    for (int i = 0; i < 500; ++i) {
        const QString id = QStringLiteral("stage-%1").arg(i, 3, 10, QLatin1Char('0'));
        DagNodeState state = DagNodeState::Pending;
        if (i < 300)
            state = random.bounded(40) == 0 ? DagNodeState::Failed : DagNodeState::Succeeded;
        else if (i < 320)
            state = random.bounded(5) == 0 ? DagNodeState::Retrying : DagNodeState::Running;
        else if (i < 360)
            state = DagNodeState::Queued;
        QVERIFY(view.setNodeState(id, state));
    }
    QVERIFY(view.grab().save(screenshotPath(QStringLiteral("dagview-500-fit-") + theme)));
    view.resetZoom();
    view.selectNode(QStringLiteral("stage-310"));
    QVERIFY(view.minimap()->isVisible());
    QVERIFY(view.grab().save(screenshotPath(QStringLiteral("dagview-500-100-") + theme)));
}

QTEST_MAIN(TstDagView)
#include "tst_dagview.moc"
