#pragma once

#include <QHeaderView>
#include <QTableView>

namespace Shivx::Ui {

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
