#include "core/timeutil.h"
#include "health/probemessages.h"
#include "overview/targetsmodel.h"
#include "widgets/statuscolors.h"
#include "widgets/tableexport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTest>

namespace ProbeMessages = Shivx::ProbeMessages;
using Shivx::TargetKind;
using Shivx::TargetState;
using Shivx::TargetStatus;
using Shivx::Ui::TargetsModel;
namespace StatusColors = Shivx::Ui::StatusColors;

namespace {

TargetStatus target(const QString &name, TargetState state = TargetState::Up, double latency = 12)
{
    TargetStatus t;
    t.name = name;
    t.kind = TargetKind::Http;
    t.state = state;
    t.latencyMs = latency;
    t.lastCheckMs = 1'700'000'000'000;
    t.checks = 5;
    return t;
}

QStringList names(const TargetsModel &model)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.targets().at(row).name;
    return out;
}

} // namespace

class TstTargetsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rowsAndColumns();
    void displayAndRoles();
    void stateColours_data();
    void stateColours();
    void latencyChangeEmitsOneCell();
    void adjacentChangesMergeIntoOneRange();
    void stateChangeCarriesColourRoles();
    void identicalUpdateEmitsNothing();
    void addedTargetsInsertOnce();
    void removedTargetsRemoveTheirRows();
    void sortsNumerically();
    void passesModelTester();
};

void TstTargetsModel::rowsAndColumns()
{
    TargetsModel model;
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(TargetsModel::ColumnCount));
    model.update({ target(QStringLiteral("web")), target(QStringLiteral("db")) });
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.rowOf(QStringLiteral("db")), 1);
    QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
    QCOMPARE(model.headerData(TargetsModel::NameColumn, Qt::Horizontal).toString(),
        QStringLiteral("Name"));
    QCOMPARE(model.headerData(TargetsModel::LastErrorColumn, Qt::Horizontal).toString(),
        QStringLiteral("Last error"));
}

void TstTargetsModel::displayAndRoles()
{
    TargetsModel model;
    TargetStatus t = target(QStringLiteral("db"), TargetState::Down, 1500);
    t.kind = TargetKind::Tcp;
    t.consecutiveFailures = 4;
    t.lastError = ProbeMessages::connectionRefused();
    t.critical = true;
    model.update({ t });

    auto cell = [&](int column, int role = Qt::DisplayRole) {
        return model.data(model.index(0, column), role);
    };
    QVERIFY(cell(TargetsModel::NameColumn).toString().startsWith(QStringLiteral("db")));
    QCOMPARE(
        cell(TargetsModel::NameColumn, TargetsModel::SortRole).toString(), QStringLiteral("db"));
    QCOMPARE(cell(TargetsModel::KindColumn).toString(), QStringLiteral("TCP"));
    QCOMPARE(cell(TargetsModel::StateColumn).toString(), QStringLiteral("Down"));
    QCOMPARE(
        cell(TargetsModel::StateColumn, TargetsModel::StateRole).toInt(), int(TargetState::Down));
    QCOMPARE(cell(TargetsModel::LatencyColumn, TargetsModel::SortRole).toDouble(), 1500.0);
    QVERIFY(cell(TargetsModel::LatencyColumn).toString().contains(QStringLiteral("ms")));
    QCOMPARE(cell(TargetsModel::FailuresColumn).toInt(), 4);
    QVERIFY(!cell(TargetsModel::LastCheckColumn).toString().isEmpty());
    // Shown as an age; the tooltip and Copy/Export carry the absolute UTC time.
    QCOMPARE(cell(TargetsModel::LastCheckColumn, Qt::ToolTipRole).toString(),
        Shivx::TimeUtil::toRfc3339(t.lastCheckMs));
    QCOMPARE(cell(TargetsModel::LastCheckColumn, Shivx::Ui::TableExport::ExportRole).toString(),
        Shivx::TimeUtil::toRfc3339(t.lastCheckMs));
    QSignalSpy ticked(&model, &QAbstractItemModel::dataChanged);
    model.refreshAges();
    QCOMPARE(ticked.size(), 1);
    QCOMPARE(ticked.at(0).at(0).toModelIndex().column(), int(TargetsModel::LastCheckColumn));
    QCOMPARE(cell(TargetsModel::LastErrorColumn).toString(), QStringLiteral("connection refused"));
    QCOMPARE(cell(TargetsModel::LastErrorColumn, Qt::ToolTipRole).toString(),
        QStringLiteral("connection refused"));

    // A target that was never probed shows no latency rather than a made-up 0 ms.
    TargetStatus fresh = target(QStringLiteral("fresh"), TargetState::Unknown, 0);
    fresh.lastCheckMs = 0;
    model.update({ fresh });
    QCOMPARE(cell(TargetsModel::LatencyColumn).toString(), QStringLiteral("—"));
    QCOMPARE(cell(TargetsModel::LastCheckColumn).toString(), QStringLiteral("—"));
}

