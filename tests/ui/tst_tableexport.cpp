// TableExport (TSV and CSV text of a model, atomic CSV files) and TableActions (Copy and
// Export on a real QTableView: hidden and moved columns, selection order, Ctrl+C), offscreen,
// on a QStandardItemModel filled with text that needs quoting.

#include "contextmenu.h"
#include "widgets/tableactions.h"
#include "widgets/tableexport.h"

#include <QAction>
#include <QClipboard>
#include <QFile>
#include <QGuiApplication>
#include <QHeaderView>
#include <QStandardItemModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolTip>

using namespace Shivx::Ui;

namespace {

// Columns "Name", "Note", "When"; the third row's When carries an export value.
void fill(QStandardItemModel &model)
{
    model.setHorizontalHeaderLabels(
        { QStringLiteral("Name"), QStringLiteral("Note, quoted"), QStringLiteral("When") });
    const QList<QStringList> rows {
        { QStringLiteral("alpha"), QStringLiteral("plain"), QStringLiteral("1 s ago") },
        { QStringLiteral("beta"), QStringLiteral("say \"hi\", twice"), QStringLiteral("2 s ago") },
        { QStringLiteral("gamma"), QStringLiteral("two\nlines\tand tab"),
            QStringLiteral("3 min ago") },
    };
    for (const QStringList &r : rows) {
        QList<QStandardItem *> items;
        for (const QString &text : r)
            items << new QStandardItem(text);
        model.appendRow(items);
    }
    model.item(2, 2)->setData(QStringLiteral("2026-12-07T07:00:00.123Z"), TableExport::ExportRole);
}

// A view on `model` as the console sets its tables up, with the actions installed.
TableActions *setUpView(QTableView &view, QStandardItemModel &model)
{
    fill(model);
    view.setModel(&model);
    view.verticalHeader()->hide();
    view.setSelectionBehavior(QAbstractItemView::SelectRows);
    return TableActions::install(&view);
}

QString readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QStringLiteral("<none>");
}

} // namespace

class TstTableExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void csvField_data();
    void csvField();
    void csvQuotesEveryField();
    void tsvFlattensTabsAndLineBreaks();
    void rowHeadersLeadEachLine();
    void writeCsvIsAtomicAndNamesTheFile();
    void actionsSkipHiddenColumnsAndKeepViewOrder();
    void ctrlCCopiesSelectedRows();
    void fullTextTooltipOnlyWhereTheModelHasNone();
    void contextMenuOffersCopyOnlyWithASelection();
};

void TstTableExport::csvField_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("field");
    QTest::newRow("plain stays bare") << QStringLiteral("abc") << QStringLiteral("abc");
    QTest::newRow("empty stays empty") << QString() << QString();
    QTest::newRow("comma -> quoted") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quote -> doubled") << QStringLiteral("a\"b") << QStringLiteral("\"a\"\"b\"");
    QTest::newRow("LF -> quoted") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("CR -> quoted") << QStringLiteral("a\rb") << QStringLiteral("\"a\rb\"");
    QTest::newRow("tab stays bare") << QStringLiteral("a\tb") << QStringLiteral("a\tb");
}

void TstTableExport::csvField()
{
    QFETCH(QString, text);
    QFETCH(QString, field);
    QCOMPARE(TableExport::csvField(text), field);
}

void TstTableExport::csvQuotesEveryField()
{
    QStandardItemModel model;
    fill(model);
    QCOMPARE(TableExport::toCsv(&model, { { 0, 1, 2 } }),
        QStringLiteral("Name,\"Note, quoted\",When\r\n"
                       "alpha,plain,1 s ago\r\n"
                       "beta,\"say \"\"hi\"\", twice\",2 s ago\r\n"
                       "gamma,\"two\nlines\tand tab\",2026-12-07T07:00:00.123Z\r\n"));
}

void TstTableExport::tsvFlattensTabsAndLineBreaks()
{
    QStandardItemModel model;
    fill(model);
    // Rows in the order asked for; the ExportRole value instead of the relative text.
    QCOMPARE(TableExport::toTsv(&model, { 2, 0 }, { { 2, 1 } }),
        QStringLiteral("When\tNote, quoted\n"
                       "2026-12-07T07:00:00.123Z\ttwo lines and tab\n"
                       "1 s ago\tplain\n"));
}

void TstTableExport::rowHeadersLeadEachLine()
{
    QStandardItemModel model(2, 1);
    model.setHorizontalHeaderLabels({ QStringLiteral("Normal") });
    model.setVerticalHeaderLabels({ QStringLiteral("search"), QStringLiteral("thumbnails") });
    model.setItem(0, 0, new QStandardItem(QStringLiteral("on")));
    model.setItem(1, 0, new QStandardItem(QStringLiteral("off")));
    QCOMPARE(TableExport::toCsv(&model, { { 0 }, true }),
        QStringLiteral(",Normal\r\nsearch,on\r\nthumbnails,off\r\n"));
}

