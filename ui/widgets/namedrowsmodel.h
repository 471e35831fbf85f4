#pragma once

#include "widgets/changedcells.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace Shivx::Ui {

// Base of the live tables whose rows are engine snapshots with a unique `name` (targets,
// breakers). update() diffs the new snapshots against the rows it has, so views keep
// selection, sorting and scroll position while the engine reports every few seconds:
// vanished rows are removed in contiguous runs, rows that stay are replaced in place with
// dataChanged for exactly the cells that changed (forEachChangedRun), new rows are appended
// in one batch in the engine's order. GUI thread only.
//
// Row: a copyable value with a QString `name`. The derived model implements columnCount(),
// data(), headerData() and says which cells differ between two snapshots of a row.
template <typename Row> class NamedRowsModel : public QAbstractTableModel
{
public:
    explicit NamedRowsModel(QObject *parent = nullptr)
        : QAbstractTableModel(parent)
    {
    }

    // Replaces the model's content with `rows`, keyed by name.
    void update(const QList<Row> &rows);
    // Row of the entry called `name`, or -1.
    int rowOf(const QString &name) const;
    // Tells the views that headers and cell text are to be asked again, after the UI
    // language changed (a model gets no LanguageChange event; its page forwards it).
    void retranslate();

    int rowCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_rows.size());
    }

protected:
    // Whether column `column` shows something different for `a` and `b`.
    virtual bool cellDiffers(int column, const Row &a, const Row &b) const = 0;
    // The roles whose value can change with column `column`'s content.
    virtual QList<int> rolesFor(int column) const = 0;

    QList<Row> m_rows;
};

template <typename Row> void NamedRowsModel<Row>::update(const QList<Row> &rows)
{
    QHash<QString, int> incoming;
    incoming.reserve(rows.size());
    for (int i = 0; i < rows.size(); ++i)
        incoming.insert(rows.at(i).name, i);

    // Remove vanished rows from the bottom up so the rows still to visit keep their
    // numbers; contiguous runs go in one removal.
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (incoming.contains(m_rows.at(row).name)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !incoming.contains(m_rows.at(first - 1).name))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Update the rows that stayed, cell by cell. Fields no column shows are refreshed too,
    // silently.
    const int columns = columnCount();
    QSet<QString> known;
    known.reserve(m_rows.size());
    for (int row = 0; row < m_rows.size(); ++row) {
        const Row previous = m_rows.at(row);
        const Row &next = rows.at(incoming.value(previous.name));
        known.insert(next.name);
        m_rows[row] = next;
        forEachChangedRun(
            columns, [&](int column) { return cellDiffers(column, previous, next); },
            [this](int column) { return rolesFor(column); },
            [&](int first, int last, const QList<int> &roles) {
                Q_EMIT this->dataChanged(this->index(row, first), this->index(row, last), roles);
            });
    }

    QList<Row> added;
    for (const Row &r : rows) {
        if (!known.contains(r.name))
            added.append(r);
    }
    if (!added.isEmpty()) {
        beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + added.size() - 1));
        m_rows.append(added);
        endInsertRows();
    }
}

template <typename Row> int NamedRowsModel<Row>::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).name == name)
            return i;
    }
    return -1;
}

template <typename Row> void NamedRowsModel<Row>::retranslate()
{
    const int columns = columnCount();
    Q_EMIT this->headerDataChanged(Qt::Horizontal, 0, columns - 1);
    // Cells hold no cached text (data() builds it), so one range covers them all.
    if (!m_rows.isEmpty())
        Q_EMIT this->dataChanged(this->index(0, 0),
            this->index(int(m_rows.size()) - 1, columns - 1), { Qt::DisplayRole, Qt::ToolTipRole });
}

} // namespace Shivx::Ui
