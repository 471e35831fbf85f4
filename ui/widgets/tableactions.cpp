#include "widgets/tableactions.h"

#include <QAction>
#include <QClipboard>
#include <QDateTime>
#include <QDir>
#include <QFileDialog>
#include <QGuiApplication>
#include <QHeaderView>
#include <QHelpEvent>
#include <QItemSelectionModel>
#include <QKeyEvent>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStyle>
#include <QTableView>
#include <QToolTip>

#include <algorithm>

namespace Shivx::Ui {

TableActions *TableActions::install(QTableView *view)
{
    return new TableActions(view);
}

TableActions::TableActions(QTableView *view)
    : QObject(view)
    , m_view(view)
    , m_copy(new QAction(view))
    , m_export(new QAction(view))
{
    setObjectName(QStringLiteral("tableActions"));
    m_copy->setObjectName(QStringLiteral("copyRows"));
    m_export->setObjectName(QStringLiteral("exportCsv"));
    connect(m_copy, &QAction::triggered, this, &TableActions::copySelection);
    connect(m_export, &QAction::triggered, this, &TableActions::exportInteractive);
    view->addAction(m_copy);
    view->addAction(m_export);
    view->setContextMenuPolicy(Qt::ActionsContextMenu);
    view->setTextElideMode(Qt::ElideRight);
    view->installEventFilter(this);
    view->viewport()->installEventFilter(this);
    retranslate();
}

TableExport::Columns TableActions::visibleColumns() const
{
    QList<int> columns;
    const QAbstractItemModel *model = m_view->model();
    for (int c = 0; model && c < model->columnCount(); ++c) {
        if (!m_view->isColumnHidden(c))
            columns << c;
    }
    // The order the operator sees, when header sections were moved.
    std::sort(columns.begin(), columns.end(), [this](int a, int b) {
        return m_view->horizontalHeader()->visualIndex(a)
            < m_view->horizontalHeader()->visualIndex(b);
    });
    return { columns, !m_view->verticalHeader()->isHidden() };
}

QString TableActions::selectionAsTsv() const
{
    const QItemSelectionModel *selection = m_view->selectionModel();
    if (!selection || !m_view->model())
        return {};
    // Rows of any selected cell, not only fully selected rows, in the view's order.
    QList<int> rows;
    for (const QModelIndex &index : selection->selectedIndexes())
        rows << index.row();
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.isEmpty())
        return {};
    return TableExport::toTsv(m_view->model(), rows, visibleColumns());
}

void TableActions::copySelection()
{
    const QString tsv = selectionAsTsv();
    if (!tsv.isEmpty())
        QGuiApplication::clipboard()->setText(tsv);
}

Result<void> TableActions::exportCsv(const QString &path) const
{
    return TableExport::writeCsv(m_view->model(), visibleColumns(), path);
}

QString TableActions::askCsvPath(QWidget *parent, const QString &stem)
{
    const QString suggested
        = QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
              .filePath(QStringLiteral("shivx-%1-%2.csv")
                            .arg(stem,
                                QDateTime::currentDateTime().toString(
                                    QStringLiteral("yyyyMMdd-HHmmss"))));
    return QFileDialog::getSaveFileName(
        parent, tr("Export CSV"), suggested, tr("CSV files (*.csv);;All files (*)"));
}

void TableActions::warnNotWritten(QWidget *parent, const QString &path, const QString &reason)
{
    QMessageBox::warning(parent, tr("Export CSV"),
        tr("Could not write %1:\n%2").arg(QDir::toNativeSeparators(path), reason));
}

void TableActions::exportInteractive()
{
    const QString path = askCsvPath(
        m_view, m_view->objectName().isEmpty() ? QStringLiteral("table") : m_view->objectName());
    if (path.isEmpty())
        return;
    if (const Result<void> r = exportCsv(path); !r)
        warnNotWritten(m_view, path, r.error().args.value(1).toString());
}

bool TableActions::showFullTextTooltip(QEvent *event)
{
    auto *help = static_cast<QHelpEvent *>(event);
    const QModelIndex index = m_view->indexAt(help->pos());
    // A tooltip of the model's own says more than the cell's text; leave it to the view.
    if (!index.isValid() || index.data(Qt::ToolTipRole).isValid())
        return false;
    const QString text = index.data(Qt::DisplayRole).toString();
    // The styles draw item text inside a margin of (focus frame margin + 1) on each side.
    const int margin
        = 2 * (m_view->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, m_view) + 1);
    const int width = m_view->visualRect(index).width();
    const int needed = m_view->fontMetrics().horizontalAdvance(text) + margin;
    if (text.isEmpty() || needed <= width) {
        QToolTip::hideText();
        event->ignore();
        return true;
    }
    QToolTip::showText(help->globalPos(), text, m_view->viewport(), m_view->visualRect(index));
    return true;
}

bool TableActions::eventFilter(QObject *watched, QEvent *event)
{
    switch (event->type()) {
    case QEvent::ShortcutOverride:
    case QEvent::KeyPress:
        if (watched == m_view && static_cast<QKeyEvent *>(event)->matches(QKeySequence::Copy)) {
            // Accepting the override keeps window shortcuts from taking the key first.
            event->accept();
            if (event->type() == QEvent::KeyPress)
                copySelection();
            return true;
        }
        break;
    case QEvent::ContextMenu:
        // The menu comes up next (ActionsContextMenu): Copy only when there is something to
        // copy, so a table without a selection (the feature matrix) does not offer a no-op.
        m_copy->setEnabled(m_view->selectionModel() && m_view->selectionModel()->hasSelection());
        break;
    case QEvent::ToolTip:
        if (watched == m_view->viewport())
            return showFullTextTooltip(event);
        break;
    case QEvent::LanguageChange:
        if (watched == m_view)
            retranslate();
        break;
    default:
        break;
    }
    return QObject::eventFilter(watched, event);
}

void TableActions::retranslate()
{
    // The key shows in the menu's shortcut column ("\t") without being a QAction shortcut:
    // eventFilter takes Ctrl+C from the focused table before the view's own Copy (one cell)
    // and before any window-wide Ctrl+C, which would make a shortcut ambiguous.
    m_copy->setText(tr("Copy") + QLatin1Char('\t')
        + QKeySequence(QKeySequence::Copy).toString(QKeySequence::NativeText));
    m_copy->setToolTip(tr("Copy the selected rows as tab-separated text with the column names"));
    m_export->setText(tr("Export CSV…"));
    m_export->setToolTip(tr("Write every row of this table to a CSV file"));
}

} // namespace Shivx::Ui