void TstTableExport::writeCsvIsAtomicAndNamesTheFile()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QStandardItemModel model;
    fill(model);
    const QString path = dir.filePath(QStringLiteral("out.csv"));
    QVERIFY(TableExport::writeCsv(&model, { { 0 } }, path));
    QCOMPARE(readAll(path), QStringLiteral("Name\r\nalpha\r\nbeta\r\ngamma\r\n"));

    // Into a directory that does not exist: an error naming the file, nothing written.
    const QString bad = dir.filePath(QStringLiteral("missing/out.csv"));
    const Shivx::Result<void> r = TableExport::writeCsv(&model, { { 0 } }, bad);
    QVERIFY(!r);
    QCOMPARE(r.error().code, QStringLiteral("export.write_failed"));
    QVERIFY2(r.error().message.contains(bad), qPrintable(r.error().message));
    QVERIFY(!QFile::exists(bad));
    // The earlier file is untouched by a failed write elsewhere.
    QCOMPARE(readAll(path), QStringLiteral("Name\r\nalpha\r\nbeta\r\ngamma\r\n"));
}

void TstTableExport::actionsSkipHiddenColumnsAndKeepViewOrder()
{
    QStandardItemModel model;
    QTableView view;
    TableActions *actions = setUpView(view, model);
    view.setSelectionMode(QAbstractItemView::ExtendedSelection);
    QCOMPARE(view.contextMenuPolicy(), Qt::ActionsContextMenu);
    QVERIFY(view.actions().contains(actions->copyAction()));
    QVERIFY(view.actions().contains(actions->exportAction()));
    QCOMPARE(actions->copyAction()->text(), QStringLiteral("Copy\tCtrl+C"));
    QCOMPARE(actions->exportAction()->text(), QStringLiteral("Export CSV…"));

    view.setColumnHidden(1, true);
    view.horizontalHeader()->moveSection(2, 0); // When, Name as the operator sees them
    // Selected bottom row first: Copy still writes top to bottom.
    view.selectionModel()->select(
        model.index(2, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    view.selectionModel()->select(
        model.index(0, 0), QItemSelectionModel::Select | QItemSelectionModel::Rows);
    QGuiApplication::clipboard()->clear();
    actions->copyAction()->trigger();
    QCOMPARE(QGuiApplication::clipboard()->text(),
        QStringLiteral("When\tName\n1 s ago\talpha\n2026-12-07T07:00:00.123Z\tgamma\n"));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("table.csv"));
    QVERIFY(actions->exportCsv(path));
    QCOMPARE(readAll(path),
        QStringLiteral("When,Name\r\n1 s ago,alpha\r\n2 s ago,beta\r\n"
                       "2026-12-07T07:00:00.123Z,gamma\r\n"));

    // Nothing selected: the clipboard keeps what it had.
    view.clearSelection();
    QGuiApplication::clipboard()->setText(QStringLiteral("before"));
    actions->copySelection();
    QCOMPARE(QGuiApplication::clipboard()->text(), QStringLiteral("before"));
}

void TstTableExport::ctrlCCopiesSelectedRows()
{
    QStandardItemModel model;
    QTableView view;
    setUpView(view, model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.setFocus();
    view.selectRow(1);
    QGuiApplication::clipboard()->clear();
    // Without the filter the view itself would copy the current cell's text only ("beta").
    QTest::keyClick(&view, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QGuiApplication::clipboard()->text(),
        QStringLiteral("Name\tNote, quoted\tWhen\nbeta\tsay \"hi\", twice\t2 s ago\n"));
}

void TstTableExport::fullTextTooltipOnlyWhereTheModelHasNone()
{
    QStandardItemModel model;
    fill(model);
    model.item(0, 1)->setText(QString(200, QLatin1Char('x')));
    model.item(1, 1)->setText(QString(200, QLatin1Char('y')));
    model.item(1, 1)->setToolTip(QStringLiteral("the model's own"));
    QTableView view;
    view.setModel(&model);
    view.setColumnWidth(1, 60);
    TableActions::install(&view);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QCOMPARE(view.textElideMode(), Qt::ElideRight);

    const auto tooltipAt = [&view](const QModelIndex &index) {
        const QPoint pos = view.visualRect(index).center();
        QHelpEvent help(QEvent::ToolTip, pos, view.viewport()->mapToGlobal(pos));
        QCoreApplication::sendEvent(view.viewport(), &help);
        return QToolTip::isVisible() ? QToolTip::text() : QString();
    };
    QCOMPARE(tooltipAt(model.index(0, 1)), QString(200, QLatin1Char('x')));
    QCOMPARE(tooltipAt(model.index(1, 1)), QStringLiteral("the model's own"));
    QToolTip::hideText();
    QTRY_VERIFY(!QToolTip::isVisible());
    QCOMPARE(tooltipAt(model.index(0, 0)), QString()); // "alpha" fits: no tooltip
}

void TstTableExport::contextMenuOffersCopyOnlyWithASelection()
{
    QStandardItemModel model;
    QTableView view;
    setUpView(view, model);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    const auto menuEntries = [&view] {
        return ShivxTest::contextMenuEntries(
            view.viewport(), view.visualRect(view.model()->index(0, 0)).center());
    };
    QCOMPARE(menuEntries(),
        QStringList({ QStringLiteral("Copy (disabled)"), QStringLiteral("Export CSV…") }));
    view.selectRow(0);
    QCOMPARE(menuEntries(), QStringList({ QStringLiteral("Copy"), QStringLiteral("Export CSV…") }));
}

QTEST_MAIN(TstTableExport)
#include "tst_tableexport.moc"
