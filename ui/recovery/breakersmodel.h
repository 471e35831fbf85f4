#pragma once

#include "recovery/circuitbreaker.h"

#include "widgets/namedrowsmodel.h"

namespace Shivx::Ui {

// The engine's circuit breakers as a table, one row per breaker. update() (NamedRowsModel)
// emits dataChanged for exactly the cells whose value changed: the time-in-state column
// ticks every refresh, the others only when the breaker does something.
class BreakersModel : public NamedRowsModel<BreakerSnapshot>
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        CallsColumn,
        FailuresColumn,
        RejectionsColumn,
        LastTransitionColumn,
        TimeInStateColumn,
        ReasonColumn,
        ColumnCount
    };
    Q_ENUM(Column)

    enum Role {
        // BreakerState as int, for delegates and tests that should not parse wording.
        StateRole = Qt::UserRole + 1,
        // The breaker's name (the NameColumn text may carry "forced" wording).
        NameRole,
    };

    using NamedRowsModel::NamedRowsModel;

    const QList<BreakerSnapshot> &breakers() const { return m_rows; }

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    bool cellDiffers(int column, const BreakerSnapshot &a, const BreakerSnapshot &b) const override;
    QList<int> rolesFor(int column) const override;
};

} // namespace Shivx::Ui
