#pragma once

#include "health/target.h"

#include "widgets/namedrowsmodel.h"

namespace Shivx::Ui {

// The live targets table. Holds the engine's TargetStatus snapshots and formats cell text
// only when data() asks for it; update() (NamedRowsModel) diffs new snapshots against the
// rows, so views keep selection, sorting and scroll position while probes report every few
// seconds.
class TargetsModel : public NamedRowsModel<TargetStatus>
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        KindColumn,
        StateColumn,
        LatencyColumn,
        FailuresColumn,
        LastCheckColumn,
        LastErrorColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // Raw value for QSortFilterProxyModel: numbers sort as numbers, not as text.
        SortRole = Qt::UserRole + 1,
        // TargetState as int, for delegates and tests that should not parse wording.
        StateRole,
    };

    using NamedRowsModel::NamedRowsModel;

    const QList<TargetStatus> &targets() const { return m_rows; }
    // Tells the views that the last-check ages ("12 s ago", read against the wall clock in
    // data()) have moved on; the page calls it once a second.
    void refreshAges();

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool cellDiffers(int column, const TargetStatus &a, const TargetStatus &b) const override;
    QList<int> rolesFor(int column) const override;
};

} // namespace Shivx::Ui