void TstTargetsModel::stateColours_data()
{
    QTest::addColumn<TargetState>("state");
    QTest::addColumn<QColor>("background");
    QTest::newRow("up -> ok colour") << TargetState::Up << StatusColors::ok();
    QTest::newRow("degraded -> warning colour") << TargetState::Degraded << StatusColors::warning();
    QTest::newRow("down -> critical colour") << TargetState::Down << StatusColors::critical();
    QTest::newRow("unknown -> grey") << TargetState::Unknown << StatusColors::unknown();
}

void TstTargetsModel::stateColours()
{
    QFETCH(TargetState, state);
    QFETCH(QColor, background);
    TargetsModel model;
    model.update({ target(QStringLiteral("web"), state) });
    const QModelIndex stateCell = model.index(0, TargetsModel::StateColumn);
    QCOMPARE(model.data(stateCell, Qt::BackgroundRole).value<QColor>(), background);
    QCOMPARE(model.data(stateCell, Qt::ForegroundRole).value<QColor>(),
        StatusColors::textOn(background));
    // Only the state cell is coloured; the rest of the row keeps the view's palette.
    QVERIFY(!model.data(model.index(0, TargetsModel::NameColumn), Qt::BackgroundRole).isValid());
}

void TstTargetsModel::latencyChangeEmitsOneCell()
{
    TargetsModel model;
    const QList<TargetStatus> before { target(QStringLiteral("a")), target(QStringLiteral("b")),
        target(QStringLiteral("c")) };
    model.update(before);

    QSignalSpy changed(&model, &TargetsModel::dataChanged);
    QSignalSpy inserted(&model, &TargetsModel::rowsInserted);
    QSignalSpy removed(&model, &TargetsModel::rowsRemoved);
    QSignalSpy reset(&model, &TargetsModel::modelReset);
    QList<TargetStatus> after = before;
    after[1].latencyMs = 48;
    model.update(after);

    QCOMPARE(changed.count(), 1);
    const auto topLeft = changed.at(0).at(0).value<QModelIndex>();
    const auto bottomRight = changed.at(0).at(1).value<QModelIndex>();
    QCOMPARE(topLeft, model.index(1, TargetsModel::LatencyColumn));
    QCOMPARE(bottomRight, model.index(1, TargetsModel::LatencyColumn));
    const auto roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::DisplayRole));
    QVERIFY(!roles.contains(Qt::BackgroundRole));
    QCOMPARE(inserted.count(), 0);
    QCOMPARE(removed.count(), 0);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(
        model.data(model.index(1, TargetsModel::LatencyColumn), TargetsModel::SortRole).toDouble(),
        48.0);
}

void TstTargetsModel::adjacentChangesMergeIntoOneRange()
{
    TargetsModel model;
    model.update({ target(QStringLiteral("a")) });
    QSignalSpy changed(&model, &TargetsModel::dataChanged);

    TargetStatus next = target(QStringLiteral("a"));
    next.latencyMs = 99; // LatencyColumn
    next.consecutiveFailures = 1; // FailuresColumn, adjacent
    next.lastError = ProbeMessages::timedOut(3000); // LastErrorColumn, not adjacent
    model.update({ next });

    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), model.index(0, TargetsModel::LatencyColumn));
    QCOMPARE(
        changed.at(0).at(1).value<QModelIndex>(), model.index(0, TargetsModel::FailuresColumn));
    QCOMPARE(
        changed.at(1).at(0).value<QModelIndex>(), model.index(0, TargetsModel::LastErrorColumn));
    QCOMPARE(
        changed.at(1).at(1).value<QModelIndex>(), model.index(0, TargetsModel::LastErrorColumn));
}

