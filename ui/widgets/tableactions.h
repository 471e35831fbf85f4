#pragma once

#include "core/result.h"
#include "widgets/tableexport.h"

#include <QObject>

class QAction;
class QTableView;
class QWidget;

namespace Shivx::Ui {

// The operator's copy and export of a console table: "Copy" (the selected rows as TSV with
// the header line, also Ctrl+C while the table has focus) and "Export CSV…" (every row, to a
// file chosen in a dialog) in the table's context menu. Columns hidden in the view are left
// out; cells are written as TableExport::cellText() (absolute times, not relative ages).
// Also: cells elide long text and, where the model gives no tooltip of its own, show the
// full text as their tooltip.
//
// install() is the one line per table; the object is a child of the view and dies with it.
// GUI thread only.
class TableActions : public QObject
{
    Q_OBJECT
public:
    static TableActions *install(QTableView *view);

    QAction *copyAction() const { return m_copy; }
    QAction *exportAction() const { return m_export; }

    // The TSV Copy puts on the clipboard: selected rows top to bottom in the view's order.
    QString selectionAsTsv() const;
    // Copies selectionAsTsv() to the clipboard; nothing when no row is selected.
    void copySelection();
    // Writes every row as CSV to `path` (the dialog's choice; tests pass one directly).
    Result<void> exportCsv(const QString &path) const;

    // The save dialog of every CSV export in the console (tables, the History page):
    // suggests shivx-STEM-yyyyMMdd-HHmmss.csv in the documents folder; empty when cancelled.
    static QString askCsvPath(QWidget *parent, const QString &stem);
    // Tells the operator that the CSV file `path` was not written, and why.
    static void warnNotWritten(QWidget *parent, const QString &path, const QString &reason);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    explicit TableActions(QTableView *view);
    TableExport::Columns visibleColumns() const;
    void exportInteractive();
    bool showFullTextTooltip(QEvent *event);
    void retranslate();

    QTableView *m_view;
    QAction *m_copy;
    QAction *m_export;
};

} // namespace Shivx::Ui
