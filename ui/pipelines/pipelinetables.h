#pragma once

#include "widgets/tableactions.h"

#include <QHeaderView>
#include <QTableView>

namespace Shivx::Ui {

// The Pipelines page's tables: whole rows selected one at a time, read-only, Copy and Export
// (TableActions), fixed row heights and no wrapping, the last column stretched.
inline void setUpTable(QTableView *view, const QString &objectName)
{
    view->setObjectName(objectName);
    TableActions::install(view);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->verticalHeader()->hide();
    view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view->setWordWrap(false);
    view->horizontalHeader()->setStretchLastSection(true);
}

// Sizes every column but the last to its header and cells (the last stretches over what is
// left). Called again after a language change: German headers are longer.
inline void fitColumnsToContents(QTableView *view)
{
    const int columns = view->model() ? view->model()->columnCount() : 0;
    for (int c = 0; c + 1 < columns; ++c)
        if (!view->isColumnHidden(c))
            view->resizeColumnToContents(c);
}

} // namespace Shivx::Ui