void TstTargetsModel::stateChangeCarriesColourRoles()
{
    TargetsModel model;
    model.update({ target(QStringLiteral("a")) });
    QSignalSpy changed(&model, &TargetsModel::dataChanged);
    model.update({ target(QStringLiteral("a"), TargetState::Down) });
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).value<QModelIndex>(), model.index(0, TargetsModel::StateColumn));
    const auto roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(Qt::BackgroundRole));
    QVERIFY(roles.contains(Qt::ForegroundRole));
    QVERIFY(roles.contains(TargetsModel::StateRole));
}

void TstTargetsModel::identicalUpdateEmitsNothing()
{
    TargetsModel model;
    const QList<TargetStatus> list { target(QStringLiteral("a")), target(QStringLiteral("b")) };
    model.update(list);
    QSignalSpy changed(&model, &TargetsModel::dataChanged);
    QList<TargetStatus> same = list;
    same[0].checks = 99; // not shown in any column
    model.update(same);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(model.targets().at(0).checks, quint64(99));
}

void TstTargetsModel::addedTargetsInsertOnce()
{
    TargetsModel model;
    model.update({ target(QStringLiteral("a")) });
    QSignalSpy inserted(&model, &TargetsModel::rowsInserted);
    QSignalSpy changed(&model, &TargetsModel::dataChanged);
    model.update(
        { target(QStringLiteral("a")), target(QStringLiteral("b")), target(QStringLiteral("c")) });
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(inserted.at(0).at(1).toInt(), 1);
    QCOMPARE(inserted.at(0).at(2).toInt(), 2);
    QCOMPARE(changed.count(), 0);
    QCOMPARE(names(model),
        (QStringList { QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c") }));
}

void TstTargetsModel::removedTargetsRemoveTheirRows()
{
    TargetsModel model;
    model.update({ target(QStringLiteral("a")), target(QStringLiteral("b")),
        target(QStringLiteral("c")), target(QStringLiteral("d")) });
    QSignalSpy removed(&model, &TargetsModel::rowsRemoved);
    QSignalSpy reset(&model, &TargetsModel::modelReset);
    // b and c go (one contiguous run), a changes, d stays as it was.
    model.update({ target(QStringLiteral("a"), TargetState::Down), target(QStringLiteral("d")) });
    QCOMPARE(removed.count(), 1);
    QCOMPARE(removed.at(0).at(1).toInt(), 1);
    QCOMPARE(removed.at(0).at(2).toInt(), 2);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(names(model), (QStringList { QStringLiteral("a"), QStringLiteral("d") }));
    QCOMPARE(model.data(model.index(0, TargetsModel::StateColumn), TargetsModel::StateRole).toInt(),
        int(TargetState::Down));

    // Removing non-contiguous rows and everything else.
    model.update({ target(QStringLiteral("d")) });
    QCOMPARE(names(model), QStringList { QStringLiteral("d") });
    model.update({});
    QCOMPARE(model.rowCount(), 0);
}

void TstTargetsModel::sortsNumerically()
{
    TargetsModel model;
    model.update({ target(QStringLiteral("a"), TargetState::Up, 9),
        target(QStringLiteral("b"), TargetState::Up, 100),
        target(QStringLiteral("c"), TargetState::Up, 20) });
    QSortFilterProxyModel proxy;
    proxy.setSourceModel(&model);
    proxy.setSortRole(TargetsModel::SortRole);
    proxy.sort(TargetsModel::LatencyColumn, Qt::AscendingOrder);
    QCOMPARE(proxy.index(0, TargetsModel::NameColumn).data(TargetsModel::SortRole).toString(),
        QStringLiteral("a"));
    QCOMPARE(proxy.index(1, TargetsModel::NameColumn).data(TargetsModel::SortRole).toString(),
        QStringLiteral("c"));
    QCOMPARE(proxy.index(2, TargetsModel::NameColumn).data(TargetsModel::SortRole).toString(),
        QStringLiteral("b"));
}

void TstTargetsModel::passesModelTester()
{
    TargetsModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.update({ target(QStringLiteral("a")), target(QStringLiteral("b")) });
    model.update({ target(QStringLiteral("b"), TargetState::Down), target(QStringLiteral("c")) });
    model.update({});
}

QTEST_MAIN(TstTargetsModel)
#include "tst_targetsmodel.moc"
